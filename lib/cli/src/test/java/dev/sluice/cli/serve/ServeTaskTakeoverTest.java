package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.server.suite.NodeClients;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.sse.SseEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MCP Tasks across nodes: two {@code sluice serve} processes on one real Redis, both with the same
 * MCP server ({@code tasks-mcp.mjs}: the 2026-07-28 tasks extension over stateless HTTP, its task's
 * status scripted by a file). A stream whose model called the server's {@code migrate} tool, which
 * runs as a task, is read on the second node while the first runs it; the first node is killed
 * (SIGKILL) while the task works; the second takes the stream over from the handle and the
 * turn's checkpoint the first kept in Redis, follows the task to its end and goes on with the run:
 * the task's result goes back to the model, whose answer ends the stream, its usage the whole run's.
 * A question the task asks after the takeover is answered on the second node, and one it asked
 * before, still unanswered when the node died, is not asked a second time; a run served through a
 * fallback chain goes on through the chain. On one node, a caller that leaves for longer than the
 * resume window has the task cancelled.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeTaskTakeoverTest {
    private static final String PROMPT = "{\"prompt\":\"call migrate with {}\"}";
    private static final Pattern TASK_ID = Pattern.compile("tasks/get (\\S+)");
    private static final Pattern USAGE = Pattern.compile("\"usage\":\\{[^}]*}");

    private RedisServer redis;
    private Process mcp;
    private final List<String> mcpLog = new CopyOnWriteArrayList<>();
    private Path stage;
    private URI mcpUri;
    private final List<Process> nodes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        stage = Files.createTempFile("sluice-task-stage-", ".txt");
        Files.writeString(stage, "Copying tables");
        Path script =
                Path.of(ServeTaskTakeoverTest.class.getResource("tasks-mcp.mjs").toURI());
        mcp = new ProcessBuilder(NodeClients.node().toString(), script.toString(), stage.toString())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> port = new CompletableFuture<>();
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try (BufferedReader out = new BufferedReader(
                                    new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = out.readLine()) != null; ) {
                                    if (line.startsWith("listening "))
                                        port.complete(line.substring(10).strip());
                                    else mcpLog.add(line);
                                }
                            } catch (IOException e) {
                                // the server ended
                            }
                            port.completeExceptionally(new AssertionError("the MCP server ended before it listened"));
                        });
        mcpUri = URI.create("http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS) + "/mcp");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        for (Process p : nodes) p.destroyForcibly().waitFor();
        mcp.destroyForcibly().waitFor();
        redis.close();
        Files.deleteIfExists(stage);
    }

    /** What the nodes wrote on stderr, for a failure's message. */
    private final List<String> nodeLog = Collections.synchronizedList(new ArrayList<>());

    /** {@return a new {@code serve} node's address; {@code more} its flags beyond the store and the MCP server} */
    private URI node(String... more) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--mcp", mcpUri.toString()));
        flags.addAll(List.of(more));
        Process p = ServeOnManyNodesTest.serveProcess(redis.url(), flags.toArray(String[]::new));
        nodes.add(p);
        return URI.create(ServeOnManyNodesTest.listening(p, new CopyOnWriteArrayList<>(), nodeLog));
    }

    private String said(SseTestClient c) {
        return c.events.stream().map(e -> e.type() + " " + e.data()).toList() + "\nnodes: " + nodeLog + "\nmcp: "
                + mcpLog + "\nredis: " + redis.keys("*");
    }

    private static List<String> of(SseTestClient c, String type) {
        return c.events.stream()
                .filter(e -> e.type().equals(type))
                .map(SseEvent::data)
                .toList();
    }

    private long count(String method) {
        return mcpLog.stream().filter(l -> l.startsWith(method)).count();
    }

    /**
     * The node running the stream is killed while its task works: the other node, whose client
     * follows the stream, takes it over, follows the task from its handle (no second
     * {@code tools/call}), and its client gets every status once, in order, then the result once,
     * then the model's answer to that result and {@code done}; the task's id is in nothing the
     * client received.
     */
    @Test
    void nodeKilledWhileItsTaskWorks_anotherNodeFollowsTheTaskAndTheModelAnswersItsResult() throws Exception {
        Following following = followWhileTheTaskWorks();
        URI b = following.node();
        String id = following.id();
        SseTestClient follower = following.client();
        assertTrue(
                of(follower, "tool_progress").getFirst().contains("Copying tables"),
                follower.types().toString());

        killFirstAndAwaitTheTakeover();
        Files.writeString(stage, "Rebuilding indexes");
        follower.readUntil(
                e -> e.stream()
                        .anyMatch(x ->
                                x.type().equals("tool_progress") && x.data().contains("Rebuilding")),
                Long.MAX_VALUE);
        Files.writeString(stage, "done");
        follower.readAll();

        List<String> types = follower.types();
        assertEquals(
                LongStream.rangeClosed(1, types.size()).boxed().toList(),
                follower.ids(),
                "every event once, none lost: " + types);
        List<String> progress = of(follower, "tool_progress");
        assertEquals(2, progress.size(), "each status once: " + progress);
        assertTrue(progress.get(0).contains("Copying tables") && progress.get(1).contains("Rebuilding indexes"));
        assertEquals(1, types.stream().filter("tool_started"::equals).count(), types.toString());
        List<String> done = of(follower, "tool_done");
        assertEquals(1, done.size(), types.toString());
        assertTrue(done.getFirst().contains("migrated 42 tables"), done.getFirst());
        assertEquals("done", types.getLast(), said(follower));
        assertEquals(1, types.stream().filter("start"::equals).count(), types.toString());
        String answer = String.join(
                "",
                follower.events.subList(types.indexOf("tool_done") + 1, types.size()).stream()
                        .filter(e -> e.type().equals("delta"))
                        .map(SseEvent::data)
                        .toList());
        assertTrue(answer.contains("migrated 42 tables"), "the model answered the task's result: " + said(follower));
        assertEquals(1, count("tools/call"), "the tool ran once: " + mcpLog);
        Matcher task = TASK_ID.matcher(String.join("\n", mcpLog));
        assertTrue(task.find(), mcpLog.toString());
        String body =
                String.join("\n", follower.events.stream().map(SseEvent::data).toList());
        assertFalse(body.contains(task.group(1)), "the task's handle reached a client: " + body);

        // a client that resumes later, on the node that took over, reads the same stream once more
        try (SseTestClient late = SseTestClient.open(b, id, "0")) {
            late.readAll();
            assertEquals(follower.ids(), late.ids());
            assertEquals(types, late.types());
        }

        // done counts the whole run's tokens, the first node's turn too: as many as the same run on one node
        try (SseTestClient alone = SseTestClient.open(b, SseTestClient.create(b, PROMPT), null)) {
            alone.readAll(); // the task completes at its first tasks/get: the stage file says "done"
            assertEquals("done", alone.types().getLast(), said(alone));
            assertEquals(usage(alone), usage(follower), "the run taken over counted as the same run on one node");
        }
    }

    /** {@return the usage member of a stream's {@code done}} */
    private static String usage(SseTestClient c) {
        String done = of(c, "done").getFirst();
        Matcher m = USAGE.matcher(done);
        assertTrue(m.find(), done);
        return m.group();
    }

    /** POSTs a person's answer to a call's question (or approval) to a node: {@return the response} */
    private static java.net.http.HttpResponse<String> answer(URI node, String stream, String call, String json)
            throws Exception {
        return SseTestClient.HTTP.send(
                java.net.http.HttpRequest.newBuilder(node.resolve("/api/streams/" + stream + "/approvals/" + call))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The stream started on the first node, read on the second ({@code node}), its task working. */
    private record Following(URI node, String id, SseTestClient client) {}

    /**
     * Starts two nodes and the stream on the first, and follows it from the second until the
     * task's first progress event.
     */
    private Following followWhileTheTaskWorks() throws Exception {
        URI a = node();
        URI b = node();
        String id = SseTestClient.create(a, PROMPT);
        SseTestClient follower = SseTestClient.open(b, id, null);
        closing.add(follower);
        follower.readUntil(e -> e.stream().anyMatch(x -> x.type().equals("tool_progress")), Long.MAX_VALUE);
        return new Following(b, id, follower);
    }

    /** Kills the first node (SIGKILL: no goodbye to Redis) and waits until the other follows the task. */
    private void killFirstAndAwaitTheTakeover() throws Exception {
        killFirstAndAwaitTheTakeover(2);
    }

    /**
     * Kills the first node and waits until the other has polled the task {@code polls} times: once
     * is all a task that waits on a question gets before its question is answered.
     */
    private void killFirstAndAwaitTheTakeover(int polls) throws Exception {
        nodes.getFirst().destroyForcibly();
        assertTrue(nodes.getFirst().waitFor(10, TimeUnit.SECONDS));
        long before = count("tasks/get");
        // the other node polls the task once it has taken the stream over (the node's liveness, 3 s, and a look)
        await().atMost(Duration.ofSeconds(15)).until(() -> count("tasks/get") >= before + polls);
    }

    /**
     * The task asks its question, and the node running the stream is killed before anyone answers:
     * the node that takes over finds the question in the stored stream, and when the task still
     * asks it (the same call, question and fields) it does not ask again; the client reading there
     * gets one {@code tool_input} for the call in all, its answer to that one goes back to the
     * server once, in a {@code tasks/update} (a second answer is refused), the task completes with
     * it, and the model answers its result; nothing repeated or lost, no {@code tasks/cancel}.
     */
    @Test
    void questionPendingWhenItsNodeDies_isNotAskedAgain_theAnswerToTheStoredOneReachesTheServerOnce() throws Exception {
        Following following = followWhileTheTaskWorks();
        URI b = following.node();
        String id = following.id();
        SseTestClient follower = following.client();
        Files.writeString(stage, "ask");
        follower.readUntil(e -> e.stream().anyMatch(x -> x.type().equals("tool_input")), Long.MAX_VALUE);
        killFirstAndAwaitTheTakeover(1);

        String question = of(follower, "tool_input").getFirst();
        assertTrue(question.contains("Which schema should the tables go to?"), question);
        answerArchiveOnceAndFinish(b, id, follower, question);
    }

    /**
     * The caller leaves (its connection cut while the task works, no client anywhere): the stream
     * runs on for the resume window, then the relay gives it up and cancels it, and the task with
     * it: {@code tasks/cancel} reaches the server within a second of that. The bound counts from
     * the cut: the heartbeat finds the client gone (its second write after the cut fails at the
     * latest), then the window, then a second.
     */
    @Test
    void callerLeavesWhileTheTaskWorks_pastTheResumeWindowTheServerGetsTasksCancelWithinASecond() throws Exception {
        Duration heartbeat = Duration.ofMillis(500);
        Duration window = Duration.ofSeconds(1);
        URI a = node("--heartbeat", "0.5", "--resume-window", "1");
        String id = SseTestClient.create(a, PROMPT);
        SseTestClient caller = SseTestClient.open(a, id, null);
        caller.readUntil(e -> e.stream().anyMatch(x -> x.type().equals("tool_progress")), Long.MAX_VALUE);

        caller.close();
        long left = System.nanoTime();
        Duration bound = window.plus(heartbeat.multipliedBy(2)).plusSeconds(1);
        await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() -> count("tasks/cancel") == 1);
        long took = System.nanoTime() - left;
        assertTrue(took >= window.toNanos(), "cancelled " + took / 1_000_000 + " ms after the caller left");
        try (SseTestClient late = SseTestClient.open(a, id, "0")) {
            late.readAll();
            assertEquals("cancelled", late.types().getLast(), said(late));
            assertTrue(of(late, "cancelled").getFirst().contains("resume window"), said(late));
            assertEquals(0, of(late, "tool_done").size(), said(late));
        }
    }

    /**
     * The task asks a question after its node died and the other node took the run over: the
     * question reaches the client reading on that node as a {@code tool_input}, the answer posted
     * there goes back to the server in a {@code tasks/update} (once: a second answer is refused),
     * the task completes with it, and the model answers its result; nothing repeated or lost, the
     * task's handle in nothing the client got, no {@code tasks/cancel}.
     */
    @Test
    void questionAfterTheTakeover_reachesTheReaderOnTheNewNode_andItsAnswerGoesBackToTheServer() throws Exception {
        Following following = followWhileTheTaskWorks();
        URI b = following.node();
        String id = following.id();
        SseTestClient follower = following.client();
        killFirstAndAwaitTheTakeover();

        Files.writeString(stage, "ask");
        follower.readUntil(e -> e.stream().anyMatch(x -> x.type().equals("tool_input")), Long.MAX_VALUE);
        String question = of(follower, "tool_input").getFirst();
        assertTrue(question.contains("Which schema should the tables go to?"), question);
        assertTrue(question.contains("archive"), question);
        answerArchiveOnceAndFinish(b, id, follower, question);
        Matcher task = TASK_ID.matcher(String.join("\n", mcpLog));
        assertTrue(task.find(), mcpLog.toString());
        String body =
                String.join("\n", follower.events.stream().map(SseEvent::data).toList());
        assertFalse(body.contains(task.group(1)), "the task's handle reached a client: " + body);
    }

    /**
     * The stream is cancelled ({@code DELETE}) on the node that took it over while its task works:
     * that node sends {@code tasks/cancel} for the task within a second, and the stream ends
     * {@code cancelled}.
     */
    @Test
    void cancelAfterTheTakeover_theNewNodeSendsTasksCancelWithinASecond() throws Exception {
        Following following = followWhileTheTaskWorks();
        URI b = following.node();
        String id = following.id();
        SseTestClient follower = following.client();
        killFirstAndAwaitTheTakeover();

        long at = System.nanoTime();
        var deleted = SseTestClient.delete(b, id);
        assertTrue(deleted.statusCode() / 100 == 2, deleted.statusCode() + " " + deleted.body());
        await().atMost(Duration.ofSeconds(1)).until(() -> count("tasks/cancel") == 1);
        assertTrue(System.nanoTime() - at < 1_000_000_000L);
        follower.readAll();
        assertEquals("cancelled", follower.types().getLast(), said(follower));
        assertEquals(0, of(follower, "tool_done").size(), said(follower));
    }

    /**
     * A run served through a fallback chain ({@code --fallback}) whose first target is overloaded on
     * every request: the turns are answered by the next target. Its node is killed while its task
     * works; the other node goes on with the run through the chain, as it does a single provider's:
     * the task followed from its handle, then the model's answer to its result, through the chain
     * from its start (the overloaded target again, then the next), and {@code done}, not
     * {@code node_lost}.
     */
    @Test
    void fallbackChain_nodeKilledWhileItsTaskWorks_theOtherNodeGoesOnWithTheRunThroughTheChain() throws Exception {
        String[] chain = {"--model", "fake-overloaded", "--fallback", "openai:gpt-4o-mini"};
        URI a = node(chain);
        URI b = node(chain);
        String id = SseTestClient.create(a, PROMPT);
        SseTestClient follower = SseTestClient.open(b, id, null);
        closing.add(follower);
        follower.readUntil(e -> e.stream().anyMatch(x -> x.type().equals("tool_progress")), Long.MAX_VALUE);
        killFirstAndAwaitTheTakeover();
        Files.writeString(stage, "done");
        follower.readAll();

        List<String> types = follower.types();
        assertEquals(LongStream.rangeClosed(1, types.size()).boxed().toList(), follower.ids(), types.toString());
        assertEquals("done", types.getLast(), said(follower));
        assertEquals(1, of(follower, "tool_done").size(), said(follower));
        String answer = SseTestClient.text(follower.events.subList(types.indexOf("tool_done") + 1, types.size()));
        assertTrue(answer.contains("migrated 42 tables"), "the model answered the task's result: " + said(follower));
        assertEquals(1, count("tools/call"), mcpLog.toString());
    }

    /**
     * The node that takes the stream over cannot follow the task (the server does not know it
     * there, as a server that keeps its tasks per session or per process): the call ends with a
     * tool error saying so, the model reads that error and answers, and the stream ends with
     * {@code done}; the tool is not called again.
     */
    @Test
    void nodeKilledAndTheTaskUnknownToTheOtherNode_theCallFailsSayingItCannotBeFollowed() throws Exception {
        Following following = followWhileTheTaskWorks();
        URI b = following.node();
        String id = following.id();
        SseTestClient follower = following.client();
        nodes.getFirst().destroyForcibly();
        assertTrue(nodes.getFirst().waitFor(10, TimeUnit.SECONDS));
        Files.writeString(stage, "forget");
        follower.readAll();

        List<String> failed = of(follower, "tool_failed");
        assertEquals(1, failed.size(), said(follower));
        assertTrue(
                failed.getFirst().contains("the task of tool 'migrate' cannot be followed from here")
                        && failed.getFirst().contains("does not give it to this client"),
                failed.getFirst());
        assertEquals("done", follower.types().getLast(), said(follower));
        assertTrue(
                follower.types().lastIndexOf("delta") > follower.types().indexOf("tool_failed"),
                "the model answered the tool's error: " + said(follower));
        assertEquals(LongStream.rangeClosed(1, follower.ids().size()).boxed().toList(), follower.ids());
        assertEquals(1, count("tools/call"), mcpLog.toString());
    }

    /**
     * Answers the question (call {@code question}'s id) on node {@code b} with "archive", once (a
     * second answer gets 409), lets the task finish, and checks what the follower got: every id in
     * order, one {@code tool_input}, one {@code tool_done}, the model's answer; and that the server
     * got one call, one {@code tasks/update} and no {@code tasks/cancel}.
     */
    private void answerArchiveOnceAndFinish(URI b, String id, SseTestClient follower, String question)
            throws Exception {
        String call = question.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        var answered = answer(b, id, call, "{\"approved\":true,\"content\":{\"schema\":\"archive\"}}");
        assertEquals(200, answered.statusCode(), answered.body());
        var again = answer(b, id, call, "{\"approved\":true,\"content\":{\"schema\":\"public\"}}");
        assertEquals(409, again.statusCode(), again.body());
        await().atMost(Duration.ofSeconds(15)).until(() -> mcpLog.contains("answer archive"));
        follower.readUntil(
                e -> e.stream()
                        .anyMatch(x ->
                                x.type().equals("tool_progress") && x.data().contains("Moving tables to archive")),
                Long.MAX_VALUE);
        Files.writeString(stage, "done");
        follower.readAll();

        List<String> types = follower.types();
        assertEquals(LongStream.rangeClosed(1, types.size()).boxed().toList(), follower.ids(), types.toString());
        assertEquals(1, types.stream().filter("tool_input"::equals).count(), "asked once: " + said(follower));
        List<String> done = of(follower, "tool_done");
        assertEquals(1, done.size(), said(follower));
        assertTrue(done.getFirst().contains("migrated 42 tables into archive"), done.getFirst());
        assertEquals("done", types.getLast(), said(follower));
        String answer = SseTestClient.text(follower.events.subList(types.indexOf("tool_done") + 1, types.size()));
        assertTrue(answer.contains("migrated 42 tables into archive"), "the model answered: " + said(follower));
        assertEquals(1, count("tools/call"), mcpLog.toString());
        assertEquals(1, count("tasks/update"), mcpLog.toString());
        assertEquals(0, count("tasks/cancel"), mcpLog.toString());
    }
}
