package dev.sluice.anthropic;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.internal.low.json.Json;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import dev.sluice.vertex.VertexTesting;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Claude on Vertex AI ({@code vertex-anthropic}), end to end against the test kit's fake Vertex AI over loopback sockets. */
class AnthropicVertexTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    @TempDir
    Path dir;

    private static final String MODEL = "claude-sonnet-4-5@20250929";
    private static final String MODELS =
            "/v1/projects/" + FakeVertex.PROJECT + "/locations/us-east5/publishers/anthropic/models/";

    private AnthropicClient.Builder client(String token) {
        return AnthropicClient.builder()
                .vertex(VertexAccess.builder()
                        .project(FakeVertex.PROJECT)
                        .location("us-east5")
                        .endpoint(server.baseUrl().toString())
                        .tokenProvider(() -> new AccessTokenProvider.Token(
                                token, Instant.now().plusSeconds(3600)))
                        .build());
    }

    private static MessageRequest request(String model) {
        return MessageRequest.builder()
                .model(model)
                .maxTokens(256)
                .addUserMessage("How do tides work?")
                .build();
    }

    @Test
    void stream_serviceAccountKey_streamRawPredictWithVertexBody() {
        String text;
        try (AnthropicClient claude = AnthropicClient.builder()
                        .beta("context-1m-2025-08-07")
                        .vertex(VertexTesting.serviceAccount(server, dir, "us-east5"))
                        .build();
                MessageStream stream = claude.messages().stream(request(MODEL))) {
            text = stream.result().text();
            assertTrue(stream.requestId().isPresent());
        }
        assertFalse(text.isBlank());
        assertEquals(FakeVertex.TOKEN_PATH, server.takeRequest().path());
        RecordedRequest sent = server.takeRequest();
        assertEquals(MODELS + MODEL + ":streamRawPredict", sent.target());
        assertEquals("Bearer " + FakeVertex.ACCESS_TOKEN, sent.header("authorization"));
        assertNull(sent.header("x-api-key"));
        assertNull(sent.header("anthropic-version"));
        assertEquals("context-1m-2025-08-07", sent.header("anthropic-beta"));
        assertTrue(sent.body().startsWith("{\"anthropic_version\":\"vertex-2023-10-16\","), sent.body());
        assertNull(sent.json("/model"));
        assertEquals(true, sent.json("/stream"));
        assertEquals(256, sent.json("/max_tokens"));
    }

    @Test
    void create_rawPredictWithoutStream() {
        Message message;
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN).build()) {
            message = claude.messages().create(request(MODEL));
        }
        assertFalse(message.text().isBlank());
        RecordedRequest sent = server.takeRequest();
        assertEquals(MODELS + MODEL + ":rawPredict", sent.target());
        assertNull(sent.json("/stream"));
        assertNull(sent.json("/model"));
    }

    @Test
    void countTokens_vertexCountTokensEndpointWithTheModelInTheBody() {
        long tokens;
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN).build()) {
            tokens = claude.messages().countTokens(request(MODEL));
        }
        assertTrue(tokens > 0);
        RecordedRequest sent = server.takeRequest();
        assertEquals(MODELS + "count-tokens:rawPredict", sent.target());
        assertEquals(MODEL, sent.json("/model"));
        assertEquals("vertex-2023-10-16", sent.json("/anthropic_version"));
    }

    @Test
    void chat_tools_toolUseFromTheFake() {
        ChatResponse r;
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN).build()) {
            r = claude.chat(ChatRequest.builder()
                    .model(MODEL)
                    .addTool(WEATHER)
                    .addMessage(ChatMessage.user("What is the weather in Paris? Use the get_weather tool."))
                    .build());
        }
        assertEquals("get_weather", r.toolCalls().getFirst().name());
        assertEquals("get_weather", server.takeRequest().json("/tools/0/name"));
    }

    @Test
    void chat_structuredOutput_jsonOfTheSchema() throws Exception {
        ChatResponse r;
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN).build()) {
            r = claude.chat(ChatRequest.builder()
                    .model("claude-sonnet-4-5")
                    .responseFormat(RECIPE)
                    .addMessage(ChatMessage.user("A soup recipe, please"))
                    .build());
        }
        assertEquals("json_schema", server.takeRequest().json("/output_config/format/type"));
        Object parsed = Json.readValue(r.text());
        assertTrue(parsed instanceof Map<?, ?> m && m.get("title") instanceof String, r.text());
    }

    @Test
    void stream_connectionDroppedAfterText_resumedWithThePrefillThroughVertex() {
        Message message;
        Resumes resumes;
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN)
                        .resume(ResumePolicy.upTo(1))
                        .build();
                MessageStream stream = claude.messages().stream(request("fake-drop"))) {
            message = stream.result();
            resumes = stream.resumes();
        }
        assertEquals(1, resumes.count());
        assertEquals("end_turn", message.stopReason());
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals(MODELS + "fake-drop:streamRawPredict", first.target());
        assertEquals(MODELS + "fake-drop:streamRawPredict", second.target());
        assertEquals("assistant", second.json("/messages/1/role"));
        Object prefill = second.json("/messages/1/content");
        String prefillText =
                prefill instanceof String s ? s : String.valueOf(second.json("/messages/1/content/0/text"));
        assertFalse(prefillText.isBlank());
        assertTrue(message.text().startsWith(prefillText.strip()), message.text() + " / " + prefillText);
        assertEquals("Bearer " + FakeVertex.ACCESS_TOKEN, second.header("authorization"));
        assertTrue(second.body().startsWith("{\"anthropic_version\":\"vertex-2023-10-16\","), second.body());
    }

    @Test
    void stream_tokenTheFakeDidNotIssue_401UnauthenticatedWithTheRequestId() {
        try (AnthropicClient claude = client("ya29.revoked").build()) {
            ApiException e = assertThrows(ApiException.class, () -> claude.messages().stream(request(MODEL)));
            assertEquals(401, e.statusCode());
            assertEquals("UNAUTHENTICATED", e.errorType());
            assertTrue(e.requestId().orElse("").startsWith("req_"), e.toString());
            assertFalse(e.getMessage().contains("ya29.revoked"), e.getMessage());
        }
    }

    @Test
    void stream_observers_seeTheProviderVertexAnthropic() {
        List<StreamStart> starts = new CopyOnWriteArrayList<>();
        StreamObserver recorder = start -> {
            starts.add(start);
            return StreamObserver.Observation.NONE;
        };
        try (AnthropicClient claude =
                client(FakeVertex.ACCESS_TOKEN).observer(recorder).build()) {
            claude.chat(ChatRequest.builder()
                    .model(MODEL)
                    .addMessage(ChatMessage.user("Hello"))
                    .build());
            assertTrue(
                    claude.toString().contains("vertex=VertexAccess[project=" + FakeVertex.PROJECT), claude.toString());
        }
        assertEquals("vertex-anthropic", starts.getFirst().provider());
        assertEquals(
                "gcp.vertex_ai",
                dev.sluice.providers.ProviderCatalog.genAiProviderName(
                        starts.getFirst().provider()));
        assertEquals("chat", starts.getFirst().operation());
    }

    @Test
    void chat_toolTurnWithThinking_stateNamedForVertexAcceptedByTheStrictFakeAnAlteredOneRefused() {
        dev.sluice.chat.Tool weather = new dev.sluice.chat.Tool("get_weather", "Weather", Map.of("type", "object"));
        long before = server.opaqueRejections();
        try (AnthropicClient claude = client(FakeVertex.ACCESS_TOKEN).build()) {
            ChatRequest.Builder first = ChatRequest.builder()
                    .model(MODEL)
                    .maxTokens(4096)
                    .thinkingBudget(1024)
                    .addTool(weather)
                    .addMessage(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"));
            ChatResponse r = claude.chat(first.build());
            assertEquals("vertex-anthropic", r.providerState().provider());
            ChatMessage results = ChatMessage.toolResults(List.of(
                    dev.sluice.chat.ToolResult.of(r.toolCalls().getFirst().id(), "18C")));
            assertFalse(claude.chat(ChatRequest.builder()
                            .model(MODEL)
                            .maxTokens(4096)
                            .thinkingBudget(1024)
                            .addTool(weather)
                            .messages(List.of(
                                    ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"),
                                    ChatMessage.assistant(r),
                                    results))
                            .build())
                    .text()
                    .isEmpty());
            assertEquals(before, server.opaqueRejections());

            String data = r.providerState().data();
            int at = data.indexOf("\"signature\":\"") + 13;
            dev.sluice.chat.ProviderState altered = new dev.sluice.chat.ProviderState(
                    "vertex-anthropic",
                    data.substring(0, at) + (data.charAt(at) == 'A' ? 'B' : 'A') + data.substring(at + 1));
            ApiException e = assertThrows(
                    ApiException.class,
                    () -> claude.chat(ChatRequest.builder()
                            .model(MODEL)
                            .maxTokens(4096)
                            .thinkingBudget(1024)
                            .addTool(weather)
                            .messages(List.of(
                                    ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"),
                                    new ChatMessage(
                                            ChatMessage.Role.ASSISTANT, r.text(), r.toolCalls(), List.of(), altered),
                                    results))
                            .build()));
            assertEquals(400, e.statusCode());
            assertEquals("messages.1.content.0: Invalid `signature` in `thinking` block", e.errorMessage());
            assertEquals(before + 1, server.opaqueRejections());
        }
    }
}
