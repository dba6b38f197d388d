package dev.sluice.client;

import dev.sluice.ConcurrencyLimitException;
import java.time.Duration;
import java.util.Objects;

/**
 * The most streams one client keeps open at once. A stream asked for while the limit is reached
 * waits, first come first served, until one ends; it is refused with a
 * {@link ConcurrencyLimitException} when none ends within {@code maxWait} (at once when
 * {@code maxWait} is zero), and it ends as {@link dev.sluice.stream.EndReason#CANCELLED} without
 * sending anything when its controller is cancelled while it waits. A stream holds its place from
 * the moment it is asked for until it ends, however it ends (completed, failed, cancelled, closed,
 * or its opening failed). The place is given back by the stream's end, on the thread that ends
 * it, which can be a moment after the consumer has read the last event: with a {@code maxWait} of
 * zero, a stream asked for right after another one was read to its end may find the place not yet
 * free, so give {@code maxWait} a little time when streams follow one another. Immutable.
 *
 * @param maxStreams the most streams open at once, at least 1
 * @param maxWait the longest a stream waits for a place; zero refuses at once
 */
public record ConcurrencyLimit(int maxStreams, Duration maxWait) {
    /** The default wait for a place: 60 s. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);

    /**
     * @throws IllegalArgumentException if {@code maxStreams} is less than 1 or {@code maxWait} negative
     * @throws NullPointerException if {@code maxWait} is null
     */
    public ConcurrencyLimit {
        if (maxStreams < 1) throw new IllegalArgumentException("maxStreams must be at least 1: " + maxStreams);
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
    }

    /**
     * {@return at most {@code maxStreams} open streams, others waiting up to 60 s}
     *
     * @throws IllegalArgumentException if {@code maxStreams} is less than 1
     */
    public static ConcurrencyLimit of(int maxStreams) {
        return new ConcurrencyLimit(maxStreams, DEFAULT_MAX_WAIT);
    }

    /**
     * {@return this limit with another wait}
     *
     * @throws IllegalArgumentException if {@code maxWait} is negative
     */
    public ConcurrencyLimit withMaxWait(Duration maxWait) {
        return new ConcurrencyLimit(maxStreams, maxWait);
    }
}
