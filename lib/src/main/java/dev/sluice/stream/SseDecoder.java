package dev.sluice.stream;

import dev.sluice.sse.SseEvent;

/**
 * Turns Server-Sent Events into a stream's items, for {@link SseSource#pump} and
 * {@link EventStream.Builder#fromSse}. Runs on the producer thread; one decoder serves one stream.
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
     * Called when the body ended without a terminal event. By default the stream completes
     * normally; throw (for example an {@link dev.sluice.IncompleteStreamException}) to fail it.
     */
    default void endOfInput() {}
}
