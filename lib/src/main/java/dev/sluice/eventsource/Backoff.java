package dev.sluice.eventsource;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long an {@link EventSource} waits before it reconnects: exponential back-off with jitter and
 * a cap, reset once a connection has stayed up for a while. Immutable.
 *
 * <p>The delay before the {@code n}-th reconnection in a row ({@code n >= 1}) is
 * {@code min(cap, base × multiplier^(n-1))}, where {@code base} is the reconnection time (the
 * {@linkplain #initialDelay() initial delay} until the server sends a {@code retry:} field, then
 * that field's value) and {@code cap} is the larger of {@link #maxDelay()} and {@code base} (so a
 * server's {@code retry:} is never cut short). Jitter then takes off a uniformly random part of up
 * to {@link #jitter()} of that delay, so that many clients dropped at once do not all come back in
 * the same instant. A connection that stayed open at least {@link #resetAfter()} counts as healthy:
 * the next reconnection is the first of a new series ({@code n = 1}).
 *
 * <pre>{@code
 * Backoff b = Backoff.defaults()                       // 1 s doubling up to 30 s, jitter 0.5, reset after 60 s
 *         .withInitialDelay(Duration.ofMillis(500))
 *         .withMaxDelay(Duration.ofMinutes(1));
 * }</pre>
 *
 * @param initialDelay the base delay before the server sets one with {@code retry:}; zero allowed
 * @param maxDelay the cap on a computed delay (not on the server's own {@code retry:})
 * @param multiplier how much each further reconnection in a row multiplies the delay, at least 1
 * @param jitter the largest fraction of a delay taken off at random, from 0 (none) to 1
 * @param resetAfter how long a connection must stay open to reset the series
 */
public record Backoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter, Duration resetAfter) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if a duration is negative, {@code multiplier < 1} or not
     *     finite, or {@code jitter} is outside {@code [0, 1]}
     */
    public Backoff {
        notNegative(initialDelay, "initialDelay");
        notNegative(maxDelay, "maxDelay");
        notNegative(resetAfter, "resetAfter");
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }

    /** {@return 1 s, doubling, at most 30 s, jitter 0.5, reset after 60 s of healthy connection} */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0.5, Duration.ofSeconds(60));
    }

    /**
     * {@return these settings with another initial delay}
     *
     * @param d the delay, not negative
     */
    public Backoff withInitialDelay(Duration d) {
        return new Backoff(d, maxDelay, multiplier, jitter, resetAfter);
    }

    /**
     * {@return these settings with another cap}
     *
     * @param d the cap, not negative
     */
    public Backoff withMaxDelay(Duration d) {
        return new Backoff(initialDelay, d, multiplier, jitter, resetAfter);
    }

    /**
     * {@return these settings with another multiplier}
     *
     * @param m at least 1
     */
    public Backoff withMultiplier(double m) {
        return new Backoff(initialDelay, maxDelay, m, jitter, resetAfter);
    }

    /**
     * {@return these settings with another jitter}
     *
     * @param fraction from 0 to 1
     */
    public Backoff withJitter(double fraction) {
        return new Backoff(initialDelay, maxDelay, multiplier, fraction, resetAfter);
    }

    /**
     * {@return these settings with another healthy period}
     *
     * @param d the period, not negative
     */
    public Backoff withResetAfter(Duration d) {
        return new Backoff(initialDelay, maxDelay, multiplier, jitter, d);
    }

    /**
     * {@return the delay before the {@code n}-th reconnection in a row}
     *
     * @param n the reconnection's number in its series, from 1
     * @param baseMillis the reconnection time in effect, in milliseconds
     * @param random the source of the jitter
     * @throws IllegalArgumentException if {@code n < 1} or {@code baseMillis < 0}
     */
    public Duration delay(int n, long baseMillis, RandomGenerator random) {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1: " + n);
        if (baseMillis < 0) throw new IllegalArgumentException("baseMillis must not be negative: " + baseMillis);
        Objects.requireNonNull(random, "random");
        double cap = Math.max(millis(maxDelay), baseMillis);
        double d = Math.min(cap, baseMillis * Math.pow(multiplier, n - 1)); // pow overflows to infinity, min caps it
        if (jitter > 0 && d > 0) d -= d * jitter * random.nextDouble();
        return Duration.ofNanos(Math.round(d * 1_000_000));
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative: " + d);
        if (d.compareTo(Duration.ofDays(365)) > 0) throw new IllegalArgumentException(name + " must be at most a year: " + d);
    }
}
