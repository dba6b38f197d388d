package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.ProtocolException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client end to end over a loopback socket. The testkit's shared fake has no Bedrock route yet
 * (another change adds one), so this class scripts the JDK's own HTTP server, one for the class:
 * each request takes the next scripted response and is recorded.
 */
class BedrockClientTest {
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /** A response; a body in pieces of {@code piece} bytes, each flushed, when piece is positive. */
    private record Scripted(int status, Map<String, String> headers, byte[] body, int piece) {
        Scripted(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, body, 0);
        }
    }

    private record Recorded(String rawPath, Headers headers, String body) {}

    private static HttpServer server;
    private static final ConcurrentLinkedQueue<Scripted> SCRIPT = new ConcurrentLinkedQueue<>();
    private static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", BedrockClientTest::handle);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        SCRIPT.clear();
        REQUESTS.clear();
    }

    private static void handle(HttpExchange x) throws IOException {
        REQUESTS.add(new Recorded(x.getRequestURI().getRawPath(), x.getRequestHeaders(),
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Scripted s = SCRIPT.poll();
        if (s == null) s = new Scripted(500, Map.of(), "{\"message\":\"nothing scripted\"}".getBytes(StandardCharsets.UTF_8));
        s.headers().forEach(x.getResponseHeaders()::add);
        x.sendResponseHeaders(s.status(), s.piece() > 0 ? 0 : s.body().length);
        try (OutputStream out = x.getResponseBody()) {
            if (s.piece() <= 0) {
                out.write(s.body());
                return;
            }
            for (int i = 0; i < s.body().length; i += s.piece()) {
                out.write(s.body(), i, Math.min(s.piece(), s.body().length - i));
                out.flush();
            }
        }
    }

    private static void stream(ConverseFrames frames) {
        SCRIPT.add(new Scripted(200, Map.of("content-type", EVENT_STREAM, "x-amzn-RequestId", "req-1"), frames.bytes()));
    }

    private static BedrockClient.Builder builder() {
        return BedrockClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .retryPolicy(RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5)));
    }

    private static ChatRequest request() {
        return ChatRequest.builder().model(MODEL).addMessage(ChatMessage.user("Hi")).maxTokens(50).build();
    }

    private static ChatResponse drain(EventStream<MessageChunk> chunks, List<MessageChunk> seen) {
        try (chunks) {
            for (MessageChunk c : chunks) seen.add(c);
        }
        dev.sluice.chat.ChunkAggregator agg = new dev.sluice.chat.ChunkAggregator();
        seen.forEach(agg::accept);
        return agg.snapshot();
    }

    @Test
    void stream_textWithBearerToken_textFinishUsageAndTheRequestAsConverseWantsIt() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("bedrock-api-key").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Hello, world", r.text());
            assertEquals(FinishReason.Kind.STOP, r.finishReason().kind());
            assertEquals(new Usage(12, 3, 0, 0), r.usage());
        }
        Recorded q = REQUESTS.get(0);
        assertEquals("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", q.rawPath());
        assertEquals("Bearer bedrock-api-key", q.headers().getFirst("Authorization"));
        assertEquals(EVENT_STREAM, q.headers().getFirst("Accept"));
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],\"inferenceConfig\":{\"maxTokens\":50}}", q.body());
    }

    @Test
    void converseStream_typedEvents_everyFieldAndTheResult() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build(); ConverseStream events = client.converseStream(request())) {
            List<ConverseEvent> seen = new ArrayList<>();
            events.forEach(seen::add);
            assertEquals(new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(12, 3, 15, 0, 0), 321, null), seen.get(seen.size() - 1));
            assertEquals("Hello, world", events.result().text());
            assertEquals(FinishReason.Kind.STOP, events.result().finishReason().kind());
            assertEquals("req-1", events.requestId().orElseThrow());
        }
    }

    @Test
    void converseStream_text_onlyTheTextDeltas() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build(); ConverseStream events = client.converseStream(request())) {
            assertEquals(List.of("Hello", ", world"), events.text().toList());
        }
    }

    @Test
    void stream_framesSplitAcrossReads_sameAnswer() {
        SCRIPT.add(new Scripted(200, Map.of("content-type", EVENT_STREAM), ConverseFrames.toolCall().bytes(), 7));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Looking.", r.text());
            assertEquals("{\"city\":\"Paris\"}", r.toolCalls().get(0).arguments());
        }
    }

    @Test
    void stream_responseNotAnEventStream_protocolExceptionNamingTheMediaType() {
        SCRIPT.add(new Scripted(200, Map.of("content-type", "text/event-stream"), "data: {}\n\n".getBytes(StandardCharsets.UTF_8)));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> client.stream(request()));
            assertTrue(e.getMessage().contains(EVENT_STREAM), e.getMessage());
        }
    }

    @Test
    void stream_toolCall_incrementalInputAssembledEndToEnd() {
        stream(ConverseFrames.toolCall());
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals("Looking.", r.text());
            assertEquals("tooluse_1", r.toolCalls().get(0).id());
            assertEquals("get_weather", r.toolCalls().get(0).name());
            assertEquals("{\"city\":\"Paris\"}", r.toolCalls().get(0).arguments());
            assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        }
    }

    @Test
    void stream_staticCredentials_signedWithSigV4ForBedrock() {
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().region("eu-west-3").baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token").build()) {
            assertEquals("Hello, world", drain(client.stream(request()), new ArrayList<>()).text());
            assertFalse(client.toString().contains("wJalr") || client.toString().contains("session-token"), client.toString());
        }
        Headers h = REQUESTS.get(0).headers();
        String auth = h.getFirst("Authorization");
        assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") && auth.contains("/eu-west-3/bedrock/aws4_request"), auth);
        assertTrue(h.getFirst("X-Amz-Date").matches("\\d{8}T\\d{6}Z"), h.getFirst("X-Amz-Date"));
        assertEquals("session-token", h.getFirst("X-Amz-Security-Token"));
    }

    @Test
    void stream_exceptionFrameAfterContent_partialDeliveredThenTypedApiException() {
        stream(new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}")
                .exception("modelStreamErrorException", "the model failed"));
        List<MessageChunk> seen = new ArrayList<>();
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> drain(client.stream(request()), seen));
            assertEquals("modelStreamErrorException", e.errorType());
            assertEquals("the model failed", e.errorMessage());
            assertTrue(e.inStream());
            assertEquals("Hel", e.partial(ChatResponse.class).orElseThrow().text());
            assertEquals("req-1", e.requestId().orElseThrow());
        }
        assertEquals("Hel", seen.get(0).text());
        assertEquals(1, REQUESTS.size());
    }

    @Test
    void stream_throttlingFrameBeforeContent_reopenedAndAnswered() {
        stream(new ConverseFrames().event("messageStart", "{\"role\":\"assistant\"}")
                .exception("throttlingException", "Too many requests"));
        stream(ConverseFrames.text());
        try (BedrockClient client = builder().apiKey("k").build()) {
            assertEquals("Hello, world", drain(client.stream(request()), new ArrayList<>()).text());
        }
        assertEquals(2, REQUESTS.size());
    }

    @Test
    void stream_throttlingAfterToolUseStartBeforeItsInput_reopenedWithoutADuplicateCall() {
        stream(new ConverseFrames().event("messageStart", "{\"role\":\"assistant\"}")
                .event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"old\",\"name\":\"get_weather\"}}}")
                .exception("serviceUnavailableException", "try again"));
        stream(ConverseFrames.toolCall());
        try (BedrockClient client = builder().apiKey("k").build()) {
            ChatResponse r = drain(client.stream(request()), new ArrayList<>());
            assertEquals(1, r.toolCalls().size());
            assertEquals("tooluse_1", r.toolCalls().get(0).id());
        }
        assertEquals(2, REQUESTS.size());
    }

    @Test
    void stream_validationFrameBeforeContent_notRetried() {
        stream(new ConverseFrames().exception("validationException", "bad input"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> drain(client.stream(request()), new ArrayList<>()));
            assertEquals("validationException", e.errorType());
        }
        assertEquals(1, REQUESTS.size());
    }

    @Test
    void stream_httpError_typeFromAmznErrorTypeAndRequestId() {
        SCRIPT.add(new Scripted(400, Map.of("content-type", "application/json",
                "x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                "x-amzn-RequestId", "req-400"), "{\"message\":\"The provided model identifier is invalid.\"}".getBytes(StandardCharsets.UTF_8)));
        try (BedrockClient client = builder().apiKey("k").build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.stream(request()));
            assertEquals(400, e.statusCode());
            assertEquals("ValidationException", e.errorType());
            assertEquals("The provided model identifier is invalid.", e.errorMessage());
            assertEquals("req-400", e.requestId().orElseThrow());
        }
    }

    @Test
    void stream_bodyEndsAfterContentBeforeMessageStop_incompleteWithPartial() {
        stream(new ConverseFrames().event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
        try (BedrockClient client = builder().apiKey("k").build()) {
            IncompleteStreamException e = assertThrows(IncompleteStreamException.class,
                    () -> drain(client.stream(request()), new ArrayList<>()));
            assertEquals("Hi", e.partial(ChatResponse.class).orElseThrow().text());
        }
    }

    @Test
    void build_noKeyNoCredentialsRemoteEndpoint_namesWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BedrockClient.builder().region("us-west-2").build());
        assertTrue(e.getMessage().contains("AWS_BEARER_TOKEN_BEDROCK") && e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
    }

    @Test
    void fromEnv_regionEndpointAndKeys_read() {
        try (BedrockClient c = BedrockClient.builder().fromEnv(Map.of("AWS_REGION", "ap-southeast-2",
                "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret")).build()) {
            String s = c.toString();
            assertTrue(s.contains("bedrock-runtime.ap-southeast-2.amazonaws.com") && s.contains("region=ap-southeast-2")
                    && s.contains("sigv4") && !s.contains("secret"), s);
        }
    }
}
