package dev.sluice.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A client's guards at one moment: its {@link ConcurrencyLimit} and its circuit breaker (see
 * {@link CircuitBreakerPolicy}); from {@code client.resilienceMetrics()}.
 *
 * @param maxStreams the concurrency limit, or 0 when the client has none
 * @param openStreams the streams holding a place under the limit (0 without a limit)
 * @param breakerState {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}; {@code DISABLED} when the
 *     client has no breaker
 * @param failureRatePercent the breaker's failure rate over its window, or empty while fewer than
 *     its minimum streams have ended (or without a breaker)
 * @param failedStreams the failed streams in the breaker's window
 * @param refusedStreams the streams refused (by the breaker, for want of a place under the limit,
 *     or for want of a permit of the {@link RequestRateLimit}) since the client was built
 */
public record ResilienceMetrics(
        int maxStreams,
        int openStreams,
        String breakerState,
        Optional<Float> failureRatePercent,
        int failedStreams,
        long refusedStreams) {
    /** @throws NullPointerException if {@code breakerState} or {@code failureRatePercent} is null */
    public ResilienceMetrics {
        Objects.requireNonNull(breakerState, "breakerState");
        Objects.requireNonNull(failureRatePercent, "failureRatePercent");
    }
}
