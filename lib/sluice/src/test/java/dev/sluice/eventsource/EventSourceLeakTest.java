package dev.sluice.eventsource;

import static dev.sluice.FakeServers.released;
import static dev.sluice.eventsource.Fixtures.next;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.FakeServers;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Close, cancel and an unreachable stream leave no thread (producer, HttpClient) and no connection behind. */
@Timeout(60)
class EventSourceLeakTest {
    private final FakeLlmServer server = FakeLlmServer.start();

    EventSourceLeakTest() {
        server.setDispatcher(r -> FakeServers.holding("data: first\n\n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The producer thread, caught when it reads the clock (virtual threads are not listed anywhere). */
    private static final class ProducerSpy implements LongSupplier {
        final AtomicReference<Thread> producer = new AtomicReference<>();

        @Override
        public long getAsLong() {
            Thread t = Thread.currentThread();
            if (t.getName().startsWith("sluice-eventsource-")) producer.compareAndSet(null, t);
            return System.nanoTime();
        }
    }

    private static Set<Thread> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-"))
                .collect(Collectors.toSet());
    }

    private EventSource source(ProducerSpy spy) {
        return EventSource.builder(server.baseUrl().resolve("/"))
                .streamOptions(StreamOptions.builder()
                        .nanoTime(spy)
                        .noTimeout(dev.sluice.StreamTimeoutException.Timeout.FIRST_EVENT)
                        .noTimeout(dev.sluice.StreamTimeoutException.Timeout.IDLE)
                        .build())
                .build();
    }

    @Test
    void close_openConnection_endsTheProducerTheHttpClientAndTheConnection() throws Exception {
        Set<Thread> before = httpClientThreads();
        ProducerSpy spy = new ProducerSpy();
        EventSourceStream s = source(spy).open();
        assertEquals("first", Fixtures.nextData(s.iterator()));
        Set<Thread> ours = httpClientThreads();
        ours.removeAll(before);
        assertFalse(ours.isEmpty(), "the stream made its own HttpClient");
        assertTrue(spy.producer.get().isAlive());

        s.close();

        assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> released(server, 1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !spy.producer.get().isAlive() && ours.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void cancel_duringABackoffWait_endsTheWaitAndTheThread() throws Exception {
        server.enqueue(FakeResponse.sse(""));
        ProducerSpy spy = new ProducerSpy();
        StreamController controller = StreamController.create();
        EventSource es = EventSource.builder(server.baseUrl().resolve("/"))
                .retryPolicy(Fixtures.startingAt(Duration.ofHours(1)))
                .streamOptions(StreamOptions.builder().nanoTime(spy).build())
                .build();
        try (EventSourceStream s = es.open(controller)) {
            Iterator<SourceSignal> it = s.iterator();
            next(it, SourceSignal.Closed.class);
            controller.cancel("stop");
            assertFalse(it.hasNext());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !spy.producer.get().isAlive());
        assertEquals(1, server.requestCount());
    }

    @Test
    void close_givenHttpClient_isNotShutDownButTheConnectionIsClosed() throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build()) {
            EventSource es = EventSource.builder(server.baseUrl().resolve("/"))
                    .httpClient(client)
                    .build();
            try (EventSourceStream s = es.open()) {
                assertEquals("first", Fixtures.nextData(s.iterator()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> released(server, 1));
            assertFalse(client.isTerminated());
            try (EventSourceStream s = es.open()) {
                assertEquals("first", Fixtures.nextData(s.iterator()), "the client still works");
            }
        }
    }

    @Test
    void droppedWithoutClose_manyStreams_cleanerClosesEveryConnectionAndEndsEveryThread() throws Exception {
        Set<Thread> before = httpClientThreads();
        List<Thread> producers = new ArrayList<>();
        int n = 20;
        for (int i = 0; i < n; i++) producers.add(openReadOneAndDrop());
        assertEquals(n, server.requestCount());
        assertTrue(producers.stream().allMatch(java.util.Objects::nonNull), "every producer was seen");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    System.gc();
                    Set<Thread> left = httpClientThreads();
                    left.removeAll(before);
                    return released(server, n)
                            && producers.stream().noneMatch(Thread::isAlive)
                            && left.stream().noneMatch(Thread::isAlive);
                });
    }

    private Thread openReadOneAndDrop() {
        ProducerSpy spy = new ProducerSpy();
        EventSourceStream s = source(spy).open();
        Iterator<SourceSignal> it = s.iterator();
        assertEquals("first", Fixtures.nextData(it));
        return spy.producer.get(); // s and it are dropped here, unclosed
    }
}
