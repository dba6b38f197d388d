package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool approval in the frontend protocols with their real clients ({@code tool-approval.mjs}): the
 * Vercel AI SDK's chat sees the {@code tool-approval-request}, answers it with
 * {@code addToolApprovalResponse}, and its next request gets the rest of the same stream as the
 * same assistant message; {@code @ag-ui/client}'s run ends with an interrupt, and the next run's
 * {@code resume} gets the rest. The streams come from a scripted source that calls a tool needing
 * approval and, once decided, runs it with progress or tells the model it was denied; and again
 * from a real tool runner whose policy asks approval of {@code deploy}, over the test kit's fake
 * model told to call it, whose handler runs for the approved calls only. A page reloaded
 * ({@code approval-nodes.mjs}, with this one server as both nodes) gets the answer up to a pending
 * approval, and past a decided one while the tool still runs.
 */
class ToolApprovalProtocolsTest {
    private static final String ARGS = "{\"env\":\"prod\"}";
    private static final String DENIAL = "The user denied this tool call.";
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final Queue<String> DEPLOYED =
            new ConcurrentLinkedQueue<>(); // the real runner's handler: each call's env
    private static RelayServer server;
    private static NodeClients.Run run;
    private static NodeClients.Run reloadRun;
    private static final Map<String, Map<?, ?>> cases = new HashMap<>();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer runnerServer;
    private static NodeClients.Run runnerRun;
    private static final Map<String, Map<?, ?>> runnerCases = new HashMap<>();

    /** What lets a held tool end: {@link #RELEASE_PROMPT} posted as a chat. */
    private static final CountDownLatch RELEASED = new CountDownLatch(1);

    private static final String RELEASE_PROMPT = "release the held tool";
    /** A held tool's place in its turn: the source waits here until {@link #RELEASED}. */
    private static final RelayEvent HOLD = new RelayEvent.Delta("");

    /** {@return a stream's source: one that releases the held tool for its prompt, else an {@link ApprovalSource}} */
    static RelaySource source(StartRequest request) {
        if (!request.prompt().equals(RELEASE_PROMPT))
            return new ApprovalSource(request.prompt().contains("reload"));
        RELEASED.countDown();
        ApprovalSource released = new ApprovalSource(false);
        released.events.clear();
        List.of(new RelayEvent.Start("anthropic", "claude-sonnet-4-5"), new RelayEvent.Done("stop", 1, 1, 1L, 1))
                .forEach(e -> released.events.add(Optional.of(e)));
        return released;
    }

    /**
     * A turn whose tool call waits for approval, then runs with progress, or is denied. A held
     * tool, after its progress, runs on until {@link #RELEASED}.
     */
    static final class ApprovalSource implements RelaySource {
        private final String id = "call-" + CALLS.incrementAndGet();
        private final BlockingQueue<Optional<RelayEvent>> events = new LinkedBlockingQueue<>();
        private final boolean held;
        private boolean decided;

        ApprovalSource(boolean held) {
            this.held = held;
            List.of(
                            new RelayEvent.Start("anthropic", "claude-sonnet-4-5"),
                                    new RelayEvent.Delta("I will deploy."),
                            new RelayEvent.ToolCall(id, "deploy", ARGS),
                                    new RelayEvent.ToolApproval(id, "deploy", ARGS))
                    .forEach(e -> events.add(Optional.of(e)));
        }

        @Override
        public Optional<RelayEvent> next() {
            try {
                Optional<RelayEvent> next = events.take();
                if (next.orElse(null) != HOLD) return next;
                RELEASED.await(60, TimeUnit.SECONDS); // bounded: a test that never releases still ends
                return events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public synchronized boolean approve(String callId, boolean approved, String reason) {
            if (!callId.equals(id) || decided) return false;
            decided = true;
            List<RelayEvent> rest = new ArrayList<>();
            rest.add(new RelayEvent.ToolApprovalDecided(id, approved, reason));
            if (approved) {
                rest.add(new RelayEvent.ToolStarted(id, "deploy"));
                for (int step = 1; step <= 4; step++) {
                    rest.add(new RelayEvent.ToolProgress(id, "step " + step, 25.0 * step, (double) step, 4.0));
                }
                if (held) rest.add(HOLD);
                rest.add(new RelayEvent.ToolDone(id, "deployed to prod"));
                rest.add(new RelayEvent.Delta("Deployed to prod."));
            } else {
                rest.add(new RelayEvent.ToolFailed(id, DENIAL));
                rest.add(new RelayEvent.Delta("I did not deploy: you denied it."));
            }
            rest.add(new RelayEvent.Done("stop", 10, 5, 10L, 5));
            rest.forEach(e -> events.add(Optional.of(e)));
            return true;
        }

        @Override
        public void cancel(String reason) {
            events.add(Optional.empty());
        }

        @Override
        public void close() {
            events.add(Optional.empty());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", (request, controller) -> source(request.request()))
                .build();
        server = RelayServer.start(relay, "127.0.0.1", 0);
        CompletableFuture<NodeClients.Run> scripted =
                runAsync("tool-approval.mjs", server.uri().toString());
        CompletableFuture<NodeClients.Run> reloads = runAsync(
                "approval-nodes.mjs",
                server.uri().toString(),
                server.uri().toString(),
                "Deploy to prod, CASE",
                RELEASE_PROMPT);

        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        ToolRunner runner = ToolRunner.builder(anthropic)
                .tool(TestTools.deploy(DEPLOYED, new CountDownLatch(0)))
                .approval(ApprovalPolicy.tools("deploy"))
                .maxTurns(3)
                .build();
        runnerServer = RelayServer.start(
                Relay.builder()
                        .source("anthropic", "claude-sonnet-4-5", RelaySource.toolRunner(runner))
                        .build(),
                "127.0.0.1",
                0);
        runnerRun = NodeClients.run(
                "tool-approval.mjs", 60, runnerServer.uri().toString(), "call deploy with {\"env\":\"CASE\"}");
        runnerCases.putAll(runnerRun.cases());
        run = scripted.join();
        cases.putAll(run.cases());
        reloadRun = reloads.join();
        cases.putAll(reloadRun.cases());
    }

    /** {@return a script's run against a server, beside the others (each Node.js takes a while to start)} */
    private static CompletableFuture<NodeClients.Run> runAsync(String script, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return NodeClients.run(script, 60, args);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (runnerServer != null) runnerServer.close();
        if (anthropic != null) anthropic.close();
    }

    private static Map<?, ?> c(String name) {
        Map<?, ?> c = cases.get(name);
        assertTrue(
                c != null,
                name + " missing from " + run.stdout() + run.stderr() + reloadRun.stdout() + reloadRun.stderr());
        return c;
    }

    private static Map<?, ?> runner(String name) {
        Map<?, ?> c = runnerCases.get(name);
        assertTrue(c != null, name + " missing from " + runnerRun.stdout() + runnerRun.stderr());
        return c;
    }

    private static List<?> parts(Object message) {
        return (List<?>) ((Map<?, ?>) message).get("parts");
    }

    private static Map<?, ?> part(List<?> parts, String type) {
        return parts.stream()
                .map(p -> (Map<?, ?>) p)
                .filter(p -> type.equals(p.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(type + " not in " + parts));
    }

    private static String text(List<?> parts) {
        return String.join(
                "|",
                parts.stream()
                        .map(p -> (Map<?, ?>) p)
                        .filter(p -> "text".equals(p.get("type")))
                        .map(p -> (String) p.get("text"))
                        .toList());
    }

    @Test
    void ui_approvalRequest_responseEndsWithTheCallAwaitingApproval() {
        Map<?, ?> c = c("ui-approve");
        assertEquals("ready", c.get("statusPaused"));
        List<?> paused = (List<?>) c.get("paused");
        Map<?, ?> call = part(parts(paused.getLast()), "tool-deploy");
        assertEquals("approval-requested", call.get("state"));
        assertEquals(Map.of("env", "prod"), call.get("input"));
        assertEquals(call.get("toolCallId"), ((Map<?, ?>) call.get("approval")).get("id"));
        assertEquals("I will deploy.", text(parts(paused.getLast())));
    }

    @Test
    void ui_approve_nextRequestCarriesTheAnswerAndTheRestContinuesTheMessage() {
        Map<?, ?> c = c("ui-approve");
        assertNull(c.get("error"));
        List<?> posted = (List<?>) c.get("posted");
        assertEquals(2, posted.size(), posted.toString());
        Map<?, ?> answer =
                part(parts(((List<?>) ((Map<?, ?>) posted.get(1)).get("messages")).getLast()), "tool-deploy");
        assertEquals("approval-responded", answer.get("state"));
        assertEquals(true, ((Map<?, ?>) answer.get("approval")).get("approved"));
        List<?> messages = (List<?>) c.get("messages");
        assertEquals(
                List.of("user", "assistant"),
                messages.stream().map(m -> ((Map<?, ?>) m).get("role")).toList());
        List<?> parts = parts(messages.getLast());
        Map<?, ?> call = part(parts, "tool-deploy");
        assertEquals("output-available", call.get("state"));
        assertEquals("deployed to prod", call.get("output"));
        assertEquals("I will deploy.|Deployed to prod.", text(parts));
        assertEquals("ready", c.get("status"));
    }

    @Test
    void ui_progress_oneDataPartUpdatedInPlaceWithProgressAndTotal() {
        Map<?, ?> c = c("ui-approve");
        List<?> parts = parts(((List<?>) c.get("messages")).getLast());
        assertEquals(
                1,
                parts.stream()
                        .filter(p -> "data-tool-progress".equals(((Map<?, ?>) p).get("type")))
                        .count(),
                parts.toString());
        Map<?, ?> progress = part(parts, "data-tool-progress");
        String callId = (String) part(parts, "tool-deploy").get("toolCallId");
        assertEquals(callId, progress.get("id"));
        assertEquals(
                Map.of("toolCallId", callId, "message", "step 4", "percent", 100L, "progress", 4L, "total", 4L),
                progress.get("data"));
        assertEquals(
                List.of(1L, 2L, 3L, 4L),
                ((List<?>) c.get("dataChunks"))
                        .stream()
                                .map(d -> ((Map<?, ?>) ((Map<?, ?>) d).get("data")).get("progress"))
                                .toList(),
                "each report reached onData");
    }

    @Test
    void ui_deny_callShownDeniedAndTheModelsAnswerFollows() {
        Map<?, ?> c = c("ui-deny");
        assertNull(c.get("error"));
        List<?> parts = parts(((List<?>) c.get("messages")).getLast());
        Map<?, ?> call = part(parts, "tool-deploy");
        assertEquals("output-denied", call.get("state"));
        assertEquals("not on a Friday", ((Map<?, ?>) call.get("approval")).get("reason"));
        assertEquals("I will deploy.|I did not deploy: you denied it.", text(parts));
        assertTrue(
                parts.stream().noneMatch(p -> "data-tool-progress".equals(((Map<?, ?>) p).get("type"))),
                parts.toString());
    }

    @Test
    void ui_reloadBeforeTheAnswer_endsAtThePendingApprovalAgain() {
        Map<?, ?> pending = (Map<?, ?>) c("ui-reload").get("pendingReload");
        assertEquals("ready", pending.get("status"));
        assertNull(pending.get("error"));
        List<?> messages = (List<?>) pending.get("messages");
        assertEquals(2, messages.size(), messages.toString());
        Map<?, ?> call = part(parts(messages.getLast()), "tool-deploy");
        assertEquals("approval-requested", call.get("state"), call.toString());
        assertEquals("I will deploy.", text(parts(messages.getLast())));
    }

    @Test
    void ui_reloadAfterTheAnswer_replaysPastTheDecidedApprovalAndFollowsTheRest() {
        Map<?, ?> c = c("ui-reload");
        assertEquals(
                "streaming",
                c.get("statusBeforeRelease"),
                "the reload follows the running tool, not ended at the approval");
        Map<?, ?> running = part(parts(((List<?>) c.get("beforeRelease")).getLast()), "tool-deploy");
        assertEquals("approval-responded", running.get("state"), running.toString());
        assertEquals(true, ((Map<?, ?>) running.get("approval")).get("approved"));
        assertNull(c.get("error"));
        assertEquals("ready", c.get("status"));
        List<?> messages = (List<?>) c.get("messages");
        assertEquals(
                List.of("user", "assistant"),
                messages.stream().map(m -> ((Map<?, ?>) m).get("role")).toList());
        assertEquals(
                ((Map<?, ?>) ((List<?>) c.get("paused")).getLast()).get("id"),
                ((Map<?, ?>) messages.getLast()).get("id"),
                "the reload replaces the kept message in place");
        List<?> parts = parts(messages.getLast());
        Map<?, ?> call = part(parts, "tool-deploy");
        assertEquals("output-available", call.get("state"), parts.toString());
        assertEquals("deployed to prod", call.get("output"));
        assertEquals(true, ((Map<?, ?>) call.get("approval")).get("approved"));
        assertEquals(
                1,
                parts.stream()
                        .filter(p -> "tool-deploy".equals(((Map<?, ?>) p).get("type")))
                        .count(),
                parts.toString());
        assertEquals("I will deploy.|Deployed to prod.", text(parts));
        List<?> answered = parts(((List<?>) c.get("answered")).getLast());
        assertEquals(
                parts.stream().map(p -> ((Map<?, ?>) p).get("type")).toList().subList(0, answered.size()),
                answered.stream().map(p -> ((Map<?, ?>) p).get("type")).toList(),
                "the same parts as the page had before it went away");
    }

    @Test
    void agUi_resumeOnTheSameNodeThroughTheSameAgent_theRestOfTheRun() {
        List<?> second = events("ag-ui-nodes", "second");
        assertEquals("RUN_STARTED", types(second).getFirst());
        assertTrue(types(second).contains("TOOL_CALL_RESULT"), types(second).toString());
        assertEquals(Map.of("type", "success"), ((Map<?, ?>) second.getLast()).get("outcome"));
    }

    @Test
    void ui_answerToNoWaitingCall_clearError() {
        Map<?, ?> c = c("ui-unknown");
        assertEquals("error", c.get("status"));
        assertTrue(((String) c.get("error")).contains("runs no stream waiting for an approval"), c.toString());
    }

    private static List<?> events(String name, String run) {
        return events(c(name), run);
    }

    private static List<?> events(Map<?, ?> c, String run) {
        Map<?, ?> r = (Map<?, ?>) c.get(run);
        assertNull(r.get("error"), r.toString());
        return (List<?>) r.get("events");
    }

    private static List<String> types(List<?> events) {
        return events.stream().map(e -> (String) ((Map<?, ?>) e).get("type")).toList();
    }

    @Test
    void agUi_approval_runFinishesWithAnInterruptForTheCall() {
        List<?> events = events("ag-ui-approve", "first");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "TOOL_CALL_START",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_END",
                        "RUN_FINISHED"),
                types(events));
        Map<?, ?> outcome = (Map<?, ?>) ((Map<?, ?>) events.getLast()).get("outcome");
        assertEquals("interrupt", outcome.get("type"));
        Map<?, ?> interrupt = (Map<?, ?>) ((List<?>) outcome.get("interrupts")).getFirst();
        String callId = (String) ((Map<?, ?>) events.get(4)).get("toolCallId");
        assertEquals(callId, interrupt.get("id"));
        assertEquals(callId, interrupt.get("toolCallId"));
        assertEquals("tool_approval", interrupt.get("reason"));
        assertEquals(Map.of("toolName", "deploy", "arguments", Map.of("env", "prod")), interrupt.get("metadata"));
        assertEquals(1, ((List<?>) c("ag-ui-approve").get("pending")).size(), "the client holds the interrupt open");
    }

    @Test
    void agUi_resumeApproved_nextRunStreamsProgressAsActivityAndTheRest() {
        List<?> events = events("ag-ui-approve", "second");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "ACTIVITY_SNAPSHOT",
                        "ACTIVITY_DELTA",
                        "ACTIVITY_DELTA",
                        "ACTIVITY_DELTA",
                        "TOOL_CALL_RESULT",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "RUN_FINISHED"),
                types(events));
        assertEquals("run-approval-2-true", ((Map<?, ?>) events.getFirst()).get("runId"));
        Map<?, ?> snapshot = (Map<?, ?>) events.get(1);
        assertEquals("tool_progress", snapshot.get("activityType"));
        Map<?, ?> content = (Map<?, ?>) snapshot.get("content");
        assertEquals("step 1", content.get("message"));
        assertEquals(1L, content.get("progress"));
        assertEquals(4L, content.get("total"));
        assertEquals(
                List.of(
                        Map.of("op", "replace", "path", "/message", "value", "step 2"),
                        Map.of("op", "replace", "path", "/percent", "value", 50L),
                        Map.of("op", "replace", "path", "/progress", "value", 2L)),
                ((Map<?, ?>) events.get(2)).get("patch"));
        assertEquals(Map.of("type", "success"), ((Map<?, ?>) events.getLast()).get("outcome"));
        List<?> messages = (List<?>) c("ag-ui-approve").get("messages");
        Map<?, ?> activity = messages.stream()
                .map(m -> (Map<?, ?>) m)
                .filter(m -> "activity".equals(m.get("role")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(messages.toString()));
        assertEquals("step 4", ((Map<?, ?>) activity.get("content")).get("message"));
        assertTrue(
                messages.stream().map(m -> (Map<?, ?>) m).anyMatch(m -> "deployed to prod".equals(m.get("content"))),
                messages.toString());
    }

    @Test
    void agUi_resumeDenied_theDenialAndTheModelsAnswer() {
        List<?> events = events("ag-ui-deny", "second");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "TOOL_CALL_RESULT",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "RUN_FINISHED"),
                types(events));
        assertEquals(DENIAL, ((Map<?, ?>) events.get(1)).get("content"));
        assertEquals("I did not deploy: you denied it.", ((Map<?, ?>) events.get(3)).get("delta"));
    }

    @Test
    void runner_handlerRunsForTheApprovedCallsOnly() {
        assertEquals(
                List.of("ag-ui-approve", "ui-approve"),
                DEPLOYED.stream().sorted().toList());
    }

    @Test
    void runner_ui_approve_theToolRunsWithProgressAndItsResultContinuesTheMessage() {
        Map<?, ?> c = runner("ui-approve");
        assertNull(c.get("error"));
        Map<?, ?> asked = part(parts(((List<?>) c.get("paused")).getLast()), "tool-deploy");
        assertEquals("approval-requested", asked.get("state"));
        assertEquals(Map.of("env", "ui-approve"), asked.get("input"));
        List<?> messages = (List<?>) c.get("messages");
        assertEquals(
                List.of("user", "assistant"),
                messages.stream().map(m -> ((Map<?, ?>) m).get("role")).toList());
        List<?> parts = parts(messages.getLast());
        Map<?, ?> call = part(parts, "tool-deploy");
        assertEquals("output-available", call.get("state"), parts.toString());
        assertEquals("deployed to ui-approve", call.get("output"));
        Map<?, ?> progress = part(parts, "data-tool-progress");
        assertEquals(
                Map.of(
                        "toolCallId",
                        call.get("toolCallId"),
                        "message",
                        "step 4",
                        "percent",
                        100L,
                        "progress",
                        4L,
                        "total",
                        4L),
                progress.get("data"));
        assertTrue(text(parts).contains("deployed to ui-approve"), "the model's answer after the result: " + parts);
        assertEquals("ready", c.get("status"));
    }

    @Test
    void runner_ui_deny_shownDeniedOnceNotAsAFailure() {
        Map<?, ?> c = runner("ui-deny");
        assertNull(c.get("error"));
        List<?> parts = parts(((List<?>) c.get("messages")).getLast());
        List<?> calls = parts.stream()
                .filter(p -> "tool-deploy".equals(((Map<?, ?>) p).get("type")))
                .toList();
        assertEquals(1, calls.size(), parts.toString());
        Map<?, ?> call = (Map<?, ?>) calls.getFirst();
        assertEquals("output-denied", call.get("state"), "denied, not then failed: " + call);
        assertNull(call.get("errorText"), call.toString());
        assertTrue(text(parts).contains(DENIAL), "the model's answer to the denial: " + parts);
    }

    @Test
    void runner_agUi_resumeApproved_theToolRunsAndTheRunEnds() {
        Map<?, ?> c = runner("ag-ui-approve");
        List<?> first = events(c, "first");
        Map<?, ?> interrupt =
                (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) first.getLast()).get("outcome")).get("interrupts"))
                        .getFirst();
        assertEquals(
                Map.of("toolName", "deploy", "arguments", Map.of("env", "ag-ui-approve")), interrupt.get("metadata"));
        List<?> second = events(c, "second");
        List<String> types = types(second);
        assertEquals("RUN_STARTED", types.getFirst());
        assertTrue(types.contains("ACTIVITY_SNAPSHOT"), types.toString());
        Map<?, ?> result = second.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(types.toString()));
        assertEquals(interrupt.get("toolCallId"), result.get("toolCallId"));
        assertEquals("deployed to ag-ui-approve", result.get("content"));
        assertEquals(Map.of("type", "success"), ((Map<?, ?>) second.getLast()).get("outcome"));
    }

    @Test
    void runner_agUi_resumeDenied_theDenialIsTheResult() {
        List<?> second = events(runner("ag-ui-deny"), "second");
        List<?> results = second.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .toList();
        assertEquals(1, results.size(), second.toString());
        assertTrue(((String) ((Map<?, ?>) results.getFirst()).get("content")).startsWith(DENIAL), results.toString());
        assertEquals(Map.of("type", "success"), ((Map<?, ?>) second.getLast()).get("outcome"));
    }

    @Test
    void agUi_resumeOfAThreadRunningNothing_404ThenThrottledPerClientAsChatsAre() throws Exception {
        HttpClient probe = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0.4"))
                .build();
        try {
            for (int i = 1; i <= RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE + 1; i++) {
                String body = "{\"threadId\":\"guess-thread-" + i
                        + "\",\"runId\":\"r\",\"messages\":[],\"resume\":[{\"interruptId\":\"call-1\","
                        + "\"status\":\"resolved\",\"payload\":{\"approved\":true}}]}";
                HttpResponse<String> r = probe.send(
                        HttpRequest.newBuilder(server.uri().resolve("/api/ag-ui"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                boolean past = i > RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE;
                assertEquals(past ? 429 : 404, r.statusCode(), "resume " + i + ": " + r.body());
                assertTrue(
                        r.body().contains(past ? "too_many_failed_resumes" : "runs no stream waiting for an approval"),
                        r.body());
            }
        } finally {
            probe.shutdownNow();
        }
    }
}
