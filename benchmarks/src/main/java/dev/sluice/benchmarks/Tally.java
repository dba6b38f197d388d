package dev.sluice.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link SoakRun}'s counts by name, and its verification failures: each one counted, written to
 * the failure log as it happens, and the first {@value #KEPT} kept for the summary.
 *
 * <p>Thread-safe: every client thread counts here; the sampler reads.
 */
final class Tally {
    private static final int KEPT = 50;

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final List<String> firstFailures = new ArrayList<>();
    private final PrintStream log;
    private final long startNanos = System.nanoTime();

    /** @param log where every failure is written in full, as it happens */
    Tally(PrintStream log) {
        this.log = log;
    }

    void add(String name) {
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    void add(String name, long n) {
        if (n != 0) counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** {@return the sum of every count whose name starts with {@code prefix}} */
    long sum(String prefix) {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : counts.entrySet())
            if (e.getKey().startsWith(prefix)) n += e.getValue().sum();
        return n;
    }

    /** {@return every count, by name} */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** A verification failed: what, and each problem found. */
    void fail(String what, List<String> problems) {
        failures.increment();
        String line = String.format(
                "%7.1f s  %s: %s", (System.nanoTime() - startNanos) / 1e9, what, String.join("; ", problems));
        synchronized (firstFailures) {
            if (firstFailures.size() < KEPT) firstFailures.add(line);
            log.println(line);
            log.flush();
        }
    }

    long failures() {
        return failures.sum();
    }

    List<String> firstFailures() {
        synchronized (firstFailures) {
            return List.copyOf(firstFailures);
        }
    }
}
