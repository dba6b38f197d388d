package dev.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@link SoakRun}'s test that nothing grows without bound, on its per-minute samples. Two
 * comparisons, each against a bound stated here:
 *
 * <ul>
 * <li><b>Under load</b>: the largest value of the last third of the load phase against the largest
 *     of its first third (the warm-up before the load phase is not in either): at most
 *     {@code first × (1 + RATIO) + slack}, the slack per kind of value ({@link Bound}). A leak of a
 *     little per stream over thousands of streams passes that; one that keeps growing does not.</li>
 * <li><b>At rest</b>: after the load, once every stream has ended and the stores' retention (60 s)
 *     has passed, each value against the same value at rest after the warm-up: heap after GC at
 *     most {@code baseline × (1 + RATIO) + slack}, threads, file descriptors and Redis keys at most
 *     {@code baseline + slack}: back to where they were.</li>
 * </ul>
 *
 * <p>Values are named {@code WHO.WHAT} ({@code node-a.heap_kb}, {@code redis.used_memory}); the
 * kind is the part after the dot.
 */
final class SoakVerdict {
    /** The growth allowed over the first value, on top of the slack. */
    static final double RATIO = 0.25;

    /** The slack of one kind of value, under load and at rest. */
    record Bound(String kind, long underLoad, long atRest, boolean proportionalAtRest) {}

    static final List<Bound> BOUNDS = List.of(
            new Bound("heap_kb", 8 * 1024, 8 * 1024, true),
            new Bound("threads", 8, 8, false),
            new Bound("all_threads", 16, 8, false),
            new Bound("fds", 16, 16, false),
            new Bound("used_memory", 2 << 20, 2 << 20, true),
            new Bound("keys", 64, 8, false));

    private SoakVerdict() {}

    /** One sample: seconds since the start, the phase, and each value (absent when it could not be read). */
    record Sample(double seconds, String phase, Map<String, Long> values) {}

    /** One comparison: what, the two values, the bound, and whether it held. */
    record Check(String name, String window, long before, long after, long bound, boolean held) {
        @Override
        public String toString() {
            return String.format(
                    "%-22s %-28s %,14d -> %,14d (bound %,d) %s",
                    name, window, before, after, bound, held ? "ok" : "FAILED");
        }
    }

    /**
     * {@return the comparisons under load: the last third of the {@code load} samples against the first third}
     *
     * @param loadFrom the seconds when the load phase started
     * @param loadTo the seconds when it ended
     */
    static List<Check> underLoad(List<Sample> samples, double loadFrom, double loadTo) {
        double third = (loadTo - loadFrom) / 3;
        List<Check> checks = new ArrayList<>();
        for (String name : names(samples)) {
            Bound b = bound(name);
            if (b == null) continue;
            OptionalLong first = max(samples, name, "load", loadFrom, loadFrom + third);
            OptionalLong last = max(samples, name, "load", loadTo - third, loadTo);
            if (first.isEmpty() || last.isEmpty()) continue;
            long bound = (long) (first.getAsLong() * (1 + RATIO)) + b.underLoad();
            checks.add(new Check(
                    name,
                    "under load, first/last third",
                    first.getAsLong(),
                    last.getAsLong(),
                    bound,
                    last.getAsLong() <= bound));
        }
        return checks;
    }

    /** {@return the comparisons at rest: the last sample of each phase against each other} */
    static List<Check> atRest(Sample baseline, Sample end) {
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<String, Long> e : baseline.values().entrySet()) {
            Bound b = bound(e.getKey());
            Long after = end.values().get(e.getKey());
            if (b == null || after == null) continue;
            long before = e.getValue();
            long bound = b.proportionalAtRest() ? (long) (before * (1 + RATIO)) + b.atRest() : before + b.atRest();
            checks.add(new Check(e.getKey(), "at rest, after warm-up/end", before, after, bound, after <= bound));
        }
        return checks;
    }

    private static @Nullable Bound bound(String name) {
        String kind = name.substring(name.indexOf('.') + 1);
        for (Bound b : BOUNDS) if (b.kind().equals(kind)) return b;
        return null;
    }

    private static List<String> names(List<Sample> samples) {
        return samples.stream()
                .flatMap(s -> s.values().keySet().stream())
                .distinct()
                .sorted()
                .toList();
    }

    private static OptionalLong max(List<Sample> samples, String name, String phase, double from, double to) {
        return samples.stream()
                .filter(s -> s.phase().equals(phase) && s.seconds() >= from && s.seconds() <= to)
                .map(s -> s.values().get(name))
                .filter(v -> v != null && v >= 0)
                .mapToLong(Long::longValue)
                .max();
    }
}
