package dev.sluice.internal.low.http;

import dev.sluice.StreamTimeoutException;
import java.time.Duration;

/**
 * The overall deadline of one {@link HttpTransport#send} exchange, body included: when it passes,
 * and the failure that says so ({@code TOTAL}). Each {@link HttpEngine} holds the exchange to it in
 * its own way. Immutable.
 */
final class OverallDeadline {
    final Duration total;
    final long start;
    final long deadline;

    OverallDeadline(Duration total) {
        this.total = total;
        this.start = System.nanoTime();
        this.deadline = start + total.toNanos();
    }

    boolean passed() {
        return System.nanoTime() - deadline >= 0;
    }

    StreamTimeoutException expired() {
        return new StreamTimeoutException(
                StreamTimeoutException.Timeout.TOTAL, total, Duration.ofNanos(System.nanoTime() - start));
    }
}
