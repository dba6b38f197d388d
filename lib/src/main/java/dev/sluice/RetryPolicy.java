package dev.sluice;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client retries the opening of a request that failed in a way worth retrying: a connection
 * failure, HTTP 408, 409, 429 or 5xx (529 included), or what the server marks retryable with
 * {@code x-should-retry: true}. Retries happen only before the first content event reaches the
 * user; once content was delivered, a failure is thrown, never replayed.
 *
 * <p>The wait before retry {@code n} (1 for the first retry) is, unless the server names one:
 * <pre>{@code
 *   base  = min(maxBackoff, initialBackoff * 2^(n-1))
 *   delay = base * (1 - jitter * r)        // r uniformly random in [0, 1)
 * }</pre>
 * so {@code jitter} is the largest fraction by which a wait is randomly shortened: 0 waits exactly
 * {@code base}, the default 0.25 waits between 75% and 100% of it, 1 is "full jitter" (anywhere
 * between 0 and {@code base}). A wait never exceeds {@code maxBackoff}.
 *
 * <p>When the server names a delay ({@code retry-after-ms}, or {@code retry-after} in seconds or as
 * an HTTP date) that is positive and at most {@code maxRetryAfter}, it is waited exactly, without
 * jitter, even when longer than {@code maxBackoff}. When it is longer than {@code maxRetryAfter}
 * the request is <em>not</em> retried: the failure is thrown at once, its
 * {@link ApiException#retryAfterMillis()} telling the caller how long the server asked to wait.
 * A delay of zero or less, or one that cannot be read, is ignored (the computed backoff is used).
 *
 * <p>A wait is cut short when the stream is cancelled, and never runs past the stream's
 * first-event or total timeout (nor does an attempt): when one passes first, the opening fails
 * with a {@link StreamTimeoutException} at that moment.
 *
 * @param maxRetries how many times a failed opening is retried; 0 disables retries
 * @param initialBackoff the base wait before the first retry
 * @param maxBackoff the longest computed wait
 * @param jitter the largest random fraction taken off a computed wait, from 0 to 1
 * @param maxRetryAfter the longest server-named delay that is honoured; longer ones are not retried
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double jitter,
                          Duration maxRetryAfter) {

    /** The default number of retries: 2. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** The default initial backoff: 0.5 s. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** The default maximum backoff: 8 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
    /** The default jitter: a wait is randomly shortened by up to 25%. */
    public static final double DEFAULT_JITTER = 0.25;
    /** The default cap on a server-named delay: 60 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code maxRetries} or a duration is negative, if
     *     {@code maxBackoff < initialBackoff}, or if {@code jitter} is outside [0, 1]
     * @throws NullPointerException if a duration is null
     */
    public RetryPolicy {
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be less than initialBackoff ("
                    + initialBackoff + ")");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative: " + d);
    }

    /** {@return 2 retries, 0.5 s initial backoff, 8 s maximum, jitter 0.25, server delays honoured up to 60 s} */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER,
                DEFAULT_MAX_RETRY_AFTER);
    }

    /** {@return the defaults with retries disabled} */
    public static RetryPolicy none() {
        return defaults().withMaxRetries(0);
    }

    /** {@return this policy with another number of retries; 0 disables retries} */
    public RetryPolicy withMaxRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * {@return this policy with another initial backoff}
     * @throws IllegalArgumentException if it exceeds {@link #maxBackoff()}: raise that first
     */
    public RetryPolicy withInitialBackoff(Duration initialBackoff) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * {@return this policy with another maximum backoff}
     * @throws IllegalArgumentException if it is less than {@link #initialBackoff()}
     */
    public RetryPolicy withMaxBackoff(Duration maxBackoff) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /** {@return this policy with another jitter, from 0 (none) to 1 (full jitter)} */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /** {@return this policy with another cap on server-named delays} */
    public RetryPolicy withMaxRetryAfter(Duration maxRetryAfter) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, jitter, maxRetryAfter);
    }

    /**
     * {@return the computed wait before retry {@code retry} (1 for the first), before jitter}
     * @param retry the retry's number, from 1
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration backoff(int retry) {
        if (retry < 1) throw new IllegalArgumentException("retry must be at least 1: " + retry);
        int shift = Math.min(retry - 1, 62);
        long initialNanos = initialBackoff.toNanos();
        long maxNanos = maxBackoff.toNanos();
        long base = initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
        return Duration.ofNanos(Math.min(base, maxNanos));
    }
}
