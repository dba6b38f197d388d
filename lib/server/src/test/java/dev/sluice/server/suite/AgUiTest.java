package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/ag-ui} with {@code @ag-ui/client}'s {@code HttpAgent}, which verifies the
 * events' order itself and applies them to its messages: one Node run ({@code ag-ui.mjs}) plays
 * every case; each test checks one case's outcome against what the fake model sent.
 */
class AgUiTest {
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static RelayServer server;
    private static NodeClients.Run run;
    private static final Map<String, Map<?, ?>> cases = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", TestTools.runner(anthropic, Duration.ofMillis(5)))
                .source("openai", "gpt-4o-mini", TestTools.runner(openai, Duration.ofMillis(5)))
                .build();
        RelayAdmission http = RelayAdmission.builder(relay).build();
        // the gateway's provider clients stream the runs that declare frontend tools
        server = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .provider("openai", openai)
                        .build())
                .start();
        fake.enqueue(
                FakeResponse.answer()
                        .thinking("Let me ", "look it up.")
                        .text("Checking ", "Paris.")
                        .toolCall("get_weather", "{\"city\":", "\"Paris\"}")
                        .usage(11, 7),
                FakeResponse.answer()
                        .text("Now ", "counting.")
                        .toolCall("count_slowly", "{\"n\":", "2}")
                        .usage(13, 5),
                FakeResponse.answer().text("It is ", "mild. ", "Counted to 2.").usage(17, 3),
                FakeResponse.answer().text("You're ", "welcome!").usage(19, 2),
                FakeResponse.answer()
                        .text("Some ", "words ", "then ", "nothing")
                        .errorAfter(2),
                FakeResponse.answer()
                        .text("I must ask first.")
                        .toolCall("ask_user", "{\"question\":", "\"Delete them?\"}")
                        .usage(23, 9),
                FakeResponse.answer().text("Deleted, ", "as you said.").usage(31, 4),
                FakeResponse.answer()
                        .toolCall("ask_user", "{\"question\":\"Delete them?\"}")
                        .usage(23, 9), // no text: the call's own message
                FakeResponse.answer().text("Deleted, ", "as you said.").usage(31, 4));
        Path restart = written(
                "switch.sse",
                new RelayEvent.Start("anthropic", "m"),
                new RelayEvent.Delta("Hello wor"),
                new RelayEvent.ToolCall("c1", "get_weather", "{\"ci"),
                new RelayEvent.Switch("anthropic:m", "openai:n", "overloaded", "restart", ""),
                new RelayEvent.Delta("Hi <there>\n"),
                new RelayEvent.Done("stop", 3, 2, 10L, 5));
        Path cancelled = written(
                "cancelled.sse",
                new RelayEvent.Start("anthropic", "m"),
                new RelayEvent.Thinking("hmm"),
                new RelayEvent.Cancelled("cancelled by the client"));
        run = NodeClients.run("ag-ui.mjs", 60, server.uri().toString(), restart.toString(), cancelled.toString());
        cases.putAll(run.cases());
    }

    /** {@return a file holding the AG-UI events of these relay events, as the relay writes them} */
    private static Path written(String name, RelayEvent... events) throws Exception {
        return NodeClients.written(name, out -> new AgUiWriter(out, "thread-file", "run-file"), events);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
        if (openai != null) openai.close();
        if (fake != null) fake.close();
    }

    private static Map<?, ?> c(String name) {
        Map<?, ?> c = cases.get(name);
        assertTrue(c != null, name + " missing from " + run.stdout() + run.stderr());
        return c;
    }

    private static List<?> events(String name, String runName) {
        Map<?, ?> r = (Map<?, ?>) c(name).get(runName);
        assertNull(r.get("error"), r.toString());
        return (List<?>) r.get("events");
    }

    private static List<String> types(List<?> events) {
        return events.stream().map(e -> (String) ((Map<?, ?>) e).get("type")).toList();
    }

    @Test
    void run_toolCallingTurns_everyEventInOrder() {
        List<?> events = events("conversation", "first");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "REASONING_START",
                        "REASONING_MESSAGE_START",
                        "REASONING_MESSAGE_CONTENT",
                        "REASONING_MESSAGE_CONTENT",
                        "REASONING_MESSAGE_END",
                        "REASONING_END",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "TOOL_CALL_START",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_END",
                        "TOOL_CALL_RESULT",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "TOOL_CALL_START",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_END",
                        "ACTIVITY_SNAPSHOT",
                        "ACTIVITY_DELTA",
                        "TOOL_CALL_RESULT",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "RUN_FINISHED"),
                types(events));
        Map<?, ?> started = (Map<?, ?>) events.get(0);
        assertEquals("thread-1", started.get("threadId"));
        assertEquals("run-1", started.get("runId"));
        Map<?, ?> snapshot = (Map<?, ?>) events.stream()
                .filter(e -> "ACTIVITY_SNAPSHOT".equals(((Map<?, ?>) e).get("type")))
                .findFirst()
                .orElseThrow();
        String callId =
                (String) ((Map<?, ?>) events.get(types(events).lastIndexOf("TOOL_CALL_START"))).get("toolCallId");
        assertEquals("tool-progress-" + callId, snapshot.get("messageId"));
        assertEquals("tool_progress", snapshot.get("activityType"));
        Map<?, ?> content = (Map<?, ?>) snapshot.get("content");
        assertEquals(callId, content.get("toolCallId"));
        assertEquals("counted 1 of 2", content.get("message"));
        assertEquals(50L, content.get("percent"));
        Map<?, ?> delta = (Map<?, ?>) events.stream()
                .filter(e -> "ACTIVITY_DELTA".equals(((Map<?, ?>) e).get("type")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(
                        Map.of("op", "replace", "path", "/message", "value", "counted 2 of 2"),
                        Map.of("op", "replace", "path", "/percent", "value", 100L)),
                delta.get("patch"));
        Map<?, ?> finished = (Map<?, ?>) events.getLast();
        assertEquals(Map.of("type", "success"), finished.get("outcome"));
        Map<?, ?> usage = (Map<?, ?>) ((List<?>) finished.get("usage")).getFirst();
        assertEquals(41L, usage.get("inputTokens"));
        assertEquals(15L, usage.get("outputTokens"));
    }

    @Test
    void run_toolProgress_oneActivityMessagePatchedInPlace() {
        List<?> messages = (List<?>) c("conversation").get("messages");
        List<Map<?, ?>> activities = messages.stream()
                .<Map<?, ?>>map(m -> (Map<?, ?>) m)
                .filter(m -> "activity".equals(m.get("role")))
                .toList();
        assertEquals(1, activities.size(), messages.toString());
        assertEquals("tool_progress", activities.getFirst().get("activityType"));
        Map<?, ?> content = (Map<?, ?>) activities.getFirst().get("content");
        assertEquals("counted 2 of 2", content.get("message"));
        assertEquals(100L, content.get("percent"));
    }

    @Test
    void run_toolCall_agentHoldsTheAssistantsCallAndTheToolsResult() {
        List<?> messages = (List<?>) c("conversation").get("messages");
        List<?> roles = messages.stream().map(m -> ((Map<?, ?>) m).get("role")).toList();
        assertTrue(roles.contains("tool"), roles.toString());
        Map<?, ?> weather = messages.stream()
                .map(m -> (Map<?, ?>) m)
                .filter(m ->
                        m.get("toolCalls") instanceof List<?> l && l.toString().contains("get_weather"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(messages.toString()));
        Map<?, ?> call = (Map<?, ?>) ((List<?>) weather.get("toolCalls")).getFirst();
        assertEquals("{\"city\":\"Paris\"}", ((Map<?, ?>) call.get("function")).get("arguments"));
        Map<?, ?> result = messages.stream()
                .map(m -> (Map<?, ?>) m)
                .filter(m -> call.get("id").equals(m.get("toolCallId")))
                .findFirst()
                .orElseThrow();
        assertEquals(TestTools.weatherIn("Paris"), result.get("content"));
    }

    @Test
    void run_followUp_historyAndContextReachTheModel() {
        List<?> events = events("conversation", "second");
        assertEquals("RUN_FINISHED", types(events).getLast());
        String text = events.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> "TEXT_MESSAGE_CONTENT".equals(e.get("type")))
                .map(e -> (String) e.get("delta"))
                .reduce("", String::concat);
        assertEquals("You're welcome!", text);
        String first = fake.requests().get(0).body();
        assertTrue(first.contains("units: metric"), "context goes to the system prompt: " + first);
        String followUp = fake.requests().get(3).body();
        assertTrue(followUp.contains("Thanks!") && followUp.contains("Checking Paris."), followUp);
    }

    @Test
    void run_modelFailsMidAnswer_runErrorAfterTheText() {
        Map<?, ?> failed = (Map<?, ?>) c("error").get("failed");
        List<String> types = types((List<?>) failed.get("events"));
        assertEquals("RUN_ERROR", types.getLast(), types.toString());
        assertTrue(types.contains("TEXT_MESSAGE_END"), "the open message was closed first: " + types);
        Map<?, ?> error = (Map<?, ?>) ((List<?>) failed.get("events")).getLast();
        assertEquals("overloaded_error", error.get("code"));
        assertEquals("Overloaded", error.get("message"));
    }

    @Test
    void switch_restart_customEventThenTheNewAnswer() {
        Map<?, ?> result = (Map<?, ?>) c("switch.sse").get("result");
        assertNull(result.get("error"), result.toString());
        List<?> events = (List<?>) result.get("events");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "TOOL_CALL_START",
                        "TOOL_CALL_ARGS",
                        "TOOL_CALL_END",
                        "CUSTOM",
                        "TEXT_MESSAGE_START",
                        "TEXT_MESSAGE_CONTENT",
                        "TEXT_MESSAGE_END",
                        "RUN_FINISHED"),
                types(events));
        Map<?, ?> custom = (Map<?, ?>) events.get(7);
        assertEquals("switch", custom.get("name"));
        assertEquals("restart", ((Map<?, ?>) custom.get("value")).get("mode"));
        assertEquals("Hi <there>\n", ((Map<?, ?>) events.get(9)).get("delta"));
    }

    @Test
    void cancelled_runFinishedWithTheCancelledOutcome() {
        Map<?, ?> result = (Map<?, ?>) c("cancelled.sse").get("result");
        assertNull(result.get("error"), result.toString());
        List<?> events = (List<?>) result.get("events");
        assertEquals(
                List.of(
                        "RUN_STARTED",
                        "REASONING_START",
                        "REASONING_MESSAGE_START",
                        "REASONING_MESSAGE_CONTENT",
                        "REASONING_MESSAGE_END",
                        "REASONING_END",
                        "RUN_FINISHED"),
                types(events));
        assertEquals(Map.of("type", "cancelled"), ((Map<?, ?>) events.getLast()).get("outcome"));
    }

    @Test
    void frontendTool_runEndsWithTheCallPendingAndTheAgentHoldsIt() {
        for (String provider : List.of("anthropic", "openai")) {
            List<?> events = events("tools-" + provider, "first");
            List<String> types = types(events);
            assertEquals(
                    List.of("TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "RUN_FINISHED"),
                    types.subList(types.indexOf("TOOL_CALL_START"), types.size()).stream()
                            .distinct()
                            .toList(),
                    provider + types);
            assertTrue(!types.contains("TOOL_CALL_RESULT"), "the server runs no tool: " + types);
            Map<?, ?> start = (Map<?, ?>) events.stream()
                    .filter(e -> "TOOL_CALL_START".equals(((Map<?, ?>) e).get("type")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("ask_user", start.get("toolCallName"));
            String id = (String) start.get("toolCallId");
            Map<?, ?> outcome = (Map<?, ?>) ((Map<?, ?>) events.getLast()).get("outcome");
            assertEquals(Map.of("type", "success", "pendingToolCallIds", List.of(id)), outcome);
            List<?> messages = (List<?>) c("tools-" + provider).get("afterFirst");
            Map<?, ?> assistant = (Map<?, ?>) messages.getLast();
            assertEquals("assistant", assistant.get("role"));
            Map<?, ?> call = (Map<?, ?>) ((List<?>) assistant.get("toolCalls")).getFirst();
            assertEquals(id, call.get("id"));
            assertEquals(
                    Map.of("name", "ask_user", "arguments", "{\"question\":\"Delete them?\"}"), call.get("function"));
        }
        String anthropicText = ((Map<?, ?>) ((List<?>) c("tools-anthropic").get("afterFirst")).getLast())
                .get("content")
                .toString();
        assertEquals("I must ask first.", anthropicText, "the call joins the text's message (its parent)");
    }

    @Test
    void frontendTool_nextRunSendsTheCallAndTheResultInTheProvidersShape() {
        for (String provider : List.of("anthropic", "openai")) {
            List<?> events = events("tools-" + provider, "second");
            String text = events.stream()
                    .map(e -> (Map<?, ?>) e)
                    .filter(e -> "TEXT_MESSAGE_CONTENT".equals(e.get("type")))
                    .map(e -> (String) e.get("delta"))
                    .reduce("", String::concat);
            assertEquals("Deleted, as you said.", text);
            assertEquals(Map.of("type", "success"), ((Map<?, ?>) events.getLast()).get("outcome"));
        }
        String id = (String) ((Map<?, ?>) ((List<?>)
                                ((Map<?, ?>) ((List<?>) c("tools-anthropic").get("afterFirst")).getLast())
                                        .get("toolCalls"))
                        .getFirst())
                .get("id");
        Map<?, ?> anthropicBody = upstream("yes, delete them (anthropic)");
        List<?> messages = (List<?>) anthropicBody.get("messages");
        assertEquals(3, messages.size(), messages.toString());
        Map<?, ?> toolUse = (Map<?, ?>) ((List<?>) ((Map<?, ?>) messages.get(1)).get("content"))
                .stream()
                        .filter(b -> "tool_use".equals(((Map<?, ?>) b).get("type")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(messages.toString()));
        assertEquals(id, toolUse.get("id"));
        assertEquals(Map.of("question", "Delete them?"), toolUse.get("input"));
        Map<?, ?> toolResult = (Map<?, ?>) ((List<?>) ((Map<?, ?>) messages.get(2)).get("content")).getFirst();
        assertEquals("tool_result", toolResult.get("type"));
        assertEquals(id, toolResult.get("tool_use_id"));
        assertTrue(toolResult.toString().contains("yes, delete them (anthropic)"), toolResult.toString());
        assertEquals(List.of("ask_user"), toolNames(anthropicBody, "name"));

        String openAiId = (String) ((Map<?, ?>) ((List<?>)
                                ((Map<?, ?>) ((List<?>) c("tools-openai").get("afterFirst")).getLast())
                                        .get("toolCalls"))
                        .getFirst())
                .get("id");
        Map<?, ?> openAiBody = upstream("yes, delete them (openai)");
        List<?> openAiMessages = (List<?>) openAiBody.get("messages");
        Map<?, ?> assistant = (Map<?, ?>) openAiMessages.get(openAiMessages.size() - 2);
        assertEquals("assistant", assistant.get("role"));
        Map<?, ?> call = (Map<?, ?>) ((List<?>) assistant.get("tool_calls")).getFirst();
        assertEquals(openAiId, call.get("id"));
        assertEquals("ask_user", ((Map<?, ?>) call.get("function")).get("name"));
        Map<?, ?> tool = (Map<?, ?>) openAiMessages.getLast();
        assertEquals("tool", tool.get("role"));
        assertEquals(openAiId, tool.get("tool_call_id"));
        assertEquals("yes, delete them (openai)", tool.get("content"));
        assertEquals(List.of("ask_user"), toolNames(openAiBody, "function"));
    }

    /** {@return the body of the one upstream request that carries this text} */
    private static Map<?, ?> upstream(String text) {
        List<String> bodies = fake.requests().stream()
                .map(r -> r.body())
                .filter(b -> b.contains(text))
                .toList();
        assertEquals(1, bodies.size(), text + " in " + bodies);
        return (Map<?, ?>) PartialJson.parse(bodies.getFirst()).value();
    }

    /** {@return the names of the tools a request offered the model (Anthropic's {@code name}, OpenAI's {@code function.name})} */
    private static List<?> toolNames(Map<?, ?> body, String member) {
        return ((List<?>) body.get("tools"))
                .stream()
                        .map(t -> ((Map<?, ?>) t).get(member))
                        .map(v -> v instanceof Map<?, ?> f ? f.get("name") : v)
                        .toList();
    }
}
