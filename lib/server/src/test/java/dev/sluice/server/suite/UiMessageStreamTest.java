package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/chat} and {@code GET /api/chat/ID/stream} with the Vercel AI SDK's own chat
 * ({@code AbstractChat}, what {@code useChat} runs, over {@code DefaultChatTransport}, which checks
 * every chunk against the SDK's schema): one Node run ({@code ui-chat.mjs}) plays every case, each
 * chat in a "browser" that keeps the cookie binding chats to it; each test checks one case's
 * outcome against what the fake model sent.
 */
class UiMessageStreamTest {
    private static final List<String> OCEAN =
            IntStream.range(0, 40).mapToObj(i -> "wave" + i + " ").toList();
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
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
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", TestTools.runner(anthropic, Duration.ofMillis(5)))
                .build();
        server = RelayServer.start(relay, "127.0.0.1", 0);
        // the conversation: three turns (thinking, text, a tool; text, a tool with progress; text), then a follow-up
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
                FakeResponse.answer()
                        .text("It is ", TestTools.weatherIn("Paris") + ". ", "Counted to 2.")
                        .usage(17, 3),
                FakeResponse.answer().text("You're ", "welcome!").usage(19, 2));
        // the resumed stream: long enough to be cut and resumed while it runs
        fake.enqueue(
                FakeResponse.answer().text(OCEAN.toArray(String[]::new)).paced(Duration.ZERO, Duration.ofMillis(40)));
        // the failure after some text
        fake.enqueue(FakeResponse.answer()
                .text("Some ", "words ", "then ", "nothing")
                .errorAfter(2));
        Path restart = written(
                "restart.sse",
                new RelayEvent.Start("anthropic", "m"),
                new RelayEvent.Thinking("Hmm"),
                new RelayEvent.Delta("Hello wor"),
                new RelayEvent.ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"),
                new RelayEvent.ToolStarted("c1", "get_weather"),
                new RelayEvent.ToolProgress("c1", "asking", 10.0),
                new RelayEvent.Switch("anthropic:m", "openai:n", "overloaded", "restart", ""),
                new RelayEvent.Delta("Hi <there>\n"),
                new RelayEvent.ToolDone("c1", "late: its step was dropped"),
                new RelayEvent.Done("stop", 3, 2, 10L, 5));
        Path cancelled = written(
                "cancelled.sse",
                new RelayEvent.Start("anthropic", "m"),
                new RelayEvent.Delta("partial"),
                new RelayEvent.Cancelled("cancelled by the client"));
        run = NodeClients.run("ui-chat.mjs", 60, server.uri().toString(), restart.toString(), cancelled.toString());
        cases.putAll(run.cases());
    }

    /** {@return a file holding the UI message stream of these relay events, as the relay writes it} */
    private static Path written(String name, RelayEvent... events) throws Exception {
        return NodeClients.written(name, out -> new UiMessageStreamWriter(out, "msg-1"), events);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
        if (fake != null) fake.close();
    }

    private static List<?> messages(String name) {
        Map<?, ?> c = cases.get(name);
        assertTrue(c != null, name + " missing from " + run.stdout() + run.stderr());
        return (List<?>) c.get("messages");
    }

    private static List<?> parts(Object message) {
        return (List<?>) ((Map<?, ?>) message).get("parts");
    }

    private static List<String> types(List<?> parts) {
        return parts.stream().map(p -> (String) ((Map<?, ?>) p).get("type")).toList();
    }

    private static Map<?, ?> part(List<?> parts, String type, int nth) {
        List<Map<?, ?>> of = new ArrayList<>();
        for (Object p : parts) if (type.equals(((Map<?, ?>) p).get("type"))) of.add((Map<?, ?>) p);
        return of.get(nth);
    }

    @Test
    void chat_toolCallingTurns_assistantMessageHasEveryPartAsSent() {
        List<?> messages = messages("conversation");
        assertEquals(
                List.of("user", "assistant", "user", "assistant"),
                messages.stream().map(m -> ((Map<?, ?>) m).get("role")).toList());
        List<?> parts = parts(messages.get(1));
        assertEquals(
                List.of(
                        "step-start",
                        "reasoning",
                        "text",
                        "tool-get_weather",
                        "step-start",
                        "text",
                        "tool-count_slowly",
                        "data-tool-progress",
                        "step-start",
                        "text"),
                types(parts),
                parts.toString());
        assertEquals("Let me look it up.", part(parts, "reasoning", 0).get("text"));
        assertEquals("Checking Paris.", part(parts, "text", 0).get("text"));
        assertEquals("Now counting.", part(parts, "text", 1).get("text"));
        assertEquals(
                "It is " + TestTools.weatherIn("Paris") + ". Counted to 2.",
                part(parts, "text", 2).get("text"));
        Map<?, ?> weather = part(parts, "tool-get_weather", 0);
        assertEquals("output-available", weather.get("state"));
        assertEquals(Map.of("city", "Paris"), weather.get("input"));
        assertEquals(TestTools.weatherIn("Paris"), weather.get("output"));
        Map<?, ?> count = part(parts, "tool-count_slowly", 0);
        assertEquals("output-available", count.get("state"));
        assertEquals(Map.of("n", 2L), count.get("input"));
        assertEquals("{\"counted\":2}", count.get("output"));
        for (Object p : parts) {
            if (((Map<?, ?>) p).get("state") instanceof String s && !s.startsWith("output"))
                assertEquals("done", s, p.toString());
        }
    }

    @Test
    void chat_toolProgress_oneDataPartUpdatedInPlaceWithTheLastReport() {
        List<?> parts = parts(messages("conversation").get(1));
        Map<?, ?> progress = part(parts, "data-tool-progress", 0);
        String callId = (String) part(parts, "tool-count_slowly", 0).get("toolCallId");
        assertEquals(callId, progress.get("id"));
        Map<String, Object> expected =
                new HashMap<>(Map.of("toolCallId", callId, "message", "counted 2 of 2", "percent", 100L));
        expected.put("progress", null); // a percent only: the tool said neither how far of how much
        expected.put("total", null);
        assertEquals(expected, progress.get("data"));
        List<?> seen = (List<?>) cases.get("conversation").get("dataChunks");
        assertEquals(2, seen.size(), "each report reached onData: " + seen);
    }

    @Test
    void chat_finish_usageOfEveryTurnInMetadata() {
        Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) messages("conversation").get(1)).get("metadata");
        assertEquals(Map.of("inputTokens", 41L, "outputTokens", 15L, "totalTokens", 56L), metadata.get("usage"));
        assertEquals("anthropic", metadata.get("provider"));
        assertEquals("claude-sonnet-4-5", metadata.get("model"));
        assertEquals("ready", cases.get("conversation").get("status"));
    }

    @Test
    void chat_followUp_sendsTheHistoryAsText() throws Exception {
        List<?> messages = messages("conversation");
        assertEquals("You're welcome!", part(parts(messages.get(3)), "text", 0).get("text"));
        String followUp = fake.requests().get(3).body();
        assertTrue(followUp.contains("Thanks!"), followUp);
        assertTrue(
                followUp.contains("Checking Paris."),
                "the assistant's earlier text goes with the history: " + followUp);
    }

    @Test
    void resume_streamCutMidway_resumedChatHasTheWholeAnswer() {
        Map<?, ?> c = cases.get("resume");
        List<?> messages = messages("resume");
        assertEquals(2, messages.size(), messages.toString());
        List<?> beforeCut = (List<?>) c.get("beforeCut");
        assertEquals(6, beforeCut.size(), "the first request read part of the stream: " + beforeCut);
        List<?> parts = parts(messages.get(1));
        assertEquals(List.of("step-start", "text"), types(parts));
        assertEquals(String.join("", OCEAN), part(parts, "text", 0).get("text"), "nothing lost, nothing twice");
        assertEquals("ready", c.get("status"));
    }

    @Test
    void resume_anotherBrowserAsksForTheRunningChat_getsNothingAndTheChatStaysAsItWas() {
        List<?> messages = messages("stranger-resume");
        assertEquals(1, messages.size(), "the user's message only: " + messages);
        assertEquals("user", ((Map<?, ?>) messages.getFirst()).get("role"));
        assertEquals("ready", cases.get("stranger-resume").get("status"));
        assertEquals(null, cases.get("stranger-resume").get("error"));
    }

    @Test
    void resume_chatRunsNothing_204AndTheChatStaysAsItWas() {
        assertEquals(List.of(), messages("nothing-to-resume"));
        assertEquals("ready", cases.get("nothing-to-resume").get("status"));
    }

    @Test
    void chat_modelFailsMidAnswer_errorShownAndTextKept() {
        Map<?, ?> c = cases.get("error");
        assertEquals("error", c.get("status"));
        assertTrue(((String) c.get("error")).toLowerCase(java.util.Locale.ROOT).contains("overload"), c.toString());
        List<?> parts = parts(messages("error").get(1));
        assertEquals("Some words ", part(parts, "text", 0).get("text"));
    }

    @Test
    void switch_restart_resetStepDropsThePartialAndTheNewAnswerTakesItsPlace() {
        List<?> parts = parts(messages("restart.sse").get(1));
        assertEquals(List.of("step-start", "text"), types(parts), parts.toString());
        assertEquals("Hi <there>\n", part(parts, "text", 0).get("text"));
        assertEquals("ready", cases.get("restart.sse").get("status"));
    }

    @Test
    void cancelled_abortChunk_chatKeepsTheTextAndEndsWithoutError() {
        List<?> parts = parts(messages("cancelled.sse").get(1));
        assertEquals("partial", part(parts, "text", 0).get("text"));
        assertEquals("ready", cases.get("cancelled.sse").get("status"), "the abort chunk passed the SDK's schema");
        assertEquals(
                List.of(Map.of("finish", Map.of("isAbort", false, "isError", false))),
                cases.get("cancelled.sse").get("finish"));
    }
}
