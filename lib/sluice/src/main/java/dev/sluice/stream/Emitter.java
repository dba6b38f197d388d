package dev.sluice.stream;

import java.io.Closeable;

/**
 * The producer's side of an {@link EventStream}'s hand-off. Used only from the producer thread,
 * during {@link Producer#produce}; not thread-safe.
 *
 * <p>A service-provider interface for those who write a {@link Producer} (a custom
 * {@link dev.sluice.chat.ChatProvider}, say): {@link #attach} and {@link #bytesRead} let a producer
 * that reads a socket or body of its own get the same cancel, byte-limit and metrics guarantees as
 * Sluice's clients. Compatibility rule: Sluice implements this interface and users only call it, so
 * methods may be added in any release; none is removed or changed before the next major version.
 *
 * @param <T> the item type
 */
public interface Emitter<T> {

    /**
     * Hands over a counted item, blocking while the stream's queue is full (backpressure). A
     * counted item ends the first-event wait, restarts the idle timeout, counts toward
     * {@link StreamOptions#maxChunks()} and the item metrics. When it is the last item the
     * chunk limit allows, it is delivered and this returns false.
     *
     * @param item the item, not null
     * <p>An item emitted at the very moment another thread ends the stream (a cancel, or a
     * timeout seen by the waiting consumer) may be dropped even though this returns true; the
     * next call then returns false. Items emitted before the end are never dropped, except by a
     * cancel, which drops everything not yet taken.
     *
     * @return true to go on; false when the stream is over (cancelled, closed, a limit reached,
     *     timed out): the producer should then return
     * @throws dev.sluice.StreamTimeoutException when the total timeout has expired (the stream
     *     is then already over)
     */
    boolean emit(T item);

    /**
     * Hands over a keep-alive item (a ping, an event the decoder does not know) the same way, in
     * order, but without touching the timers, the chunk limit or the item metrics: pings do not
     * keep a stalled stream alive.
     *
     * @param item the item, not null
     * @return true to go on; false when the stream is over
     */
    boolean emitUncounted(T item);

    /**
     * Reports bytes read from the source, for the metrics (time to first byte, bytes) and the
     * byte limit.
     *
     * @param n the number of bytes just read, not negative
     * @throws dev.sluice.LimitExceededException when the stream has now read more than
     *     {@link StreamOptions#maxBytes()}; let it propagate, the stream then fails with it
     */
    void bytesRead(long n);

    /**
     * Names the source to close when the stream is cancelled, closed or times out (the current
     * response body): closing it is what unblocks a read blocked on the network. Replaces the
     * source attached before (without closing that one). When the stream is already over, the
     * source is closed at once.
     *
     * @param source the source, not null
     */
    void attach(Closeable source);

    /**
     * Ends the stream normally after the items emitted so far, for a limit the producer keeps
     * itself, as the chunk limit is kept: the consumer receives every item emitted before, then
     * iteration ends, and the stream reports {@code reason}. (To complete a stream, the producer
     * just returns.)
     *
     * @param reason {@link EndReason#TOKEN_BUDGET} or {@link EndReason#CHUNK_LIMIT}
     * @return false: the stream is over, the producer should return
     * @throws IllegalArgumentException for another reason
     */
    boolean end(EndReason reason);

    /** {@return whether the stream is over, so that producing more is pointless} */
    boolean isOver();

    /** {@return the stream's controller: its cancel switch and its {@linkplain StreamController#options() options}} */
    StreamController controller();
}
