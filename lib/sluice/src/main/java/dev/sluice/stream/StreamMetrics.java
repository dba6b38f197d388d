package dev.sluice.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Live measurements of one {@link EventStream}, taken with its controller's clock from
 * the moment the request was sent (or the producer started): time to first byte and to first item, counted items, bytes,
 * the gaps between counted items (min, mean, approximate p50 and p99, max), items per second and
 * duration. Readable from any thread during and after the stream; {@link #snapshot()} gives an
 * immutable copy. Keep-alive items ({@link Emitter#emitUncounted}) are not counted.
 *
 * <p>Items are timed when they arrive: for a Server-Sent Events stream
 * ({@link EventStream.Builder#fromSse}, {@link SseSource#pump}) that is the read of the body they
 * came in, so the events of one read have the same time and gaps of zero between them.
 */
public final class StreamMetrics {
    // Threading: every field but the end fields is written only by the producer thread. items is
    // written last in recordItem with release semantics, so a reader that acquires items first
    // sees the gap fields as of that item (a cheap store: no full fence on the hot path). bytes/firstByteNanos: written
    // by the producer, volatile.
    // endNanos/endReason: written once, by whichever thread ends the stream.

    /** Sub-buckets per power of two: percentiles are exact to within 1/8 (12.5%). */
    private static final int SUB_BITS = 3;

    private static final int SUB = 1 << SUB_BITS;
    /** Gaps are bucketed in microseconds, up to 2^40 us (about 12 days); longer ones go in the last bucket. */
    private static final int MAX_EXP = 40;

    private static final int BUCKETS = (MAX_EXP - SUB_BITS + 2) * SUB;

    private final StreamController controller;

    private long items; // accessed through ITEMS: release on write, acquire on read
    private static final VarHandle ITEMS;

    static {
        try {
            ITEMS = MethodHandles.lookup().findVarHandle(StreamMetrics.class, "items", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long bytes;
    private volatile long firstByteNanos;
    private volatile boolean hadByte;
    private long firstItemNanos;
    private long lastItemNanos;
    private long gapSum;
    private long gapMin = Long.MAX_VALUE;
    private long gapMax;
    // The gap histogram: one row of SUB counters per power of two, allocated when a gap first lands
    // in it (a stream's gaps fill a handful of rows: a few hundred bytes, not BUCKETS ints). Written
    // by the producer only and published by the release of items, like the gap fields.
    private final int[][] rows = new int[BUCKETS / SUB][];

    private volatile long endNanos;
    private volatile @Nullable EndReason endReason;

    StreamMetrics(StreamController controller) {
        this.controller = Objects.requireNonNull(controller, "controller");
    }

    // ---- producer side (hot path) ----

    void recordItem(long now) {
        long n = items; // the producer's own field: a plain read
        if (n == 0) {
            firstItemNanos = now;
        } else {
            long gap = Math.max(0, now - lastItemNanos);
            gapSum += gap;
            if (gap < gapMin) gapMin = gap;
            if (gap > gapMax) gapMax = gap;
            int b = bucket(gap / 1000);
            int[] row = rows[b / SUB];
            if (row == null) rows[b / SUB] = row = new int[SUB];
            row[b % SUB]++;
        }
        lastItemNanos = now;
        ITEMS.setRelease(this, n + 1); // publishes the fields above to readers that acquire items
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer, the producer; volatile for the readers
    void recordBytes(long n, long now) {
        if (!hadByte && n > 0) {
            firstByteNanos = now;
            hadByte = true;
        }
        bytes += n;
    }

    void recordEnd(EndReason reason, long now) {
        endNanos = now;
        endReason = reason;
    }

    static int bucket(long micros) {
        if (micros < SUB) return (int) micros;
        int exp = 63 - Long.numberOfLeadingZeros(micros);
        if (exp > MAX_EXP) return BUCKETS - 1;
        return (exp - SUB_BITS + 1) * SUB + (int) ((micros >>> (exp - SUB_BITS)) & (SUB - 1));
    }

    /** The largest value, in microseconds, of a bucket. */
    static long bucketUpperMicros(int bucket) {
        if (bucket < SUB) return bucket;
        int exp = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        return ((SUB + sub + 1) << (exp - SUB_BITS)) - 1;
    }

    // ---- readers ----

    /** {@return counted items received so far} */
    public long items() {
        return (long) ITEMS.getAcquire(this);
    }

    /** {@return bytes read from the source so far} */
    public long bytes() {
        return bytes;
    }

    /** {@return from the start to the first byte read, once one was} */
    public Optional<Duration> timeToFirstByte() {
        return snapshot().timeToFirstByte();
    }

    /** {@return from the start to the first counted item, once one arrived} */
    public Optional<Duration> timeToFirstItem() {
        return snapshot().timeToFirstItem();
    }

    /** {@return the gaps between counted items, once there were two} */
    public Optional<Gaps> gaps() {
        return snapshot().gaps();
    }

    /** {@return counted items per second from the first item to the last; 0 before the second} */
    public double itemsPerSecond() {
        return snapshot().itemsPerSecond();
    }

    /** {@return from the start to the end, or to now while the stream runs} */
    public Duration duration() {
        return snapshot().duration();
    }

    /** {@return why the stream ended; empty while it runs} */
    public Optional<EndReason> endReason() {
        return Optional.ofNullable(endReason);
    }

    /** {@return an immutable copy of the measurements as they are now} */
    public Snapshot snapshot() {
        long n = items(); // acquired first: the gap fields below are at least this fresh
        long now = controller.clock().getAsLong();
        EndReason reason = endReason;
        long start = controller.startNanos();
        boolean started = controller.isStarted();
        long end = reason != null ? endNanos : now;
        Duration duration = started ? Duration.ofNanos(Math.max(0, end - start)) : Duration.ZERO;
        Optional<Duration> ttfb = hadByte && started
                ? Optional.of(Duration.ofNanos(Math.max(0, firstByteNanos - start)))
                : Optional.empty();
        Optional<Duration> ttfi = n > 0 && started
                ? Optional.of(Duration.ofNanos(Math.max(0, firstItemNanos - start)))
                : Optional.empty();
        Optional<Gaps> gaps = Optional.empty();
        double rate = 0;
        if (n > 1) {
            long count = n - 1;
            long min = gapMin, max = gapMax;
            gaps = Optional.of(new Gaps(
                    count,
                    Duration.ofNanos(min),
                    Duration.ofNanos(gapSum / count),
                    Duration.ofNanos(percentile(0.50, count, min, max)),
                    Duration.ofNanos(percentile(0.99, count, min, max)),
                    Duration.ofNanos(max)));
            long span = lastItemNanos - firstItemNanos;
            rate = span > 0 ? count * 1e9 / span : 0;
        }
        return new Snapshot(ttfb, ttfi, n, bytes, gaps, rate, duration, Optional.ofNullable(reason));
    }

    private long percentile(double q, long count, long min, long max) {
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            int[] row = rows[b / SUB];
            if (row == null) {
                b += SUB - 1; // an empty row
                continue;
            }
            seen += row[b % SUB];
            if (seen >= rank) {
                long v = bucketUpperMicros(b) * 1000 + 999;
                return Math.max(min, Math.min(max, v));
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    /**
     * The gaps between consecutive counted items.
     *
     * @param count how many gaps (items minus one)
     * @param min the shortest
     * @param mean the mean
     * @param p50 the median, approximate (within 12.5%)
     * @param p99 the 99th percentile, approximate (within 12.5%)
     * @param max the longest
     */
    public record Gaps(long count, Duration min, Duration mean, Duration p50, Duration p99, Duration max) {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if count is not positive or a duration is negative
         */
        public Gaps {
            if (count <= 0) throw new IllegalArgumentException("count must be positive: " + count);
            for (Duration d : new Duration[] {min, mean, p50, p99, max}) {
                if (Objects.requireNonNull(d, "gap").isNegative())
                    throw new IllegalArgumentException("negative gap: " + d);
            }
        }
    }

    /**
     * An immutable copy of a stream's measurements.
     *
     * @param timeToFirstByte from the start to the first byte read, if any was
     * @param timeToFirstItem from the start to the first counted item, if any arrived
     * @param items counted items received
     * @param bytes bytes read from the source
     * @param gaps the gaps between counted items, if there were two items
     * @param itemsPerSecond counted items per second between the first and the last item
     * @param duration from the start to the end, or to the snapshot while running
     * @param endReason why the stream ended, empty while it ran
     */
    public record Snapshot(
            Optional<Duration> timeToFirstByte,
            Optional<Duration> timeToFirstItem,
            long items,
            long bytes,
            Optional<Gaps> gaps,
            double itemsPerSecond,
            Duration duration,
            Optional<EndReason> endReason) {
        /**
         * Checks the values.
         *
         * @throws NullPointerException if a reference is null
         * @throws IllegalArgumentException if a count is negative
         */
        public Snapshot {
            Objects.requireNonNull(timeToFirstByte, "timeToFirstByte");
            Objects.requireNonNull(timeToFirstItem, "timeToFirstItem");
            Objects.requireNonNull(gaps, "gaps");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(endReason, "endReason");
            if (items < 0 || bytes < 0)
                throw new IllegalArgumentException("negative count: items=" + items + ", bytes=" + bytes);
        }
    }
}
