package dev.sluice.internal.low.http;

import dev.sluice.SluiceException;

/**
 * The time limits of one logical request, for the {@code Retrier}: how much time is left before
 * the nearest of them, and the failure that reports it passed. A stream's deadline is the nearer of
 * its first-event and total timeouts; {@link #NONE} has no limit. The retrier never waits past it:
 * a back-off longer than what is left is cut to it, and the failure thrown then.
 *
 * <p>Implementations are thread-safe: the retrier reads one from whichever thread runs the call.
 */
public interface Deadline {
    /** No limit. */
    Deadline NONE = new Unlimited();

    /**
     * {@return the nanoseconds left before the nearest limit: zero or less once it has passed,
     * {@link Long#MAX_VALUE} when there is no limit}
     */
    long nanosLeft();

    /**
     * {@return the failure that reports the nearest limit as passed (for a stream a
     * {@link dev.sluice.StreamTimeoutException} of the right kind, with the time really waited)}
     * Called once {@link #nanosLeft()} is zero or less.
     */
    SluiceException expired();

    /** {@link #NONE}. */
    final class Unlimited implements Deadline {
        private Unlimited() {}

        @Override
        public long nanosLeft() {
            return Long.MAX_VALUE;
        }

        @Override
        public SluiceException expired() {
            throw new IllegalStateException("Deadline.NONE never expires");
        }
    }
}
