package dev.sluice.internal.low.sse;

import org.jspecify.annotations.Nullable;

/**
 * A response body that can wait for its own end once its reader needs nothing more from it (a
 * stream's terminal event came): over HTTP/1.1 a body read to its end leaves its connection to the
 * client's pool, and one closed before it makes the client close the connection. The HTTP
 * transport's bodies are such bodies; the SSE source of {@code dev.sluice.stream} uses it.
 */
public interface EndAwareBody {
    /**
     * Waits at most {@code graceNanos} for the body's end, handing what arrives before it (at most
     * {@code maxBytes}) to {@code rest}, or dropping it when {@code rest} is null, then closes the
     * body: without cancelling it when its end came, else (past either bound, or on an interrupt,
     * whose status is kept) by cancelling it. Never throws for the body's own failure: the reader has
     * what it needed.
     *
     * @param graceNanos how long to wait for the end
     * @param maxBytes the most bytes to read while waiting
     * @param rest told the bytes read while waiting, on the calling thread (the bytes already
     *     received included); must not throw; null to drop them
     * @return whether the body ended within the bounds
     */
    boolean closeAtEnd(long graceNanos, int maxBytes, @Nullable Rest rest);

    /**
     * {@link #closeAtEnd(long, int, Rest)} dropping what arrives before the end.
     *
     * @param graceNanos how long to wait for the end
     * @param maxBytes the most bytes to drop while waiting
     * @return whether the body ended within the bounds
     */
    default boolean closeAtEnd(long graceNanos, int maxBytes) {
        return closeAtEnd(graceNanos, maxBytes, null);
    }

    /** What a body sends after its reader's terminal event, as it is read. */
    @FunctionalInterface
    interface Rest {
        /**
         * Bytes of the body, in order; {@code b} is only valid during the call.
         *
         * @param b the buffer
         * @param off where the bytes start
         * @param len how many there are
         */
        void accept(byte[] b, int off, int len);
    }
}
