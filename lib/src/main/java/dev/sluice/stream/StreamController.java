package dev.sluice.stream;

import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The limits, the clock and the cancel switch of one {@link EventStream}.
 *
 * <pre>{@code
 * StreamController controller = StreamController.builder()
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .maxChunks(1_000)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: first-event timeout {@value #DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS} s (from
 * {@link #start()} to the first counted item), idle timeout {@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s
 * (the longest wait for the next counted item; keep-alives do not reset it), no total timeout,
 * no chunk limit, no byte limit, the clock {@link System#nanoTime()}. Timeouts are enforced while
 * the consumer waits for an item (the total timeout also when the producer emits); when one
 * expires, the items already received are delivered, then a {@link StreamTimeoutException} is
 * thrown.
 *
 * <p>A controller belongs to one stream; {@link #newController()} makes a fresh one with the same
 * settings, so an unstarted controller can serve as a template. {@link #cancel(String)} works from
 * any thread, before or during the stream.
 */
public final class StreamController {
    // Threading: the settings are final. started/startNanos are written once, under lock, by
    // whichever thread calls start() first (the client's or the engine's), and read by all.
    // cancelled/cancelReason/listeners are guarded by lock; cancelled and cancelReason are also
    // volatile for lock-free reads. stream is written once under lock by the engine (bind).

    /** The default first-event timeout, in seconds. */
    public static final long DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS = 120;
    /** The default idle timeout, in seconds. */
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    private static final System.Logger LOG = System.getLogger(StreamController.class.getName());

    private final Duration firstEventTimeout;
    private final Duration idleTimeout;
    private final Duration totalTimeout;
    private final long firstEventNanos;
    private final long idleNanos;
    private final long totalNanos;
    private final long maxChunks;
    private final long maxBytes;
    private final LongSupplier nanoTime;
    private final boolean systemClock;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean started;
    private volatile long startNanos;
    private volatile boolean cancelled;
    private volatile String cancelReason;
    private List<Runnable> listeners = new ArrayList<>();
    private volatile StreamCore<?> stream;

    private StreamController(Builder b) {
        this.firstEventTimeout = b.firstEventTimeout;
        this.idleTimeout = b.idleTimeout;
        this.totalTimeout = b.totalTimeout;
        this.firstEventNanos = nanosOrNone(b.firstEventTimeout);
        this.idleNanos = nanosOrNone(b.idleTimeout);
        this.totalNanos = nanosOrNone(b.totalTimeout);
        this.maxChunks = b.maxChunks;
        this.maxBytes = b.maxBytes;
        this.nanoTime = b.nanoTime;
        this.systemClock = b.systemClock;
    }

    private static long nanosOrNone(Duration d) {
        if (d == null) return -1;
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4; // centuries: no deadline arithmetic can overflow
        }
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a controller with the default settings} */
    public static StreamController defaults() {
        return builder().build();
    }

    /** {@return a builder starting from this controller's settings} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.firstEventTimeout = firstEventTimeout;
        b.idleTimeout = idleTimeout;
        b.totalTimeout = totalTimeout;
        b.maxChunks = maxChunks;
        b.maxBytes = maxBytes;
        b.nanoTime = nanoTime;
        b.systemClock = systemClock;
        return b;
    }

    /** {@return a new, unstarted, uncancelled controller with this one's settings} */
    public StreamController newController() {
        return new StreamController(toBuilder());
    }

    /** {@return the first-event timeout, if any: from {@link #start()} to the first counted item} */
    public Optional<Duration> firstEventTimeout() { return Optional.ofNullable(firstEventTimeout); }

    /** {@return the idle timeout, if any: the longest wait for the next counted item} */
    public Optional<Duration> idleTimeout() { return Optional.ofNullable(idleTimeout); }

    /** {@return the total timeout, if any: from {@link #start()} to the end of the stream} */
    public Optional<Duration> totalTimeout() { return Optional.ofNullable(totalTimeout); }

    /**
     * {@return the configured timeout of the given kind, if any}
     *
     * @param which the timeout
     */
    public Optional<Duration> timeout(Timeout which) {
        return switch (Objects.requireNonNull(which, "which")) {
            case FIRST_EVENT -> firstEventTimeout();
            case IDLE -> idleTimeout();
            case TOTAL -> totalTimeout();
        };
    }

    /** {@return the most counted items a stream delivers before ending with {@link EndReason#CHUNK_LIMIT}, if limited} */
    public OptionalLong maxChunks() { return maxChunks > 0 ? OptionalLong.of(maxChunks) : OptionalLong.empty(); }

    /** {@return the most bytes a stream may read before failing with a {@link dev.sluice.LimitExceededException}, if limited} */
    public OptionalLong maxBytes() { return maxBytes > 0 ? OptionalLong.of(maxBytes) : OptionalLong.empty(); }

    /** {@return the clock, in nanoseconds, that timeouts and metrics use} */
    public LongSupplier nanoTime() { return nanoTime; }

    /**
     * Records now as the start of the stream, unless already started. A client calls it just
     * before sending the request, so the first-event and total timeouts include the wait for the
     * response headers; the engine calls it when a stream starts otherwise.
     */
    public void start() {
        if (started) return;
        lock.lock();
        try {
            if (!started) {
                startNanos = nanoTime.getAsLong();
                started = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims this controller for the one stream about to open: starts it, as {@link #start()}, unless
     * it was started already. Atomic: of several threads opening streams with one controller at
     * once, exactly one gets true, and the others must not send anything. The library's streaming
     * calls claim their controller before they send the request.
     *
     * @return true when this call started the controller; false when it had been started before
     */
    public boolean claim() {
        lock.lock();
        try {
            if (started) return false;
            startNanos = nanoTime.getAsLong();
            started = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether {@link #start()} was called} */
    public boolean isStarted() { return started; }

    /**
     * {@return how much of a timeout is left now, if it is configured and running}
     * The first-event timeout runs from {@link #start()} until the first counted item, the idle
     * timeout from the last counted item, the total timeout from the start; before {@code start()}
     * the full first-event and total timeouts are left. Never negative.
     *
     * @param which the timeout
     */
    public Optional<Duration> remaining(Timeout which) {
        long left = remainingNanos(Objects.requireNonNull(which, "which"), nanoTime.getAsLong());
        return left == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, left)));
    }

    /** {@return the least time left among the running timeouts, if any is running} */
    public Optional<Duration> remaining() {
        long now = nanoTime.getAsLong();
        long least = Long.MAX_VALUE;
        boolean any = false;
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE) { any = true; least = Math.min(least, left); }
        }
        return any ? Optional.of(Duration.ofNanos(Math.max(0, least))) : Optional.empty();
    }

    /** The nanoseconds left of a timeout at {@code now}, possibly negative; MIN_VALUE when not running. */
    long remainingNanos(Timeout which, long now) {
        StreamCore<?> s = stream;
        boolean hadItem = s != null && s.countedItems() > 0;
        return switch (which) {
            case FIRST_EVENT -> firstEventNanos < 0 || hadItem ? Long.MIN_VALUE
                    : started ? firstEventNanos - (now - startNanos) : firstEventNanos;
            case IDLE -> idleNanos < 0 || !hadItem ? Long.MIN_VALUE : idleNanos - (now - s.idleSince());
            case TOTAL -> totalNanos < 0 ? Long.MIN_VALUE
                    : started ? totalNanos - (now - startNanos) : totalNanos;
        };
    }

    /** {@return the first timeout expired at {@code now}, or null} Checked in the order first-event/idle, total. */
    StreamTimeoutException expired(long now) {
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE && left <= 0) {
                long limit = t == Timeout.FIRST_EVENT ? firstEventNanos : t == Timeout.IDLE ? idleNanos : totalNanos;
                return new StreamTimeoutException(t, timeout(t).orElseThrow(), Duration.ofNanos(limit - left));
            }
        }
        return null;
    }

    /** {@return the total timeout if expired at {@code now}, else null} Cheap: for the producer's hot path. */
    StreamTimeoutException totalExpired(long now) {
        if (totalNanos < 0 || !started) return null;
        long waited = now - startNanos;
        return waited >= totalNanos ? new StreamTimeoutException(Timeout.TOTAL, totalTimeout, Duration.ofNanos(waited)) : null;
    }

    /** {@return nanoseconds until the nearest deadline at {@code now} (at most {@code cap}), never negative} */
    long nanosToNextDeadline(long now, long cap) {
        long least = cap;
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE) least = Math.min(least, Math.max(0, left));
        }
        return least;
    }

    boolean usesSystemClock() { return systemClock; }

    long startNanos() { return startNanos; }

    long maxChunksOrZero() { return maxChunks; }

    long maxBytesOrZero() { return maxBytes; }

    /** Ties this controller to its one stream. */
    void bind(StreamCore<?> core) {
        lock.lock();
        try {
            if (stream != null) {
                throw new IllegalStateException("this StreamController already belongs to a stream; "
                        + "use controller.newController() for another stream");
            }
            stream = core;
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the stream with the reason {@code "cancelled"}; see {@link #cancel(String)}. */
    public void cancel() {
        cancel("cancelled");
    }

    /**
     * Cancels the stream: its source is closed, its producer ends, its consumer's
     * {@code hasNext()} returns false (items not yet taken are dropped), and it reports
     * {@link EndReason#CANCELLED} unless it had already ended otherwise. Idempotent: only the
     * first call's reason is kept and listeners run once. Safe from any thread, also before the
     * stream opens.
     *
     * @param reason why, for {@link #cancelReason()} and logs, not null
     */
    public void cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        List<Runnable> toRun;
        lock.lock();
        try {
            if (cancelled) return;
            cancelReason = reason;
            cancelled = true;
            toRun = listeners;
            listeners = null;
        } finally {
            lock.unlock();
        }
        for (Runnable r : toRun) runListener(r);
    }

    /** {@return whether {@link #cancel(String)} (or the stream's {@code close()}) was called} */
    public boolean isCancelled() { return cancelled; }

    /** {@return the reason given to the first {@link #cancel(String)}, if cancelled} */
    public Optional<String> cancelReason() { return Optional.ofNullable(cancelReason); }

    /**
     * Adds a listener that runs once, on the cancelling thread, when this controller is cancelled;
     * at once, on this thread, if it already is. A listener that throws is logged, not propagated.
     *
     * @param listener the listener, not null
     */
    public void onCancel(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (!cancelled) {
                listeners.add(listener);
                return;
            }
        } finally {
            lock.unlock();
        }
        runListener(listener);
    }

    private static void runListener(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a StreamController onCancel listener threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "StreamController[firstEventTimeout=" + firstEventTimeout + ", idleTimeout=" + idleTimeout
                + ", totalTimeout=" + totalTimeout + ", maxChunks=" + (maxChunks > 0 ? maxChunks : "none")
                + ", maxBytes=" + (maxBytes > 0 ? maxBytes : "none") + ", cancelled=" + cancelled + "]";
    }

    /**
     * {@link System#nanoTime()}, the default clock: a class, not a method reference, which a fresh
     * JVM would link the first time a builder is made (a millisecond or two before the first stream).
     */
    private static final class NanoClock implements LongSupplier {
        static final NanoClock INSTANCE = new NanoClock();

        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    /** Builds a {@link StreamController}; each setter checks its argument at once. */
    public static final class Builder {
        private Duration firstEventTimeout = Duration.ofSeconds(DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS);
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private Duration totalTimeout;
        private long maxChunks;
        private long maxBytes;
        private LongSupplier nanoTime = NanoClock.INSTANCE;
        private boolean systemClock = true;

        private Builder() {}

        /**
         * Sets the first-event timeout.
         *
         * @param timeout from {@link StreamController#start()} to the first counted item, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder firstEventTimeout(Duration timeout) {
            firstEventTimeout = positive(timeout, "firstEventTimeout");
            return this;
        }

        /**
         * Sets the idle timeout.
         *
         * @param timeout the longest wait for the next counted item, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(Duration timeout) {
            idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * Sets the total timeout.
         *
         * @param timeout from {@link StreamController#start()} to the end of the stream, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder totalTimeout(Duration timeout) {
            totalTimeout = positive(timeout, "totalTimeout");
            return this;
        }

        /**
         * Turns a timeout off.
         *
         * @param which the timeout to disable, not null
         * @return this builder
         */
        public Builder noTimeout(Timeout which) {
            switch (Objects.requireNonNull(which, "which")) {
                case FIRST_EVENT -> firstEventTimeout = null;
                case IDLE -> idleTimeout = null;
                case TOTAL -> totalTimeout = null;
            }
            return this;
        }

        /**
         * Sets the chunk limit: the stream ends normally after this many counted items.
         *
         * @param items the most counted items to deliver, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxChunks(long items) {
            if (items <= 0) throw new IllegalArgumentException("maxChunks must be positive: " + items);
            maxChunks = items;
            return this;
        }

        /**
         * Sets the byte limit: past it the stream fails.
         *
         * @param bytes the most bytes the source may read, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxBytes(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
            maxBytes = bytes;
            return this;
        }

        /**
         * The clock for timeouts and metrics; tests pass a fake one. With a clock other than the
         * default, a waiting consumer re-reads it at least every 10 ms of real time.
         *
         * @param nanoTime a monotonic clock in nanoseconds, not null
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            this.systemClock = false;
            return this;
        }

        /** {@return a new controller with these settings} */
        public StreamController build() {
            return new StreamController(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
