package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.Content;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.gemini.GenerateContentAccumulator;
import dev.sluice.gemini.GenerateContentRequest;
import dev.sluice.gemini.GenerateContentResponse;
import dev.sluice.gemini.GenerationConfig;
import dev.sluice.gemini.Part;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake server's Gemini endpoint, driven by the library's GeminiClient over loopback. */
class FakeLlmServerGeminiTest {
    private static FakeLlmServer server;
    private static GeminiClient client;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start();
        client = GeminiClient.builder()
                .apiKey("fake-key")
                .baseUrl(server.baseUrl().toString())
                .retryPolicy(
                        new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(5), 2, 0, Duration.ofSeconds(2)))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static ChatRequest chat(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("Tell me about the sea"))
                .maxTokens(400)
                .build();
    }

    @Test
    void stream_text_completesWithStopAndUsage() {
        StringBuilder text = new StringBuilder();
        List<MessageChunk> chunks = new ArrayList<>();
        try (EventStream<MessageChunk> s = client.stream(chat("gemini-3.8-flash"))) {
            s.forEach(c -> {
                chunks.add(c);
                text.append(c.text());
            });
        }
        assertFalse(text.isEmpty());
        MessageChunk last = chunks.get(chunks.size() - 1);
        assertEquals(FinishReason.Kind.STOP, last.finishReason().kind());
        assertEquals("gemini-3.8-flash", last.metadata().model());
        assertTrue(last.usage().outputTokens() > 0);
        assertTrue(chunks.size() > 2, "streamed in several chunks");
    }

    @Test
    void chat_withTool_callsItWholeWithToolCallsFinish() {
        ChatRequest request = ChatRequest.builder()
                .model("gemini-3.8-flash")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(new Tool(
                        "get_weather",
                        "Weather",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("location", Map.of("type", "string")),
                                "required",
                                List.of("location"))))
                .build();
        ChatResponse r = client.chat(request);
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        assertEquals("STOP", r.finishReason().raw());
        assertEquals(1, r.toolCalls().size());
        assertEquals("get_weather", r.toolCalls().get(0).name());
        assertTrue(r.toolCalls().get(0).argumentsValid());
        assertTrue(((Map<?, ?>) r.toolCalls().get(0).parsedArguments()).containsKey("location"));

        ChatRequest followUp = ChatRequest.builder()
                .model("gemini-3.8-flash")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(request.tools().get(0))
                .addMessage(ChatMessage.assistant(r))
                .addMessage(ChatMessage.toolResults(List.of(
                        dev.sluice.chat.ToolResult.of(r.toolCalls().get(0).id(), "{\"temp\":20}"))))
                .build();
        ChatResponse answer = client.chat(followUp);
        assertEquals(FinishReason.Kind.STOP, answer.finishReason().kind());
        assertTrue(answer.toolCalls().isEmpty());
    }

    @Test
    void streamGenerateContent_thoughts_streamedAsThoughtParts() {
        GenerateContentRequest request = GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("Why is the sky blue?")))
                .generationConfig(GenerationConfig.builder()
                        .includeThoughts(true)
                        .maxOutputTokens(4000)
                        .build())
                .build();
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        try (EventStream<GenerateContentResponse> s = client.streamGenerateContent("gemini-3.1-pro", request)) {
            s.forEach(acc::accept);
        }
        assertFalse(acc.snapshot().candidates().get(0).thoughts().isEmpty());
        assertFalse(acc.snapshot().text().isEmpty());
        assertTrue(acc.isComplete());
    }

    @Test
    void faults_byModelName_mappedToGeminiErrors() {
        ApiException overloaded = assertThrows(ApiException.class, () -> client.stream(chat("fake-overloaded")));
        assertEquals(503, overloaded.statusCode());
        assertEquals("UNAVAILABLE", overloaded.errorType());
        ApiException limited = assertThrows(ApiException.class, () -> client.stream(chat("fake-rate-limited")));
        assertEquals(429, limited.statusCode());
        assertEquals("RESOURCE_EXHAUSTED", limited.errorType());
        assertEquals(
                FinishReason.Kind.STOP,
                client.chat(chat("fake-flaky-1")).finishReason().kind());
        ApiException unknown = assertThrows(ApiException.class, () -> client.stream(chat("fake-nonsense")));
        assertEquals("NOT_FOUND", unknown.errorType());
    }

    @Test
    void faults_midStream_errorObjectOrCutBodyAfterContent() {
        StringBuilder text = new StringBuilder();
        try (EventStream<MessageChunk> s = client.stream(chat("fake-error-mid-stream"))) {
            ApiException e = assertThrows(ApiException.class, () -> s.forEach(c -> text.append(c.text())));
            assertEquals("UNAVAILABLE", e.errorType());
            assertTrue(e.inStream());
        }
        assertFalse(text.isEmpty());
        try (EventStream<MessageChunk> s = client.stream(chat("fake-drop"))) {
            SluiceException e = assertThrows(SluiceException.class, () -> s.forEach(c -> {}));
            assertTrue(
                    e instanceof dev.sluice.TransportException || e instanceof dev.sluice.IncompleteStreamException,
                    e.toString());
            assertTrue(e.partial(ChatResponse.class).isPresent());
        }
    }
}
