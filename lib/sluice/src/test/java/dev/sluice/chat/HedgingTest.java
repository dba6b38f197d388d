package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings {@link Hedging#parse} takes (the tool's {@code --hedge-after}, the starter's {@code sluice.hedge-after}) and those it refuses. */
class HedgingTest {
    @Test
    void parse_durationsAndPercentiles() {
        assertEquals(Hedging.after(Duration.ofMillis(800)), Hedging.parse("800ms"));
        assertEquals(Hedging.after(Duration.ofMillis(1500)), Hedging.parse(" 1.5s "));
        assertEquals(Hedging.percentile(95, Hedging.DEFAULT_FLOOR), Hedging.parse("p95"));
        assertEquals(Hedging.percentile(99.9, Duration.ofMillis(300)), Hedging.parse("p99.9,floor=300ms"));
    }

    @Test
    void parse_anythingElse_refusedSayingWhatIsWanted() {
        for (String bad : new String[] {"800", "2h", "fast", "p", "pxx", "p95,min=1s", "p95,floor=1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hedging.parse(bad), bad);
            assertEquals(
                    "'" + bad + "' is neither a duration (800ms, 1.5s) nor a percentile (p95, p95,floor=300ms)",
                    e.getMessage());
        }
        assertEquals(
                "the percentile must be above 0 and below 100, not 100",
                assertThrows(IllegalArgumentException.class, () -> Hedging.parse("p100"))
                        .getMessage());
        assertEquals(
                "the time must be above 0 and at most an hour, not 0ms",
                assertThrows(IllegalArgumentException.class, () -> Hedging.parse("0ms"))
                        .getMessage());
        assertEquals(
                "the time must be above 0 and at most an hour, not 3601s",
                assertThrows(IllegalArgumentException.class, () -> Hedging.parse("3601s"))
                        .getMessage());
    }
}
