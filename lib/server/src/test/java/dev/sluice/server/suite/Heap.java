package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/** The heap's live size, for tests that a bound holds: what stays after a full collection. */
public final class Heap {
    private Heap() {}

    /** {@return the bytes in use after a collection} */
    public static long usedAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /**
     * Waits, collecting, until the heap has grown by less than {@code bound} since {@code before};
     * fails when it has not within 20 s.
     */
    public static void awaitFlat(long before, long bound, String what) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    long grown = usedAfterGc() - before;
                    assertTrue(
                            grown < bound,
                            what + ": the heap grew by " + grown + " bytes after a collection, the bound is " + bound);
                });
    }
}
