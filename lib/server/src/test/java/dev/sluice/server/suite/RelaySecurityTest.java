package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelaySocket;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules that keep the relay's server safe on a network, each checked from outside over
 * loopback with raw sockets and the JDK's clients: origin, host, media type, headers, and the
 * bounds on what a client can make the server hold (unknown assets, a WebSocket that never reads,
 * a stream that runs out of memory). What only a connection can bound is {@code sluice serve}'s
 * (its tests in sluice-cli).
 */
class RelaySecurityTest {
    private static final String JSON = "{\"prompt\":\"Tell me about the ocean\"}";
    private static final String STALL = "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}";
    private static final String EVIL = "http://evil.example";
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static int port;

    @BeforeAll
    static void start() {
        // one test runs a source out of memory: its pump rethrows the error after ending that stream, and the
        // thread dies of it; Awaitility would otherwise fail whichever wait is running at that moment
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        fake = FakeLlmServer.builder().tokensPerSecond(200).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        server = RelayServer.start(
                Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .provider(
                                "oom",
                                new ScriptedProvider(emitter -> {
                                    long[] huge = new long
                                            [Integer.MAX_VALUE
                                                    - 8]; // more than any heap holds: a real OutOfMemoryError in one
                                    // stream
                                    huge[0] = 1;
                                }),
                                "m")
                        .heartbeat(Duration.ofMillis(500))
                        .build(),
                "127.0.0.1",
                0);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        Awaitility.reset();
        server.close();
        anthropic.close();
        fake.close();
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Host", "127.0.0.1:" + port);
        for (int i = 0; i < namesAndValues.length; i += 2) m.put(namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    private static RawHttp.Response post(Map<String, String> headers, String body) throws IOException {
        return RawHttp.send(port, "POST", "/api/streams", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(RawHttp.Response r, int status, String type) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.header("Content-Type"));
        assertTrue(r.body().startsWith("{\"error\":{\"type\":\"" + type + "\",\"message\":\""), r.body());
    }

    /** Runs a check and then asserts that no stream was started and the fake server saw no request. */
    private static void nothingStarted(ThrowingRunnable attack) throws Exception {
        long before = fake.requestCount();
        attack.run();
        assertEquals(0, server.relay().activeStreams(), "no stream started");
        assertEquals(before, fake.requestCount(), "the upstream saw no request");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- origin

    @ParameterizedTest
    @ValueSource(strings = {EVIL, "null", "http://127.0.0.1:1", "https://127.0.0.1"})
    void post_foreignOrigin_403AndNothingStarted(String origin) throws Exception {
        nothingStarted(() -> assertRefused(
                post(headers("Origin", origin, "Content-Type", "application/json"), JSON), 403, "origin_not_allowed"));
    }

    @Test
    void post_ownOrigins_created() throws Exception {
        for (String origin : List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port)) {
            RawHttp.Response r = post(headers("Origin", origin, "Content-Type", "application/json"), JSON);
            assertEquals(201, r.status(), origin + ": " + r.body());
            assertNull(r.header("Access-Control-Allow-Origin"), "no CORS headers for the page's own origin");
            String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertEquals(204, SseTestClient.delete(server.uri(), id).statusCode());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
    }

    @Test
    void delete_foreignOrigin_403AndTheStreamRuns() throws Exception {
        String id = SseTestClient.create(server.uri(), STALL);
        RawHttp.Response r = RawHttp.send(port, "DELETE", "/api/streams/" + id, headers("Origin", EVIL), null);
        assertRefused(r, 403, "origin_not_allowed");
        assertEquals(1, server.relay().activeStreams());
        assertEquals(204, SseTestClient.delete(server.uri(), id).statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
    }

    /**
     * A refusal answered before the body arrived: Jetty closes that connection after the answer, so the
     * answer must say {@code Connection: close}, or a keep-alive client (the JDK's {@code HttpClient})
     * sends its next request on a connection that closes under it.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/streams",
                "/api/chat",
                "/api/object",
                "/api/ag-ui",
                "/v1/chat/completions",
                "/v1/messages",
                "/v1/messages/count_tokens",
                "/v1/responses",
                "/api/streams/stream-0001/approvals/call_1"
            })
    void refusal_beforeTheBodyArrived_saysConnectionCloseAndCloses(String path) throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream()
                    .write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: " + EVIL
                                    + "\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length()
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream()); // answered with the body still to come
            assertEquals(403, r.status(), r.body());
            assertEquals("close", r.header("Connection"));
            if (path.startsWith("/v1/messages")) // an Anthropic client's door refuses in Anthropic's shape
            assertTrue(r.body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"permission_error\""), r.body());
            try {
                s.getOutputStream().write(JSON.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                // the server may have closed the connection already
            }
            assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
        }
    }

    /**
     * A body declared larger than the limit is refused at once, before it arrives, and the answer
     * says {@code Connection: close}. Closing it is the container's: {@code sluice serve} closes at
     * once (its own tests); Tomcat first reads up to its {@code maxSwallowSize} of the body.
     */
    @Test
    void refusal_bodyDeclaredTooLarge_413AndSaysConnectionClose() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream()
                    .write(("POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertRefused(r, 413, "request_too_large");
            assertEquals("close", r.header("Connection"));
        }
    }

    /**
     * Refusals answered before their small bodies are read (the body arriving while the refusal is
     * written), whole bodies refused once read, and requests without a body, one after another on
     * the kept-alive connections of one client: each is answered in time, on the connection it went
     * out on or, after a {@code Connection: close}, on a new one. The refusal must not race the
     * container's reading of its body (on Tomcat the finished response closed the body under the
     * reading, and the container ended that request a second time, hanging the next one).
     */
    @Test
    void keptAliveConnections_refusalsBodiesAndGetsInTurn_eachAnsweredInTime() throws Exception {
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            nothingStarted(() -> {
                for (int i = 0; i < 300; i++) {
                    assertEquals(415, send(http, "POST", "text/plain", null, "{}"), "round " + i);
                    assertEquals(405, send(http, "GET", null, null, null), "round " + i);
                    assertEquals(403, send(http, "POST", "application/json", EVIL, JSON), "round " + i);
                    assertEquals(400, send(http, "POST", "application/json", null, "{"), "round " + i);
                }
            });
        }
    }

    private static int send(HttpClient http, String method, String contentType, String origin, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve("/api/streams"))
                .timeout(Duration.ofSeconds(5))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (origin != null) b.header("Origin", origin);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void webSocketUpgrade_foreignOrigin_handshakeRefused403() throws Exception {
        nothingStarted(() -> {
            RawHttp.Upgrade u = RawHttp.upgrade(port, Map.of("Origin", EVIL));
            try (Socket s = u.socket()) {
                assertEquals(403, u.status(), u.head());
                RawHttp.sendText(
                        s.getOutputStream(), "{\"type\":\"start\",\"prompt\":\"hi\"}"); // not a WebSocket: ignored
            } catch (IOException closed) {
                // the server may have closed the connection already
            }
        });
        RawHttp.Upgrade own = RawHttp.upgrade(port, Map.of("Origin", "http://127.0.0.1:" + port));
        own.socket().close();
        assertEquals(101, own.status(), own.head());
    }

    // ---- host

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:80", "127.0.0.1.nip.io", "attacker.test"})
    void anyRequest_foreignHost_403(String host) throws Exception {
        nothingStarted(() -> {
            for (String path : List.of("/", "/assets/app.js", "/api/providers", "/api/streams/x/events")) {
                RawHttp.Response r = RawHttp.send(port, "GET", path, Map.of("Host", host), null);
                assertRefused(r, 403, "host_not_allowed");
                // a rebinding page reads this before any token: it learns no name or address the server answers to
                for (String own : List.of("127.0.0.1", "[::1]", "localhost,"))
                    assertFalse(r.body().contains(own), r.body());
            }
            assertRefused(
                    post(Map.of("Host", host, "Content-Type", "application/json"), JSON), 403, "host_not_allowed");
            assertEquals(403, RawHttp.upgrade(port, Map.of("Host", host)).status());
        });
    }

    @Test
    void page_loopbackNames_served() throws Exception {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST")) {
            assertEquals(
                    200,
                    RawHttp.send(port, "GET", "/", Map.of("Host", host), null).status(),
                    host);
        }
    }

    // ---- media type

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "text/plain",
                "text/plain;charset=UTF-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/jsonx",
                "application/json; charset=iso-8859-1",
                "application/json; foo=bar",
                "application/json, text/plain"
            })
    void post_notExactlyJson_415AndNothingStarted(String contentType) throws Exception {
        nothingStarted(() -> assertRefused(
                post(contentType.isEmpty() ? headers() : headers("Content-Type", contentType), JSON),
                415,
                "unsupported_media_type"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/json",
                "Application/JSON",
                "application/json; charset=utf-8",
                "application/json;charset=\"UTF-8\""
            })
    void post_json_created(String contentType) throws Exception {
        RawHttp.Response r = post(headers("Content-Type", contentType), JSON);
        assertEquals(201, r.status(), r.body());
        assertEquals(
                204,
                SseTestClient.delete(server.uri(), r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))
                        .statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
    }

    @Test
    void post_invalidUtf8_400AndNothingStarted() throws Exception {
        byte[] body = {'{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        nothingStarted(() -> assertRefused(
                RawHttp.send(port, "POST", "/api/streams", headers("Content-Type", "application/json"), body),
                400,
                "invalid_request"));
    }

    // ---- headers

    @Test
    void everyResponse_nosniffNoReferrerNoServerVersion_apiNoStore_pageFramedByNone() throws Exception {
        String id = SseTestClient.create(server.uri(), STALL);
        Map<String, RawHttp.Response> responses = new LinkedHashMap<>();
        responses.put("page", RawHttp.send(port, "GET", "/", headers(), null));
        responses.put("asset", RawHttp.send(port, "GET", "/assets/app.js", headers(), null));
        responses.put("missing asset", RawHttp.send(port, "GET", "/assets/nope.js", headers(), null));
        responses.put("providers", RawHttp.send(port, "GET", "/api/providers", headers(), null));
        responses.put("405", RawHttp.send(port, "PUT", "/api/streams", headers(), null));
        responses.put("415", post(headers(), JSON));
        responses.put("403 host", RawHttp.send(port, "GET", "/", Map.of("Host", "evil.example"), null));
        responses.put("403 origin", post(headers("Origin", EVIL, "Content-Type", "application/json"), JSON));
        try (Socket s = RawHttp.connect(port)) { // an SSE response: its head only
            s.getOutputStream()
                    .write(("GET /api/streams/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String head = RawHttp.readHead(s.getInputStream());
            Map<String, String> h = new LinkedHashMap<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0)
                    h.put(
                            line.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
                            line.substring(colon + 1).strip());
            }
            responses.put("events", new RawHttp.Response(Integer.parseInt(head.split(" ")[1]), h, ""));
        }
        responses.put("delete", RawHttp.send(port, "DELETE", "/api/streams/" + id, headers(), null));
        responses.forEach((what, r) -> {
            assertEquals("nosniff", r.header("X-Content-Type-Options"), what);
            assertEquals("no-referrer", r.header("Referrer-Policy"), what);
            assertNull(r.header("Server"), what + ": " + r.headers());
            assertFalse(r.body().contains("Jetty") || r.body().contains("jetty"), what + ": " + r.body());
        });
        for (String api : List.of("providers", "405", "415", "403 origin", "events", "delete")) {
            assertEquals("no-store", responses.get(api).header("Cache-Control"), api);
        }
        assertTrue(responses.get("page").header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
    }

    // ---- bounds

    /**
     * What the container answers by itself, before the relay sees a request (an oversized header, a
     * malformed request line): no server name or version, and no stack trace, on every container.
     */
    @Test
    void containerRefusals_oversizedHeaderOrMalformedRequest_nameNoServerAndShowNoStackTrace() throws Exception {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(
                "oversized header",
                "GET /api/providers HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(12 * 1024) + "\r\n\r\n");
        raw.put(
                "many headers",
                "GET /api/providers HTTP/1.1\r\n" + host
                        + "X-H: 0123456789012345678901234567890123456789\r\n".repeat(400) + "\r\n");
        raw.put("malformed request line", "GET /a b c HTTP/1.1\r\n" + host + "\r\n");
        raw.put("bad characters in the target", "GET /\u0001{}| HTTP/1.1\r\n" + host + "\r\n");
        raw.put("bad version", "GET / HTTP/7.3\r\n" + host + "\r\n");
        raw.put("no host", "GET /api/providers HTTP/1.1\r\n\r\n");
        raw.put("bad header line", "GET / HTTP/1.1\r\n" + host + "Bad Header Without Colon\r\n\r\n");
        for (Map.Entry<String, String> e : raw.entrySet()) {
            RawHttp.Response r = RawHttp.sendRaw(port, e.getValue());
            String what = e.getKey() + " -> " + r.status() + " " + r.headers() + "\n" + r.body();
            assertTrue(r.status() >= 400 && r.status() < 600, what);
            assertNull(r.header("Server"), what);
            String said = (r.headers() + r.body()).toLowerCase(java.util.Locale.ROOT);
            for (String leak :
                    List.of("tomcat", "jetty", "undertow", "exception", "\tat ", "at org.", "at java.", "caused by")) {
                assertFalse(said.contains(leak), leak + " in " + what);
            }
        }
    }

    /**
     * 20,000 requests for distinct assets that do not exist leave the heap as it was: no name is kept. A warm-up
     * of 2,000 first, so that what the carrier sets up once (its pools, its caches of a bounded size) is counted
     * in the heap before, not as growth. Four keep-alive connections side by side, each sending its share one
     * request after another: the client costs little beside the server (the JDK's HttpClient spent more CPU than
     * the server it measured).
     */
    @Test
    void unknownAssets_manyDistinctNames_heapAfterGcStaysFlat() throws Exception {
        requestUnknownAssets("w", 2_000);
        long before = Heap.usedAfterGc();
        requestUnknownAssets("n", 20_000);
        Heap.awaitFlat(before, 2 * 1024 * 1024, "20,000 requests for assets that do not exist");
    }

    /** GETs {@code count} assets that do not exist, each name distinct ({@code prefix} and a number), on 4 connections. */
    private static void requestUnknownAssets(String prefix, int count) throws Exception {
        int clients = 4;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                sent.add(senders.submit(() -> {
                    List<String> paths = new ArrayList<>();
                    for (int i = first; i < count; i += clients)
                        paths.add("/assets/" + prefix + i + "-" + "a".repeat(70) + ".js");
                    for (RawHttp.Response r : RawHttp.getKeptAlive(port, paths))
                        assertEquals(404, r.status(), r.headers() + r.body());
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get();
        }
    }

    @Test
    void webSocket_clientSendsButNeverReads_closedWith1008AndHeapFlat() throws Exception {
        long before = Heap.usedAfterGc();
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger serveLog = java.util.logging.Logger.getLogger(RelaySocket.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                log.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        serveLog.addHandler(capture);
        RawHttp.Upgrade u = RawHttp.upgrade(port, Map.of(), 4096);
        assertEquals(101, u.status(), u.head());
        int sent = 200_000;
        try (Socket s = u.socket()) {
            // 200,000 frames that each earn an error frame of ~130 bytes, none read: 26 MB if they all queued
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) RawHttp.sendText(frames, "x");
            byte[] batch = frames.toByteArray();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < sent / 1000; i++) out.write(batch);
                    out.flush();
                } catch (IOException closed) {
                    // the server closed the socket
                }
            });
            Heap.awaitFlat(before, 6 * 1024 * 1024, "a WebSocket that never reads");
            await().atMost(Duration.ofSeconds(10)).until(() -> log.stream().anyMatch(m -> m.contains("with 1008")));
            if (!server.host().closesUnreadSockets())
                return; // the close frame is the container's to send (RelayServer.Host)
            // the client reads at last: what was in flight, then the end; the rest was never queued
            InputStream in = s.getInputStream();
            s.setSoTimeout(10_000);
            int errors = 0;
            RawHttp.Frame f;
            RawHttp.Frame close = null;
            try {
                while ((f = RawHttp.readFrame(in)) != null && close == null) {
                    if (f.opcode() == 8) close = f;
                    else if (f.opcode() == 1) errors++;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the socket stayed open after " + errors + " error frames");
            } catch (IOException reset) {
                // the server closed it while the client's frames were still arriving: a reset
            }
            assertTrue(errors < sent, "the answers beyond the bound were never queued: " + errors + " of " + sent);
            if (close != null) assertEquals(RelaySocket.POLICY_VIOLATION, close.closeCode(), "closed with 1008");
            writer.join(10_000);
        } finally {
            serveLog.removeHandler(capture);
        }
    }

    @Test
    void stream_sourceRunsOutOfMemory_itEndsWithInternalErrorAndTheServerStillAccepts() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> uncaught.add(e)); // the error this test provokes: not printed
        try {
            String id = SseTestClient.create(server.uri(), "{\"prompt\":\"hi\",\"provider\":\"oom\"}");
            try (SseTestClient c = SseTestClient.open(server.uri(), id, null)) {
                c.readAll();
                assertEquals(List.of("start", "error"), c.types());
                assertTrue(
                        c.events.getLast().data().startsWith("{\"type\":\"internal_error\",\"message\":\""),
                        c.events.getLast().data());
                assertFalse(
                        c.events.getLast().data().contains("OutOfMemoryError"),
                        c.events.getLast().data());
            }
            for (int i = 0; i < 3; i++) { // new connections, new streams
                try (SseTestClient c =
                        SseTestClient.open(server.uri(), SseTestClient.create(server.uri(), JSON), null)) {
                    c.readAll();
                    assertEquals("done", c.types().getLast());
                }
            }
            await().dontCatchUncaughtExceptions()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(uncaught::isEmpty); // no "Exception in thread": the producer's thread never rethrows it
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    /** {@return a flag set once the server closes the socket: a reader on its own thread sees the end} */
}
