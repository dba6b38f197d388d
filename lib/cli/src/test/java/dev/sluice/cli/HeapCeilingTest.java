package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link HeapCeiling}: under the serial collector, as {@code ./sluice serve} starts its JVM
 * ({@code -XX:+UseSerialGC -Xms16m}), promoted garbage grows the old generation toward the maximum heap
 * unless the ceiling collects it. Each case is a child JVM of its own ({@link HeapCeilingChurn}), so that
 * the ceiling's whole collections and the pool's threshold touch no other test.
 */
class HeapCeilingTest {
    private static final long MIB = 1024 * 1024;
    private static final Pattern RESULT = Pattern.compile("max_old_committed=(\\d+) collections=(\\d+) .*");

    @Test
    void serialHeap_promotedGarbage_theCeilingKeepsTheOldGenerationNearIt_withoutItGrowsOn() throws Exception {
        Map<String, Long> without = churn(List.of());
        Map<String, Long> with = churn(List.of("-D" + HeapCeiling.PROPERTY + "=48m"));
        Map<String, Long> jvmOption = churn(List.of("-XX:SoftMaxHeapSize=48m"));

        // without a ceiling the serial collector expands the old generation with the garbage (1 GiB allocated)
        assertEquals(0, without.get("collections"), without::toString);
        assertTrue(without.get("max_old_committed") > 256 * MIB, without::toString);
        // with one, whole collections keep it within the ceiling and what one young collection promotes past it
        for (Map<String, Long> r : List.of(with, jvmOption)) {
            assertTrue(r.get("collections") > 0, r::toString);
            assertTrue(r.get("max_old_committed") <= 48 * MIB + 16 * MIB, r::toString);
        }
    }

    @Test
    void serialHeap_explicitCollectionsDisabled_noCeiling() throws Exception {
        // -XX:+DisableExplicitGC turns System.gc() into nothing: the ceiling would only be notified over and over
        Map<String, Long> r = churn(List.of("-XX:+DisableExplicitGC", "-D" + HeapCeiling.PROPERTY + "=48m"));
        assertEquals(0, r.get("collections"), r::toString);
    }

    @Test
    void serialHeap_aBurstPastTheCeiling_givenBackOnceItIsGoneThoughNoGarbageFollows() throws Exception {
        String out = run(List.of("-D" + HeapCeiling.PROPERTY + "=48m"), List.of("burst"));
        Matcher m = Pattern.compile("at_burst=(\\d+) idle=(\\d+) rechecks=(\\d+) .*")
                .matcher(out);
        assertTrue(m.matches(), out);
        // 96 MiB held grew the heap past the ceiling; once let go, the ceiling's next look collected it whole (not a
        // collection at the threshold that the burst's end raced with)
        assertTrue(Long.parseLong(m.group(1)) > 96 * MIB, out);
        assertTrue(Long.parseLong(m.group(2)) <= 48 * MIB, out);
        assertTrue(Long.parseLong(m.group(3)) > 0, out);
    }

    @Test
    void serialHeap_idleAfterALoadBelowTheCeiling_collectedWithLowerFreeRatios_theJvmsSetBack() throws Exception {
        Matcher m = idle(List.of(), "20");
        // 24 MiB live, a 12 MiB cache and 40 MiB held grew the heap, below the ceiling (no collection there) and below
        // where a look at a heap past it collects; once idle for a look, the cache let go of (what it threw after
        // did not stop the look) and the look's collections shrank the heap to near its live set (the JVM's own 70 %
        // free would have kept it as it grew; the cache kept, 36 MiB live, 68 MiB): the old generation to 33 MiB, the
        // young one resized after it
        assertTrue(Long.parseLong(m.group(1)) > 64 * MIB, m.group());
        assertTrue(Long.parseLong(m.group(2)) <= 50 * MIB, m.group());
        assertTrue(Long.parseLong(m.group(4)) > 0, m.group());
        assertEquals(m.group(3), m.group(4), m.group());
        assertEquals("40 70", m.group(5) + " " + m.group(6), m.group());
        assertEquals(m.group(4), m.group(7), m.group());
    }

    @Test
    void serialHeap_idle_freeRatiosGivenToTheJvm_collectedWithThem() throws Exception {
        // the JVM's defaults, but given: a person's choice, kept; the collection then leaves the heap as it grew
        Matcher m = idle(List.of("-XX:MinHeapFreeRatio=40", "-XX:MaxHeapFreeRatio=70"), "5");
        assertTrue(Long.parseLong(m.group(4)) > 0, m.group());
        assertTrue(Long.parseLong(m.group(2)) > 64 * MIB, m.group());
        assertEquals("40 70", m.group(5) + " " + m.group(6), m.group());
    }

    private static Matcher idle(List<String> options, String waitSeconds) throws Exception {
        List<String> all = new ArrayList<>(options);
        all.add("-D" + HeapCeiling.PROPERTY + "=128m");
        String out = run(all, List.of("idle", waitSeconds));
        Matcher m = Pattern.compile(
                        "at_load=(\\d+) idle=(\\d+) collections=(\\d+) rechecks=(\\d+) min_free=(\\d+) max_free=(\\d+)"
                                + " before_idle=(\\d+) .*")
                .matcher(out);
        assertTrue(m.matches(), out);
        return m;
    }

    @Test
    void parseSize_asTheJvmsOptionsWriteSizes() throws Exception {
        assertEquals(128 * MIB, HeapCeiling.parseSize("128m"));
        assertEquals(1024 * MIB, HeapCeiling.parseSize("1G"));
        assertEquals(512 * 1024, HeapCeiling.parseSize("512k"));
        assertEquals(4096, HeapCeiling.parseSize(" 4096 "));
        for (String bad : List.of("", "m", "12x", "-5m", "1.5g", "0", "99999999999999g")) {
            UsageException e = assertThrows(UsageException.class, () -> HeapCeiling.parseSize(bad), bad);
            assertTrue(
                    e.getMessage().contains(HeapCeiling.PROPERTY)
                            && e.getMessage().contains("128m"),
                    e::getMessage);
        }
    }

    @Test
    void launcher_serve_setsTheDefaultCeilingAndShrinksAtOnce() throws Exception {
        // the repository's ./sluice, which starts serve's JVM: its flags for serve, as HeapCeiling's Javadoc states
        // them
        String launcher = Files.readString(Path.of("../../sluice"));
        String serve = launcher.substring(launcher.indexOf("if [ \"${1:-}\" = serve ]"));
        assertTrue(serve.contains("-D" + HeapCeiling.PROPERTY + "=" + HeapCeiling.LAUNCHER_DEFAULT + ")"), serve);
        assertTrue(serve.contains("-XX:+UseSerialGC -XX:-ShrinkHeapInSteps"), serve);
        // glibc's arenas: two, unless given, so that what a load freed off the heap is trimmed back
        assertTrue(serve.contains("export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\""), serve);
    }

    @Test
    void asked_noOptionNorProperty_none() throws Exception {
        // this JVM (the serial collector, as every test JVM's) was started without either
        assertNull(System.getProperty(HeapCeiling.PROPERTY));
        assertNull(HeapCeiling.asked());
    }

    private static Map<String, Long> churn(List<String> options) throws IOException, InterruptedException {
        String line = run(options, List.of());
        Matcher m = RESULT.matcher(line);
        assertTrue(m.matches(), line);
        return Map.of("max_old_committed", Long.parseLong(m.group(1)), "collections", Long.parseLong(m.group(2)));
    }

    /** {@return the last line a HeapCeilingChurn printed, run with these JVM options and arguments} */
    private static String run(List<String> options, List<String> args) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(
                List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx1g", "-XX:-ShrinkHeapInSteps", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(options);
        return ChildJvm.output(jvm, HeapCeilingChurn.class, args)
                .strip()
                .lines()
                .reduce((a, b) -> b)
                .orElse("");
    }
}
