package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link EventStream#pushTo}: the items on the producer's thread, with the limits, timeouts and ends of iteration. */
class EventStreamPushTest {

    /** Records what a pushing stream hands over, and on which threads. */
    static class Recorder implements EventStream.Sink<String> {
        final List<String> items = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger ends = new AtomicInteger();
        final AtomicReference<EndReason> reason = new AtomicReference<>();
        final AtomicReference<SluiceException> failure = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void accept(String item) {
            items.add(item);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void end(EndReason r, SluiceException f) {
            reason.set(r);
            failure.set(f);
            ends.incrementAndGet();
            ended.countDown();
        }

        void awaitEnd() {
            await().atMost(Duration.ofSeconds(5)).until(() -> ended.getCount() == 0);
        }
    }

    @Test
    void pushTo_itemsQueuedBeforeAndProducedAfter_allInOrderOnTheProducerThenOneEnd() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        Recorder r = new Recorder();
        try (EventStream<String> s = EventStream.<String>builder()
                .threadName("pusher")
                .generate(out -> {
                    out.emit("a");
                    out.emit("b");
                    more.await();
                    out.emit("c");
                    out.emitUncounted("ping");
                })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> s.metrics().items() == 2);
            assertTrue(s.pushTo(r));
            more.countDown();
            r.awaitEnd();
            assertEquals(List.of("a", "b", "c", "ping"), r.items);
            assertEquals("pusher", r.threads.get(2), "produced after the hand-over: delivered by the producer itself");
            assertEquals(EndReason.COMPLETED, r.reason.get());
            assertNull(r.failure.get());
            assertEquals(1, r.ends.get());
            assertEquals(3, s.metrics().items());
            assertThrows(IllegalStateException.class, s::iterator);
        }
    }

    @Test
    void pushTo_streamAlreadyEnded_itemsThenEndOnTheCallingThread() {
        Recorder r = new Recorder();
        AtomicReference<Thread> producer = new AtomicReference<>();
        EventStream<String> s = EventStream.<String>builder().generate(out -> {
            producer.set(Thread.currentThread());
            out.emit("a");
            throw new IOException("reset");
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> producer.get() != null && !producer.get().isAlive());
        assertTrue(s.pushTo(r));
        r.awaitEnd();
        assertEquals(List.of("a"), r.items);
        assertEquals(EndReason.FAILED, r.reason.get());
        assertInstanceOf(TransportException.class, r.failure.get());
        s.close();
    }

    @Test
    void pushTo_iteratorTaken_throwsAndTakesNothing() {
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> out.emit("a"))) {
            s.iterator();
            assertThrows(IllegalStateException.class, () -> s.pushTo(new Recorder()));
        }
    }

    @Test
    void pushTo_sinkBlocks_producerWaitsInEmit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong emitted = new AtomicLong();
        Recorder r = new Recorder() {
            @Override
            public void accept(String item) {
                super.accept(item);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CountDownLatch go = new CountDownLatch(1);
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> {
            go.await(); // the sink is there before the first item: each is handed over by the producer
            for (int i = 0; i < 1000; i++) {
                if (!out.emit("x" + i)) return;
                emitted.incrementAndGet();
            }
        })) {
            s.pushTo(r);
            go.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == 1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> emitted.get() <= 1);
            release.countDown();
            r.awaitEnd();
            assertEquals(1000, r.items.size());
            assertEquals(EndReason.COMPLETED, r.reason.get());
        }
    }

    @Test
    void pushTo_sourceSilentPastIdleTimeout_endsTimedOutWithNoConsumerWaiting() {
        StreamController c = StreamController.of(
                StreamOptions.builder().idleTimeout(Duration.ofMillis(200)).build());
        Recorder r = new Recorder();
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            out.emit("a");
            new CountDownLatch(1).await(); // until the timeout interrupts it
        })) {
            s.pushTo(r);
            r.awaitEnd();
            assertEquals(List.of("a"), r.items);
            assertEquals(EndReason.TIMED_OUT, r.reason.get());
            StreamTimeoutException e = assertInstanceOf(StreamTimeoutException.class, r.failure.get());
            assertEquals(StreamTimeoutException.Timeout.IDLE, e.timeout());
            assertSame(e, s.failure().orElseThrow());
        }
    }

    @Test
    void pushTo_sinkHoldsAnItemPastIdleTimeout_notATimeout() throws Exception {
        StreamController c = StreamController.of(
                StreamOptions.builder().idleTimeout(Duration.ofMillis(100)).build());
        CountDownLatch release = new CountDownLatch(1);
        Recorder r = new Recorder() {
            @Override
            public void accept(String item) {
                super.accept(item);
                if (item.equals("a")) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        CountDownLatch go = new CountDownLatch(1);
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            go.await();
            out.emit("a");
            out.emit("b");
        })) {
            s.pushTo(r);
            go.countDown();
            await().during(Duration.ofMillis(400))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> s.endReason().isEmpty());
            release.countDown();
            r.awaitEnd();
            assertEquals(List.of("a", "b"), r.items);
            assertEquals(EndReason.COMPLETED, r.reason.get());
        }
    }

    @Test
    void pushTo_cancelWhileSourceWaits_endsCancelledAndClosesTheSource() {
        CountDownLatch closed = new CountDownLatch(1);
        Recorder r = new Recorder();
        EventStream<String> s = EventStream.<String>builder().generate(out -> {
            out.attach(closed::countDown);
            out.emit("a");
            closed.await();
        });
        s.pushTo(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.items.size() == 1);
        s.controller().cancel("enough");
        r.awaitEnd();
        assertEquals(EndReason.CANCELLED, r.reason.get());
        assertNull(r.failure.get());
        assertEquals(0, closed.getCount());
        s.close();
    }

    @Test
    void pushTo_itemHookFails_streamFailsWithItsFailureAndContext() {
        Recorder r = new Recorder();
        try (EventStream<String> s = EventStream.<String>builder()
                .onItem(item -> {
                    if (item.equals("bad")) throw new ProtocolException("impossible order", null);
                })
                .failureContext(() -> "req_1", () -> "partial")
                .generate(out -> {
                    out.emit("ok");
                    out.emit("bad");
                    out.emit("never");
                })) {
            s.pushTo(r);
            r.awaitEnd();
            assertEquals(List.of("ok"), r.items);
            assertEquals(EndReason.FAILED, r.reason.get());
            assertEquals("req_1", r.failure.get().requestId().orElseThrow());
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
        }
    }

    @Test
    void pushTo_sinkThrows_streamFailsAsALocalFailure() {
        Recorder r = new Recorder() {
            @Override
            public void accept(String item) {
                throw new IllegalStateException("a bug in the sink");
            }
        };
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> {
            out.emit("a");
            out.emit("b");
        })) {
            s.pushTo(r);
            r.awaitEnd();
            assertEquals(EndReason.FAILED, r.reason.get());
            assertInstanceOf(LocalFailureException.class, r.failure.get());
            assertInstanceOf(IllegalStateException.class, r.failure.get().getCause());
        }
    }

    @Test
    void pushTo_chunkLimit_deliversTheLastAllowedItemThenEndsAtTheLimit() {
        StreamController c =
                StreamController.of(StreamOptions.builder().maxChunks(2).build());
        Recorder r = new Recorder();
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            for (int i = 0; i < 5; i++) if (!out.emit("x" + i)) return;
        })) {
            s.pushTo(r);
            r.awaitEnd();
            assertEquals(List.of("x0", "x1"), r.items);
            assertEquals(EndReason.CHUNK_LIMIT, r.reason.get());
            assertFalse(c.isCancelled());
        }
    }
}
