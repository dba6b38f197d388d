package dev.sluice.openai;

import static dev.sluice.FakeServers.released;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.IncompleteStreamException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiClientTest {
    private static final String PATH = "/v1/chat/completions";
    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final RetryPolicy FAST =
            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5));

    /** Its own server, not the shared one: the tests check that streams let go of it ({@link FakeServers#released}). */
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private OpenAiClient client;

    @BeforeEach
    void reset() {
        client = OpenAiClient.builder()
                .apiKey(KEY)
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(FAST)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
        for (RecordedRequest r : FAKE.server().requests()) assertEquals("POST " + PATH, r.method() + " " + r.target());
    }

    /** {@return the requests so far, after checking there are this many} */
    private static List<RecordedRequest> requests(int expected) {
        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(expected, requests.size(), requests.toString());
        return requests;
    }

    private static void assertJsonEquals(String expected, String actual) throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(expected), json.readTree(actual), actual);
    }

    private static FakeResponse sse(byte[] body) {
        return FakeResponse.sse(body).header("x-request-id", "req_123");
    }

    /** {@return the bytes in HTTP chunks of about this part of them, each flushed on its own} */
    private static FakeResponse sse(byte[] body, int pieces) {
        return sse(body).inChunksOf(Math.max(1, body.length / pieces));
    }

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o")
                .addMessage(ChatCompletionMessage.user("Weather in SF?"))
                .build();
    }

    /** {@return the fake server answering with {@code body}, then holding the stream: only [DONE] or the client can end it} */
    private static FakeLlmServer stalling(String body) {
        FAKE.server().setDispatcher(r -> FakeServers.holding(body).header("x-request-id", "req_stall"));
        return FAKE.server();
    }

    @Test
    void stream_fixtureDribbled_accumulatesExpectedCompletion() {
        FAKE.server().enqueue(sse(OpenAiFixtures.sse("tool-use-weather"), 40));
        List<ChatCompletionEvent> events = new ArrayList<>();
        ChatCompletion completion;
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            for (ChatCompletionEvent e : stream) events.add(e);
            completion = stream.result();
            assertEquals("req_123", stream.requestId().orElseThrow());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
        }
        assertInstanceOf(DoneEvent.class, events.getLast());
        assertEquals(
                OpenAiFixtures.expected("tool-use-weather").get("final_completion"), OpenAiFixtures.json(completion));
    }

    @Test
    void stream_request_sendsJsonAndHeaders() throws Exception {
        FAKE.server().enqueue(sse(OpenAiFixtures.sse("text-basic")));
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-4o")
                .addMessage(ChatCompletionMessage.system("Be brief."))
                .addMessage(ChatCompletionMessage.user("Hi"))
                .addTool(FunctionTool.of("get_weather", "Weather", Map.of("type", "object")))
                .toolChoice(ChatCompletionToolChoice.function("get_weather"))
                .temperature(0.5)
                .topP(0.9)
                .maxCompletionTokens(100)
                .addStop("END")
                .n(1)
                .seed(42)
                .user("u1")
                .extra("service_tier", "default") // an extra field; gpt-4o takes no reasoning_effort (the model table)
                .build();
        try (OpenAiClient c = OpenAiClient.builder()
                        .apiKey(KEY)
                        .baseUrl(FAKE.server().baseUrl() + "/v1/")
                        .organization("org-1")
                        .project("proj-1")
                        .build();
                ChatCompletionStream stream = c.chat().stream(request)) {
            assertEquals(
                    "Hello! How can I help you today? 😊",
                    String.join("", stream.text().toList()));
        }
        RecordedRequest sent = requests(1).get(0);
        assertEquals("Bearer " + KEY, sent.header("authorization"));
        assertEquals("org-1", sent.header("openai-organization"));
        assertEquals("proj-1", sent.header("openai-project"));
        assertEquals("application/json", sent.header("content-type"));
        assertEquals("text/event-stream", sent.header("accept"));
        assertJsonEquals("""
                        {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}}],
                         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                         "temperature":0.5,"top_p":0.9,"max_completion_tokens":100,"stop":["END"],"n":1,"seed":42,"user":"u1",
                         "service_tier":"default","stream":true,"stream_options":{"include_usage":true}}""", sent.body());
    }

    @Test
    void stream_done_releasesConnectionAtOnce() throws Exception {
        // The server never ends its chunked body: only [DONE] can end the stream and close the connection.
        String body = new String(OpenAiFixtures.sse("text-basic"), StandardCharsets.UTF_8);
        FakeLlmServer stalling = stalling(body);
        try (OpenAiClient c = OpenAiClient.builder()
                        .apiKey(KEY)
                        .baseUrl(stalling.baseUrl().toString())
                        .build();
                ChatCompletionStream stream = c.chat().stream(request())) {
            assertEquals("Hello! How can I help you today? 😊", stream.result().text());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            await().atMost(Duration.ofSeconds(5)).until(() -> released(stalling, 1));
        }
    }

    @Test
    void stream_httpError_throwsApiExceptionWithoutTheKey() {
        FAKE.server()
                .enqueue(FakeResponse.status(401)
                        .header("x-request-id", "req_401")
                        .body(
                                "application/json",
                                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                                        + "\",\"type\":\"invalid_request_error\","
                                        + "\"param\":null,\"code\":\"invalid_api_key\"}}"));
        ApiException e = assertThrows(ApiException.class, () -> client.chat().stream(request()));
        assertEquals(401, e.statusCode());
        assertEquals("invalid_request_error", e.errorType());
        assertEquals("req_401", e.requestId().orElseThrow());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(client.toString().contains(KEY));
        requests(1);
    }

    @Test
    void stream_429ThenStream_retriedAndCompletes() {
        FAKE.server()
                .enqueue(
                        FakeResponse.status(429)
                                .header("retry-after-ms", "1")
                                .body(
                                        "application/json",
                                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"),
                        sse(OpenAiFixtures.sse("text-basic")));
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            assertEquals("Hello! How can I help you today? 😊", stream.result().text());
        }
        requests(2);
    }

    @Test
    void stream_serverErrorObjectBeforeContent_retriedWithoutDuplicates() {
        String opening = "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
        FAKE.server().enqueue(sse(opening.getBytes(StandardCharsets.UTF_8)), sse(OpenAiFixtures.sse("text-basic")));
        List<ChatCompletionEvent> events = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            stream.forEach(events::add);
            assertEquals("chatcmpl-AbC7textBasic0000000001", stream.result().id());
        }
        assertTrue(
                events.stream().noneMatch(e -> e instanceof ChatCompletionChunk c && c.id().equals("chatcmpl-x")),
                "the first attempt's opening chunk is dropped");
        requests(2);
    }

    @Test
    void stream_errorObjectAfterContent_throwsInStreamApiExceptionWithPartial() {
        FAKE.server().enqueue(sse(OpenAiFixtures.sse("error-mid-stream")));
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            ApiException e = assertThrows(ApiException.class, () -> stream.forEach(x -> {}));
            assertTrue(e.inStream());
            assertEquals("server_error", e.errorType());
            assertEquals(
                    "The ocean covers",
                    e.partial(ChatCompletion.class).orElseThrow().text());
            assertEquals("req_123", e.requestId().orElseThrow());
        }
        requests(1);
    }

    @Test
    void stream_bodyEndsBeforeDone_throwsIncompleteWithPartial() {
        FAKE.server().enqueue(sse(OpenAiFixtures.sse("truncated-before-done")));
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            IncompleteStreamException e = assertThrows(IncompleteStreamException.class, stream::result);
            ChatCompletion partial = e.partial(ChatCompletion.class).orElseThrow();
            assertEquals(
                    Map.of("query", "tide ta"),
                    partial.choices()
                            .getFirst()
                            .message()
                            .toolCalls()
                            .getFirst()
                            .parsedArguments());
        }
    }

    @Test
    void stream_serverStallsAfterContent_idleTimeoutThrownWithPartial() throws Exception {
        String body = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        FakeLlmServer stalling = stalling(body);
        try (OpenAiClient c = OpenAiClient.builder()
                        .apiKey(KEY)
                        .baseUrl(stalling.baseUrl().toString())
                        .build();
                ChatCompletionStream stream = c.chat().stream(
                        request(),
                        StreamController.of(StreamOptions.builder()
                                .idleTimeout(Duration.ofMillis(200))
                                .build()))) {
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, stream::result);
            assertEquals(StreamTimeoutException.Timeout.IDLE, e.timeout());
            assertEquals("Hel", e.partial(ChatCompletion.class).orElseThrow().text());
            assertEquals(EndReason.TIMED_OUT, stream.endReason().orElseThrow());
            await().atMost(Duration.ofSeconds(5)).until(() -> released(stalling, 1));
        }
    }

    @Test
    void stream_cancelledFromAnotherThread_endsCancelledAndClosesConnection() throws Exception {
        String body = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        FakeLlmServer stalling = stalling(body);
        try (OpenAiClient c = OpenAiClient.builder()
                        .apiKey(KEY)
                        .baseUrl(stalling.baseUrl().toString())
                        .build();
                ChatCompletionStream stream = c.chat().stream(request())) {
            var it = stream.iterator();
            assertTrue(it.hasNext());
            it.next();
            CompletableFuture.runAsync(() -> stream.controller().cancel("user gave up"));
            assertFalse(it.hasNext());
            assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
            await().atMost(Duration.ofSeconds(5)).until(() -> released(stalling, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> c.openCount() == 0);
        }
    }

    @Test
    void chatProvider_toolCallCapture_aggregatesNeutralResponseAndMapsRequest() throws Exception {
        FAKE.server().enqueue(sse(OpenAiFixtures.sse("tool-use-weather"), 20));
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o")
                .system("Use tools.")
                .addMessage(ChatMessage.user("Weather in SF?"))
                .addTool(new Tool("get_weather", "Get the weather", Map.of("type", "object")))
                .maxTokens(256)
                .build();
        ChatResponse response = client.chat(request);
        assertEquals("Okay, let's check the weather for San Francisco, CA:", response.text());
        assertEquals(FinishReason.Kind.TOOL_CALLS, response.finishReason().kind());
        assertEquals("get_weather", response.toolCalls().getFirst().name());
        assertEquals(
                Map.of("location", "San Francisco, CA", "unit", "fahrenheit"),
                response.toolCalls().getFirst().parsedArguments());
        assertEquals("chatcmpl-AbC7toolUseWeather000002", response.id());
        assertEquals(472, response.usage().inputTokens());
        assertEquals(89, response.usage().outputTokens());
        assertJsonEquals("""
                {"model":"gpt-4o","messages":[{"role":"system","content":"Use tools."},{"role":"user","content":"Weather in SF?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Get the weather","parameters":{"type":"object"}}}],
                 "max_completion_tokens":256,"stream":true,"stream_options":{"include_usage":true}}""", requests(1).get(0).body());
    }

    @Test
    void close_withOpenStream_cancelsItAndRefusesNewOnes() throws Exception {
        String body = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        OpenAiClient c = OpenAiClient.builder()
                .apiKey(KEY)
                .baseUrl(stalling(body).baseUrl().toString())
                .build();
        ChatCompletionStream stream = c.chat().stream(request());
        c.close();
        assertFalse(stream.iterator().hasNext());
        assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
        assertThrows(IllegalStateException.class, () -> c.chat().stream(request()));
    }

    @Test
    void fromEnv_loopbackBaseUrlWithoutKey_streamsWithAPlaceholderKey() {
        try (OpenAiClient c = OpenAiClient.builder()
                        .fromEnv(Map.of(
                                "OPENAI_BASE_URL", FAKE.server().baseUrl().toString()))
                        .build();
                ChatCompletionStream stream = c.chat().stream(request())) {
            assertFalse(String.join("", stream.text().toList()).isBlank());
        }
        assertEquals(
                "Bearer sluice-placeholder-key", FAKE.server().takeRequest().header("authorization"));
    }

    @Test
    void fromEnv_otherBaseUrlWithoutKey_namesTheVariableToSet() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> OpenAiClient.builder()
                        .fromEnv(Map.of("OPENAI_BASE_URL", "https://gateway.example.com/v1"))
                        .build());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "apiKey is required: call apiKey(..) or set OPENAI_API_KEY (a fake server takes any key"),
                e.getMessage());
    }

    @Test
    void builder_fromEnvAndValidation() {
        try (OpenAiClient c = OpenAiClient.builder()
                .fromEnv(Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", "http://localhost:1234/v1"))
                .build()) {
            assertTrue(c.toString().contains("http://localhost:1234/v1/chat/completions"), c.toString());
            assertFalse(c.toString().contains(KEY));
        }
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> OpenAiClient.builder().fromEnv(Map.of()).build());
        assertTrue(missing.getMessage().contains("OPENAI_API_KEY"));
        assertThrows(
                IllegalArgumentException.class, () -> OpenAiClient.builder().apiKey(" "));
        assertThrows(
                IllegalArgumentException.class, () -> OpenAiClient.builder().baseUrl("ftp://x"));
        assertThrows(
                IllegalArgumentException.class, () -> OpenAiClient.builder().header("Authorization", "x"));
        assertEquals(
                "https://api.openai.com/v1/chat/completions",
                OpenAiClient.endpoint(java.net.URI.create(OpenAiClient.DEFAULT_BASE_URL))
                        .toString());
    }
}
