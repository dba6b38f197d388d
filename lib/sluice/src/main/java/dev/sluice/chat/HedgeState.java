package dev.sluice.chat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a hedging {@link FallbackChain} remembers across its streams: which of its latest streams
 * were hedged (the cap), each target's recent times to first content (the percentile), and the
 * hedges started, won and lost per target.
 *
 * <p>Threading: any stream's producer thread calls in; the lock guards the window and the
 * samples, the counters are atomic.
 */
final class HedgeState {
    private final Hedging hedging;
    private final ReentrantLock lock = new ReentrantLock();

    // The cap: one slot per stream, in order of their start; true when it was hedged.
    private final boolean[] window;
    private long streams; // streams admitted so far
    private int hedgedInWindow;

    // Per target: the latest times to first content in nanoseconds, as a ring.
    private final long[][] samples;
    private final int[] sampleCounts;

    private final AtomicLongArray started;
    private final AtomicLongArray won;
    private final AtomicLongArray lost;

    HedgeState(Hedging hedging, int targets) {
        this.hedging = hedging;
        this.window = new boolean[hedging.window()];
        this.samples = new long[targets][Hedging.SAMPLES];
        this.sampleCounts = new int[targets];
        this.started = new AtomicLongArray(targets);
        this.won = new AtomicLongArray(targets);
        this.lost = new AtomicLongArray(targets);
    }

    Hedging hedging() {
        return hedging;
    }

    /** A stream starts: it takes the window's next slot. {@return its ticket for {@link #tryHedge}} */
    long admit() {
        lock.lock();
        try {
            int slot = (int) (streams % window.length);
            if (window[slot]) hedgedInWindow--;
            window[slot] = false;
            return streams++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return whether the stream of this ticket may hedge under the cap} True takes the hedge into
     * the window. A stream older than the window (it has waited longer than {@code window} later
     * streams took to start) does not hedge.
     */
    boolean tryHedge(long ticket) {
        lock.lock();
        try {
            if (streams - ticket > window.length || hedgedInWindow >= hedging.allowedInWindow()) return false;
            window[(int) (ticket % window.length)] = true;
            hedgedInWindow++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return how long target {@code t} may go without content before the next target starts too, in nanoseconds} */
    long thresholdNanos(int t) {
        long floor = hedging.after().toNanos();
        if (hedging.percentile() == 0) return floor;
        long[] sorted;
        lock.lock();
        try {
            if (sampleCounts[t] < Hedging.MIN_SAMPLES) return floor;
            sorted = Arrays.copyOf(samples[t], Math.min(sampleCounts[t], Hedging.SAMPLES));
        } finally {
            lock.unlock();
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(hedging.percentile() / 100 * sorted.length) - 1; // nearest rank
        return Math.max(floor, sorted[Math.max(0, Math.min(sorted.length - 1, rank))]);
    }

    /**
     * Takes note of how long target {@code t} took to its first content; for an attempt cancelled
     * before any, of how long it had run (a lower bound, so that a slow target's percentile does not
     * drift down for want of its slowest times).
     */
    void sample(int t, long nanos) {
        if (hedging.percentile() == 0) return;
        lock.lock();
        try {
            samples[t][sampleCounts[t] % Hedging.SAMPLES] = Math.max(0, nanos);
            sampleCounts[t]++;
        } finally {
            lock.unlock();
        }
    }

    void started(int t) {
        started.incrementAndGet(t);
    }

    /** The hedge on target {@code t} answered ({@code won}) or was cancelled or failed. */
    void ended(int t, boolean hedgeWon) {
        (hedgeWon ? won : lost).incrementAndGet(t);
    }

    /** {@return the counts of target {@code t} as a hedge} */
    FallbackChain.HedgeCounts counts(int t) {
        return new FallbackChain.HedgeCounts(started.get(t), won.get(t), lost.get(t));
    }
}
