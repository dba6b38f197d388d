package dev.sluice.stream;

import dev.sluice.sse.SseEvent;

/**
 * Turns Server-Sent Events into a stream's items, for {@link EventStream.Builder#fromSse}. Runs on
 * the producer thread; one decoder serves one stream.
 *
 * <p>A service-provider interface: users implement it, Sluice calls it. Compatibility rule: only
 * {@link #decode(SseEvent, Emitter)} is abstract, and methods added later will be default methods
 * that keep today's behaviour; the raw-bytes {@link #decode(String, byte[], int, int, String, Emitter)}
 * is an optional fast path whose default declines.
 *
 * @param <T> the item type
 */
public interface SseDecoder<T> {

    /**
     * Decodes one event into zero or more items, emitted through {@code out}
     * ({@link Emitter#emitUncounted} for keep-alives). May throw a
     * {@link dev.sluice.SluiceException} (for example a {@link dev.sluice.ProtocolException} for
     * malformed data, or an {@link dev.sluice.ApiException} for an error event): the stream then
     * fails with it, after the items emitted before.
     *
     * @param event the event
     * @param out where the items go
     * @return true when this event ends the stream (a terminal event such as {@code message_stop})
     */
    boolean decode(SseEvent event, Emitter<T> out);

    /**
     * Optionally decodes an event from its raw data bytes before its data String is built (see
     * {@link dev.sluice.sse.SseListener#onEvent(String, byte[], int, int, String)} for what the
     * bytes are and how long they may be read). The default declines, and every event goes to
     * {@link #decode(SseEvent, Emitter)}; a decoder that implements this must give the same items
     * as that method would, and decline whatever it does not fully handle.
     *
     * @param type the event type
     * @param data the buffer holding the data (the parser's, or the body's read buffer); read only during the call
     * @param offset where the data starts
     * @param length the number of data bytes
     * @param lastEventId the last event ID
     * @param out where the items go
     * @return {@link Decoded#DECLINED} to receive the event through {@link #decode(SseEvent, Emitter)}
     *     instead, else {@link Decoded#CONTINUE} or {@link Decoded#TERMINAL} as that method's false or true
     */
    default Decoded decode(String type, byte[] data, int offset, int length, String lastEventId, Emitter<T> out) {
        return Decoded.DECLINED;
    }

    /** The outcome of {@link #decode(String, byte[], int, int, String, Emitter)}. */
    enum Decoded {
        /** Not handled: decode the event from its {@link SseEvent}. */
        DECLINED,
        /** Handled; the stream goes on. */
        CONTINUE,
        /** Handled; the event ends the stream. */
        TERMINAL
    }

    /**
     * Called when the body ended without a terminal event. By default the stream completes
     * normally; throw (for example an {@link dev.sluice.IncompleteStreamException}) to fail it.
     */
    default void endOfInput() {}
}
