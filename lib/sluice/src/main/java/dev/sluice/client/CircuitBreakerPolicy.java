package dev.sluice.client;

import dev.sluice.CircuitOpenException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * When a client stops sending streams for a while after repeated failures (a circuit breaker).
 * Over the last {@code windowSize} streams (once at least {@code minimumStreams} have ended), when
 * {@code failureRatePercent} or more of them failed, the breaker opens: new streams fail at once
 * with a {@link CircuitOpenException}, nothing sent, for {@code openDuration}. Then it is half open:
 * {@code halfOpenProbes} streams are let through as probes (others still fail fast); when they
 * fail as often as the threshold it opens again, else it closes. Immutable.
 *
 * <p>A stream fails, for the breaker, when its opening throws (an HTTP error, a connection failure,
 * a timeout) or when it ends {@linkplain dev.sluice.stream.EndReason#FAILED failed} or
 * {@linkplain dev.sluice.stream.EndReason#TIMED_OUT timed out}; it succeeds when it completes,
 * is cancelled or reaches its chunk limit. {@link #clock} is for tests (a fake clock drives the
 * open duration).
 *
 * @param failureRatePercent the failure rate that opens the breaker, above 0 and at most 100
 * @param windowSize the number of latest streams whose outcomes count, at least 1
 * @param minimumStreams the streams that must have ended before the rate counts, at least 1
 * @param openDuration how long the breaker stays open before probing, positive
 * @param halfOpenProbes the streams let through while half open, at least 1
 * @param clock the clock of the open duration
 */
public record CircuitBreakerPolicy(
        float failureRatePercent,
        int windowSize,
        int minimumStreams,
        Duration openDuration,
        int halfOpenProbes,
        Clock clock) {

    /**
     * @throws IllegalArgumentException if a value is out of its range
     * @throws NullPointerException if {@code openDuration} or {@code clock} is null
     */
    public CircuitBreakerPolicy {
        if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
            throw new IllegalArgumentException(
                    "failureRatePercent must be above 0 and at most 100: " + failureRatePercent);
        }
        if (windowSize < 1) throw new IllegalArgumentException("windowSize must be at least 1: " + windowSize);
        if (minimumStreams < 1)
            throw new IllegalArgumentException("minimumStreams must be at least 1: " + minimumStreams);
        Objects.requireNonNull(openDuration, "openDuration");
        if (openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("openDuration must be positive: " + openDuration);
        }
        if (halfOpenProbes < 1)
            throw new IllegalArgumentException("halfOpenProbes must be at least 1: " + halfOpenProbes);
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@return the defaults: opens when half or more of the last 20 streams failed (once 10 have
     * ended), stays open 30 s, then lets 2 probes through; the system clock}
     */
    public static CircuitBreakerPolicy defaults() {
        return new CircuitBreakerPolicy(50, 20, 10, Duration.ofSeconds(30), 2, Clock.systemUTC());
    }

    /**
     * {@return this policy with another open duration}
     *
     * @throws IllegalArgumentException if {@code openDuration} is not positive
     */
    public CircuitBreakerPolicy withOpenDuration(Duration openDuration) {
        return new CircuitBreakerPolicy(
                failureRatePercent, windowSize, minimumStreams, openDuration, halfOpenProbes, clock);
    }

    /** {@return this policy with another window: the last {@code windowSize} streams, counted once {@code minimumStreams} ended} */
    public CircuitBreakerPolicy withWindow(int windowSize, int minimumStreams) {
        return new CircuitBreakerPolicy(
                failureRatePercent, windowSize, minimumStreams, openDuration, halfOpenProbes, clock);
    }

    /** {@return this policy with another failure rate threshold, in percent} */
    public CircuitBreakerPolicy withFailureRatePercent(float failureRatePercent) {
        return new CircuitBreakerPolicy(
                failureRatePercent, windowSize, minimumStreams, openDuration, halfOpenProbes, clock);
    }

    /** {@return this policy with another number of half-open probes} */
    public CircuitBreakerPolicy withHalfOpenProbes(int halfOpenProbes) {
        return new CircuitBreakerPolicy(
                failureRatePercent, windowSize, minimumStreams, openDuration, halfOpenProbes, clock);
    }

    /** {@return this policy on another clock (for tests)} */
    public CircuitBreakerPolicy withClock(Clock clock) {
        return new CircuitBreakerPolicy(
                failureRatePercent, windowSize, minimumStreams, openDuration, halfOpenProbes, clock);
    }
}
