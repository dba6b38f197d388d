package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The CPU split by thread group, from two readings of clock ticks (10 ms each). */
class ThreadCpuRunTest {
    private static Map<String, long[]> ticks(Object... nameUserSystem) {
        Map<String, long[]> m = new TreeMap<>();
        for (int i = 0; i < nameUserSystem.length; i += 3) {
            m.put(
                    (String) nameUserSystem[i],
                    new long[] {(Integer) nameUserSystem[i + 1], (Integer) nameUserSystem[i + 2]});
        }
        return m;
    }

    @Test
    void split_givesEachGroupsTicksInMilliseconds_andWhatTheProcessSpentBeyondThem() {
        Map<String, long[]> before = ticks("a", 10, 0);
        Map<String, long[]> after = ticks("a", 30, 5, "b", 7, 1, "c", 0, 2);

        assertEquals(
                " a 250.0 (200.0+50.0); b 80.0 (70.0+10.0); all 350.0; unattributed 70.0",
                ThreadCpuRun.split(before, after, 1, 50, 420));
        assertEquals(
                " a 250.0 (200.0+50.0); b 80.0 (70.0+10.0); all 350.0",
                ThreadCpuRun.split(before, after, 1, 50),
                "without the process's CPU, no remainder");
        assertEquals(
                " a 125.0 (100.0+25.0); all 175.0; unattributed 35.0",
                ThreadCpuRun.split(before, after, 2, 50, 420),
                "per stream: every figure divided");
    }
}
