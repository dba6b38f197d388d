package dev.sluice.internal.call.client;

import dev.sluice.client.RequestRateLimit;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link RequestRateLimit}'s permits: Resilience4j's {@link AtomicRateLimiter} on the limit's
 * clock (its public constructor that takes one). A class of its own so that a client without the
 * limit never loads Resilience4j's rate limiter: a {@link StreamGuard} holds it by this type only.
 *
 * <p>Threading: thread-safe, as the rate limiter is.
 */
final class RatePermits {
    private final AtomicRateLimiter limiter;

    RatePermits(String name, RequestRateLimit rate) {
        this.limiter = new AtomicRateLimiter(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(rate.permits())
                        .limitRefreshPeriod(rate.period())
                        .timeoutDuration(rate.maxWait())
                        .build(),
                new NanoTime(rate.nanoTime()));
    }

    /**
     * Reserves the next free permit. {@return the nanoseconds until its period begins (0: now), or
     * -1 when that is further away than the limit's wait (nothing is reserved then)}
     */
    long reserve() {
        return limiter.reservePermission();
    }

    /** The limit's clock, as the rate limiter takes it. */
    private record NanoTime(LongSupplier clock) implements Supplier<Long> {
        @Override
        public Long get() {
            return clock.getAsLong();
        }
    }
}
