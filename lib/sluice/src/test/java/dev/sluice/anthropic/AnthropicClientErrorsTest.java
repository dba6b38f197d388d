package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sluice.anthropic.ClientTestSupport.BLOCK_START;
import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_START;
import static dev.sluice.anthropic.ClientTestSupport.PATH;
import static dev.sluice.anthropic.ClientTestSupport.PING;
import static dev.sluice.anthropic.ClientTestSupport.delta;
import static dev.sluice.anthropic.ClientTestSupport.error;
import static dev.sluice.anthropic.ClientTestSupport.errorEvent;
import static dev.sluice.anthropic.ClientTestSupport.requests;
import static dev.sluice.anthropic.ClientTestSupport.sse;
import static dev.sluice.anthropic.ClientTestSupport.stubSequence;
import static dev.sluice.anthropic.ClientTestSupport.textStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.client.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP errors, retries, in-band errors, faults and malformed responses, from stream() and create(). */
class AnthropicClientErrorsTest {
    private static WireMockServer server;
    private AnthropicClient client;
    /** Every exception these tests see, for the secrets test. */
    static final List<Throwable> SEEN = new CopyOnWriteArrayList<>();

    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            LOGGED.add(formatter.format(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static Level sluiceLevel;

    /** Every test of this class runs with all of Sluice's logging on, captured (System.Logger goes to JUL). */
    @BeforeAll
    static void startServer() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Logger sluice = Logger.getLogger("dev.sluice");
        sluiceLevel = sluice.getLevel();
        sluice.setLevel(Level.ALL);
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    /** The API key appears in no exception message (causes included), toString or log line of this class's tests. */
    @AfterAll
    static void stopServerAndCheckSecrets() {
        server.stop();
        Logger.getLogger("").removeHandler(CAPTURE);
        Logger.getLogger("dev.sluice").setLevel(sluiceLevel);
        assertFalse(SEEN.isEmpty());
        for (Throwable t : SEEN) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertFalse(String.valueOf(c).contains(KEY), "key in " + c);
                for (Throwable s : c.getSuppressed())
                    assertFalse(String.valueOf(s).contains(KEY), "key in " + s);
            }
        }
        assertTrue(LOGGED.stream().anyMatch(l -> l.contains("POST")), "request summaries were logged at DEBUG");
        assertTrue(LOGGED.stream().anyMatch(l -> l.contains("request body")), "request bodies were logged at TRACE");
        for (String line : LOGGED) assertFalse(line.contains(KEY), "key in the log line " + line);
    }

    @BeforeEach
    void setUp() {
        server.resetAll();
        client = ClientTestSupport.client(server.baseUrl()).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void stream_serverEchoesTheKey_redactedFromTheMessage() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":"
                                + "\"authentication_error\",\"message\":\"invalid x-api-key " + KEY + "\"}}")));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }

    private <T extends Throwable> T seen(T t) {
        SEEN.add(t);
        return t;
    }

    /** Opens a stream and reads it all, returning the text. */
    private String streamText() {
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            StringBuilder sb = new StringBuilder();
            stream.text().forEach(sb::append);
            return sb.toString();
        }
    }

    enum Call {
        STREAM(t -> t.streamText()),
        CREATE(t -> t.client.messages().create(ClientTestSupport.request()).text());

        final Function<AnthropicClientErrorsTest, String> run;

        Call(Function<AnthropicClientErrorsTest, String> run) {
            this.run = run;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, invalid_request_error, 1", "401, authentication_error, 1", "403, permission_error, 1",
        "404, not_found_error, 1", "413, request_too_large, 1", "429, rate_limit_error, 3",
        "500, api_error, 3", "529, overloaded_error, 3"
    })
    void streamAndCreate_httpError_apiExceptionWithStatusTypeMessageRequestIdAfterRetries(
            int status, String type, int attempts) {
        for (Call call : Call.values()) {
            server.resetAll();
            server.stubFor(post(urlEqualTo(PATH)).willReturn(error(status, type)));
            ApiException e = seen(assertThrows(ApiException.class, () -> call.run.apply(this), call.name()));
            assertEquals(status, e.statusCode());
            assertEquals(type, e.errorType());
            assertEquals("message of " + type, e.errorMessage());
            assertFalse(e.inStream());
            assertEquals("req_" + status, e.requestId().orElseThrow());
            assertEquals(attempts, requests(server), call + ": attempts");
        }
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void call_overloadedThenOk_retriedAndSucceeds(Call call) {
        String json = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Hi there\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}";
        stubSequence(
                server,
                List.of(
                        error(529, "overloaded_error"),
                        error(500, "api_error"),
                        call == Call.STREAM
                                ? sse(textStream("Hi", " there"))
                                : aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(json)));
        assertEquals("Hi there", call.run.apply(this));
        assertEquals(3, requests(server));
    }

    @Test
    void stream_retryAfterSeconds_waitsWhatTheServerAsked() {
        stubSequence(
                server, List.of(error(429, "rate_limit_error").withHeader("retry-after", "1"), sse(textStream("ok"))));
        long start = System.nanoTime();
        assertEquals("ok", streamText());
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 950, "waited " + waited + " ms");
        assertEquals(2, requests(server));
    }

    @Test
    void create_retryAfterMs_waitsWhatTheServerAsked() {
        stubSequence(
                server,
                List.of(
                        error(529, "overloaded_error").withHeader("retry-after-ms", "400"),
                        error(400, "invalid_request_error")));
        long start = System.nanoTime();
        seen(assertThrows(ApiException.class, () -> client.messages().create(ClientTestSupport.request())));
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 380, "waited " + waited + " ms");
        assertEquals(2, requests(server));
    }

    @Test
    void stream_retryAfterAboveCap_notRetried() {
        server.stubFor(
                post(urlEqualTo(PATH)).willReturn(error(429, "rate_limit_error").withHeader("retry-after", "30")));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(30_000, e.retryAfterMillis().orElseThrow());
        assertEquals(1, requests(server));
    }

    @Test
    void stream_retryPolicyNone_singleAttempt() {
        client.close();
        client = ClientTestSupport.client(server.baseUrl())
                .retryPolicy(RetryPolicy.none())
                .build();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(error(529, "overloaded_error")));
        seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(1, requests(server));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overloaded_error", "api_error", "rate_limit_error"})
    void stream_inBandRetryableErrorBeforeContent_reopenedAndUserSeesOnlyTheGoodStream(String type) {
        stubSequence(server, List.of(sse(MESSAGE_START + PING + errorEvent(type)), sse(textStream("good"))));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            for (StreamEvent e : stream) events.add(e);
            assertEquals("good", stream.result().text());
        }
        assertEquals(2, requests(server));
        assertEquals(1, events.stream().filter(e -> e instanceof MessageStart).count(), "one message_start: " + events);
        assertEquals(0, events.stream().filter(e -> e instanceof Ping).count(), "the first attempt's ping is dropped");
    }

    @Test
    void stream_inBandErrorBeforeContentEveryTime_budgetSpentThenApiExceptionAfterHeldBackEvents() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse(MESSAGE_START + errorEvent("overloaded_error"))));
        List<StreamEvent> events = new ArrayList<>();
        ApiException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = seen(assertThrows(ApiException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(3, requests(server), "maxRetries + 1 attempts in all");
        assertTrue(e.inStream());
        assertEquals("overloaded_error", e.errorType());
        assertEquals(1, events.size(), "the last attempt's message_start is delivered: " + events);
        assertEquals("msg_1", e.partial(Message.class).orElseThrow().id());
    }

    @Test
    void stream_httpErrorThenInBandErrorBeforeContent_shareOneBudget() {
        stubSequence(
                server,
                List.of(
                        error(529, "overloaded_error"),
                        sse(MESSAGE_START + errorEvent("api_error")),
                        sse(MESSAGE_START + errorEvent("overloaded_error")),
                        sse(textStream("never"))));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(3, requests(server));
        assertTrue(e.inStream());
    }

    @Test
    void stream_inBandNonRetryableErrorBeforeContent_notRetried() {
        stubSequence(server, List.of(sse(MESSAGE_START + errorEvent("invalid_request_error")), sse(textStream("x"))));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals("invalid_request_error", e.errorType());
        assertEquals(1, requests(server));
    }

    @Test
    void stream_inBandErrorAfterContent_notRetriedApiExceptionWithPartialAfterAllEvents() {
        stubSequence(
                server,
                List.of(
                        sse(MESSAGE_START + BLOCK_START + delta("partial") + errorEvent("overloaded_error")),
                        sse(textStream("never"))));
        List<StreamEvent> events = new ArrayList<>();
        ApiException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = seen(assertThrows(ApiException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(1, requests(server));
        assertEquals(3, events.size());
        assertTrue(e.inStream());
        assertEquals("partial", e.partial(Message.class).orElseThrow().text());
        assertEquals("req_stream", e.requestId().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK"})
    void stream_faultAtOpening_retriedThenTransportException(Fault fault) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));
        SluiceException e = seen(assertThrows(SluiceException.class, this::streamText));
        assertInstanceOf(TransportException.class, e, e.toString());
        assertEquals(3, requests(server));
    }

    @Test
    void stream_faultThenOk_retriedAndSucceeds() {
        stubSequence(server, List.of(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), sse(textStream("fine"))));
        assertEquals("fine", streamText());
        assertEquals(2, requests(server));
    }

    @Test
    void stream_okStatusNotEventStream_protocolExceptionNamingContentType() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"msg_1\"}")));
        ProtocolException e = seen(assertThrows(ProtocolException.class, this::streamText));
        assertTrue(e.getMessage().contains("application/json"), e.getMessage());
        assertEquals(1, requests(server));
    }

    @Test
    void stream_malformedJsonInEvent_protocolExceptionNamingEventTypeAfterEventsBefore() {
        String bad =
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"ty\n\n";
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse(MESSAGE_START + BLOCK_START + delta("ok") + bad)));
        List<StreamEvent> events = new ArrayList<>();
        ProtocolException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = seen(assertThrows(ProtocolException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(3, events.size());
        assertTrue(e.getMessage().contains("'content_block_delta'"), e.getMessage());
        assertTrue(e.getMessage().contains("{\"type\":\"content_block_delta\""), e.getMessage());
        assertEquals("ok", e.partial(Message.class).orElseThrow().text());
    }

    @Test
    void result_eventsInAnImpossibleOrder_throwsTheSameProtocolExceptionEveryTime() {
        // a delta for block 1, which never started
        String stray = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n";
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse(MESSAGE_START + BLOCK_START + delta("ok") + stray)));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            ProtocolException first = seen(assertThrows(ProtocolException.class, stream::result));
            assertTrue(first.getMessage().contains("impossible order"), first.getMessage());
            assertEquals("ok", first.partial(Message.class).orElseThrow().text());
            assertSame(first, assertThrows(ProtocolException.class, stream::result));
            assertSame(first, stream.failure().orElseThrow());
        }
    }

    @Test
    void stream_malformedJsonBeforeContent_heldBackEventsDeliveredFirst() {
        String bad = "event: content_block_start\ndata: not json\n\n";
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse(MESSAGE_START + bad)));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            seen(assertThrows(ProtocolException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(1, events.size());
        assertEquals(1, requests(server));
    }

    @Test
    void create_malformedBody_protocolExceptionWithRequestId() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("request-id", "req_bad")
                        .withBody("{not json")));
        ProtocolException e = seen(
                assertThrows(ProtocolException.class, () -> client.messages().create(ClientTestSupport.request())));
        assertEquals("req_bad", e.requestId().orElseThrow());
    }
}
