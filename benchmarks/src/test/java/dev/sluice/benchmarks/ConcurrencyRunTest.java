package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The burst's timeline line: percentiles from the burst's start, over the completed streams only. */
class ConcurrencyRunTest {
    private static final long S = 1_000_000_000L;

    @Test
    void timeline_takesEachTimeFromTheBurstsStart_andEachStreamsFirstEventToItsEnd() {
        long start = 100 * S;
        long[] starts = new long[10];
        long[] firsts = new long[10];
        long[] ends = new long[10];
        for (int i = 0; i < 10; i++) {
            starts[i] = start + i * S / 10; // 0.0 .. 0.9 s
            firsts[i] = start + (i + 1) * S; // 1 .. 10 s
            ends[i] = firsts[i] + (i < 5 ? 0 : S); // half whole at their first event, half a second later
        }

        String line = ConcurrencyRun.timeline(start, starts, firsts, ends);

        assertEquals(
                "# timeline, s from the burst's start (p10/p50/p90/max): started 0.00/0.40/0.80/0.90;"
                        + " first event 1.00/5.00/9.00/10.00; ended 1.00/5.00/10.00/11.00;"
                        + " first event to end (p10/p50/p90) 0.00/0.00/1.00",
                line);
    }

    @Test
    void timeline_leavesOutStreamsThatFailedOrNeverHadAnEvent() {
        long start = 0;
        long[] starts = {0, S, 2 * S};
        long[] firsts = {3 * S, 0, 4 * S}; // the second never had an event
        long[] ends = {3 * S, 5 * S, 0}; // the third failed (no end recorded)

        String line = ConcurrencyRun.timeline(start, starts, firsts, ends);

        assertEquals(
                "# timeline, s from the burst's start (p10/p50/p90/max): started 0.00/0.00/0.00/0.00;"
                        + " first event 3.00/3.00/3.00/3.00; ended 3.00/3.00/3.00/3.00;"
                        + " first event to end (p10/p50/p90) 0.00/0.00/0.00",
                line);
    }
}
