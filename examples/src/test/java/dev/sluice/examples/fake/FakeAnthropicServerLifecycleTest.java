package dev.sluice.examples.fake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
class FakeAnthropicServerLifecycleTest {

    @Test
    void start_defaultPort_listensOnAnEphemeralLoopbackPort() throws IOException {
        try (FakeAnthropicServer server = FakeAnthropicServer.builder().build().start()) {
            assertTrue(server.port() > 0);
            assertEquals("http://127.0.0.1:" + server.port(), server.baseUrl().toString());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }
    }

    @Test
    void start_twice_throwsIllegalState() {
        try (FakeAnthropicServer server = FakeAnthropicServer.builder().build().start()) {
            assertThrows(IllegalStateException.class, server::start);
        }
    }

    @Test
    void port_beforeStart_throwsIllegalState() {
        try (FakeAnthropicServer server = FakeAnthropicServer.builder().build()) {
            assertThrows(IllegalStateException.class, server::port);
        }
    }

    @Test
    void start_portInUse_throwsUncheckedIo() {
        try (FakeAnthropicServer first = FakeAnthropicServer.builder().build().start();
                FakeAnthropicServer second = FakeAnthropicServer.builder().port(first.port()).build()) {
            assertThrows(UncheckedIOException.class, second::start);
        }
    }

    @Test
    void builder_badArguments_throwNamingTheArgument() {
        FakeAnthropicServer.Builder b = FakeAnthropicServer.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.port(65536)).getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.port(-1)).getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tokensPerSecond(-1)).getMessage().contains("tokensPerSecond"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tokensPerSecond(Double.NaN)).getMessage().contains("tokensPerSecond"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.firstTokenDelay(Duration.ofMillis(-1))).getMessage().contains("firstTokenDelay"));
        assertThrows(NullPointerException.class, () -> b.firstTokenDelay(null));
    }

    @Test
    void stream_pacedAt20TokensPerSecond_deltasArriveSpreadOut() {
        try (FakeAnthropicServer server = FakeAnthropicServer.builder()
                        .tokensPerSecond(20).firstTokenDelay(Duration.ofMillis(200)).build().start();
                TestClient client = new TestClient(server)) {
            TestClient.Streamed s = client.stream(TestClient.body("claude", 12, true, "Tell me about the ocean", Map.of()));

            List<TestClient.Received> deltas = s.deltas("text_delta");
            assertEquals(12, deltas.size());
            long firstEvent = s.events().getFirst().atNanos() - s.sentAtNanos();
            long spread = deltas.getLast().atNanos() - deltas.getFirst().atNanos();
            // 11 gaps of 50 ms = 550 ms; generous bounds for a loaded machine
            assertTrue(firstEvent >= Duration.ofMillis(150).toNanos(), "first-token delay, was " + firstEvent / 1_000_000 + " ms");
            assertTrue(spread >= Duration.ofMillis(400).toNanos(), "deltas spread out, was " + spread / 1_000_000 + " ms");
            assertTrue(spread < Duration.ofSeconds(10).toNanos(), "but not stalled, was " + spread / 1_000_000 + " ms");
            long distinctArrivals = deltas.stream().mapToLong(TestClient.Received::atNanos).distinct().count();
            assertEquals(12, distinctArrivals, "each delta flushed on its own");
        }
    }

    @Test
    void close_streamInFlight_endsItPromptlyAndNoThreadRemains() throws Exception {
        FakeAnthropicServer server = FakeAnthropicServer.builder().tokensPerSecond(2).build().start();
        try (TestClient client = new TestClient(server); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicBoolean deltaArrived = new AtomicBoolean();
            Future<TestClient.Streamed> streaming = pool.submit(() -> client.stream(client.request(TestClient.body("hi")).build(),
                    r -> {
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
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeHandlers() == 0 && server.terminated());
        }
    }

    @Test
    void close_stalledStream_endsItPromptly() throws Exception {
        FakeAnthropicServer server = FakeAnthropicServer.builder().tokensPerSecond(0).build().start();
        try (TestClient client = new TestClient(server); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger deltas = new AtomicInteger();
            Future<TestClient.Streamed> streaming = pool.submit(() -> client.stream(
                    client.request(TestClient.body("fake-stall", 1024, true, "hi", Map.of())).build(),
                    r -> {
                        if (r.type().equals("content_block_delta")) deltas.incrementAndGet();
                        return false;
                    }));
            await().atMost(Duration.ofSeconds(10)).until(() -> deltas.get() == 3);

            server.close();

            TestClient.Streamed s = streaming.get(10, TimeUnit.SECONDS);
            assertEquals(3, s.deltas("text_delta").size());
            assertNotNull(s.failure());
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeHandlers() == 0 && server.terminated());
        }
    }

    @Test
    void close_twiceAndBeforeStart_doesNothingMore() {
        FakeAnthropicServer never = FakeAnthropicServer.builder().build();
        never.close();
        assertThrows(IllegalStateException.class, never::start);
        FakeAnthropicServer server = FakeAnthropicServer.builder().build().start();
        int port = server.port();
        server.close();
        server.close();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        });
    }

    @Test
    void stream_200ConcurrentUnpaced_allComplete() throws Exception {
        try (FakeAnthropicServer server = FakeAnthropicServer.builder().tokensPerSecond(0).build().start();
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
}
