package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request's body must arrive whole within the body timeout (1 s here, 10 s by default): clients
 * that declare a 64 KiB body and trickle it a byte at a time, or fall silent after its first byte,
 * are each answered {@code 408} with the relay's JSON error and their connections closed within the
 * timeout and a little more, whatever the container, while other requests are answered at once; a
 * body that arrives slowly but whole within the timeout is served. A body that came whole with its
 * head is read on the container's own thread (where the container counts it:
 * {@link RelayServer.Host#countsArrivedBodies}); one still arriving, without it.
 */
class RequestBodyTimeoutTest {
    private static final Duration TIMEOUT =
            Duration.ofSeconds(2); // long enough for a loaded machine to answer /v1/models meanwhile
    private static final Duration SLACK = Duration.ofSeconds(3); // a loaded machine's scheduling, not the server's
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static int port;
    /** The names of the threads the gateway's translated requests were opened on, in order. */
    private static final BlockingQueue<String> OPENED_ON = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(200).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        RelayAdmission http = RelayAdmission.builder(Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .build())
                .bodyTimeout(TIMEOUT)
                .build();
        server = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider(
                                "anthropic",
                                new ChatProvider() { // translated: opened on the routes' thread
                                    @Override
                                    public EventStream<MessageChunk> stream(ChatRequest request) {
                                        return stream(request, StreamController.create());
                                    }

                                    @Override
                                    public EventStream<MessageChunk> stream(
                                            ChatRequest request, StreamController controller) {
                                        OPENED_ON.add(Thread.currentThread().getName());
                                        return anthropic.stream(request, controller);
                                    }
                                })
                        .build())
                .start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
        fake.close();
    }

    @Test
    void slowBodies_manyTrickledOrStalledPastTheTimeout_each408AndClosedInTime_whileOtherRequestsAreAnsweredAtOnce()
            throws Exception {
        long requestsBefore = fake.requestCount();
        List<TricklingClient> slow = new ArrayList<>();
        String[] paths = {"/api/streams", "/api/chat", "/v1/chat/completions"};
        try {
            for (int i = 0; i < 24; i++) slow.add(new TricklingClient(port, paths[i % paths.length], 1 + i % 3));
            long asked = System.nanoTime();
            RawHttp.Response models =
                    RawHttp.send(port, "GET", "/v1/models", Map.of("Host", "127.0.0.1:" + port), null);
            assertEquals(200, models.status(), models.body());
            assertTrue(
                    System.nanoTime() - asked < TIMEOUT.toNanos(),
                    "the models were answered while the slow bodies trickled");
            // half send a byte every 200 ms (no idle timeout passes, the body timeout does), half fall silent
            await().atMost(TIMEOUT.plus(SLACK).plusSeconds(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (int i = 0; i < slow.size(); i += 2) slow.get(i).trickle();
                        return slow.stream().allMatch(TricklingClient::done);
                    });
            for (TricklingClient t : slow) {
                RawHttp.Response r = t.answer();
                assertNotNull(r, "no answer before the connection closed");
                assertEquals(408, r.status(), r.body());
                assertEquals("application/json", r.header("Content-Type"));
                assertTrue(r.body().contains("\"request_timeout\""), r.body());
                assertEquals("close", r.header("Connection"));
                assertTrue(t.closedAfter(), "the server closed the connection after the 408");
                long ms = t.answeredAfterNanos() / 1_000_000;
                assertTrue(ms >= TIMEOUT.minusMillis(100).toMillis(), "answered before the timeout: " + ms + " ms");
                assertTrue(ms <= TIMEOUT.plus(SLACK).toMillis(), "answered " + ms + " ms after the request");
            }
        } finally {
            for (TricklingClient t : slow) t.close();
        }
        assertEquals(0, server.relay().activeStreams(), "no stream started");
        assertEquals(requestsBefore, fake.requestCount(), "the upstream saw no request");
    }

    @Test
    void body_cameWithItsHead_readOnTheContainersThread_oneStillArriving_readWithoutIt() throws Exception {
        byte[] body =
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.US_ASCII);
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        OPENED_ON.clear();
        try (Socket s = RawHttp.connect(port)) { // head and body in one write: one packet on loopback
            byte[] whole = new byte[head.length + body.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            s.getOutputStream().write(whole);
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(200, r.status(), r.body());
        }
        String container = OPENED_ON.poll(5, TimeUnit.SECONDS);
        assertNotNull(container, "the request was not opened");
        if (server.host().countsArrivedBodies())
            assertNotEquals(
                    "sluice-server-request", container, "a body that came whole was read on a thread of its own");
        else assertEquals("sluice-server-request", container, "the container tells no body arrived: read without it");
        try (Socket s = RawHttp.connect(port)) { // the body's last byte 300 ms after the rest
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(body, 0, body.length - 1);
            out.flush();
            long sent = System.nanoTime();
            await().pollDelay(Duration.ofMillis(300))
                    .atMost(TIMEOUT)
                    .until(() ->
                            System.nanoTime() - sent >= Duration.ofMillis(300).toNanos());
            out.write(body, body.length - 1, 1);
            out.flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(
                "sluice-server-request",
                OPENED_ON.poll(5, TimeUnit.SECONDS),
                "a body still arriving is read without the container's thread");
    }

    @Test
    void slowBody_steadyAndWholeWithinTheTimeout_served() throws Exception {
        byte[] body = "{\"prompt\":\"Tell me about the ocean\"}".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = RawHttp.connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int[] sent = {0};
            // the body in four parts, 100 ms apart from now: slow, but whole well within the timeout (a loaded
            // machine may delay each part, so the first goes at once)
            await().atMost(TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        int n = Math.min(body.length - sent[0], (body.length + 3) / 4);
                        out.write(body, sent[0], n);
                        out.flush();
                        sent[0] += n;
                        return sent[0] == body.length;
                    });
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(201, r.status(), r.body());
            String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertEquals(204, SseTestClient.delete(server.uri(), id).statusCode());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.relay().activeStreams() == 0);
    }
}
