package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamInterruptedException;
import dev.sluice.sse.SseLimits;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventStreamCancelTest {
    private final AtomicReference<Thread> producer = new AtomicReference<>();

    /** Parked: a virtual thread blocked in a socket read or on a condition, or a waiting consumer. */
    private static boolean blocked(Thread t) {
        return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void cancel_whileConsumerWaitsInHasNext_endsIterationNormally() throws Exception {
        AtomicInteger listenerRuns = new AtomicInteger();
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> {
            producer.set(Thread.currentThread());
            new CountDownLatch(1).await();
        })) {
            s.controller().onCancel(listenerRuns::incrementAndGet);
            AtomicReference<Thread> consumer = new AtomicReference<>();
            CompletableFuture<Boolean> hasNext = CompletableFuture.supplyAsync(() -> {
                consumer.set(Thread.currentThread());
                return s.iterator().hasNext();
            });
            await().until(() -> blocked(consumer.get()));
            s.controller().cancel("user stop");
            assertFalse(hasNext.get(5, TimeUnit.SECONDS));
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
            assertEquals("user stop", s.controller().cancelReason().orElseThrow());
            s.close();
            assertEquals(1, listenerRuns.get());
        }
        await().until(() -> !producer.get().isAlive());
    }

    @Test
    void cancel_whileProducerBlockedInABodyRead_closesTheConnectionAndEndsTheProducer() throws Exception {
        try (LoopbackBodies server = new LoopbackBodies("data: one\n\n")) {
            InputStream body = server.open();
            try (EventStream<String> s = EventStream.<String>builder().generate(out -> {
                producer.set(Thread.currentThread());
                SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out);
            })) {
                Iterator<String> it = s.iterator();
                assertEquals("one", it.next());
                await().until(() -> blocked(producer.get())); // in read(): the server sends nothing more
                s.controller().cancel("enough");
                assertFalse(it.hasNext());
                assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
                assertTrue(s.failure().isEmpty(), "an IOException after cancel is the normal end");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !producer.get().isAlive());
                await().atMost(Duration.ofSeconds(10)).until(() -> server.closedByClient(1));
            }
        }
    }

    @Test
    void cancel_whileProducerBlockedInEmit_endsTheProducer() {
        AtomicBoolean emitReturnedFalse = new AtomicBoolean();
        try (EventStream<Integer> s = EventStream.<Integer>builder().capacity(2).generate(out -> {
            producer.set(Thread.currentThread());
            for (int i = 0; ; i++) {
                if (!out.emit(i)) {
                    emitReturnedFalse.set(true);
                    return;
                }
            }
        })) {
            await().until(() -> blocked(producer.get()));
            s.controller().cancel("full queue");
            await().until(() -> !producer.get().isAlive());
            assertTrue(emitReturnedFalse.get());
            assertFalse(s.iterator().hasNext(), "queued items are dropped on cancel");
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        }
    }

    @Test
    void close_whileProducerBlockedElsewhere_interruptsIt() {
        AtomicBoolean interrupted = new AtomicBoolean();
        EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
            producer.set(Thread.currentThread());
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        await().until(() -> blocked(producer.get()));
        s.close();
        await().until(() -> !producer.get().isAlive());
        assertTrue(interrupted.get());
        assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        assertTrue(s.failure().isEmpty());
    }

    @Test
    void hasNext_consumerInterruptedWhileWaiting_cancelsAndThrowsWithInterruptFlagSet() throws Exception {
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> new CountDownLatch(1).await())) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagAfter = new AtomicBoolean();
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    s.iterator().hasNext();
                } catch (Throwable t) {
                    thrown.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
            });
            await().until(() -> blocked(consumer));
            consumer.interrupt();
            consumer.join(5_000);
            assertTrue(thrown.get() instanceof StreamInterruptedException, String.valueOf(thrown.get()));
            assertTrue(flagAfter.get());
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        }
    }
}
