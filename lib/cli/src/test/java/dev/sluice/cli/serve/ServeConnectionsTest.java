package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.server.suite.Heap;
import dev.sluice.server.suite.RawHttp;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.server.suite.TricklingClient;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only a connection can bound or tell, as {@code sluice serve} does on Jetty: the time a
 * connection may take to send a request's headers (not a stream's length), the connections one
 * client address may hold, and a client that hangs up while nothing is written to it; and what the
 * body timeout (the servlet's) makes of slow bodies under the connection cap. Checked from outside
 * with raw sockets.
 */
class ServeConnectionsTest {
    private static final String STALL = "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}";
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static ServeServer server;
    private static int port;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(200).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        RelayAdmission http = new RelayAdmission(Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .heartbeat(Duration.ofMillis(500))
                .build());
        server = ServeServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .maxConnectionsPerClient(64)
                .headerTimeout(Duration.ofSeconds(2))
                .start();
        port = server.port();
    }

    /** {@link #serve(Relay, int, Duration)} of a relay on the fake's Anthropic API, a server of the test's own. */
    private static ServeServer serveFake(int connectionsPerClient, Duration headerTimeout) {
        return serve(
                Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .build(),
                connectionsPerClient,
                headerTimeout);
    }

    /** The server under test: loopback, connections per client address and the header timeout as given. */
    static ServeServer serve(Relay relay, int connectionsPerClient, Duration headerTimeout) {
        return ServeServer.builder(new RelayAdmission(relay))
                .maxConnectionsPerClient(connectionsPerClient)
                .headerTimeout(headerTimeout)
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
        fake.close();
    }

    @Test
    void httpRequest_startedServer_reachesTheServletThroughNoFilter() {
        // the WebSocket container's upgrade filter is taken out: the servlet upgrades its WebSockets itself
        // (ServeResponsesWebSocketTest, the page's browser tests)
        assertEquals(List.of(), server.filterNames());
    }

    @Test
    void slowHeaders_trickledPastTheHeaderTimeout_connectionClosed() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            AtomicBoolean closed = RawHttp.closedFlag(s);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            int[] n = {0};
            // a header line every 200 ms: the idle timeout (30 s) never passes, the header timeout (2 s) does
            await().atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        try {
                            out.write(("X-Slow-" + n[0]++ + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (IOException e) {
                            return true;
                        }
                        return closed.get();
                    });
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(6).toNanos());
        }
    }

    @Test
    void sseStream_longerThanTheHeaderTimeout_staysOpen() throws Exception {
        String id = SseTestClient.create(server.uri(), STALL);
        try (SseTestClient c = SseTestClient.open(server.uri(), id, null)) {
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < Duration.ofMillis(3500).toNanos()) c.readUntil(e -> false, c.bytesRead + 1);
            assertTrue(c.comments.size() >= 5, "pings kept coming past the header timeout: " + c.comments);
        }
        assertEquals(204, SseTestClient.delete(server.uri(), id).statusCode());
    }

    @Test
    void connections_moreThanTheCapFromOneAddress_extraOnesClosedOthersServedHeapFlat() throws Exception {
        try (ServeServer capped = serveFake(8, Duration.ofSeconds(60))) {
            long before = Heap.usedAfterGc();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), capped.port()), 5000);
                    sockets.add(s);
                }
                List<AtomicBoolean> closed =
                        sockets.stream().map(RawHttp::closedFlag).toList();
                // 400 reader threads on a loaded 2-core machine: the bound is generous, the count exact
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertEquals(
                                392, closed.stream().filter(AtomicBoolean::get).count()));
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(2))
                        .until(() -> closed.stream().filter(AtomicBoolean::get).count() == 392);
                Heap.awaitFlat(before, 4 * 1024 * 1024, "400 connections from one address");
                // another address is served meanwhile
                try (Socket other = new Socket()) {
                    other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                    other.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), capped.port()), 5000);
                    other.setSoTimeout(5000);
                    other.getOutputStream()
                            .write(("GET /api/providers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    assertEquals(200, RawHttp.read(other.getInputStream()).status());
                }
            } finally {
                for (Socket s : sockets) s.close();
            }
            // closed connections leave the count: nothing is kept per address once its sockets are gone
            await().atMost(Duration.ofSeconds(10)).until(() -> capped.countedConnections() == 0);
        }
    }

    @Test
    void connections_throughATrustedProxy_countedPerForwardedClient_forgedHeadersElsewhereChangeNothing()
            throws Exception {
        RelayAdmission http = RelayAdmission.builder(Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .heartbeat(Duration.ofMillis(500))
                        .build())
                .trustedProxy("127.0.0.1")
                .maxStreamsPerClient(50)
                .build();
        try (ServeServer capped = ServeServer.builder(http)
                .maxConnectionsPerClient(2)
                .headerTimeout(Duration.ofSeconds(60))
                .start()) {
            // the proxy's own requests on connections of their own, closed after (a pooled one would stay counted)
            RawHttp.Response created = RawHttp.send(
                    capped.port(),
                    "POST",
                    "/api/streams",
                    Map.of("Host", "127.0.0.1", "Content-Type", "application/json"),
                    STALL.getBytes(StandardCharsets.UTF_8));
            assertEquals(201, created.status(), created.body());
            String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            List<Socket> open = new ArrayList<>();
            try {
                // the proxy (127.0.0.1) holds five connections: two clients' two each, and one refused
                for (String client : List.of("198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.2")) {
                    Socket s = events(InetAddress.getLoopbackAddress(), capped.port(), id, client);
                    open.add(s);
                    assertTrue(RawHttp.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"), client);
                }
                try (Socket third = events(InetAddress.getLoopbackAddress(), capped.port(), id, "198.51.100.1")) {
                    RawHttp.Response refused = RawHttp.read(third.getInputStream());
                    assertEquals(429, refused.status(), refused.body());
                    assertEquals("close", refused.header("Connection"));
                    assertTrue(
                            refused.body().startsWith("{\"error\":{\"type\":\"too_many_connections\""), refused.body());
                }
                // from an address that is not trusted, the header names nobody: its third connection is closed as it
                // opens
                InetAddress elsewhere = InetAddress.getByName("127.0.0.2");
                for (String forged : List.of("198.51.100.3", "198.51.100.4")) {
                    Socket s = events(elsewhere, capped.port(), id, forged);
                    open.add(s);
                    assertTrue(RawHttp.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"), forged);
                }
                try (Socket third = events(elsewhere, capped.port(), id, "198.51.100.5")) {
                    assertEquals(-1, third.getInputStream().read(), "closed without an answer");
                } catch (IOException reset) {
                    // closed as it opened: a reset is as good
                }
            } finally {
                for (Socket s : open) s.close();
            }
            assertEquals(
                    204,
                    RawHttp.send(capped.port(), "DELETE", "/api/streams/" + id, Map.of("Host", "127.0.0.1"), null)
                            .status());
            // closed connections leave the count, the proxy's by the clients they were counted for
            await().atMost(Duration.ofSeconds(10)).until(() -> capped.countedConnections() == 0);
        }
    }

    /** {@return a socket from this address that asks for a stream's events, as a proxy for this client would} */
    private static Socket events(InetAddress from, int port, String id, String forwardedFor) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream()
                .write(("GET /api/streams/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: "
                                + forwardedFor + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /**
     * The gateway's direct path, whose caller hangs up while the upstream is silent (the fake stalls
     * after three deltas until its client closes the connection): a completion that is not streamed
     * writes nothing until its answer is whole, and a streamed one nothing more while the upstream is
     * silent, so no write tells that its caller left: the server does, and the upstream is cancelled
     * within seconds (an outside review measured 0.13–0.55 s), not at the next heartbeat's failed write.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void completion_callerHangsUp_upstreamClosedWithinSeconds(boolean streamed) throws Exception {
        int before = fake.activeRequests();
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream().write(completionRequest("anthropic/fake-stall", streamed));
            s.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> fake.activeRequests() == before + 1);
            if (streamed) assertTrue(RawHttp.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> fake.activeRequests() == before);
    }

    /** A request sent behind a completion's on the same connection is no hang-up: both are answered, in order. */
    @Test
    void nonStreamedCompletion_requestPipelinedBehind_bothAnswered() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(completionRequest("anthropic/claude-sonnet-4-5"));
            out.write(("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttp.Response completion = RawHttp.read(s.getInputStream());
            assertEquals(200, completion.status(), completion.body());
            assertTrue(completion.body().contains("\"object\":\"chat.completion\""), completion.body());
            RawHttp.Response models = RawHttp.read(s.getInputStream());
            assertEquals(200, models.status(), models.body());
            assertTrue(models.body().contains("anthropic/claude-sonnet-4-5"), models.body());
        }
    }

    private static byte[] completionRequest(String model) {
        return completionRequest(model, false);
    }

    private static byte[] completionRequest(String model, boolean streamed) {
        String body = "{\"model\":\"" + model + "\"," + (streamed ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The buffers Jetty pooled for the requests served, let go of as an idle {@code serve} does before it collects
     * its heap: counted, the pool empty after, and the server answers on, with buffers made again.
     */
    @Test
    void pooledBuffers_released_heldBytesCounted_poolEmptyAfter_serverAnswersOn() throws Exception {
        try (ServeServer own = serveFake(8, Duration.ofSeconds(2))) {
            // two connections at once, so that the pool holds a buffer for each once they are done
            try (Socket a = RawHttp.connect(own.port());
                    Socket b = RawHttp.connect(own.port())) {
                for (Socket s : List.of(a, b)) {
                    s.getOutputStream()
                            .write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + own.port() + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                }
                for (Socket s : List.of(a, b))
                    assertEquals(200, RawHttp.read(s.getInputStream()).status());
            }
            long[] held = {0};
            // a connection's buffers go back to the pool once Jetty has seen it closed
            await().atMost(Duration.ofSeconds(10)).until(() -> (held[0] += own.releasePooledBuffers()) > 0);
            // emptied: what a second call finds is only what a connection still closing gave back since
            await().atMost(Duration.ofSeconds(10)).until(() -> own.releasePooledBuffers() == 0);
            List<RawHttp.Response> after = RawHttp.getKeptAlive(own.port(), List.of("/", "/"));
            assertEquals(
                    List.of(200, 200),
                    after.stream().map(RawHttp.Response::status).toList());
            assertTrue(held[0] >= 1024, "bytes held: " + held[0]);
        }
    }

    /** What the container answers before the servlet sees a request: JSON, the same headers, no server named. */
    @Test
    void containerAnswers_malformedRequestAndHugeHeaders_jsonWithTheHeadersAndNoServerNamed() throws Exception {
        Map<String, RawHttp.Response> answers = new LinkedHashMap<>();
        answers.put("400", RawHttp.sendRaw(port, "GET /\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        answers.put(
                "431",
                RawHttp.send(port, "GET", "/", Map.of("Host", "127.0.0.1:" + port, "X-Big", "x".repeat(20_000)), null));
        answers.forEach((status, r) -> {
            assertEquals(Integer.parseInt(status), r.status(), r.body());
            assertEquals("nosniff", r.header("X-Content-Type-Options"), status);
            assertEquals("no-referrer", r.header("Referrer-Policy"), status);
            assertEquals("application/json", r.header("Content-Type"), status);
            assertNull(r.header("Server"), status + ": " + r.headers());
            assertFalse(r.body().contains("Jetty") || r.body().contains("jetty"), status + ": " + r.body());
        });
    }

    /** A refusal of a request whose body arrived whole keeps the connection for the next request (Tomcat closes after any 400). */
    @Test
    void refusal_afterTheWholeBody_keepsTheConnection() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n" + "not json")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttp.Response refused = RawHttp.read(s.getInputStream());
            assertEquals(400, refused.status(), refused.body());
            assertNull(refused.header("Connection"));
            out.write(("GET /api/providers HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(200, RawHttp.read(s.getInputStream()).status());
        }
    }

    /** A body declared larger than the limit: refused at once, and the connection closed, not drained. */
    @Test
    void refusal_bodyDeclaredTooLarge_connectionClosedWithoutReadingTheBody() throws Exception {
        try (Socket s = RawHttp.connect(port)) {
            s.getOutputStream()
                    .write(("POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(413, r.status(), r.body());
            assertEquals("close", r.header("Connection"));
            assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
        }
    }

    /**
     * The slow-body attack scaled down: more connections than the server takes at once, each
     * declaring a 64 KiB body and trickling it, or falling silent after its first byte. Each is
     * answered 408 and closed at the body timeout, which frees its place, so a request waiting
     * behind them is answered within that timeout and a little more, not when the attackers give up.
     */
    @Test
    void slowBodies_moreThanTheConnectionCap_each408AtTheBodyTimeout_andARequestBehindThemAnswered() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        RelayAdmission http = RelayAdmission.builder(Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .build())
                .bodyTimeout(timeout)
                .build();
        try (ServeServer capped = ServeServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .maxConnections(16)
                .maxConnectionsPerClient(64)
                .start()) {
            List<TricklingClient> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 24; i++) {
                    slow.add(new TricklingClient(
                            capped.port(), i % 4 < 2 ? "/api/streams" : "/v1/chat/completions", 1 + i % 5));
                }
                long asked = System.nanoTime();
                AtomicLong answered = new AtomicLong();
                CompletableFuture<RawHttp.Response> models = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                RawHttp.Response r = RawHttp.send(
                                        capped.port(),
                                        "GET",
                                        "/v1/models",
                                        Map.of("Host", "127.0.0.1:" + capped.port()),
                                        null);
                                answered.set(System.nanoTime());
                                return r;
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        r -> Thread.ofVirtual().start(r));
                await().atMost(Duration.ofSeconds(8))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            for (int i = 0; i < slow.size(); i += 2)
                                slow.get(i).trickle(); // no idle timeout passes; the others fell silent
                            return models.isDone() && slow.stream().allMatch(TricklingClient::done);
                        });
                assertEquals(200, models.get().status(), models.get().body());
                long waited = (answered.get() - asked) / 1_000_000;
                assertTrue(
                        waited < timeout.toMillis() + 3_000,
                        "the request behind the slow bodies waited " + waited + " ms");
                for (TricklingClient t : slow) {
                    assertEquals(408, t.answer().status(), t.answer().body());
                    assertEquals("close", t.answer().header("Connection"));
                    assertTrue(t.closedAfter(), "closed after its 408");
                }
            } finally {
                for (TricklingClient t : slow) t.close();
            }
        }
    }
}
