package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class StreamControllerTest {

    @Test
    void create_takesTheOptionsOfTheCallThatStartsIt() {
        StreamController c = StreamController.create();
        assertSame(StreamOptions.defaults(), c.options());
        assertFalse(c.isStarted());
        StreamOptions call = StreamOptions.builder().maxChunks(5).build();
        c.start(call);
        assertTrue(c.isStarted());
        assertSame(call, c.options());
    }

    @Test
    void of_keepsItsOwnOptionsWhateverTheCall() {
        StreamOptions own =
                StreamOptions.builder().idleTimeout(Duration.ofSeconds(3)).build();
        StreamController c = StreamController.of(own);
        c.start(StreamOptions.defaults());
        assertSame(own, c.options());
    }

    @Test
    void builder_timeouts_isAShorthandForItsOwnOptions() {
        StreamController c = StreamController.builder()
                .firstEventTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(5))
                .totalTimeout(Duration.ofSeconds(9))
                .build();
        assertEquals(
                StreamOptions.builder()
                        .firstEventTimeout(Duration.ofSeconds(1))
                        .idleTimeout(Duration.ofSeconds(5))
                        .totalTimeout(Duration.ofSeconds(9))
                        .build(),
                c.options());
        c.start(StreamOptions.defaults());
        assertEquals(Duration.ofSeconds(5), c.options().idleTimeout().orElseThrow());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> StreamController.builder().idleTimeout(Duration.ZERO))
                .getMessage()
                .contains("idleTimeout"));
    }

    @Test
    void start_secondStream_throwsAndNamesTheFix() {
        StreamController c = StreamController.create();
        try (EventStream<Integer> s =
                EventStream.<Integer>builder().controller(c).generate(out -> out.emit(1))) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> EventStream.<Integer>builder().controller(c).generate(out -> out.emit(2)));
            assertTrue(e.getMessage().contains("StreamOptions"), e.getMessage());
            assertEquals(List.of(1), s.stream().toList());
        }
    }

    @Test
    void start_twoThreadsAtOnce_exactlyOneWins() throws Exception {
        for (int round = 0; round < 200; round++) {
            StreamController c = StreamController.create();
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        c.start(StreamOptions.defaults());
                        won.incrementAndGet();
                    } catch (IllegalStateException e) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) t.join();
            assertEquals(1, won.get(), "round " + round);
            assertEquals(1, refused.get(), "round " + round);
        }
    }

    @Test
    void cancel_twice_keepsFirstReasonAndRunsListenersOnce() {
        StreamController c = StreamController.create();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(runs::incrementAndGet);
        c.cancel("user pressed stop");
        c.cancel("again");
        c.cancel();
        assertEquals(1, runs.get());
        assertTrue(c.isCancelled());
        assertEquals("user pressed stop", c.cancelReason().orElseThrow());
    }

    @Test
    void onCancel_afterCancel_runsAtOnce() {
        StreamController c = StreamController.create();
        c.cancel();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(runs::incrementAndGet);
        assertEquals(1, runs.get());
        assertEquals("cancelled", c.cancelReason().orElseThrow());
    }

    @Test
    void cancel_listenerThrows_isLoggedAndOtherListenersStillRun() {
        StreamController c = StreamController.create();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(() -> {
            throw new IllegalStateException("listener bug");
        });
        c.onCancel(runs::incrementAndGet);
        try (LogCapture log = new LogCapture(StreamController.class)) {
            c.cancel("x");
            assertEquals(1, runs.get());
            assertEquals(1, log.records.size());
            assertEquals(Level.WARNING, log.records.get(0).getLevel());
            assertEquals("listener bug", log.records.get(0).getThrown().getMessage());
        }
    }

    @Test
    void remaining_beforeAndAfterStart_countsDownWithTheClock() {
        FakeClock clock = new FakeClock();
        StreamController c = StreamController.of(StreamOptions.builder()
                .nanoTime(clock)
                .firstEventTimeout(Duration.ofSeconds(10))
                .totalTimeout(Duration.ofSeconds(60))
                .build());
        assertEquals(Duration.ofSeconds(10), c.remaining(Timeout.FIRST_EVENT).orElseThrow());
        c.start(StreamOptions.defaults()); // its own options, its own clock
        clock.advance(Duration.ofSeconds(4));
        assertThrows(
                IllegalStateException.class, () -> c.start(StreamOptions.defaults())); // and the first instant stays
        assertEquals(Duration.ofSeconds(6), c.remaining(Timeout.FIRST_EVENT).orElseThrow());
        assertEquals(Duration.ofSeconds(56), c.remaining(Timeout.TOTAL).orElseThrow());
        assertEquals(Duration.ofSeconds(6), c.remaining().orElseThrow());
        assertTrue(c.remaining(Timeout.IDLE).isEmpty(), "idle runs only after the first item");
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Duration.ZERO, c.remaining(Timeout.FIRST_EVENT).orElseThrow());
    }

    @Test
    void cancel_beforeTheStreamOpens_endsItCancelledAtOnce() {
        StreamController c = StreamController.create();
        c.cancel("early");
        try (EventStream<Integer> s =
                EventStream.<Integer>builder().controller(c).generate(out -> out.emit(1))) {
            assertFalse(s.iterator().hasNext());
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
            assertEquals(EndReason.CANCELLED, c.endReason().orElseThrow());
        }
    }

    @Test
    void endReason_followsTheStream() {
        StreamController c = StreamController.create();
        assertTrue(c.endReason().isEmpty());
        try (EventStream<Integer> s =
                EventStream.<Integer>builder().controller(c).generate(out -> out.emit(1))) {
            assertEquals(List.of(1), s.stream().toList());
            assertSame(c, s.controller());
            assertEquals(EndReason.COMPLETED, c.endReason().orElseThrow());
        }
    }
}
