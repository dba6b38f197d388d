package dev.sluice.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.wire.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Starting, pacing, closing with streams in flight, and many streams at once. */
class FakeLlmServerLifecycleTest {

    @Test
    void start_defaultPort_listensOnAnEphemeralLoopbackPort() throws IOException {
        try (FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(70).start()) {
            assertTrue(server.port() > 0);
            assertEquals("http://127.0.0.1:" + server.port(), server.baseUrl().toString());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }
    }

    @Test
    void start_portInUse_throwsUncheckedIoNamingThePort() {
        try (FakeLlmServer first = FakeLlmServer.start()) {
            FakeLlmServer.Builder second = FakeLlmServer.builder().port(first.port());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
        }
    }

    @Test
    void builder_badArguments_throwNamingTheArgument() {
        FakeLlmServer.Builder b = FakeLlmServer.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.port(65536))
                .getMessage()
                .contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.port(-1))
                .getMessage()
                .contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tokensPerSecond(-1))
                .getMessage()
                .contains("tokensPerSecond"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tokensPerSecond(Double.NaN))
                .getMessage()
                .contains("tokensPerSecond"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.firstTokenDelay(Duration.ofMillis(-1)))
                .getMessage()
                .contains("firstTokenDelay"));
        assertThrows(NullPointerException.class, () -> b.firstTokenDelay(null));
    }

    @Test
    void stream_pacedAt20TokensPerSecond_deltasArriveSpreadOut() {
        try (FakeLlmServer server = FakeLlmServer.builder()
                        .tokensPerSecond(20)
                        .firstTokenDelay(Duration.ofMillis(200))
                        .start();
                TestClient client = new TestClient(server)) {
            TestClient.Streamed s =
                    client.stream(TestClient.body("claude", 12, true, "Tell me about the ocean", Map.of()));

            List<TestClient.Received> deltas = s.deltas("text_delta");
            assertEquals(
                    12,
                    s.ofType("message_delta")
                            .getFirst()
                            .json()
                            .path("usage")
                            .path("output_tokens")
                            .asInt());
            int last =
                    Tokens.of(deltas.getLast().json().path("delta").path("text").asText());
            long firstEvent = s.events().getFirst().atNanos() - s.sentAtNanos();
            long spread = deltas.getLast().atNanos() - deltas.getFirst().atNanos();
            // the tokens before the last delta at 50 ms each: 9 or more of the 12, so 450 ms or more;
            // generous bounds for a loaded machine
            assertTrue(
                    firstEvent >= Duration.ofMillis(150).toNanos(),
                    "first-token delay, was " + firstEvent / 1_000_000 + " ms");
            assertTrue(
                    spread >= Duration.ofMillis(400).toNanos(), "deltas spread out, was " + spread / 1_000_000 + " ms");
            assertTrue(spread < Duration.ofSeconds(10).toNanos(), "but not stalled, was " + spread / 1_000_000 + " ms");
            long distinctArrivals = deltas.stream()
                    .mapToLong(TestClient.Received::atNanos)
                    .distinct()
                    .count();
            assertTrue(12 - last >= 9, "the last delta holds at most three tokens: " + last);
            assertEquals(deltas.size(), distinctArrivals, "each delta flushed on its own");
        }
    }

    @Test
    void close_streamInFlight_endsItPromptlyAndNoThreadRemains() throws Exception {
        FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(2).start();
        try (TestClient client = new TestClient(server);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicBoolean deltaArrived = new AtomicBoolean();
            Future<TestClient.Streamed> streaming = pool.submit(
                    () -> client.stream(client.request(TestClient.body("hi")).build(), r -> {
                        if (r.type().equals("content_block_delta")) deltaArrived.set(true);
                        return false;
                    }));
            await().atMost(Duration.ofSeconds(10)).untilTrue(deltaArrived);

            long before = System.nanoTime();
            server.close();
            long closing = System.nanoTime() - before;

            assertTrue(closing < Duration.ofSeconds(2).toNanos(), "close took " + closing / 1_000_000 + " ms");
            TestClient.Streamed s = streaming.get(10, TimeUnit.SECONDS);
            assertTrue(!s.types().contains("message_stop"));
            assertNotNull(s.failure(), "the client sees the body cut off");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0 && server.terminated());
        }
    }

    @Test
    void close_stalledStream_endsItPromptly() throws Exception {
        FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(0).start();
        try (TestClient client = new TestClient(server);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger deltas = new AtomicInteger();
            Future<TestClient.Streamed> streaming = pool.submit(() -> client.stream(
                    client.request(TestClient.body("fake-stall", 1024, true, "hi", Map.of()))
                            .build(),
                    r -> {
                        if (r.type().equals("content_block_delta")) deltas.incrementAndGet();
                        return false;
                    }));
            await().atMost(Duration.ofSeconds(10)).until(() -> deltas.get() == 3);

            server.close();

            TestClient.Streamed s = streaming.get(10, TimeUnit.SECONDS);
            assertEquals(3, s.deltas("text_delta").size());
            assertNotNull(s.failure());
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0 && server.terminated());
        }
    }

    @Test
    void close_twice_doesNothingMoreAndThePortIsFree() {
        FakeLlmServer server = FakeLlmServer.start();
        int port = server.port();
        server.close();
        server.close();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        });
    }

    /**
     * Closed by a thread that was interrupted (a command stopped by an interrupt closes its server
     * in its finally block): the port refuses connections as soon as close returns, and the
     * interrupt is kept. The listener's close completes on its acceptor's virtual thread, which
     * close waits for even then; without that wait, most connects made right after it succeed.
     */
    @Test
    void close_byAnInterruptedThread_portRefusesAtOnceAndTheInterruptIsKept() {
        for (int i = 0; i < 20; i++) {
            FakeLlmServer server = FakeLlmServer.start();
            int port = server.port();
            Thread.currentThread().interrupt();
            server.close();
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept (and cleared here)");
            assertThrows(
                    IOException.class,
                    () -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        }
                    },
                    "round " + i);
        }
    }

    @Test
    void stream_200ConcurrentUnpaced_allComplete() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(0).start();
                TestClient client = new TestClient(server);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TestClient.Streamed>> streams = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String prompt = "question number " + i;
                streams.add(pool.submit(() -> client.stream(TestClient.body(prompt))));
            }
            for (Future<TestClient.Streamed> f : streams) {
                TestClient.Streamed s = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, s.statusCode());
                assertEquals("message_stop", s.types().getLast());
            }
            assertEquals(200, server.requestCount());
        }
    }

    @Test
    void pacedStream_clientSendsItsFinAndKeepsItsSocket_endsBeforeItsNextEvent() throws IOException {
        // 100 deltas 50 ms apart: 5 s, whose writes would all succeed into the open socket's buffers
        String[] words = "word ".repeat(100).split("(?<= )");
        try (FakeLlmServer server = FakeLlmServer.start();
                RawHttp http = new RawHttp(server)) {
            server.enqueue(FakeResponse.answer().text(words).paced(Duration.ZERO, Duration.ofMillis(50)));
            http.post("/v1/messages", "{\"model\":\"m\",\"stream\":true}").head();
            assertNotNull(http.chunk());
            assertEquals(1, server.activeRequests());

            http.halfClose();
            long sent = System.nanoTime();

            await().atMost(Duration.ofSeconds(1)).until(() -> server.activeRequests() == 0);
            System.out.printf("a half-closed connection noticed after %.1f ms%n", (System.nanoTime() - sent) / 1e6);
        }
    }

    @Test
    void pacedStream_nextRequestSentBeforeItEnds_bothAnsweredInFull() throws IOException {
        // the waits between events read the connection: the early request must stay for the next exchange
        try (FakeLlmServer server = FakeLlmServer.start();
                RawHttp http = new RawHttp(server)) {
            server.enqueue(
                    FakeResponse.sse("data: 1\n\ndata: 2\n\ndata: 3\n\n")
                            .paced(Duration.ofMillis(100), Duration.ofMillis(50)),
                    FakeResponse.sse("data: again\n\n"));
            http.post("/a", "{}").head(); // the server now waits 100 ms for the first event, reading
            http.post("/b", "{}");

            StringBuilder first = new StringBuilder();
            for (byte[] c; (c = http.chunk()) != null; ) first.append(new String(c, StandardCharsets.UTF_8));
            RawHttp.Response second = http.response();

            assertEquals("data: 1\n\ndata: 2\n\ndata: 3\n\n", first.toString());
            assertEquals(200, second.status());
            assertTrue(second.complete());
            assertEquals("data: again\n\n", second.text());
            assertEquals(
                    List.of("POST /a", "POST /b"),
                    server.requests().stream()
                            .map(r -> r.method() + " " + r.path())
                            .toList());
        }
    }

    @Test
    void close_withKeptAliveStalledAndSilentConnections_noThreadLeftAndThePortFree() {
        FakeLlmServer server = FakeLlmServer.start();
        int port = server.port();
        server.enqueue(
                FakeResponse.status(200),
                FakeResponse.answer().text("a", "b").stallAfter(1),
                FakeResponse.noResponse());
        RawHttp idle = new RawHttp(server);
        RawHttp stalled = new RawHttp(server);
        RawHttp silent = new RawHttp(server);
        try {
            idle.post("/a", "{}").response(); // then kept alive, idle
            stalled.post("/v1/messages", "{\"stream\":true}").head();
            silent.post("/c", "{}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.requestCount() == 3 && server.activeRequests() == 2);

            server.close();

            assertTrue(server.terminated(), "the acceptor and every connection's thread have ended");
            assertEquals(0, server.activeRequests());
            assertTrue(idle.closedByServer() && stalled.closedByServer() && silent.closedByServer());
            try (FakeLlmServer again = FakeLlmServer.builder().port(port).start()) {
                assertEquals(port, again.port(), "the port is free again");
            }
        } finally {
            idle.close();
            stalled.close();
            silent.close();
        }
    }
}
