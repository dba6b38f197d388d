package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.sse.SseLimits;
import dev.sluice.testkit.FakeClock;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventStreamTimeoutTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicReference<Thread> producer = new AtomicReference<>();

    private static void block() throws InterruptedException {
        new CountDownLatch(1).await(); // until the stream is over and interrupts the producer
    }

    @Test
    void hasNext_noItemWithinFirstEventTimeout_throwsFirstEventTimeoutNamingValues() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .firstEventTimeout(Duration.ofSeconds(10))
                .build());
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            producer.set(Thread.currentThread());
            out.emitUncounted("ping"); // keep-alives do not count as the first event
            block();
        })) {
            Iterator<String> it = s.iterator();
            assertEquals("ping", it.next());
            clock.advance(Duration.ofMillis(10_001));
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, it::hasNext);
            assertEquals(Timeout.FIRST_EVENT, e.timeout());
            assertEquals(Duration.ofSeconds(10), e.limit());
            assertEquals(Duration.ofMillis(10_001), e.waited());
            assertTrue(
                    e.getMessage().startsWith("first-event timeout of 10 s expired after waiting 10001 ms"),
                    e.getMessage());
            assertEquals(EndReason.TIMED_OUT, s.endReason().orElseThrow());
            assertSame(e, s.failure().orElseThrow());
            assertFalse(it.hasNext());
        }
        await().until(() -> !producer.get().isAlive());
    }

    @Test
    void hasNext_clockAdvancedWhileWaiting_timesOutPromptly() throws Exception {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .firstEventTimeout(Duration.ofSeconds(10))
                .build());
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> block())) {
            CompletableFuture<Boolean> waiting =
                    CompletableFuture.supplyAsync(() -> s.iterator().hasNext());
            clock.advance(Duration.ofSeconds(11));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
            assertEquals(Timeout.FIRST_EVENT, ((StreamTimeoutException) e.getCause()).timeout());
        }
    }

    @Test
    void hasNext_pingsButNoItemsPastIdleTimeout_throwsIdleTimeout() throws Exception {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .idleTimeout(Duration.ofSeconds(10))
                .build());
        CountDownLatch sendPing = new CountDownLatch(1);
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            out.emit("a");
            sendPing.await();
            out.emitUncounted("ping");
            block();
        })) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            clock.advance(Duration.ofSeconds(6));
            sendPing.countDown();
            assertEquals("ping", it.next()); // the ping arrives in time, but does not reset the idle timer
            clock.advance(Duration.ofSeconds(6));
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, it::hasNext);
            assertEquals(Timeout.IDLE, e.timeout());
            assertEquals(Duration.ofSeconds(10), e.limit());
            assertEquals(Duration.ofSeconds(12), e.waited());
        }
    }

    @Test
    void hasNext_itemsKeepComing_idleTimeoutNeverFires() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .idleTimeout(Duration.ofSeconds(10))
                .build());
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .controller(c)
                .capacity(1)
                .generate(out -> {
                    for (int i = 0; i < 50; i++) {
                        clock.advance(Duration.ofSeconds(9));
                        out.emit(i);
                    }
                })) {
            assertEquals(50, s.stream().count());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
    }

    @Test
    void hasNext_producerBlockedOnFullQueueLongerThanIdle_idleRestartsWhenRoomIsMade() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .idleTimeout(Duration.ofSeconds(10))
                .build());
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .controller(c)
                .capacity(2)
                .generate(out -> {
                    producer.set(Thread.currentThread());
                    out.emit(0);
                    out.emit(1);
                    out.emit(2); // blocks: the queue is full and the consumer is slow
                    block();
                })) {
            await().until(() -> producer.get() != null && producer.get().getState() == Thread.State.WAITING);
            clock.advance(Duration.ofSeconds(60)); // the consumer was busy for a minute
            Iterator<Integer> it = s.iterator();
            assertEquals(List.of(0, 1, 2), List.of(it.next(), it.next(), it.next()));
            assertEquals(
                    Duration.ofSeconds(10),
                    c.remaining(Timeout.IDLE).orElseThrow(),
                    "the minute the producer waited for room is not the source's silence");
            clock.advance(Duration.ofSeconds(11));
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, it::hasNext);
            assertEquals(Timeout.IDLE, e.timeout());
            assertEquals(Duration.ofSeconds(11), e.waited());
        }
    }

    @Test
    void hasNext_timeoutWithItemsQueued_deliversThemFirst() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .idleTimeout(Duration.ofSeconds(10))
                .build());
        CountDownLatch produced = new CountDownLatch(1);
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            out.emit("a");
            out.emit("b");
            out.emit("c");
            produced.countDown();
            block();
        })) {
            Iterator<String> it = s.iterator();
            await().until(() -> produced.getCount() == 0);
            clock.advance(Duration.ofSeconds(30));
            assertEquals(List.of("a", "b", "c"), List.of(it.next(), it.next(), it.next()));
            assertEquals(
                    Timeout.IDLE,
                    assertThrows(StreamTimeoutException.class, it::hasNext).timeout());
        }
    }

    @Test
    void hasNext_pastTotalTimeout_throwsTotalTimeout() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .totalTimeout(Duration.ofSeconds(30))
                .build());
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            out.emit("a");
            block();
        })) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            clock.advance(Duration.ofSeconds(31));
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, it::hasNext);
            assertEquals(Timeout.TOTAL, e.timeout());
            assertEquals(Duration.ofSeconds(31), e.waited());
        }
    }

    @Test
    void emit_pastTotalTimeout_endsTimedOutAfterEarlierItems() {
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .totalTimeout(Duration.ofSeconds(30))
                .build());
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .controller(c)
                .capacity(100)
                .generate(out -> {
                    for (int i = 0; ; i++) {
                        clock.advance(Duration.ofSeconds(1));
                        if (!out.emit(i)) return;
                    }
                })) {
            Iterator<Integer> it = s.iterator();
            await().until(() -> s.endReason().isPresent()); // the producer timed out without the consumer
            for (int i = 0; i < 29; i++) assertEquals(i, it.next());
            assertEquals(
                    Timeout.TOTAL,
                    assertThrows(StreamTimeoutException.class, it::hasNext).timeout());
        }
    }

    @Test
    void hasNext_loopbackServerStalls_throwsIdleTimeoutAndClosesTheConnection() throws Exception {
        try (LoopbackBodies server = new LoopbackBodies("data: one\n\ndata: two\n\n: keep-alive\n\n")) {
            InputStream body = server.open();
            StreamController c = StreamController.of(
                    StreamOptions.builder().idleTimeout(Duration.ofMillis(200)).build());
            long t0 = System.nanoTime();
            try (EventStream<String> s = EventStream.<String>builder()
                    .controller(c)
                    .generate(out -> {
                        producer.set(Thread.currentThread());
                        SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out);
                    })) {
                Iterator<String> it = s.iterator();
                assertEquals("one", it.next());
                assertEquals("two", it.next());
                StreamTimeoutException e = assertThrows(StreamTimeoutException.class, it::hasNext);
                assertEquals(Timeout.IDLE, e.timeout());
                assertTrue(
                        e.waited().compareTo(Duration.ofMillis(200)) >= 0,
                        e.waited().toString());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
                await().atMost(Duration.ofSeconds(10)).until(() -> server.closedByClient(1));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !producer.get().isAlive());
            }
        }
    }
}
