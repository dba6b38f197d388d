package dev.sluice.internal.low.sse;

import org.jspecify.annotations.Nullable;

/**
 * The hot path of a stream's SSE decoder: a {@code dev.sluice.stream.SseDecoder} that also
 * implements this interface is offered each event's raw data first (see {@link RawEventListener}
 * for what the bytes are). It must give the same items as its {@code SseEvent} method would, and
 * decline what it does not fully handle.
 *
 * @param <O> what the items go to: the stream's emitter (named generically here, below the engine)
 */
public interface RawEventDecoder<O> {

    /** What {@link #decodeRaw} did with an event. */
    enum Outcome {
        /** Not handled: decode the event from its {@code SseEvent}. */
        DECLINED,
        /** Handled; the stream goes on. */
        CONTINUE,
        /** Handled; the event ends the stream. */
        TERMINAL
    }

    /**
     * Offers one event's raw data to decode.
     *
     * @param type the event type
     * @param data the buffer holding the data; read during the call only
     * @param offset where the data starts
     * @param length the number of data bytes
     * @param lastEventId the last event ID
     * @param out where the items go
     * @return what was done
     */
    Outcome decodeRaw(String type, byte[] data, int offset, int length, @Nullable String lastEventId, O out);
}
