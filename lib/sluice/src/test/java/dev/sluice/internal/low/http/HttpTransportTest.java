package dev.sluice.internal.low.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.LoopbackWireMock;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.call.stream.Retrier;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class HttpTransportTest {
    private static final String PATH = "/v1/messages";
    private static final String SECRET = "sk-ant-test-SECRET-0123456789";
    private static final String SSE = "event: ping\ndata: {\"type\":\"ping\"}\n\n";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @RegisterExtension
    static final WireMockExtension server = LoopbackWireMock.server();

    private HttpTransport transport;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        transport = HttpTransport.builder()
                .requestIdHeader("request-id")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .errorBodyTimeout(Duration.ofMillis(300))
                .build();
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private HttpPost request() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", SECRET);
        headers.put("anthropic-version", "2023-06-01");
        return HttpPost.json(URI.create(server.baseUrl() + PATH), headers, "{\"model\":\"m\",\"stream\":true}");
    }

    private Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, (delay, cancelled) -> sleeps.add(delay), () -> 0.0);
    }

    private StreamResponse open(RetryPolicy policy) throws Exception {
        return retrier(policy).call(() -> transport.openStream(request(), Cancellation.NONE));
    }

    private static ResponseDefinitionBuilder sse() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream; charset=utf-8")
                .withHeader("request-id", "req_ok")
                .withBody(SSE);
    }

    private static ResponseDefinitionBuilder error(int status, String type) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_" + status)
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"message of " + type
                        + "\"}}");
    }

    private void stubSequence(ResponseDefinitionBuilder... responses) {
        String state = STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "after-" + i;
            server.stubFor(post(urlEqualTo(PATH))
                    .inScenario("seq")
                    .whenScenarioStateIs(state)
                    .willReturn(responses[i])
                    .willSetStateTo(next));
            state = next;
        }
    }

    private int requests() {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(PATH)).build())
                .getCount();
    }

    @Test
    void openStream_eventStream_returnsBodyStatusAndRequestIdAndSendsHeaders() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse()));
        try (StreamResponse r = open(RetryPolicy.none())) {
            assertEquals(200, r.statusCode());
            assertEquals("req_ok", r.requestId());
            assertEquals(SSE, new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(SECRET))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("{\"model\":\"m\",\"stream\":true}")));
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error",
        "401, authentication_error",
        "403, permission_error",
        "404, not_found_error",
        "413, request_too_large",
        "429, rate_limit_error",
        "500, api_error",
        "529, overloaded_error"
    })
    void openStream_errorStatus_apiExceptionWithStatusTypeMessageAndRequestId(int status, String type) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(error(status, type)));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals(status, e.statusCode());
        assertEquals(type, e.errorType());
        assertEquals("message of " + type, e.errorMessage());
        assertEquals(Optional.of("req_" + status), e.requestId());
        assertFalse(e.inStream());
        assertTrue(e.getMessage().contains(type), e.getMessage());
        assertEquals(1, requests());
    }

    @Test
    void openStream_nonJsonErrorBody_httpErrorTypeAndTruncatedBodyAsMessage() {
        String text = "bad gateway ".repeat(100);
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(text)));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals("http_error_502", e.errorType());
        assertTrue(e.errorMessage().startsWith("bad gateway bad gateway"), e.errorMessage());
        assertTrue(e.errorMessage().length() <= ServerText.MAX_MESSAGE_CHARS + 1, e.errorMessage());
    }

    @Test
    void openStream_htmlErrorPage_saysWhatItIsAndWhereFromNotTheMarkup() {
        // what another server at the base URL sends (here Python's http.server refusing a POST)
        String page = "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<title>Error response</title>\n</head>\n"
                + "<body><h1>Error response</h1><p>Error code: 501</p></body>\n</html>\n";
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(501)
                        .withHeader("Content-Type", "text/html;charset=utf-8")
                        .withBody(page)));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals("http_error_501", e.errorType());
        assertEquals(
                "an HTML page from " + URI.create(server.baseUrl()).getHost() + ":" + server.getPort()
                        + " (\"Error response\"), not the API's error: is the base URL the provider's?",
                e.errorMessage());
    }

    @Test
    void openStream_openAiAndGeminiErrorShapes_readByStandardParser() {
        stubSequence(
                aResponse()
                        .withStatus(401)
                        .withBody("{\"error\":{\"message\":\"Incorrect API key\","
                                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"),
                aResponse()
                        .withStatus(400)
                        .withBody(
                                "{\"error\":{\"code\":400,\"message\":\"bad\"," + "\"status\":\"INVALID_ARGUMENT\"}}"));
        ApiException openAi = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals("invalid_request_error", openAi.errorType());
        assertEquals("Incorrect API key", openAi.errorMessage());
        ApiException gemini = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals("INVALID_ARGUMENT", gemini.errorType());
    }

    @Test
    void openStream_429Then200_retriedOnce() throws Exception {
        stubSequence(error(429, "rate_limit_error"), sse());
        try (StreamResponse r = open(RetryPolicy.defaults())) {
            assertEquals(200, r.statusCode());
        }
        assertEquals(2, requests());
        assertEquals(List.of(Duration.ofMillis(500)), sleeps);
    }

    @Test
    void openStream_500ThreeTimesWithTwoRetries_apiExceptionAfterThreeRequests() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(error(500, "api_error")));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.defaults()));
        assertEquals(500, e.statusCode());
        assertEquals(3, requests());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeps);
    }

    @Test
    void openStream_400_notRetried() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(error(400, "invalid_request_error")));
        assertThrows(ApiException.class, () -> open(RetryPolicy.defaults()));
        assertEquals(1, requests());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void openStream_400WithShouldRetryTrue_retried() throws Exception {
        stubSequence(error(400, "invalid_request_error").withHeader("x-should-retry", "true"), sse());
        open(RetryPolicy.defaults()).close();
        assertEquals(2, requests());
    }

    @Test
    void openStream_503WithShouldRetryFalse_notRetried() {
        server.stubFor(
                post(urlEqualTo(PATH)).willReturn(error(503, "api_error").withHeader("x-should-retry", "false")));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.defaults()));
        assertEquals(503, e.statusCode());
        assertEquals(1, requests());
    }

    @Test
    void openStream_retryAfterMs_delayHonoured() throws Exception {
        stubSequence(error(529, "overloaded_error").withHeader("retry-after-ms", "1234.5"), sse());
        open(RetryPolicy.defaults()).close();
        assertEquals(List.of(Duration.ofMillis(1235)), sleeps);
    }

    @Test
    void openStream_retryAfterSeconds_delayHonouredBeyondMaxBackoff() throws Exception {
        stubSequence(error(429, "rate_limit_error").withHeader("retry-after", "20"), sse());
        open(RetryPolicy.defaults()).close();
        assertEquals(List.of(Duration.ofSeconds(20)), sleeps);
    }

    @Test
    void openStream_retryAfterHttpDate_delayCountedFromClock() throws Exception {
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(5).atOffset(ZoneOffset.UTC));
        stubSequence(error(503, "api_error").withHeader("retry-after", date), sse());
        open(RetryPolicy.defaults()).close();
        assertEquals(List.of(Duration.ofSeconds(5)), sleeps);
    }

    @Test
    void openStream_retryAfterAboveCap_notRetriedAndDelayReported() {
        server.stubFor(
                post(urlEqualTo(PATH)).willReturn(error(429, "rate_limit_error").withHeader("retry-after", "61")));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.defaults()));
        assertEquals(OptionalInt.of(61_000), e.retryAfterMillis());
        assertEquals(1, requests());
        assertEquals(List.of(), sleeps);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"
            })
    void openStream_fault_retriedThenTransportExceptionNamingHostAndPort(Fault fault) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));
        TransportException e = assertThrows(TransportException.class, () -> open(RetryPolicy.defaults()));
        assertEquals(3, requests());
        assertTrue(e.getMessage().contains("localhost:" + server.getPort()), e.getMessage());
        assertFalse(e.getMessage().contains(PATH), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void openStream_faultThenSuccess_recovers() throws Exception {
        stubSequence(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), sse());
        open(RetryPolicy.defaults()).close();
        assertEquals(2, requests());
    }

    @Test
    void openStream_connectionRefused_transportExceptionNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpPost refused = HttpPost.json(URI.create("http://127.0.0.1:" + port + PATH + "?key=q"), Map.of(), "{}");
        TransportException e = assertThrows(
                TransportException.class,
                () -> retrier(RetryPolicy.defaults().withMaxRetries(1))
                        .call(() -> transport.openStream(refused, Cancellation.NONE)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().endsWith(" failed before a response arrived: connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains("java."), "no class names in what a person reads: " + e.getMessage());
        assertFalse(e.getMessage().contains("key=q"), e.getMessage());
        assertEquals(1, sleeps.size());
    }

    @Test
    void inWords_jdkFailures_sayWhatHappenedWithoutClassNames() {
        assertEquals("connection refused", ErrorResponses.inWords(new java.net.ConnectException()));
        assertEquals("the host name could not be resolved", ErrorResponses.inWords((java.io.IOException)
                new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException())));
        assertEquals(
                "Connection reset",
                ErrorResponses.inWords(new java.io.IOException(new java.net.SocketException("Connection reset"))));
        assertEquals("the connection was closed", ErrorResponses.inWords(new java.io.EOFException()));
        assertEquals("an I/O error", ErrorResponses.inWords(new java.io.IOException()));
    }

    @Test
    void openStream_jsonContentType_protocolExceptionNamingItWithExcerpt() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("request-id", "req_json")
                        .withBody("{\"id\":\"msg_1\"}")));
        ProtocolException e = assertThrows(ProtocolException.class, () -> open(RetryPolicy.defaults()));
        assertTrue(e.getMessage().contains("application/json"), e.getMessage());
        assertTrue(e.getMessage().contains("{\"id\":\"msg_1\"}"), e.getMessage());
        assertEquals(Optional.of("req_json"), e.requestId());
        assertEquals(1, requests());
    }

    @Test
    void openStream_redirect_notFollowedProtocolExceptionNamingHost() {
        WireMockServer other = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        other.start();
        try {
            other.stubFor(post(urlEqualTo("/steal")).willReturn(sse()));
            server.stubFor(post(urlEqualTo(PATH))
                    .willReturn(aResponse()
                            .withStatus(307)
                            .withHeader("Location", "http://localhost:" + other.port() + "/steal")));
            ProtocolException e = assertThrows(ProtocolException.class, () -> open(RetryPolicy.defaults()));
            assertTrue(e.getMessage().contains("307") && e.getMessage().contains("host localhost"), e.getMessage());
            assertEquals(0, other.getAllServeEvents().size());
            assertEquals(1, requests());
        } finally {
            other.stop();
        }
    }

    @Test
    void build_createdClient_neverFollowsRedirectsAndIsClosedByClose() {
        HttpTransport own =
                HttpTransport.builder().engine(HttpTransport.Engine.HTTP_CLIENT).build();
        assertTrue(own.ownsClient());
        assertEquals(HttpClient.Redirect.NEVER, own.client().followRedirects());
        own.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> own.client().isTerminated());
    }

    @Test
    void build_createdClient_runsItsTasksOnAClientExecutorThatCloseShutsDown() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse()));
        HttpTransport own =
                HttpTransport.builder().engine(HttpTransport.Engine.HTTP_CLIENT).build();
        ClientExecutor executor =
                assertInstanceOf(ClientExecutor.class, own.client().executor().orElseThrow());
        own.openStream(request(), Cancellation.NONE).close(); // requests work through it
        own.close();
        assertTrue(executor.isShutdown());
    }

    @Test
    void openStream_createdClient_exchangeOpenUntilTheBodyEndsOrTheExchangeFails() throws Exception {
        // A body that takes 6 s to arrive (a chunk every 2 s): open until closed.
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse().withChunkedDribbleDelay(3, 6_000)));
        try (HttpTransport own =
                HttpTransport.builder().engine(HttpTransport.Engine.HTTP_CLIENT).build()) {
            ClientExecutor executor = (ClientExecutor) own.client().executor().orElseThrow();
            StreamResponse stream = own.openStream(request(), Cancellation.NONE);
            assertEquals(1, executor.open());
            stream.body().close();
            assertEquals(0, executor.open());

            // A body received to its end: no longer open, even before it is closed.
            server.stubFor(post(urlEqualTo(PATH)).willReturn(sse()));
            StreamResponse whole = own.openStream(request(), Cancellation.NONE);
            assertEquals(SSE, new String(whole.body().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, executor.open());
            whole.body().close();

            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            HttpPost refused = HttpPost.json(URI.create("http://127.0.0.1:" + closedPort + PATH), Map.of(), "{}");
            assertThrows(RetryableFailure.class, () -> own.openStream(refused, Cancellation.NONE));
            assertEquals(0, executor.open());
        }
    }

    @Test
    void build_callerClientFollowingRedirects_rejected() {
        try (HttpClient follows = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> HttpTransport.builder().client(follows));
            assertTrue(e.getMessage().contains("Redirect.NEVER"), e.getMessage());
        }
    }

    @Test
    void close_callerClient_leftOpen() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse()));
        try (HttpClient mine = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            HttpTransport borrowed = HttpTransport.builder().client(mine).build();
            assertFalse(borrowed.ownsClient());
            borrowed.close();
            borrowed.openStream(request(), Cancellation.NONE).close();
            assertFalse(mine.isTerminated());
        }
    }

    @Test
    void openStream_headersLaterThanTimeout_firstEventTimeoutNotRetried() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse().withFixedDelay(3_000)));
        HttpPost timed = request().withTimeout(Duration.ofMillis(200), Duration.ofSeconds(1));
        StreamTimeoutException e = assertThrows(
                StreamTimeoutException.class,
                () -> retrier(RetryPolicy.defaults()).call(() -> transport.openStream(timed, Cancellation.NONE)));
        assertEquals(StreamTimeoutException.Timeout.FIRST_EVENT, e.timeout());
        assertEquals(Duration.ofSeconds(1), e.limit());
        assertTrue(
                e.waited().compareTo(Duration.ofMillis(1000)) >= 0, e.waited().toString());
        assertEquals(1, requests());
    }

    @Test
    void openStream_cancelWhileWaitingForHeaders_abortsPromptly() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse().withFixedDelay(10_000)));
        TestCancellation cancel = new TestCancellation();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                transport.openStream(request(), cancel.cancellation()).close();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> requests() == 1);
        cancel.cancel();
        await().atMost(Duration.ofSeconds(2)).until(() -> outcome.get() != null);
        assertInstanceOf(CancellationException.class, outcome.get());
    }

    @Test
    void call_cancelDuringBackoffOverHttp_abortsPromptly() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(error(503, "api_error").withHeader("retry-after", "50")));
        Retrier real = new Retrier(RetryPolicy.defaults());
        TestCancellation cancel = new TestCancellation();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                real.call(() -> transport.openStream(request(), cancel.cancellation()), cancel.cancellation());
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> requests() == 1 && cancel.listeners() >= 2);
        cancel.cancel();
        await().atMost(Duration.ofSeconds(2)).until(() -> outcome.get() != null);
        CancellationException e = assertInstanceOf(CancellationException.class, outcome.get());
        assertInstanceOf(ApiException.class, e.getCause());
        assertEquals(1, requests());
    }

    @Test
    void call_realSmallBackoff_retriesAfterWaiting() throws Exception {
        stubSequence(error(503, "api_error"), sse());
        Retrier real = new Retrier(
                RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(80)).withJitter(0));
        long start = System.nanoTime();
        real.call(() -> transport.openStream(request(), Cancellation.NONE)).close();
        assertTrue(System.nanoTime() - start >= 80_000_000L);
        assertEquals(2, requests());
    }

    @Test
    void openStream_errorBodyStalling_apiExceptionWithWhatArrivedAfterErrorBodyTimeout() throws Exception {
        String partial = "{\"partial";
        try (FakeLlmServer stalling = FakeLlmServer.start()) {
            // a 500 whose body of 1000 bytes stops after its first few, the connection held open
            stalling.enqueue(FakeResponse.status(500)
                    .body("text/plain", partial + " ".repeat(1000 - partial.length()))
                    .header("request-id", "req_stall")
                    .stallAfterBytes(partial.length()));
            HttpPost stalled = HttpPost.json(stalling.baseUrl().resolve(PATH), Map.of(), "{}");
            long start = System.nanoTime();
            RetryableFailure f = assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> assertThrows(RetryableFailure.class, () -> transport.openStream(stalled, Cancellation.NONE)));
            ApiException e = assertInstanceOf(ApiException.class, f.failure());
            assertTrue(System.nanoTime() - start < 3_000_000_000L);
            assertEquals("http_error_500", e.errorType());
            assertEquals(partial, e.errorMessage());
            assertEquals(Optional.of("req_stall"), e.requestId());
        }
    }

    @Test
    void openStream_cleartextHttp_plainHttp11WithoutH2cUpgrade() throws Exception {
        try (FakeLlmServer plain = FakeLlmServer.start()) {
            plain.enqueue(FakeResponse.sse(SSE));
            HttpPost post = HttpPost.json(plain.baseUrl().resolve(PATH), Map.of(), "{}");
            try (StreamResponse r = assertTimeoutPreemptively(
                    Duration.ofSeconds(5), () -> transport.openStream(post, Cancellation.NONE))) {
                assertEquals(SSE, new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            RecordedRequest sent = plain.takeRequest(); // an HTTP/1.x request, or the server would have refused it
            assertEquals("POST", sent.method());
            assertEquals(PATH, sent.target());
            assertNull(sent.header("upgrade"), sent.headers().toString());
            assertNull(sent.header("http2-settings"), sent.headers().toString());
            assertFalse(String.valueOf(sent.header("connection"))
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("upgrade"));
        }
    }

    @Test
    void send_json_returnsBody() throws Exception {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("request-id", "req_1")
                        .withBody("{\"id\":\"msg_1\"}")));
        JsonResponse r = retrier(RetryPolicy.none()).call(() -> transport.send(request(), Cancellation.NONE));
        assertEquals("{\"id\":\"msg_1\"}", r.body());
        assertEquals("req_1", r.requestId());
        server.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void send_529Then200_retriedAndErrorsMappedAsForStreams() throws Exception {
        stubSequence(error(529, "overloaded_error"), aResponse().withStatus(200).withBody("{}"));
        assertEquals(
                "{}",
                retrier(RetryPolicy.defaults())
                        .call(() -> transport.send(request(), Cancellation.NONE))
                        .body());
        assertEquals(2, requests());
    }

    @Test
    void send_bodyOverLimit_limitExceeded() {
        HttpTransport small = HttpTransport.builder().maxResponseBytes(10).build();
        try (small) {
            server.stubFor(post(urlEqualTo(PATH))
                    .willReturn(aResponse().withStatus(200).withBody("{\"a\":\"0123456789\"}")));
            LimitExceededException e =
                    assertThrows(LimitExceededException.class, () -> small.send(request(), Cancellation.NONE));
            assertEquals("maxResponseBytes", e.limit());
        }
    }

    @Test
    void failures_secretHeaderValue_neverInMessagesOrToString() {
        List<Throwable> failures = new ArrayList<>();
        String echo = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key " + SECRET
                + "\"}}";
        stubSequence(
                aResponse().withStatus(401).withBody(echo),
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("key " + SECRET),
                aResponse().withStatus(302).withHeader("Location", "https://elsewhere.example/?k=" + SECRET),
                aResponse().withStatus(502).withBody("<html>" + SECRET + "</html>"),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        for (int i = 0; i < 5; i++) {
            failures.add(assertThrows(SluiceException.class, () -> open(RetryPolicy.none())));
        }
        failures.add(assertThrows(
                IllegalArgumentException.class,
                () -> new HttpPost(request().uri(), Map.of("x-api-key", SECRET + "\n"), "{}", null, null)));
        failures.add(assertThrows(
                IllegalArgumentException.class,
                () -> transport.openStream(
                        HttpPost.json(request().uri(), Map.of("Host", SECRET), "{}"), Cancellation.NONE)));
        List<String> texts = new ArrayList<>(List.of(request().toString()));
        for (Throwable f : failures) {
            for (Throwable t = f; t != null; t = t.getCause()) {
                texts.add(t.toString());
                texts.add(String.valueOf(t.getMessage()));
            }
        }
        for (String text : texts) assertFalse(text.contains(SECRET), text);
        assertTrue(texts.stream().anyMatch(t -> t.contains("[redacted]")), texts.toString());
    }

    @Test
    void apiError_serverQuotesTheKeyAndTheVersion_onlyTheKeyRedacted() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(error(400, "invalid_request_error")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
                                + "\"anthropic-version 2023-06-01 does not allow the key " + SECRET + "\"}}")));
        ApiException e = assertThrows(ApiException.class, () -> open(RetryPolicy.none()));
        assertEquals("anthropic-version 2023-06-01 does not allow the key [redacted]", e.errorMessage());
    }
}
