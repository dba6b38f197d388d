package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.sluice.anthropic.ClientTestSupport.BLOCK_START;
import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_START;
import static dev.sluice.anthropic.ClientTestSupport.PATH;
import static dev.sluice.anthropic.ClientTestSupport.PING;
import static dev.sluice.anthropic.ClientTestSupport.apiError;
import static dev.sluice.anthropic.ClientTestSupport.delta;
import static dev.sluice.anthropic.ClientTestSupport.errorEvent;
import static dev.sluice.anthropic.ClientTestSupport.replay;
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

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.ApiException;
import dev.sluice.LoopbackWireMock;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP errors, retries, in-band errors, faults and malformed responses, from stream() and create():
 * scripted on the test kit's server; the faults it cannot make (a reset connection, no response at
 * all, a broken chunk) on WireMock.
 */
class AnthropicClientErrorsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    /** Only for the raw HTTP faults. */
    @RegisterExtension
    static final WireMockExtension faults = LoopbackWireMock.server();

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
    static void captureLogs() {
        Logger sluice = Logger.getLogger("dev.sluice");
        sluiceLevel = sluice.getLevel();
        sluice.setLevel(Level.ALL);
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    /** The API key appears in no exception message (causes included), toString or log line of this class's tests. */
    @AfterAll
    static void checkSecrets() {
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
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString()).build();
    }

    /** Answers every request with this response. */
    private static void always(FakeResponse response) {
        FAKE.server().setDispatcher(r -> response);
    }

    /** Answers the requests in order with these responses; the last one repeats. */
    private static void script(List<FakeResponse> responses) {
        FAKE.server().enqueue(responses.toArray(FakeResponse[]::new));
        always(responses.getLast());
    }

    @AfterEach
    void tearDown() {
        client.close();
        requests(FAKE.server()); // each one a POST to the messages path
    }

    @Test
    void stream_serverEchoesTheKey_redactedFromTheMessage() {
        always(FakeResponse.status(401)
                .body(
                        "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":"
                                + "\"authentication_error\",\"message\":\"invalid x-api-key " + KEY + "\"}}"));
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
        always(apiError(status, type));
        for (Call call : Call.values()) {
            int before = requests(FAKE.server());
            ApiException e = seen(assertThrows(ApiException.class, () -> call.run.apply(this), call.name()));
            assertEquals(status, e.statusCode());
            assertEquals(type, e.errorType());
            assertEquals("message of " + type, e.errorMessage());
            assertFalse(e.inStream());
            assertEquals("req_" + status, e.requestId().orElseThrow());
            assertEquals(attempts, requests(FAKE.server()) - before, call + ": attempts");
        }
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void call_overloadedThenOk_retriedAndSucceeds(Call call) {
        String json = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Hi there\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}";
        script(List.of(
                apiError(529, "overloaded_error"),
                apiError(500, "api_error"),
                call == Call.STREAM
                        ? replay(textStream("Hi", " there"))
                        : FakeResponse.status(200).body("application/json", json)));
        assertEquals("Hi there", call.run.apply(this));
        assertEquals(3, requests(FAKE.server()));
    }

    @Test
    void stream_retryAfterSeconds_waitsWhatTheServerAsked() {
        script(List.of(apiError(429, "rate_limit_error").header("retry-after", "1"), replay(textStream("ok"))));
        long start = System.nanoTime();
        assertEquals("ok", streamText());
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 950, "waited " + waited + " ms");
        assertEquals(2, requests(FAKE.server()));
    }

    @Test
    void create_retryAfterMs_waitsWhatTheServerAsked() {
        script(List.of(
                apiError(529, "overloaded_error").header("retry-after-ms", "400"),
                apiError(400, "invalid_request_error")));
        long start = System.nanoTime();
        seen(assertThrows(ApiException.class, () -> client.messages().create(ClientTestSupport.request())));
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 380, "waited " + waited + " ms");
        assertEquals(2, requests(FAKE.server()));
    }

    @Test
    void stream_retryAfterAboveCap_notRetried() {
        always(apiError(429, "rate_limit_error").header("retry-after", "30"));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(30_000, e.retryAfterMillis().orElseThrow());
        assertEquals(1, requests(FAKE.server()));
    }

    @Test
    void stream_retryPolicyNone_singleAttempt() {
        client.close();
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        always(apiError(529, "overloaded_error"));
        seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(1, requests(FAKE.server()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overloaded_error", "api_error", "rate_limit_error"})
    void stream_inBandRetryableErrorBeforeContent_reopenedAndUserSeesOnlyTheGoodStream(String type) {
        script(List.of(replay(MESSAGE_START + PING + errorEvent(type)), replay(textStream("good"))));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            for (StreamEvent e : stream) events.add(e);
            assertEquals("good", stream.result().text());
        }
        assertEquals(2, requests(FAKE.server()));
        assertEquals(1, events.stream().filter(e -> e instanceof MessageStart).count(), "one message_start: " + events);
        assertEquals(0, events.stream().filter(e -> e instanceof Ping).count(), "the first attempt's ping is dropped");
    }

    @Test
    void stream_inBandErrorBeforeContentEveryTime_budgetSpentThenApiExceptionAfterHeldBackEvents() {
        always(replay(MESSAGE_START + errorEvent("overloaded_error")));
        List<StreamEvent> events = new ArrayList<>();
        ApiException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = seen(assertThrows(ApiException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(3, requests(FAKE.server()), "maxRetries + 1 attempts in all");
        assertTrue(e.inStream());
        assertEquals("overloaded_error", e.errorType());
        assertEquals(1, events.size(), "the last attempt's message_start is delivered: " + events);
        assertEquals("msg_1", e.partial(Message.class).orElseThrow().id());
    }

    @Test
    void stream_httpErrorThenInBandErrorBeforeContent_shareOneBudget() {
        script(List.of(
                apiError(529, "overloaded_error"),
                replay(MESSAGE_START + errorEvent("api_error")),
                replay(MESSAGE_START + errorEvent("overloaded_error")),
                replay(textStream("never"))));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals(3, requests(FAKE.server()));
        assertTrue(e.inStream());
    }

    @Test
    void stream_inBandNonRetryableErrorBeforeContent_notRetried() {
        script(List.of(replay(MESSAGE_START + errorEvent("invalid_request_error")), replay(textStream("x"))));
        ApiException e = seen(assertThrows(ApiException.class, this::streamText));
        assertEquals("invalid_request_error", e.errorType());
        assertEquals(1, requests(FAKE.server()));
    }

    @Test
    void stream_inBandErrorAfterContent_notRetriedApiExceptionWithPartialAfterAllEvents() {
        script(List.of(
                replay(MESSAGE_START + BLOCK_START + delta("partial") + errorEvent("overloaded_error")),
                replay(textStream("never"))));
        List<StreamEvent> events = new ArrayList<>();
        ApiException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = seen(assertThrows(ApiException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(1, requests(FAKE.server()));
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
        useFaultServer();
        faults.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));
        SluiceException e = seen(assertThrows(SluiceException.class, this::streamText));
        assertInstanceOf(TransportException.class, e, e.toString());
        assertEquals(3, requests(faults));
    }

    @Test
    void stream_faultThenOk_retriedAndSucceeds() {
        useFaultServer();
        stubSequence(faults, List.of(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), sse(textStream("fine"))));
        assertEquals("fine", streamText());
        assertEquals(2, requests(faults));
    }

    /** Points the client at WireMock, for a raw HTTP fault the test kit's server cannot make. */
    private void useFaultServer() {
        client.close();
        client = ClientTestSupport.client(faults.baseUrl()).build();
    }

    @Test
    void stream_okStatusNotEventStream_protocolExceptionNamingContentType() {
        always(FakeResponse.status(200).body("application/json", "{\"id\":\"msg_1\"}"));
        ProtocolException e = seen(assertThrows(ProtocolException.class, this::streamText));
        assertTrue(e.getMessage().contains("application/json"), e.getMessage());
        assertEquals(1, requests(FAKE.server()));
    }

    @Test
    void stream_malformedJsonInEvent_protocolExceptionNamingEventTypeAfterEventsBefore() {
        String bad =
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"ty\n\n";
        always(replay(MESSAGE_START + BLOCK_START + delta("ok") + bad));
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
        always(replay(MESSAGE_START + BLOCK_START + delta("ok") + stray));
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
        always(replay(MESSAGE_START + bad));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            seen(assertThrows(ProtocolException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            }));
        }
        assertEquals(1, events.size());
        assertEquals(1, requests(FAKE.server()));
    }

    @Test
    void create_malformedBody_protocolExceptionWithRequestId() {
        always(FakeResponse.status(200).header("request-id", "req_bad").body("application/json", "{not json"));
        ProtocolException e = seen(
                assertThrows(ProtocolException.class, () -> client.messages().create(ClientTestSupport.request())));
        assertEquals("req_bad", e.requestId().orElseThrow());
    }
}
