package dev.sluice.agent;

import static dev.sluice.agent.ScriptedProvider.call;
import static dev.sluice.agent.ScriptedProvider.steps;
import static dev.sluice.agent.ScriptedProvider.stop;
import static dev.sluice.agent.ScriptedProvider.text;
import static dev.sluice.agent.ScriptedProvider.toolCalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A run that stops while a call's task works goes on elsewhere from its turn's checkpoint
 * ({@link ToolRunner#resume}): the task followed from its handle, the ended call's result kept, a
 * call that was lost failed, every result sent back to the model in the calls' order, and the turns
 * go on; the run's end counts the tokens of the turns before the checkpoint too.
 */
class ToolRunnerResumeTest {
    private static final Map<String, Object> OBJECT = Map.of("type", "object");
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("m")
            .system("be brief")
            .addMessage(ChatMessage.user("Migrate the database."))
            .build();

    /** A tool whose call starts a task and waits for the run's end; followed elsewhere, the task ends with a result. */
    private static final AgentTool MIGRATE = AgentTool.of("migrate", "", OBJECT, new ToolHandler() {
        @Override
        public String call(Map<String, Object> arguments, ToolContext context) throws Exception {
            context.task("task-7");
            new CountDownLatch(1).await(); // until the run stops: the call's thread is interrupted
            throw new IllegalStateException("never counted down");
        }

        @Override
        public String follow(String taskId, ToolContext context) {
            context.progress("Rebuilding indexes");
            return "migrated 42 tables (" + taskId + ")";
        }
    });

    private static final AgentTool LS = AgentTool.of("ls", "", OBJECT, (arguments, context) -> "a b c");

    private static List<AgentEvent> drain(EventStream<AgentEvent> events) {
        List<AgentEvent> all = new ArrayList<>();
        try (events) {
            for (AgentEvent e : events) all.add(e);
        }
        return all;
    }

    @Test
    void resume_checkpointOfATurnWhoseTaskWorks_followsTheTaskSendsEveryResultBackAndTheRunGoesOn() {
        ScriptedProvider first = new ScriptedProvider((turn, request) -> steps(
                text("Migrating."),
                call(0, "c1", "migrate", "{\"to\":\"v2\"}"),
                call(1, "c2", "ls", "{}"),
                call(2, "c3", "ls", "{}"),
                toolCalls()));
        List<TurnCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
        List<String> handles = new CopyOnWriteArrayList<>();
        ToolApprovals approvals = ToolApprovals.create().onTask(new ToolApprovals.TaskListener() {
            @Override
            public void started(String callId, String toolName, String taskId) {
                handles.add(callId + " " + toolName + " " + taskId);
            }

            @Override
            public void calledTools(TurnCheckpoint checkpoint) {
                checkpoints.add(checkpoint);
            }
        });
        ToolRunner here = ToolRunner.builder(first).tool(MIGRATE).tool(LS).build();
        try (EventStream<AgentEvent> run = here.run(REQUEST, StreamController.create(), approvals)) {
            await().until(() -> handles.size() == 1 && checkpoints.size() == 1);
            run.controller().cancel("the node stopped");
        }
        assertEquals(List.of("c1 migrate task-7"), handles);
        TurnCheckpoint checkpoint = checkpoints.getFirst();
        assertEquals(1, checkpoint.turn());
        assertEquals(
                List.of("c1", "c2", "c3"),
                checkpoint.calls().stream().map(ToolCall::id).toList());
        assertEquals(List.of(), checkpoint.request().tools(), "the runner's tools are not the request's own");
        assertEquals("be brief", checkpoint.request().system());
        assertEquals(Usage.of(10, 5), checkpoint.usage(), "the tokens of the turn that called the tools");

        ScriptedProvider second =
                new ScriptedProvider((turn, request) -> steps(text("Done: 42 tables migrated."), stop()));
        List<AgentEvent> events = drain(ToolRunner.builder(second)
                .tool(MIGRATE)
                .tool(LS)
                .build()
                .resume(
                        checkpoint,
                        Map.of("c1", "task-7"),
                        Map.of("c2", ToolResult.of("c2", "a b c")),
                        StreamController.create(),
                        ToolApprovals.create()));

        List<String> types = events.stream()
                .filter(e -> !(e instanceof AgentEvent.ModelChunk))
                .map(AgentEvent::type)
                .toList();
        assertEquals(
                List.of(
                        "tool_failed",
                        "tool_started",
                        "tool_progress",
                        "tool_done",
                        "turn_started",
                        "turn_ended",
                        "run_finished"),
                types);
        AgentEvent.ToolStarted started = events.stream()
                .filter(AgentEvent.ToolStarted.class::isInstance)
                .map(AgentEvent.ToolStarted.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals("{\"to\":\"v2\"}", started.arguments());
        AgentEvent.ToolFailed lost = events.stream()
                .filter(AgentEvent.ToolFailed.class::isInstance)
                .map(AgentEvent.ToolFailed.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals("c3", lost.id());
        assertTrue(lost.error().contains("lost"), lost.error());

        ChatRequest sent = second.requests.getFirst();
        assertEquals(3, sent.messages().size(), sent.messages().toString());
        assertEquals(checkpoint.request().messages().getLast(), sent.messages().get(1));
        List<ToolResult> results = sent.messages().getLast().toolResults();
        assertEquals(
                List.of("c1", "c2", "c3"),
                results.stream().map(ToolResult::toolCallId).toList());
        assertEquals("migrated 42 tables (task-7)", results.get(0).content());
        assertEquals(ToolResult.of("c2", "a b c"), results.get(1));
        assertTrue(results.get(2).isError());
        assertEquals(
                List.of("migrate", "ls"),
                sent.tools().stream().map(t -> t.name()).toList());
        AgentEvent.RunFinished end = (AgentEvent.RunFinished) events.getLast();
        assertEquals(2, end.turns());
        assertEquals("Done: 42 tables migrated.", end.text());
        assertEquals(Usage.of(10 + 20, 5 + 7), end.usage(), "the whole run's: the checkpoint's turn and this one");
    }
}
