package dev.sluice.anthropic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ConcurrencyLimitException;
import dev.sluice.client.ConcurrencyLimit;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The concurrency limit: at most N open streams; others wait fairly, bounded, cancellable, or are refused. */
class AnthropicConcurrencyLimitTest {
    private final AtomicInteger serving = new AtomicInteger();
    private final AtomicInteger maxServing = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile long holdMillis = 30_000; // the longest a request waits for hold
    private FakeLlmServer server;

    /**
     * Answers every request with a short stream. While a request is served, it counts as serving;
     * the count drops just before {@code message_stop} is sent, so a stream the client sees end was
     * never counted by the server after its end: the server's most-at-once is a lower bound on the
     * client's open streams. A request waits for {@link #hold}, at most {@link #holdMillis}, before
     * its last events.
     */
    private void startServer() {
        server = FakeLlmServer.start();
        server.setDispatcher(request -> {
            int now = serving.incrementAndGet();
            maxServing.accumulateAndGet(now, Math::max);
            CountDownLatch counted = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try {
                    hold.await(holdMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    serving.decrementAndGet();
                    counted.countDown();
                }
            });
            // the rest of the stream waits until the request is no longer counted
            return FakeResponse.sse(ClientTestSupport.MESSAGE_START
                            + ClientTestSupport.BLOCK_START
                            + ClientTestSupport.delta("Hi")
                            + ClientTestSupport.BLOCK_STOP
                            + ClientTestSupport.MESSAGE_DELTA
                            + ClientTestSupport.MESSAGE_STOP)
                    .pauseAfter(3, counted);
        });
    }

    @AfterEach
    void stop() throws Exception {
        hold.countDown();
        if (server != null) server.close();
    }

    private AnthropicClient client(ConcurrencyLimit limit) {
        return AnthropicClient.builder()
                .apiKey(ClientTestSupport.KEY)
                .baseUrl(server.baseUrl().toString())
                .retryPolicy(ClientTestSupport.FAST)
                .concurrencyLimit(limit)
                .build();
    }

    @Test
    void stream_1000ContendingVirtualThreads_neverMoreThanNOpenAndEveryoneServed() throws Exception {
        hold = new CountDownLatch(1);
        holdMillis = 3; // each response takes 3 ms: without the limit, far more than 8 would overlap
        startServer();
        int limit = 8;
        try (AnthropicClient client = client(new ConcurrencyLimit(limit, Duration.ofMinutes(2)));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            AtomicInteger maxSeen = new AtomicInteger();
            for (int i = 0; i < 1000; i++) {
                results.add(threads.submit(() -> {
                    try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
                        maxSeen.accumulateAndGet(client.resilienceMetrics().openStreams(), Math::max);
                        return s.result().text();
                    }
                }));
            }
            for (Future<String> r : results) assertEquals("Hi", r.get(2, TimeUnit.MINUTES)); // nobody starved
            assertTrue(maxServing.get() <= limit, "at most " + limit + " served at once, saw " + maxServing.get());
            assertTrue(maxServing.get() > 1, "the streams did overlap: " + maxServing.get());
            assertTrue(maxSeen.get() <= limit, "open streams " + maxSeen.get());
            assertEquals(1000, server.requestCount());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.resilienceMetrics().openStreams() == 0);
        }
    }

    @Test
    void stream_limitReachedPastMaxWait_refusedWithTypedExceptionNothingSent() throws Exception {
        hold = new CountDownLatch(1);
        startServer();
        try (AnthropicClient client = client(new ConcurrencyLimit(1, Duration.ofMillis(200)));
                MessageStream first = client.messages().stream(ClientTestSupport.request())) {
            ConcurrencyLimitException e = assertThrows(
                    ConcurrencyLimitException.class, () -> client.messages().stream(ClientTestSupport.request()));
            assertEquals(1, e.maxStreams());
            assertTrue(
                    e.waited().compareTo(Duration.ofMillis(190)) >= 0,
                    e.waited().toString());
            assertTrue(e.getMessage().contains("limit of 1 open streams"), e.getMessage());
            assertEquals(1, server.requestCount());
            assertEquals(1, client.resilienceMetrics().refusedStreams());
            hold.countDown();
            assertEquals("Hi", first.result().text());
        }
    }

    @Test
    void stream_cancelWhileWaiting_endsCancelledWithoutSending() throws Exception {
        hold = new CountDownLatch(1);
        startServer();
        try (AnthropicClient client = client(new ConcurrencyLimit(1, Duration.ofMinutes(1)));
                MessageStream first = client.messages().stream(ClientTestSupport.request())) {
            StreamController waiting = StreamController.create();
            AtomicReference<MessageStream> second = new AtomicReference<>();
            Thread t = Thread.ofVirtual()
                    .start(() -> second.set(client.messages().stream(ClientTestSupport.request(), waiting)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
            waiting.cancel("no longer needed");
            t.join(Duration.ofSeconds(10));
            assertEquals(EndReason.CANCELLED, second.get().endReason().orElseThrow());
            assertEquals(1, server.requestCount(), "the cancelled stream sent nothing");
            assertTrue(!Thread.currentThread().isInterrupted());
            hold.countDown();
            assertEquals("Hi", first.result().text());
            second.get().close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.resilienceMetrics().openStreams() == 0);
        }
    }

    @Test
    void stream_endsHoweverItEnds_placeReleased() throws Exception {
        startServer();
        try (AnthropicClient client = client(new ConcurrencyLimit(1, Duration.ZERO))) {
            // completed
            try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
                s.result();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.resilienceMetrics().openStreams() == 0);
            // closed early (cancelled)
            client.messages().stream(ClientTestSupport.request()).close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.resilienceMetrics().openStreams() == 0);
            // the opening failed
            try (AnthropicClient failing = AnthropicClient.builder()
                    .apiKey(ClientTestSupport.KEY)
                    .baseUrl("http://127.0.0.1:1")
                    .retryPolicy(RetryPolicy.defaults().withMaxRetries(0))
                    .concurrencyLimit(new ConcurrencyLimit(1, Duration.ZERO))
                    .build()) {
                assertThrows(
                        dev.sluice.TransportException.class,
                        () -> failing.messages().stream(ClientTestSupport.request()));
                assertEquals(0, failing.resilienceMetrics().openStreams());
                assertThrows(
                        dev.sluice.TransportException.class,
                        () -> failing.messages().stream(ClientTestSupport.request()),
                        "a second stream gets the place (else: ConcurrencyLimitException)");
            }
            // and a stream still gets through at once afterwards
            try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
                assertEquals("Hi", s.result().text());
            }
        }
    }

    @Test
    void concurrencyLimit_badValues_refusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConcurrencyLimit.of(0))
                .getMessage()
                .contains("0"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ConcurrencyLimit.of(2).withMaxWait(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("maxWait"));
    }
}
