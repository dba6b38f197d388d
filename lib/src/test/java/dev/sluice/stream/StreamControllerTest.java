package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException.Timeout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class StreamControllerTest {

    @Test
    void defaults_areDocumentedValues() {
        StreamController c = StreamController.defaults();
        assertEquals(Optional.of(Duration.ofMinutes(2)), c.firstEventTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(1)), c.idleTimeout());
        assertEquals(Optional.empty(), c.totalTimeout());
        assertTrue(c.maxChunks().isEmpty());
        assertTrue(c.maxBytes().isEmpty());
        assertFalse(c.isStarted());
        assertFalse(c.isCancelled());
    }

    @Test
    void builder_nonPositiveValues_throwNamingTheArgument() {
        var b = StreamController.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.firstEventTimeout(Duration.ZERO)).getMessage().contains("firstEventTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ofSeconds(-1))).getMessage().contains("idleTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.totalTimeout(Duration.ZERO)).getMessage().contains("totalTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxChunks(0)).getMessage().contains("maxChunks"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxBytes(-5)).getMessage().contains("maxBytes"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.idleTimeout(null)).getMessage().contains("idleTimeout"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.nanoTime(null)).getMessage().contains("nanoTime"));
    }

    @Test
    void noTimeout_disablesIt() {
        StreamController c = StreamController.builder().noTimeout(Timeout.IDLE).noTimeout(Timeout.FIRST_EVENT).build();
        assertTrue(c.idleTimeout().isEmpty());
        assertTrue(c.firstEventTimeout().isEmpty());
        assertTrue(c.remaining().isEmpty());
    }

    @Test
    void cancel_twice_keepsFirstReasonAndRunsListenersOnce() {
        StreamController c = StreamController.defaults();
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
        StreamController c = StreamController.defaults();
        c.cancel();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(runs::incrementAndGet);
        assertEquals(1, runs.get());
        assertEquals("cancelled", c.cancelReason().orElseThrow());
    }

    @Test
    void cancel_listenerThrows_isLoggedAndOtherListenersStillRun() {
        StreamController c = StreamController.defaults();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(() -> { throw new IllegalStateException("listener bug"); });
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
        StreamController c = StreamController.builder().nanoTime(clock)
                .firstEventTimeout(Duration.ofSeconds(10)).totalTimeout(Duration.ofSeconds(60)).build();
        assertEquals(Duration.ofSeconds(10), c.remaining(Timeout.FIRST_EVENT).orElseThrow());
        c.start();
        clock.advance(Duration.ofSeconds(4));
        c.start(); // a second start keeps the first instant
        assertEquals(Duration.ofSeconds(6), c.remaining(Timeout.FIRST_EVENT).orElseThrow());
        assertEquals(Duration.ofSeconds(56), c.remaining(Timeout.TOTAL).orElseThrow());
        assertEquals(Duration.ofSeconds(6), c.remaining().orElseThrow());
        assertTrue(c.remaining(Timeout.IDLE).isEmpty(), "idle runs only after the first item");
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Duration.ZERO, c.remaining(Timeout.FIRST_EVENT).orElseThrow());
    }

    @Test
    void newController_copiesSettingsButNotState() {
        StreamController c = StreamController.builder().maxChunks(3).idleTimeout(Duration.ofSeconds(5)).build();
        c.start();
        c.cancel();
        StreamController fresh = c.newController();
        assertNotSame(c, fresh);
        assertEquals(c.maxChunks(), fresh.maxChunks());
        assertEquals(c.idleTimeout(), fresh.idleTimeout());
        assertSame(c.nanoTime(), fresh.nanoTime());
        assertFalse(fresh.isStarted());
        assertFalse(fresh.isCancelled());
    }

    @Test
    void cancel_beforeTheStreamOpens_endsItCancelledAtOnce() {
        StreamController c = StreamController.defaults();
        c.cancel("early");
        try (EventStream<Integer> s = EventStream.<Integer>builder().controller(c).generate(out -> out.emit(1))) {
            assertFalse(s.iterator().hasNext());
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        }
    }
}
