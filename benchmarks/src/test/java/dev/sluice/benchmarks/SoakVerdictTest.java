package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's test of growth: the load's last third against its first, and rest against rest. */
class SoakVerdictTest {
    private static List<SoakVerdict.Sample> load(long... heapKb) {
        List<SoakVerdict.Sample> samples = new ArrayList<>();
        samples.add(new SoakVerdict.Sample(0, "warmup", Map.of("node-a.heap_kb", 1_000_000L))); // not in either window
        for (int i = 0; i < heapKb.length; i++) {
            samples.add(new SoakVerdict.Sample(60 * (i + 1), "load", Map.of("node-a.heap_kb", heapKb[i])));
        }
        return samples;
    }

    @Test
    void underLoad_aHeapThatLevelsOff_holds_oneThatKeepsGrowing_doesNot() {
        List<SoakVerdict.Check> flat =
                SoakVerdict.underLoad(load(20_000, 24_000, 22_000, 25_000, 23_000, 26_000), 60, 360);
        assertEquals(1, flat.size());
        assertTrue(flat.getFirst().held(), flat.toString());
        assertEquals(26_000, flat.getFirst().after());
        assertEquals(24_000 * 5 / 4 + 8 * 1024, flat.getFirst().bound(), "the first third's max x 1.25 + 8 MiB");

        List<SoakVerdict.Check> leak =
                SoakVerdict.underLoad(load(20_000, 30_000, 40_000, 50_000, 60_000, 70_000), 60, 360);
        assertFalse(leak.getFirst().held(), leak.toString());
    }

    @Test
    void atRest_threadsBackToTheBaseline_hold_moreThanTheSlack_doNot() {
        SoakVerdict.Sample baseline = new SoakVerdict.Sample(
                100, "rest", Map.of("node-a.threads", 40L, "node-a.fds", 30L, "node-a.other", 1L));
        SoakVerdict.Sample back = new SoakVerdict.Sample(
                900, "rest", Map.of("node-a.threads", 48L, "node-a.fds", 46L, "node-a.other", 1000L));
        List<SoakVerdict.Check> checks = SoakVerdict.atRest(baseline, back);
        assertEquals(2, checks.size(), "values without a bound are not compared: " + checks);
        assertTrue(checks.stream().allMatch(SoakVerdict.Check::held), checks.toString());

        SoakVerdict.Sample grown =
                new SoakVerdict.Sample(900, "rest", Map.of("node-a.threads", 49L, "node-a.fds", 47L));
        assertTrue(SoakVerdict.atRest(baseline, grown).stream().noneMatch(SoakVerdict.Check::held));
    }
}
