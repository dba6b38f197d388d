package dev.sluice.agent;

import static dev.sluice.agent.ScriptedProvider.call;
import static dev.sluice.agent.ScriptedProvider.steps;
import static dev.sluice.agent.ScriptedProvider.stop;
import static dev.sluice.agent.ScriptedProvider.text;
import static dev.sluice.agent.ScriptedProvider.toolCalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentEvent.ApprovalDecided;
import dev.sluice.agent.AgentEvent.ApprovalRequested;
import dev.sluice.agent.AgentEvent.ModelChunk;
import dev.sluice.agent.AgentEvent.ToolCompleted;
import dev.sluice.agent.AgentEvent.ToolFailed;
import dev.sluice.agent.AgentEvent.ToolProgress;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolResult;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolRunnerApprovalTest {
    private static final Map<String, Object> PATH_SCHEMA = Map.of(
            "type", "object", "properties", Map.of("path", Map.of("type", "string")), "required", List.of("path"));
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("m")
            .addMessage(ChatMessage.user("Tidy up."))
            .build();

    private final AtomicInteger deletes = new AtomicInteger();
    private final AgentTool delete =
            AgentTool.of("delete_file", "Deletes a file", PATH_SCHEMA, (arguments, context) -> {
                deletes.incrementAndGet();
                return "deleted " + arguments.get("path");
            });
    private final AgentTool list =
            AgentTool.of("list_files", "Lists files", Map.of("type", "object"), (arguments, context) -> "a.txt");

    /** Turn 1 calls delete_file (c1) then list_files (c2); turn 2 answers. */
    private static ScriptedProvider deleteThenList() {
        return new ScriptedProvider((turn, request) -> turn == 1
                ? steps(
                        call(0, "c1", "delete_file", "{\"path\":\"a.txt\"}"),
                        text("and "),
                        call(1, "c2", "list_files", "{}"),
                        toolCalls())
                : steps(text("Done."), stop()));
    }

    private static List<String> trace(List<AgentEvent> events) {
        List<String> lines = new ArrayList<>();
        for (AgentEvent e : events) {
            switch (e) {
                case ModelChunk c -> {}
                case ApprovalRequested a -> lines.add("tool_approval " + a.id());
                case ApprovalDecided d -> lines.add("tool_approval_decided " + d.id() + " " + d.approved());
                case AgentEvent.ToolStarted s -> lines.add("tool_started " + s.id());
                case ToolCompleted c -> lines.add("tool_done " + c.id());
                case ToolFailed f -> lines.add("tool_failed " + f.id() + " " + f.kind());
                default -> lines.add(e.type());
            }
        }
        return lines;
    }

    private static <T extends AgentEvent> List<T> of(List<AgentEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void approved_fromAnotherThread_runsWhileTheModelAndOtherToolsWentOnMeanwhile() throws Exception {
        ScriptedProvider provider = deleteThenList();
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(delete)
                .tool(list)
                .maxParallelTools(1)
                .approval(ApprovalPolicy.tools("delete_file"))
                .build();
        ToolApprovals approvals = ToolApprovals.create();
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals)) {
            for (AgentEvent e : stream) {
                events.add(e);
                if (e instanceof ApprovalRequested a) {
                    assertEquals(new ApprovalRequested(1, "c1", "delete_file", "{\"path\":\"a.txt\"}"), a);
                    assertEquals(Set.of("c1"), approvals.pending());
                }
                if (e instanceof ToolCompleted c && c.id().equals("c2")) {
                    assertEquals(0, deletes.get(), "the waiting call has not run");
                    Thread decider = Thread.ofVirtual().start(() -> assertTrue(approvals.decide("c1", true, null)));
                    decider.join();
                }
            }
        }

        assertEquals(
                List.of(
                        "turn_started",
                        "tool_approval c1",
                        "tool_started c2",
                        "tool_done c2",
                        "tool_approval_decided c1 true",
                        "tool_started c1",
                        "tool_done c1",
                        "turn_ended",
                        "turn_started",
                        "turn_ended",
                        "run_finished"),
                trace(events));
        assertEquals(1, deletes.get());
        assertEquals(
                List.of(ToolResult.of("c1", "deleted a.txt"), ToolResult.of("c2", "a.txt")),
                provider.requests.get(1).messages().getLast().toolResults());
        assertEquals("", of(events, ApprovalDecided.class).getFirst().reason());
        assertTrue(approvals.pending().isEmpty());
        assertFalse(approvals.decide("c1", false, "changed my mind"), "already decided");
        assertFalse(approvals.decide("c9", true, null), "no such call");
    }

    @Test
    void denied_handlerNeverRunsAndTheModelReadsTheDenialWithTheReason() {
        ScriptedProvider provider = deleteThenList();
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(delete)
                .tool(list)
                .approval(ApprovalPolicy.all())
                .build();
        ToolApprovals approvals = ToolApprovals.create();
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals)) {
            for (AgentEvent e : stream) {
                events.add(e);
                if (e instanceof ApprovalRequested a) {
                    assertTrue(
                            a.id().equals("c1")
                                    ? approvals.decide("c1", false, "keep it")
                                    : approvals.decide(a.id(), true, ""));
                }
            }
        }

        assertEquals(0, deletes.get());
        String error = "The user denied this tool call. Their reason: keep it";
        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(new ToolFailed(1, "c1", "delete_file", ToolFailed.Kind.DENIED, error, Duration.ZERO), failed);
        // each waiting call reports its decision from its own thread: in no fixed order between calls
        assertEquals(
                Set.of(
                        new ApprovalDecided(1, "c1", "delete_file", false, "keep it"),
                        new ApprovalDecided(1, "c2", "list_files", true, "")),
                Set.copyOf(of(events, ApprovalDecided.class)));
        assertEquals(2, of(events, ApprovalDecided.class).size(), "each decision once");
        assertEquals(
                List.of(ToolResult.error("c1", error), ToolResult.of("c2", "a.txt")),
                provider.requests.get(1).messages().getLast().toolResults());
        assertFalse(approvals.decide("c1", true, ""), "already decided");
    }

    @Test
    void denied_withoutReason_theContractsWording() {
        ScriptedProvider provider = deleteThenList();
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(delete)
                .tool(list)
                .approval(ApprovalPolicy.tools("delete_file"))
                .build();
        ToolApprovals approvals = ToolApprovals.create();
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals)) {
            for (AgentEvent e : stream) {
                events.add(e);
                if (e instanceof ApprovalRequested a) approvals.decide(a.id(), false, null);
            }
        }
        assertEquals(
                "The user denied this tool call.",
                of(events, ToolFailed.class).getFirst().error());
    }

    @Test
    void noDecision_timesOutNamingTheConfiguredDurationAndNeverRuns() {
        ScriptedProvider provider = deleteThenList();
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(delete)
                .tool(list)
                .approval(ApprovalPolicy.tools("delete_file"))
                .approvalTimeout(Duration.ofMillis(300))
                .build();
        ToolApprovals approvals = ToolApprovals.create();
        List<AgentEvent> events;
        try (EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals)) {
            events = stream.stream().toList();
        }

        String error = "No one approved this tool call within 0.3 seconds; it was not run.";
        assertEquals(0, deletes.get());
        assertEquals(
                List.of(new ApprovalDecided(1, "c1", "delete_file", false, "no one decided within 0.3 seconds")),
                of(events, ApprovalDecided.class));
        assertEquals(
                ToolFailed.Kind.DENIED, of(events, ToolFailed.class).getFirst().kind());
        assertEquals(
                List.of(ToolResult.error("c1", error), ToolResult.of("c2", "a.txt")),
                provider.requests.get(1).messages().getLast().toolResults());
        assertFalse(approvals.decide("c1", true, ""), "too late");
        assertTrue(approvals.pending().isEmpty());
    }

    @Test
    void span_saysTheDefaultTimeoutAsTheContractDoes() {
        assertEquals("10 minutes", AgentLoop.span(Duration.ofMinutes(10)));
        assertEquals("1 minute", AgentLoop.span(Duration.ofMinutes(1)));
        assertEquals("2 hours", AgentLoop.span(Duration.ofHours(2)));
        assertEquals("1 second", AgentLoop.span(Duration.ofSeconds(1)));
        assertEquals("90 seconds", AgentLoop.span(Duration.ofSeconds(90)));
    }

    @Test
    void cancelledWhileWaiting_endsPromptlyAndTheHandlerNeverRuns() {
        ScriptedProvider provider = new ScriptedProvider(
                (turn, request) -> steps(call(0, "c1", "delete_file", "{\"path\":\"a.txt\"}"), toolCalls()));
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(delete)
                .approval(ApprovalPolicy.all())
                .build();
        ToolApprovals approvals = ToolApprovals.create();
        List<AgentEvent> events = new ArrayList<>();
        long start = System.nanoTime();
        EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals);
        try (stream) {
            for (AgentEvent e : stream) {
                events.add(e);
                if (e instanceof ApprovalRequested) stream.controller().cancel("the user left");
            }
        }

        assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> approvals.pending().isEmpty());
        assertFalse(approvals.decide("c1", true, ""), "the run is over");
        assertEquals(0, deletes.get());
        assertTrue(of(events, ApprovalDecided.class).isEmpty());
    }

    @Test
    void run_withAPolicyButNoMailbox_refused_andAMailboxServesOneRun() {
        ToolRunner runner = ToolRunner.builder(new ScriptedProvider((t, r) -> steps(stop())))
                .tool(delete)
                .approval(ApprovalPolicy.tools("delete_file"))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(REQUEST));
        assertTrue(e.getMessage().contains("run(request, controller, approvals)"), e.getMessage());

        ToolApprovals approvals = ToolApprovals.create();
        runner.run(REQUEST, StreamController.create(), approvals).close();
        assertThrows(IllegalStateException.class, () -> runner.run(REQUEST, StreamController.create(), approvals));
        assertThrows(
                IllegalArgumentException.class,
                () -> ToolRunner.builder(new ScriptedProvider((t, r) -> steps(stop())))
                        .approvalTimeout(Duration.ZERO));
    }

    @Test
    void policies_selectByNameSourceAndEither() {
        AgentTool mcp = new AgentTool(new Tool("echo", "", Map.of("type", "object")), (a, c) -> "", "everything");
        assertEquals("", delete.source());
        assertFalse(ApprovalPolicy.none().requiresApproval(delete));
        assertTrue(ApprovalPolicy.all().requiresApproval(delete));
        assertTrue(ApprovalPolicy.tools("delete_file").requiresApproval(delete));
        assertFalse(ApprovalPolicy.tools("delete_file").requiresApproval(mcp));
        assertTrue(ApprovalPolicy.sources("everything").requiresApproval(mcp));
        assertFalse(ApprovalPolicy.sources("everything").requiresApproval(delete));
        ApprovalPolicy either = ApprovalPolicy.tools("delete_file").or(ApprovalPolicy.sources("everything"));
        assertTrue(either.requiresApproval(delete) && either.requiresApproval(mcp));
        assertFalse(either.requiresApproval(list));
        assertFalse(ApprovalPolicy.none().or(ApprovalPolicy.none()).requiresApproval(delete));
    }

    /** {@return the events of a run whose model calls {@code tool} (named count) once with {@code {}}} */
    private static List<AgentEvent> callOnce(AgentTool tool) {
        ScriptedProvider provider = new ScriptedProvider((turn, request) ->
                turn == 1 ? steps(call(0, "c1", "count", "{}"), toolCalls()) : steps(text("ok"), stop()));
        try (EventStream<AgentEvent> stream =
                ToolRunner.builder(provider).tool(tool).build().run(REQUEST)) {
            return stream.stream().toList();
        }
    }

    @Test
    void progress_withTotal_percentDerivedAndBothCarried() {
        AgentTool counter = AgentTool.of("count", "", Map.of("type", "object"), (arguments, context) -> {
            context.progress("step 2", 2, 4.0);
            context.progress("unbounded", 7, null);
            return "done";
        });
        List<AgentEvent> events = callOnce(counter);
        List<ToolProgress> progress = of(events, ToolProgress.class);
        assertEquals(new ToolProgress(1, "c1", "count", "step 2", 50.0, 2.0, 4.0), progress.get(0));
        assertEquals(new ToolProgress(1, "c1", "count", "unbounded", null, 7.0, null), progress.get(1));
        assertNull(new ToolProgress(1, "c1", "count", "old form", 10.0).total());
    }

    @Test
    void progress_outOfRange_clearIllegalArgumentException() {
        assertEquals(
                "progress 5.0 is past the total 4.0: report a larger total, or none",
                assertThrows(IllegalArgumentException.class, () -> ToolExecution.percent(5, 4.0))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ToolExecution.percent(-1, 4.0));
        assertThrows(IllegalArgumentException.class, () -> ToolExecution.percent(Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> ToolExecution.percent(0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ToolExecution.percent(1, Double.POSITIVE_INFINITY));
        assertEquals(100.0, ToolExecution.percent(4, 4.0));
        assertEquals(0.0, ToolExecution.percent(-0.0, 4.0));
    }

    @Test
    void progress_pastTotalInAHandler_theHandlerFailsWithTheMessage() {
        AgentTool bad = AgentTool.of("count", "", Map.of("type", "object"), (arguments, context) -> {
            context.progress("overshoot", 5, 4.0);
            return "never";
        });
        List<AgentEvent> events = callOnce(bad);
        assertEquals(
                "progress 5.0 is past the total 4.0: report a larger total, or none",
                of(events, ToolFailed.class).getFirst().error());
    }

    @Test
    void progress_defaultMethodOfAnotherContext_reportsTheDerivedPercent() {
        List<String> seen = new ArrayList<>();
        ToolContext context = new ToolContext() {
            public String callId() {
                return "c";
            }

            public String toolName() {
                return "t";
            }

            public void progress(String message) {
                seen.add(message);
            }

            public void progress(String message, double percent) {
                seen.add(message + " " + percent);
            }

            public boolean isCancelled() {
                return false;
            }

            public java.util.Optional<java.time.Instant> deadline() {
                return java.util.Optional.empty();
            }

            public java.util.Optional<Duration> remaining() {
                return java.util.Optional.empty();
            }
        };
        context.progress("half", 1, 2.0);
        context.progress("some", 3, null);
        assertEquals(List.of("half 50.0", "some"), seen);
    }

    /**
     * A call that starts a task gives its handle to the run's mailbox listener, and to nothing
     * else: no event of the run holds it.
     */
    @Test
    void task_handleGoesToTheMailboxListenerOnlyNeverIntoAnEvent() {
        AgentTool research = AgentTool.of("research", "Researches", Map.of("type", "object"), (arguments, context) -> {
            context.task("task-secret-7");
            context.progress("Gathering sources");
            return "report";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) ->
                turn == 1 ? steps(call(0, "c1", "research", "{}"), toolCalls()) : steps(text("Done."), stop()));
        ToolRunner runner = ToolRunner.builder(provider).tool(research).build();
        List<String> handles = new ArrayList<>();
        ToolApprovals approvals = ToolApprovals.create()
                .onTask((callId, toolName, taskId) -> handles.add(callId + " " + toolName + " " + taskId));
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream = runner.run(REQUEST, StreamController.create(), approvals)) {
            stream.forEach(events::add);
        }
        assertEquals(List.of("c1 research task-secret-7"), handles);
        assertTrue(events.stream().noneMatch(e -> e.toString().contains("task-secret-7")), events.toString());
        assertEquals(1, of(events, ToolCompleted.class).size());
    }
}
