package dev.sluice.client;

import dev.sluice.ApiException;
import dev.sluice.StreamTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Sluice's one back-off vocabulary: how often a failed attempt is tried again and how long to wait
 * before each retry. The provider clients use it for the opening of a stream; the reconnecting
 * {@link dev.sluice.eventsource.EventSource} for its reconnections. Immutable.
 *
 * <p>The wait before retry {@code n} (1 for the first) is {@link #delay(int, double)}:
 * <pre>{@code
 *   base  = min(maxBackoff, initialBackoff * multiplier^(n-1))
 *   delay = base * (1 - jitter * r)        // r uniformly random in [0, 1)
 * }</pre>
 * so {@code jitter} is the largest fraction by which a wait is randomly shortened: 0 waits exactly
 * {@code base}, the default 0.25 waits between 75% and 100% of it, 1 is "full jitter" (anywhere
 * between 0 and {@code base}). A computed wait never exceeds {@code maxBackoff}.
 *
 * <p><b>Provider clients</b> retry the opening of a request that failed in a way worth retrying: a
 * connection failure, HTTP 408, 409, 429 or 5xx (529 included), or what the server marks retryable
 * with {@code x-should-retry: true}. Retries happen only before the first content event reaches the
 * user; once content was delivered, a failure is thrown, never replayed. When the server names a
 * delay ({@code retry-after-ms}, or {@code retry-after} in seconds or as an HTTP date) that is
 * positive and at most {@code maxRetryAfter}, it is waited exactly, without jitter, even when
 * longer than {@code maxBackoff}. When it is longer than {@code maxRetryAfter} the request is
 * <em>not</em> retried: the failure is thrown at once, its {@link ApiException#retryAfterMillis()}
 * telling the caller how long the server asked to wait. A delay of zero or less, or one that
 * cannot be read, is ignored (the computed backoff is used). A wait is cut short when the stream is
 * cancelled, and never runs past the stream's first-event or total timeout (nor does an attempt):
 * when one passes first, the opening fails with a {@link StreamTimeoutException} at that moment.
 *
 * <p><b>The event source</b> uses the delays for its reconnections, with the server's
 * {@code retry:} field in place of {@code initialBackoff} once one came
 * ({@link #delay(int, Duration, double)}), and {@code maxRetries} for how many HTTP errors in a row
 * it retries (network failures are always retried, as in a browser); {@code maxRetryAfter} does not
 * apply there.
 *
 * @param maxRetries how many times a failed attempt is retried; 0 disables retries
 * @param initialBackoff the base wait before the first retry
 * @param maxBackoff the longest computed wait
 * @param multiplier how much each further retry in a row multiplies the wait, at least 1
 * @param jitter the largest random fraction taken off a computed wait, from 0 to 1
 * @param maxRetryAfter the longest server-named delay that is honoured; longer ones are not retried
 */
public record RetryPolicy(
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration maxRetryAfter) {

    /** The default number of retries: 2. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** The default initial backoff: 0.5 s. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** The default maximum backoff: 8 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
    /** The default multiplier: each wait doubles the one before. */
    public static final double DEFAULT_MULTIPLIER = 2;
    /** The default jitter: a wait is randomly shortened by up to 25%. */
    public static final double DEFAULT_JITTER = 0.25;
    /** The default cap on a server-named delay: 60 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code maxRetries} or a duration is negative, if
     *     {@code maxBackoff < initialBackoff}, if {@code multiplier} is below 1 or not finite, or if
     *     {@code jitter} is outside [0, 1]
     * @throws NullPointerException if a duration is null
     */
    public RetryPolicy {
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must not be less than initialBackoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative: " + d);
    }

    /**
     * {@return 2 retries, 0.5 s initial backoff doubling up to 8 s, jitter 0.25, server delays
     * honoured up to 60 s}
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(
                DEFAULT_MAX_RETRIES,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                DEFAULT_MULTIPLIER,
                DEFAULT_JITTER,
                DEFAULT_MAX_RETRY_AFTER);
    }

    /** {@return the defaults with retries disabled} */
    public static RetryPolicy none() {
        return defaults().withMaxRetries(0);
    }

    /** {@return this policy with another number of retries; 0 disables retries} */
    public RetryPolicy withMaxRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /**
     * {@return this policy with another initial backoff}
     * @throws IllegalArgumentException if it exceeds {@link #maxBackoff()}: raise that first
     */
    public RetryPolicy withInitialBackoff(Duration initialBackoff) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /**
     * {@return this policy with another maximum backoff}
     * @throws IllegalArgumentException if it is less than {@link #initialBackoff()}
     */
    public RetryPolicy withMaxBackoff(Duration maxBackoff) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /** {@return this policy with another multiplier, at least 1 (1: every wait the same)} */
    public RetryPolicy withMultiplier(double multiplier) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /** {@return this policy with another jitter, from 0 (none) to 1 (full jitter)} */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /** {@return this policy with another cap on server-named delays} */
    public RetryPolicy withMaxRetryAfter(Duration maxRetryAfter) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
    }

    /**
     * {@return the computed wait before retry {@code retry}: {@code min(maxBackoff, initialBackoff
     * × multiplier^(retry-1))}, shortened by {@code jitter × random}}
     *
     * @param retry the retry's number in its series, from 1
     * @param random the jitter's draw, from 0 to 1 (0: the full wait)
     * @throws IllegalArgumentException if {@code retry < 1} or {@code random} is outside [0, 1]
     */
    public Duration delay(int retry, double random) {
        return delay(retry, initialBackoff, random);
    }

    /**
     * {@return the computed wait before retry {@code retry} from another base: {@code min(cap, base
     * × multiplier^(retry-1))}, shortened by {@code jitter × random}, where {@code cap} is the larger
     * of {@link #maxBackoff()} and {@code base}} For a server that names its own base, such as an
     * event stream's {@code retry:} field, which the cap never cuts short.
     *
     * @param retry the retry's number in its series, from 1
     * @param base the wait before the first retry, in place of {@link #initialBackoff()}
     * @param random the jitter's draw, from 0 to 1 (0: the full wait)
     * @throws IllegalArgumentException if {@code retry < 1}, {@code base} is negative or
     *     {@code random} is outside [0, 1]
     */
    public Duration delay(int retry, Duration base, double random) {
        if (retry < 1) throw new IllegalArgumentException("retry must be at least 1: " + retry);
        requireNonNegative(base, "base");
        if (!(random >= 0 && random <= 1))
            throw new IllegalArgumentException("random must be between 0 and 1: " + random);
        double baseNanos = nanos(base);
        if (baseNanos == 0) return Duration.ZERO;
        double cap = Math.max(nanos(maxBackoff), baseNanos);
        double d =
                Math.min(cap, baseNanos * Math.pow(multiplier, retry - 1)); // pow may overflow to infinity: min caps it
        return Duration.ofNanos((long) (d * (1.0 - jitter * random))); // past Long.MAX_VALUE (292 years): that
    }

    /** {@return the duration in nanoseconds, as a double: no overflow for a server's huge {@code retry:}} */
    private static double nanos(Duration d) {
        return d.getSeconds() * 1e9 + d.getNano();
    }
}
