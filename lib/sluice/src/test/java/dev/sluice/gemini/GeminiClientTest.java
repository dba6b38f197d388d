package dev.sluice.gemini;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GeminiClient over a real loopback socket: the test kit's server replays the captured streams;
 * every request must be a POST to the model's streaming path.
 */
class GeminiClientTest {
    private static final String KEY = "AIzaSy-test-SECRET-0123456789";
    private static final String MODEL = "gemini-2.5-flash";
    private static final String PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final RetryPolicy FAST_RETRIES =
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5), 2, 0, Duration.ofSeconds(1));

    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private GeminiClient client;

    @BeforeEach
    void setUp() {
        client = client(FAST_RETRIES, StreamOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        client.close();
        for (RecordedRequest r : fake.server().requests()) assertEquals("POST " + PATH, r.method() + " " + r.target());
    }

    private static String baseUrl() {
        return fake.server().baseUrl().toString();
    }

    /** {@return the requests so far, after checking there are this many} */
    private static List<RecordedRequest> requests(int expected) {
        List<RecordedRequest> requests = fake.server().requests();
        assertEquals(expected, requests.size(), requests.toString());
        return requests;
    }

    /** {@return the bytes of a replay in HTTP chunks of about a 25th of it, each flushed on its own} */
    private static FakeResponse inPieces(byte[] events) {
        return FakeResponse.sse(events).inChunksOf(Math.max(1, events.length / 25));
    }

    private static FakeResponse json(int status, String body) {
        return FakeResponse.status(status).body("application/json", body);
    }

    private static GeminiClient client(RetryPolicy retries, StreamOptions defaults) {
        return GeminiClient.builder()
                .apiKey(KEY)
                .baseUrl(baseUrl())
                .retryPolicy(retries)
                .streamOptions(defaults)
                .build();
    }

    private static GenerateContentRequest request() {
        return GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("Hi")))
                .build();
    }

    private static ChatRequest chatRequest() {
        return ChatRequest.builder()
                .model(MODEL)
                .addMessage(ChatMessage.user("Weather in SF?"))
                .addTool(new Tool("get_weather", "Weather", Map.of("type", "object")))
                .maxTokens(256)
                .build();
    }

    static List<String> completeFixtures() {
        return GeminiFixturesTest.completeFixtures().toList();
    }

    // ------------------------------------------------------------------ fixtures over the wire

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeFixtures")
    void streamGenerateContent_fixtureAtDribble_accumulatesExpectedResponse(String name) {
        fake.server().enqueue(inPieces(GeminiFixtures.sse(name)));
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        try (EventStream<GenerateContentResponse> chunks = client.streamGenerateContent(MODEL, request())) {
            for (GenerateContentResponse chunk : chunks) acc.accept(chunk);
            assertEquals(EndReason.COMPLETED, chunks.endReason().orElseThrow());
        }
        assertEquals(
                GeminiFixtures.expected(name).get("final_response"),
                GeminiFixtures.tree(acc.snapshot().toJson()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeFixtures")
    void chat_fixtureAtDribble_sameAsNeutralMappingOfReplay(String name) {
        fake.server().enqueue(inPieces(GeminiFixtures.sse(name)));
        ChatResponse live = client.chat(chatRequest());
        ChatResponse replayed = GeminiFixtures.neutral(name);
        assertEquals(replayed.text(), live.text());
        assertEquals(replayed.thinking(), live.thinking());
        assertEquals(
                replayed.toolCalls().stream()
                        .map(c -> List.of(c.id(), c.name(), c.arguments()))
                        .toList(),
                live.toolCalls().stream()
                        .map(c -> List.of(c.id(), c.name(), c.arguments()))
                        .toList());
        assertEquals(replayed.finishReason(), live.finishReason());
        assertEquals(replayed.usage(), live.usage());
        assertEquals(replayed.id(), live.id());
    }

    // ------------------------------------------------------------------ the request

    @Test
    void stream_request_urlHeadersAndBody() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        client.chat(chatRequest());
        RecordedRequest r = requests(1).get(0);
        assertEquals(KEY, r.header("x-goog-api-key"));
        assertFalse(r.target().contains(KEY), r.target());
        assertFalse(r.target().contains("key="), r.target());
        assertTrue(r.header("content-type").startsWith("application/json"));
        assertEquals("text/event-stream", r.header("accept"));
        assertTrue(r.header("user-agent").startsWith("sluice/"), r.header("user-agent"));
        assertEquals(GeminiFixtures.tree(GeminiRequests.of(chatRequest()).toJson()), GeminiFixtures.tree(r.body()));
        JsonNode body = GeminiFixtures.tree(r.body());
        assertEquals(256, body.get("generationConfig").get("maxOutputTokens").asInt());
        assertEquals(
                "get_weather",
                body.get("tools")
                        .get(0)
                        .get("functionDeclarations")
                        .get(0)
                        .get("name")
                        .asText());
    }

    @Test
    void streamGenerateContent_modelsPrefixAndOddCharacters_encodedIntoPath() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        try (var chunks = client.streamGenerateContent("models/" + MODEL, request())) {
            chunks.forEach(c -> {});
        }
        requests(1);
        assertEquals(
                "http://h/v1beta/models/a%2Fb%3Fc%20d:streamGenerateContent?alt=sse",
                GeminiClient.streamUri(java.net.URI.create("http://h/"), "a/b?c d")
                        .toString());
        assertThrows(IllegalArgumentException.class, () -> client.streamGenerateContent("models/", request()));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void streamGenerateContent_httpError_apiExceptionWithGeminiStatusAsType() {
        fake.server()
                .enqueue(json(
                        400,
                        "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\","
                                + "\"status\":\"INVALID_ARGUMENT\"}}"));
        ApiException e = assertThrows(ApiException.class, () -> client.streamGenerateContent(MODEL, request()));
        assertEquals(400, e.statusCode());
        assertEquals("INVALID_ARGUMENT", e.errorType());
        assertEquals("API key not valid. Please pass a valid API key.", e.errorMessage());
        assertFalse(e.inStream());
        assertFalse(e.getMessage().contains(KEY));
        requests(1);
    }

    @Test
    void stream_promptBlocked_deliversFeedbackThenThrowsPromptBlockedWithPartial() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("prompt-blocked")));
        List<GenerateContentResponse> seen = new ArrayList<>();
        ApiException e;
        try (var chunks = client.streamGenerateContent(MODEL, request())) {
            e = assertThrows(ApiException.class, () -> chunks.forEach(seen::add));
        }
        assertEquals(GeminiClient.PROMPT_BLOCKED, e.errorType());
        assertEquals(200, e.statusCode());
        assertTrue(e.inStream());
        assertEquals(1, seen.size());
        assertEquals("SAFETY", seen.get(0).promptFeedback().blockReason());
        assertEquals(
                "SAFETY",
                e.partial(GenerateContentResponse.class)
                        .orElseThrow()
                        .promptFeedback()
                        .blockReason());
        requests(1);
    }

    @Test
    void stream_truncatedBody_incompleteStreamWithPartialChatResponse() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("truncated")));
        StringBuilder text = new StringBuilder();
        IncompleteStreamException e;
        try (EventStream<MessageChunk> chunks = client.stream(chatRequest())) {
            e = assertThrows(IncompleteStreamException.class, () -> chunks.forEach(c -> text.append(c.text())));
        }
        assertEquals("Once upon a time there was a lighthouse", text.toString());
        assertEquals(
                text.toString(), e.partial(ChatResponse.class).orElseThrow().text());
    }

    @Test
    void stream_errorAfterContent_thrownAfterTheContentNotRetried() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("error-unavailable-mid-stream")));
        List<String> texts = new ArrayList<>();
        ApiException e;
        try (var chunks = client.streamGenerateContent(MODEL, request())) {
            e = assertThrows(ApiException.class, () -> chunks.forEach(c -> texts.add(c.text())));
        }
        assertEquals(List.of("Sure, here are three"), texts);
        assertEquals("UNAVAILABLE", e.errorType());
        assertTrue(e.inStream());
        assertEquals(
                "Sure, here are three",
                e.partial(GenerateContentResponse.class).orElseThrow().text());
        requests(1);
    }

    @Test
    void stream_malformedChunk_protocolExceptionNamingTheData() {
        fake.server().enqueue(FakeResponse.sse("data: {\"candidates\":[{\"content\"\r\n\r\n"));
        try (var chunks = client.streamGenerateContent(MODEL, request())) {
            SluiceException e = assertThrows(dev.sluice.ProtocolException.class, () -> chunks.forEach(c -> {}));
            assertTrue(e.getMessage().contains("{\"candidates\":[{\"content\""), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the shared path: retries, timeouts, cancel

    @Test
    void stream_503ThenSuccess_retriedThroughSharedRetrier() {
        fake.server()
                .enqueue(
                        json(503, "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}"),
                        FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        assertEquals(
                GeminiFixtures.neutral("text-basic").text(),
                client.chat(chatRequest()).text());
        requests(2);
    }

    @Test
    void stream_inStreamErrorBeforeContent_reopenedFromTheSameBudget() {
        fake.server()
                .enqueue(
                        FakeResponse.sse(
                                "data: {\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"),
                        FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        List<String> texts = new ArrayList<>();
        try (var chunks = client.streamGenerateContent(MODEL, request())) {
            chunks.forEach(c -> texts.add(c.text()));
        }
        assertEquals(3, texts.size());
        requests(2);
    }

    @Test
    void stream_retriesSpent_lastFailureThrown() {
        fake.server()
                .setDispatcher(request -> json(
                        429, "{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
        ApiException e = assertThrows(ApiException.class, () -> client.stream(chatRequest()));
        assertEquals("RESOURCE_EXHAUSTED", e.errorType());
        requests(3);
    }

    @Test
    void stream_429NamingItsDelayAndHoldOn_nextStreamWaitsItOut() {
        fake.server()
                .enqueue(
                        json(429, "{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
                                .header("retry-after", "1"),
                        FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        try (GeminiClient held = GeminiClient.builder()
                .apiKey(KEY)
                .baseUrl(baseUrl())
                .retryPolicy(RetryPolicy.none())
                .holdWhileRateLimited(Duration.ofSeconds(5))
                .build()) {
            assertThrows(ApiException.class, () -> held.stream(chatRequest()));
            dev.sluice.client.RateLimits reported = held.rateLimits().orElseThrow();
            assertEquals(Duration.ofSeconds(1), reported.retryAfter().orElseThrow());
            java.time.Instant until = reported.exhaustedUntil().orElseThrow();
            assertEquals(
                    GeminiFixtures.neutral("text-basic").text(),
                    held.chat(chatRequest()).text());
            assertFalse(java.time.Instant.now().isBefore(until), "sent after the server's delay");
        }
    }

    @Test
    void stream_noHeadersWithinFirstEventTimeout_streamTimeout() {
        fake.server().enqueue(FakeResponse.noResponse());
        StreamController controller = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofMillis(200))
                .build());
        StreamTimeoutException e =
                assertThrows(StreamTimeoutException.class, () -> client.stream(chatRequest(), controller));
        assertEquals(StreamTimeoutException.Timeout.FIRST_EVENT, e.timeout());
    }

    @Test
    void stream_serverSilentAfterFirstChunk_idleTimeoutWithPartial() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")).stallAfter(1));
        StreamController controller = StreamController.of(
                StreamOptions.builder().idleTimeout(Duration.ofMillis(300)).build());
        try (EventStream<MessageChunk> chunks = client.stream(chatRequest(), controller)) {
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, () -> chunks.forEach(c -> {}));
            assertEquals(StreamTimeoutException.Timeout.IDLE, e.timeout());
            assertNotNull(e.partial(ChatResponse.class).orElseThrow());
        }
    }

    @Test
    void stream_cancelMidStream_endsCancelledAndReleasesTheStream() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")).stallAfter(1));
        try (EventStream<GenerateContentResponse> chunks = client.streamGenerateContent(MODEL, request())) {
            Iterator<GenerateContentResponse> it = chunks.iterator();
            assertTrue(it.hasNext());
            it.next();
            chunks.controller().cancel();
            assertFalse(it.hasNext());
            assertEquals(EndReason.CANCELLED, chunks.endReason().orElseThrow());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> client.openCount() == 0);
    }

    @Test
    void close_cancelsOpenStreamsAndRefusesNewOnes() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")).stallAfter(1));
        EventStream<GenerateContentResponse> chunks = client.streamGenerateContent(MODEL, request());
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> chunks.endReason().isPresent());
        assertEquals(EndReason.CANCELLED, chunks.endReason().orElseThrow());
        assertThrows(IllegalStateException.class, () -> client.stream(chatRequest()));
        chunks.close();
    }

    @Test
    void stream_maxChunks_endsAtTheLimit() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("text-basic")));
        StreamController controller =
                StreamController.of(StreamOptions.builder().maxChunks(2).build());
        List<MessageChunk> got = new ArrayList<>();
        try (EventStream<MessageChunk> chunks = client.stream(chatRequest(), controller)) {
            chunks.forEach(got::add);
            assertEquals(EndReason.CHUNK_LIMIT, chunks.endReason().orElseThrow());
        }
        assertEquals(2, got.size());
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void fromEnv_loopbackBaseUrlWithoutKey_streamsWithAPlaceholderKey() {
        try (GeminiClient c = GeminiClient.builder()
                .fromEnv(Map.of(
                        GeminiClient.BASE_URL_ENV, fake.server().baseUrl().toString()))
                .build()) {
            assertFalse(c.chat(ChatRequest.builder()
                            .model(MODEL)
                            .addMessage(ChatMessage.user("Hi"))
                            .build())
                    .text()
                    .isBlank());
        }
        assertEquals("sluice-placeholder-key", fake.server().takeRequest().header("x-goog-api-key"));
    }

    @Test
    void fromEnv_otherBaseUrlWithoutKey_namesTheVariableToSet() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> GeminiClient.builder()
                        .fromEnv(Map.of(GeminiClient.BASE_URL_ENV, "http://10.0.0.7:8080"))
                        .build());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "apiKey is required: call apiKey(..) or set GEMINI_API_KEY (a fake server takes any key"),
                e.getMessage());
    }

    @Test
    void builder_fromEnv_readsKeyAndBaseUrl_andHidesTheKey() {
        GeminiClient.Builder b = GeminiClient.builder()
                .fromEnv(Map.of(GeminiClient.API_KEY_ENV, KEY, GeminiClient.BASE_URL_ENV, baseUrl()));
        assertFalse(b.toString().contains(KEY));
        try (GeminiClient c = b.build()) {
            assertFalse(c.toString().contains(KEY));
            assertTrue(c.toString().contains(baseUrl()), c.toString());
        }
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> GeminiClient.builder().fromEnv(Map.of()).build());
        assertTrue(missing.getMessage().contains("GEMINI_API_KEY"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> GeminiClient.builder().fromEnv(Map.of(GeminiClient.BASE_URL_ENV, "ftp://x")));
        assertTrue(bad.getMessage().startsWith("GEMINI_BASE_URL"), bad.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> GeminiClient.builder().baseUrl("https://h/?key=1"));
        IllegalStateException both = assertThrows(
                IllegalStateException.class,
                () -> GeminiClient.builder()
                        .apiKey(KEY)
                        .httpClient(java.net.http.HttpClient.newHttpClient())
                        .connectTimeout(java.time.Duration.ofSeconds(1))
                        .build());
        assertTrue(both.getMessage().contains("connectTimeout"), both.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> GeminiClient.builder().apiKey(" "));
        assertThrows(
                IllegalArgumentException.class, () -> GeminiClient.builder().queueCapacity(0));
    }

    @Test
    void chat_toolUse_finishReasonToolCallsAcrossTheWire() {
        fake.server().enqueue(FakeResponse.sse(GeminiFixtures.sse("tool-use-weather")));
        ChatResponse r = client.chat(chatRequest());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        assertEquals(
                Map.of("location", "San Francisco, CA", "unit", "fahrenheit"),
                r.toolCalls().get(0).parsedArguments());
    }
}
