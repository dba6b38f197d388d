package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamMetricsTest {

    @Test
    void bucket_everyValue_upperBoundWithinAnEighth() {
        for (long v = 0; v < 5_000_000; v = v < 100 ? v + 1 : v + v / 7) {
            long upper = StreamMetrics.bucketUpperMicros(StreamMetrics.bucket(v));
            assertTrue(upper >= v && upper <= v + v / 8 + 1, v + " -> " + upper);
        }
        assertEquals(
                StreamMetrics.bucket(Long.MAX_VALUE),
                StreamMetrics.bucket(1L << 50),
                "huge gaps share the last bucket");
    }

    @Test
    void snapshot_knownGaps_minMeanPercentilesMax() {
        FakeClock clock = new FakeClock();
        StreamController c =
                StreamController.of(StreamOptions.builder().nanoTime(clock).build());
        c.start(StreamOptions.defaults());
        StreamMetrics m = new StreamMetrics(c);
        assertEquals(Optional.empty(), m.gaps());
        m.recordItem(clock.getAsLong());
        for (int i = 1; i <= 100; i++) { // gaps of 1 ms .. 100 ms
            clock.advance(Duration.ofMillis(i));
            m.recordItem(clock.getAsLong());
        }
        StreamMetrics.Gaps g = m.gaps().orElseThrow();
        assertEquals(100, g.count());
        assertEquals(Duration.ofMillis(1), g.min());
        assertEquals(Duration.ofMillis(100), g.max());
        assertEquals(Duration.ofNanos(50_500_000), g.mean());
        assertWithinEighth(Duration.ofMillis(50), g.p50());
        assertWithinEighth(Duration.ofMillis(99), g.p99());
        assertEquals(101, m.items());
        assertEquals(100 * 1e9 / Duration.ofMillis(5050).toNanos(), m.itemsPerSecond(), 1e-9);
        assertEquals(Optional.empty(), m.endReason());
        m.recordEnd(EndReason.COMPLETED, clock.getAsLong());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Duration.ofMillis(5050), m.duration(), "duration stops at the end");
        assertEquals(EndReason.COMPLETED, m.snapshot().endReason().orElseThrow());
    }

    @Test
    void snapshot_gapsFarApart_percentilesSkipTheEmptyRows() {
        FakeClock clock = new FakeClock();
        StreamController c =
                StreamController.of(StreamOptions.builder().nanoTime(clock).build());
        c.start(StreamOptions.defaults());
        StreamMetrics m = new StreamMetrics(c);
        m.recordItem(clock.getAsLong());
        for (int i = 0; i < 50; i++) { // 50 gaps of 3 us (the first row), 49 of 10 ms, one of an hour (the last)
            clock.advance(Duration.ofNanos(3_000));
            m.recordItem(clock.getAsLong());
        }
        for (int i = 0; i < 49; i++) {
            clock.advance(Duration.ofMillis(10));
            m.recordItem(clock.getAsLong());
        }
        clock.advance(Duration.ofHours(1));
        m.recordItem(clock.getAsLong());
        StreamMetrics.Gaps g = m.gaps().orElseThrow();
        assertEquals(100, g.count());
        assertWithinEighth(Duration.ofNanos(3_000), g.p50());
        assertWithinEighth(Duration.ofMillis(10), g.p99());
        assertEquals(Duration.ofHours(1), g.max());
    }

    private static void assertWithinEighth(Duration expected, Duration actual) {
        long e = expected.toNanos(), a = actual.toNanos();
        assertTrue(a >= e && a <= e + e / 8 + 1_000, "expected about " + expected + " but was " + actual);
    }
}
