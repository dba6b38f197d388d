package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The blocking HTTP/1.1 engine of {@link HttpTransport}, over real loopback sockets to a server that
 * writes exactly the bytes each test scripts ({@link RawHttpServer}): the three framings, keep-alive
 * and the pool, a kept-alive connection the server closed, bytes before a failure, cancels, the
 * head timeout and the overall deadline, and the engine's choice.
 */
class BlockingHttp1Test {
    private static final String SSE = "event: a\ndata: 1\n\nevent: stop\ndata: end\n\n";
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";

    private RawHttpServer server;
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
        transport =
                HttpTransport.builder().engine(HttpTransport.Engine.BLOCKING).build();
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        server.close();
    }

    private HttpPost post() {
        return HttpPost.json(server.uri("/v1/messages?beta=true"), Map.of("x-api-key", "k"), "{\"a\":1}");
    }

    private static String lengthResponse(String body) {
        return OK_HEAD + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private String read(StreamResponse response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Http1Pool pool() {
        Http1Pool pool = transport.pool();
        assertTrue(pool != null, "a blocking transport has a pool");
        return pool;
    }

    @Test
    void openStream_contentLength_bodyReadAndTheConnectionCarriesTheNextRequest() throws Exception {
        server.then(lengthResponse(SSE)).then(lengthResponse(SSE));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(1, pool().idleCount(), "given back to the pool at the body's end");
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(1, server.connections.get());
        String head = server.requests.get(0);
        assertTrue(head.startsWith("POST /v1/messages?beta=true HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), head);
        assertTrue(head.contains("\r\nx-api-key: k\r\n"), head);
        assertTrue(head.contains("\r\nContent-Type: application/json\r\n"), head);
        assertTrue(head.contains("\r\nAccept: text/event-stream\r\n"), head);
        assertTrue(head.contains("\r\nContent-Length: 7\r\n"), head);
    }

    @Test
    void openStream_chunkedWithExtensionsAndTrailers_bodyIsTheChunksDataAndTheConnectionIsReused() throws Exception {
        String chunked = OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + "5;name=value\r\nevent\r\n"
                + Integer.toHexString(SSE.length() - 5) + "\r\n" + SSE.substring(5) + "\r\n"
                + "0\r\nx-trailer: 1\r\n\r\n";
        server.then(chunked).then(chunked);
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(1, server.connections.get());
    }

    @Test
    void openStream_neitherLengthNorChunked_bodyReadToTheServersCloseAndNotReused() throws Exception {
        server.thenClose(OK_HEAD + "\r\n" + SSE).then(lengthResponse(SSE));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(0, pool().idleCount());
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(2, server.connections.get());
    }

    @Test
    void openStream_connectionClose_notReused() throws Exception {
        server.then(OK_HEAD + "Connection: close\r\nContent-Length: 2\r\n\r\nok")
                .then(lengthResponse(SSE));
        assertEquals("ok", read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(2, server.connections.get());
    }

    @Test
    void openStream_http10_notReused() throws Exception {
        server.then("HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 2\r\n\r\nok")
                .then(lengthResponse(SSE));
        assertEquals("ok", read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(2, server.connections.get());
    }

    @Test
    void openStream_keptAliveConnectionClosedByTheServer_sentAgainOnceOnANewConnection() throws Exception {
        server.then(lengthResponse(SSE)).then(lengthResponse(SSE));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        server.closeConnections(); // as a server closes an idle keep-alive connection
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(2, server.connections.get());
        assertEquals(2, server.requests.size(), "the closed connection carried no request");
    }

    @Test
    void openStream_bodyCutShort_everyByteReceivedIsReadThenTheFailure() throws Exception {
        server.thenClose(OK_HEAD + "Content-Length: 100\r\n\r\n" + SSE);
        StreamResponse response = transport.openStream(post(), Cancellation.NONE);
        InputStream body = response.body();
        byte[] got = new byte[SSE.length()];
        int n = 0;
        while (n < got.length) n += body.read(got, n, got.length - n);
        assertArrayEquals(SSE.getBytes(StandardCharsets.UTF_8), got);
        IOException cut = assertThrows(IOException.class, () -> body.read(new byte[10]));
        assertTrue(cut.getMessage().contains("before the end of the response body"), cut.getMessage());
        response.close();
        assertEquals(0, pool().idleCount());
    }

    @Test
    void body_closedFromAnotherThreadWhileAReadBlocks_theReadEndsPromptly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.then((s, out) -> {
            out.write((OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await(30, TimeUnit.SECONDS);
        });
        StreamResponse response = transport.openStream(post(), Cancellation.NONE);
        InputStream body = response.body();
        assertEquals('a', body.read());
        assertEquals('b', body.read());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                body.read();
            } catch (IOException e) {
                failed.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.WAITING);
        response.close();
        assertTrue(reader.join(Duration.ofSeconds(5)), "the blocked read ended");
        assertInstanceOf(IOException.class, failed.get());
        release.countDown();
        assertEquals(0, pool().idleCount());
    }

    @Test
    void openStream_cancelWhileWaitingForTheHead_cancellationExceptionPromptly() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        server.then((s, out) -> {
            asked.countDown();
            RawHttpServer.HOLD.answer(s, out);
        });
        TestCancellation cancel = new TestCancellation();
        Thread.ofVirtual().start(() -> {
            try {
                asked.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel();
        });
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThrows(
                        CancellationException.class, () -> transport.openStream(post(), cancel.cancellation())));
        assertEquals(0, pool().idleCount());
    }

    @Test
    void openStream_cancelledAfterTheBodyEnded_theKeptConnectionStaysOpen() throws Exception {
        server.then(lengthResponse(SSE)).then(lengthResponse(SSE));
        TestCancellation cancel = new TestCancellation();
        assertEquals(SSE, read(transport.openStream(post(), cancel.cancellation())));
        cancel.cancel(); // the exchange has ended: its listener must not close the pooled connection
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(1, server.connections.get());
    }

    @Test
    void openStream_cancelAfterTheStreamHasItsBody_bodyLeftForTheStreamToClose() throws Exception {
        server.then(lengthResponse(SSE));
        TestCancellation cancel = new TestCancellation();
        StreamResponse response = transport.openStream(post(), cancel.cancellation());
        cancel.cancel(); // a stream closes its body itself, after marking itself over (as with the HttpClient)
        assertEquals(SSE, read(response));
    }

    @Test
    void send_cancelWhileReadingTheBody_readCutShort() throws Exception {
        CountDownLatch headSent = new CountDownLatch(1);
        server.then((s, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            headSent.countDown();
            RawHttpServer.HOLD.answer(s, out);
        });
        TestCancellation cancel = new TestCancellation();
        Thread.ofVirtual().start(() -> {
            try {
                headSent.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel();
        });
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThrows(CancellationException.class, () -> transport.send(post(), cancel.cancellation())));
    }

    @Test
    void openStream_headLaterThanTheTimeout_firstEventTimeoutAndTheConnectionClosed() {
        server.then(RawHttpServer.HOLD);
        HttpPost slow = post().withTimeout(Duration.ofMillis(300));
        StreamTimeoutException e =
                assertThrows(StreamTimeoutException.class, () -> transport.openStream(slow, Cancellation.NONE));
        assertEquals(StreamTimeoutException.Timeout.FIRST_EVENT, e.timeout());
        assertEquals(Duration.ofMillis(300), e.limit());
        assertTrue(e.waited().compareTo(Duration.ofMillis(300)) >= 0, e.waited().toString());
        assertEquals(0, pool().idleCount());
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void send_bodySlowerThanTheOverallDeadline_totalTimeout(HttpTransport.Engine engine) throws Exception {
        try (HttpTransport t = HttpTransport.builder().engine(engine).build()) {
            server.then((s, out) -> {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawHttpServer.HOLD.answer(s, out);
            });
            long start = System.nanoTime();
            StreamTimeoutException e = assertThrows(
                    StreamTimeoutException.class,
                    () -> t.send(
                            post().withTimeout(Duration.ofSeconds(20)), Cancellation.NONE, Duration.ofMillis(400)));
            assertEquals(StreamTimeoutException.Timeout.TOTAL, e.timeout());
            assertEquals(Duration.ofMillis(400), e.limit());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        }
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void send_headLaterThanTheOverallDeadline_totalTimeout(HttpTransport.Engine engine) throws Exception {
        try (HttpTransport t = HttpTransport.builder().engine(engine).build()) {
            server.then(RawHttpServer.HOLD);
            StreamTimeoutException e = assertThrows(
                    StreamTimeoutException.class,
                    () -> t.send(
                            HttpPost.get(server.uri("/token"), Map.of()), Cancellation.NONE, Duration.ofMillis(300)));
            assertEquals(StreamTimeoutException.Timeout.TOTAL, e.timeout());
        }
    }

    /**
     * A non-streamed answer whose head came and whose body then stalls ends after the idle timeout,
     * as a stream's idle wait does, with the response's request id, its connection closed; the
     * overall deadline, far off, is not what ends it.
     */
    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void send_bodyStallsPastTheIdleTimeout_idleTimeoutWithTheRequestId(HttpTransport.Engine engine) throws Exception {
        try (HttpTransport t = HttpTransport.builder()
                .engine(engine)
                .requestIdHeader("request-id")
                .build()) {
            CountDownLatch closed = new CountDownLatch(1);
            server.then((s, out) -> {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nrequest-id: req_stalled\r\n"
                                + "Content-Length: 100\r\n\r\n{\"a\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawHttpServer.HOLD.answer(s, out);
                closed.countDown();
            });
            StreamTimeoutException e = assertThrows(
                    StreamTimeoutException.class,
                    () -> t.send(post(), Cancellation.NONE, Duration.ofSeconds(60), Duration.ofMillis(300), 1000));
            assertEquals(StreamTimeoutException.Timeout.IDLE, e.timeout());
            assertEquals(Duration.ofMillis(300), e.limit());
            assertTrue(
                    e.waited().compareTo(Duration.ofMillis(300)) >= 0,
                    e.waited().toString());
            assertEquals("req_stalled", e.requestId().orElse(null));
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the stalled connection is closed");
        }
    }

    /** An idle timeout with no overall deadline still ends a stalled body. */
    @Test
    void send_bodyStallsWithAnIdleTimeoutAndNoDeadline_idleTimeout() {
        server.then((s, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttpServer.HOLD.answer(s, out);
        });
        StreamTimeoutException e = assertThrows(
                StreamTimeoutException.class,
                () -> transport.send(post(), Cancellation.NONE, null, Duration.ofMillis(300), 1000));
        assertEquals(StreamTimeoutException.Timeout.IDLE, e.timeout());
        assertEquals(0, pool().idleCount());
    }

    @Test
    void send_withinTheOverallDeadline_answerRead() throws Exception {
        server.then("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
        JsonResponse r = transport.send(post(), Cancellation.NONE, Duration.ofSeconds(10));
        assertEquals("{\"a\":1}", r.body());
        assertEquals(1, pool().idleCount());
    }

    @Test
    void openStream_interimResponsesBeforeTheFinalOne_skipped() throws Exception {
        server.then(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + lengthResponse(SSE));
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
    }

    @Test
    void openStream_headBreakingHttp11_protocolExceptionNamingTheRuleAndNoRetry() throws Exception {
        server.then(OK_HEAD + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabc");
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> transport.openStream(post(), Cancellation.NONE));
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
        assertTrue(e.getMessage().contains("more than one Content-Length (RFC 9112 §6.3)"), e.getMessage());
        assertInstanceOf(Http1ComplianceException.class, e.getCause());
        assertEquals(0, pool().idleCount(), "the connection is closed, never reused");
    }

    @Test
    void openStream_errorStatusOverTheBlockingEngine_apiExceptionWithTheBody() {
        server.then("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 56\r\n\r\n"
                + "{\"type\":\"error\",\"error\":{\"type\":\"rate\",\"message\":\"slow\"}}");
        RetryableFailure f =
                assertThrows(RetryableFailure.class, () -> transport.openStream(post(), Cancellation.NONE));
        assertTrue(f.failure().getMessage().contains("slow"), f.failure().getMessage());
    }

    @Test
    void openStream_connectionRefused_retryableTransportException() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpPost refused = HttpPost.json(URI.create("http://127.0.0.1:" + port + "/v1"), Map.of(), "{}");
        RetryableFailure f =
                assertThrows(RetryableFailure.class, () -> transport.openStream(refused, Cancellation.NONE));
        TransportException t = assertInstanceOf(TransportException.class, f.failure());
        assertTrue(t.getMessage().endsWith("failed before a response arrived: connection refused"), t.getMessage());
    }

    @Test
    void closeAtEnd_endHeldBackPastTheGrace_connectionClosedAndTheNextRequestOpensAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.then((s, out) -> {
            out.write((OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SSE.length()) + "\r\n" + SSE
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await(30, TimeUnit.SECONDS);
        });
        server.then(lengthResponse(SSE));
        StreamResponse response = transport.openStream(post(), Cancellation.NONE);
        InputStream body = response.body();
        assertEquals(SSE, new String(body.readNBytes(SSE.length()), StandardCharsets.UTF_8));
        assertFalse(((ResponseBody) body).closeAtEnd(TimeUnit.MILLISECONDS.toNanos(100), 1024));
        release.countDown();
        assertEquals(SSE, read(transport.openStream(post(), Cancellation.NONE)));
        assertEquals(2, server.connections.get());
    }

    @Test
    void closeAtEnd_endArrivesWithinTheGrace_connectionReused() throws Exception {
        String chunked = OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SSE.length()) + "\r\n"
                + SSE + "\r\n0\r\n\r\n";
        server.then(chunked).then(chunked);
        for (int i = 0; i < 2; i++) {
            StreamResponse response = transport.openStream(post(), Cancellation.NONE);
            InputStream body = response.body();
            assertEquals(SSE, new String(body.readNBytes(SSE.length()), StandardCharsets.UTF_8));
            assertTrue(((ResponseBody) body).closeAtEnd(TimeUnit.SECONDS.toNanos(5), 1024));
        }
        assertEquals(1, server.connections.get());
    }

    @Test
    void build_default_blockingAndToStringSaysSo() {
        assertEquals(HttpTransport.Engine.BLOCKING, transport.engine());
        assertEquals("HttpTransport[blocking HTTP/1.1]", transport.toString());
    }

    @Test
    void build_callersHttpClient_httpClientServesAndToStringSaysWhy() {
        try (java.net.http.HttpClient mine = java.net.http.HttpClient.newBuilder()
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .build();
                HttpTransport t = HttpTransport.builder().client(mine).build()) {
            assertEquals(HttpTransport.Engine.HTTP_CLIENT, t.engine());
            assertEquals("HttpTransport[java.net.http HttpClient (the caller's HttpClient)]", t.toString());
        }
    }

    @Test
    void build_proxyForTheDestination_httpClientServesAndToStringSaysWhy() {
        ProxySelector before = ProxySelector.getDefault();
        AtomicReference<URI> asked = new AtomicReference<>();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.set(uri);
                return uri.getHost().equals("api.example.com")
                        ? List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy", 3128)))
                        : List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
        try (HttpTransport proxied = HttpTransport.builder()
                        .destination(URI.create("https://api.example.com/v1"))
                        .build();
                HttpTransport direct = HttpTransport.builder()
                        .destination(URI.create("https://direct.example.com/v1"))
                        .build();
                HttpTransport unknown = HttpTransport.builder().build()) {
            assertEquals(HttpTransport.Engine.HTTP_CLIENT, proxied.engine());
            assertEquals(
                    "HttpTransport[java.net.http HttpClient (a proxy is configured for api.example.com)]",
                    proxied.toString());
            assertEquals(HttpTransport.Engine.BLOCKING, direct.engine());
            assertEquals(
                    HttpTransport.Engine.HTTP_CLIENT, unknown.engine(), "no destination: any selector but the JDK's");
        } finally {
            ProxySelector.setDefault(before);
        }
    }

    @Test
    void encode_restrictedHeader_refusedNamingItNeverItsValue() {
        HttpPost withHost = HttpPost.json(server.uri("/v1"), Map.of("Host", "secret-value"), "{}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> transport.openStream(withHost, Cancellation.NONE));
        assertTrue(e.getMessage().contains("Host"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
    }
}
