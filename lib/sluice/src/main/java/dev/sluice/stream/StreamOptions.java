package dev.sluice.stream;

import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a stream runs: its timeouts, limits and clock. Immutable and reusable: one value may serve as
 * a client's default ({@code streamOptions(..)} on each client's builder) and for any number of
 * streams at once, the way one {@link java.net.http.HttpRequest} may be sent many times. What
 * belongs to one running stream (its cancel switch, listeners, why it ended) is its
 * {@link StreamController}.
 *
 * <pre>{@code
 * StreamOptions patient = StreamOptions.builder()
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .totalTimeout(Duration.ofMinutes(5))
 *         .maxChunks(1_000)
 *         .build();
 * try (MessageStream s = client.messages().stream(request, patient)) { ... }
 * }</pre>
 *
 * <p>Defaults: first-event timeout {@value #DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS} s (from the
 * moment the request is sent to the first counted item), idle timeout
 * {@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s (the longest wait for the next counted item; keep-alives
 * do not reset it), no total timeout, no chunk limit, no byte limit, the clock
 * {@link System#nanoTime()}. Timeouts are enforced while the request opens (each attempt and each
 * retry back-off is bounded by what is left of every deadline) and while the consumer waits for an
 * item (the total timeout also when the producer emits); when one expires, the items already
 * received are delivered, then a {@link StreamTimeoutException} is thrown.
 */
public final class StreamOptions {
    /** The default first-event timeout, in seconds. */
    public static final long DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS = 120;
    /** The default idle timeout, in seconds. */
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    /** The default clock, one instance so that options using it compare equal. */
    private static final LongSupplier SYSTEM_NANO_TIME = System::nanoTime;

    private static final StreamOptions DEFAULTS = new Builder().build();

    private final @Nullable Duration firstEventTimeout;
    private final @Nullable Duration idleTimeout;
    private final @Nullable Duration totalTimeout;
    final long firstEventNanos;
    final long idleNanos;
    final long totalNanos;
    private final long maxChunks;
    private final long maxBytes;
    private final LongSupplier nanoTime;
    private final boolean systemClock;

    private StreamOptions(Builder b) {
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

    private static long nanosOrNone(@Nullable Duration d) {
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

    /** {@return the default options} */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from these options} */
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

    /** {@return the first-event timeout, if any: from sending the request to the first counted item} */
    public Optional<Duration> firstEventTimeout() {
        return Optional.ofNullable(firstEventTimeout);
    }

    /** {@return the idle timeout, if any: the longest wait for the next counted item} */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** {@return the total timeout, if any: from sending the request to the end of the stream} */
    public Optional<Duration> totalTimeout() {
        return Optional.ofNullable(totalTimeout);
    }

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
    public OptionalLong maxChunks() {
        return maxChunks > 0 ? OptionalLong.of(maxChunks) : OptionalLong.empty();
    }

    /** {@return the most bytes a stream may read before failing with a {@link dev.sluice.LimitExceededException}, if limited} */
    public OptionalLong maxBytes() {
        return maxBytes > 0 ? OptionalLong.of(maxBytes) : OptionalLong.empty();
    }

    /** {@return the clock, in nanoseconds, that timeouts and metrics use} */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    long nanos(Timeout which) {
        return which == Timeout.FIRST_EVENT ? firstEventNanos : which == Timeout.IDLE ? idleNanos : totalNanos;
    }

    boolean usesSystemClock() {
        return systemClock;
    }

    long maxChunksOrZero() {
        return maxChunks;
    }

    long maxBytesOrZero() {
        return maxBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOptions other
                && Objects.equals(firstEventTimeout, other.firstEventTimeout)
                && Objects.equals(idleTimeout, other.idleTimeout)
                && Objects.equals(totalTimeout, other.totalTimeout)
                && maxChunks == other.maxChunks
                && maxBytes == other.maxBytes
                && nanoTime.equals(other.nanoTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstEventTimeout, idleTimeout, totalTimeout, maxChunks, maxBytes, nanoTime);
    }

    @Override
    public String toString() {
        return "StreamOptions[firstEventTimeout=" + firstEventTimeout + ", idleTimeout=" + idleTimeout
                + ", totalTimeout=" + totalTimeout + ", maxChunks=" + (maxChunks > 0 ? maxChunks : "none")
                + ", maxBytes=" + (maxBytes > 0 ? maxBytes : "none") + (systemClock ? "" : ", clock=custom") + "]";
    }

    /** Builds {@link StreamOptions}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private @Nullable Duration firstEventTimeout = Duration.ofSeconds(DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS);
        private @Nullable Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private @Nullable Duration totalTimeout;
        private long maxChunks;
        private long maxBytes;
        private LongSupplier nanoTime = SYSTEM_NANO_TIME;
        private boolean systemClock = true;

        Builder() {}

        /**
         * Sets the first-event timeout.
         *
         * @param timeout from sending the request to the first counted item, positive
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
         * @param timeout from sending the request to the end of the stream, positive
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
         * Sets the chunk limit: the stream ends normally, as {@link EndReason#CHUNK_LIMIT}, after
         * this many counted items.
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
         * Sets the byte limit: past it the stream fails with a {@link dev.sluice.LimitExceededException}.
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
        @SuppressWarnings("ReferenceEquality") // identity: only the default clock itself is the system clock
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            this.systemClock = nanoTime == SYSTEM_NANO_TIME;
            return this;
        }

        /** {@return the options with these settings} */
        public StreamOptions build() {
            return new StreamOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
