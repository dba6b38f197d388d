package dev.sluice.benchmarks;

/**
 * The clock of one stream's windows: {@link System#nanoTime()} when each run of {@code every}
 * events was in hand, for {@code RealContentRun}'s rate over the first events of a fresh JVM.
 * The parsing clients count events (a countdown per event); the raw client, which does not parse,
 * marks a window when its body offset passes the end of the window's last event
 * ({@link BenchStream#eventEndOffsets}), checked once per read. Owned by the thread that consumes
 * the stream.
 */
final class Windows {
    /** Events per window. */
    final int every;
    /** For the raw client: the body offset just past each window's last event. */
    final long[] byteEnds;
    /** When each window was complete. */
    final long[] nanos;
    /** Windows complete so far. */
    int count;

    Windows(int every, long[] byteEnds) {
        if (every <= 0) throw new IllegalArgumentException("every must be positive: " + every);
        this.every = every;
        this.byteEnds = byteEnds;
        this.nanos = new long[byteEnds.length];
    }

    /** Marks the end of the next window (ignored past the last). */
    void mark() {
        if (count < nanos.length) nanos[count++] = System.nanoTime();
    }

    /** For the raw client: marks every window whose last event ends at or before {@code offset}. */
    void markBytes(long offset) {
        while (count < byteEnds.length && byteEnds[count] <= offset) nanos[count++] = System.nanoTime();
    }
}
