package dev.sluice.eventsource;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link EventSource} does when a server answers a connection attempt with an error: a
 * status other than 2xx, 204 or a redirect; a 2xx whose content type is not
 * {@code text/event-stream}; a redirect without a usable {@code Location}, or too many redirects.
 * Immutable.
 *
 * <p>{@link #stop()}, the default, is the WHATWG rule ("fail the connection"): the stream signals
 * a {@link SourceSignal.Fault} that will not retry, then fails with that error. {@link #retry} keeps
 * reconnecting with back-off until the errors have gone on for {@code maxAttempts} attempts in a
 * row or for {@code maxTime} since the first of them; a connection that opens ends the series.
 *
 * <p>Network failures (a refused or reset connection, a dropped stream, a read timeout) are not
 * errors in this sense: as in a browser, they are always followed by a reconnection.
 */
public final class ErrorPolicy {
    private static final ErrorPolicy STOP = new ErrorPolicy(0, null);

    private final int maxAttempts;
    private final Duration maxTime;

    private ErrorPolicy(int maxAttempts, Duration maxTime) {
        this.maxAttempts = maxAttempts;
        this.maxTime = maxTime;
    }

    /** {@return the policy that ends the stream at the first error} */
    public static ErrorPolicy stop() {
        return STOP;
    }

    /**
     * {@return a policy that retries errors with back-off, up to a number of attempts and a time}
     *
     * @param maxAttempts the most failed attempts in a row, the first included, positive;
     *     {@link Integer#MAX_VALUE} for no limit
     * @param maxTime the longest time from the first failed attempt in a row, after which the
     *     next failure stops the stream; null for no limit
     * @throws IllegalArgumentException if {@code maxAttempts} is not positive or {@code maxTime}
     *     is not positive
     */
    public static ErrorPolicy retry(int maxAttempts, Duration maxTime) {
        if (maxAttempts <= 0) throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
        if (maxTime != null && (maxTime.isNegative() || maxTime.isZero())) {
            throw new IllegalArgumentException("maxTime must be positive: " + maxTime);
        }
        return new ErrorPolicy(maxAttempts, maxTime);
    }

    /** {@return a policy that retries errors for ever, with back-off} */
    public static ErrorPolicy retryForever() {
        return new ErrorPolicy(Integer.MAX_VALUE, null);
    }

    /** {@return the most failed attempts in a row; 1 for {@link #stop()}} */
    public int maxAttempts() {
        return Math.max(1, maxAttempts);
    }

    /** {@return the longest time errors may go on, if limited} */
    public Optional<Duration> maxTime() {
        return Optional.ofNullable(maxTime);
    }

    /**
     * {@return whether to retry after the {@code attempts}-th failed attempt in a row}
     *
     * @param attempts the failed attempts in a row so far, this one included, from 1
     * @param failingFor how long since the first of them failed, not null
     */
    public boolean retries(int attempts, Duration failingFor) {
        Objects.requireNonNull(failingFor, "failingFor");
        if (attempts >= maxAttempts()) return false;
        return maxTime == null || failingFor.compareTo(maxTime) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorPolicy p && p.maxAttempts == maxAttempts && Objects.equals(p.maxTime, maxTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, maxTime);
    }

    @Override
    public String toString() {
        if (maxAttempts == 0) return "ErrorPolicy.stop()";
        return "ErrorPolicy.retry(" + (maxAttempts == Integer.MAX_VALUE ? "unlimited" : maxAttempts) + " attempts, "
                + (maxTime == null ? "no time limit" : maxTime) + ")";
    }
}
