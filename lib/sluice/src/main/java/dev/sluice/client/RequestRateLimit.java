package dev.sluice.client;

import dev.sluice.RequestRateLimitException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The most streams one client starts per period, kept on the client's side: each stream takes a
 * permit just before its request is sent (after the concurrency limit's place, if any), and
 * {@code permits} new permits come every {@code period}. A stream that finds none left waits for
 * the next free permit, at most {@code maxWait}; when the wait it would need is longer, it is
 * refused at once (not after waiting {@code maxWait}) with a {@link RequestRateLimitException}
 * and nothing is sent. Waiting streams get their permits in the order they asked. A cancel of the stream's
 * controller, or closing the client, ends the wait: the stream ends as
 * {@link dev.sluice.stream.EndReason#CANCELLED} without sending anything. A stream's retries and
 * resumes belong to it and take no permit of their own. Use it to stay under a provider's request
 * limit before the provider has to refuse anything; {@code holdWhileRateLimited} on the client's
 * builder is its complement, pacing by what the provider reports. Immutable.
 *
 * <pre>{@code
 * AnthropicClient client = AnthropicClient.builder().fromEnv()
 *         .requestRateLimit(RequestRateLimit.of(50, Duration.ofMinutes(1)).withMaxWait(Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 *
 * @param permits the streams allowed per period, at least 1
 * @param period how often the permits are renewed, positive
 * @param maxWait the longest a stream waits for a permit; zero refuses at once when none is left
 * @param nanoTime the clock of the periods, in nanoseconds ({@link System#nanoTime()} by default;
 *     a fake one for tests)
 */
public record RequestRateLimit(int permits, Duration period, Duration maxWait, LongSupplier nanoTime) {
    /** The default wait for a permit: 60 s. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);

    /**
     * @throws IllegalArgumentException if {@code permits} is less than 1, {@code period} not
     *     positive or {@code maxWait} negative
     * @throws NullPointerException if an argument is null
     */
    public RequestRateLimit {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1: " + permits);
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero())
            throw new IllegalArgumentException("period must be positive: " + period);
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * {@return at most {@code permits} streams started per {@code period}, others waiting up to 60 s}
     *
     * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code period} not positive
     * @throws NullPointerException if {@code period} is null
     */
    public static RequestRateLimit of(int permits, Duration period) {
        return new RequestRateLimit(permits, period, DEFAULT_MAX_WAIT, SystemNanoTime.INSTANCE);
    }

    /**
     * {@return this limit with another wait}
     *
     * @throws IllegalArgumentException if {@code maxWait} is negative
     */
    public RequestRateLimit withMaxWait(Duration maxWait) {
        return new RequestRateLimit(permits, period, maxWait, nanoTime);
    }

    /** {@return this limit on another clock (for tests: a fake clock makes the periods deterministic)} */
    public RequestRateLimit withNanoTime(LongSupplier nanoTime) {
        return new RequestRateLimit(permits, period, maxWait, nanoTime);
    }

    /** {@return {@code RequestRateLimit[<permits> per <period>, maxWait=<maxWait>]}} */
    @Override
    public String toString() {
        return "RequestRateLimit[" + permits + " per " + period + ", maxWait=" + maxWait + "]";
    }

    /** {@link System#nanoTime()}: one instance, so that limits compare equal. */
    private static final class SystemNanoTime implements LongSupplier {
        static final SystemNanoTime INSTANCE = new SystemNanoTime();

        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }
}
