package dev.sluice.internal.low.sse;

import org.jspecify.annotations.Nullable;

/**
 * A stream decoder that wants the events a body sends after its terminal event: the SSE source of
 * {@code dev.sluice.stream} hands them over as it reads the rest of the body to its end (bounded in
 * bytes and time), after the stream has completed. OpenAI's Responses API sends
 * {@code response.rate_limits.updated} there. A decoder that does not implement this interface, or
 * says {@link #wantsTrailingEvents()} false, has the rest of the body dropped unparsed.
 */
public interface TrailingEventListener {
    /** {@return whether the events after the terminal one are wanted (else they are not parsed)} */
    boolean wantsTrailingEvents();

    /**
     * One event after the terminal one (the parts of a {@code dev.sluice.sse.SseEvent}), on the
     * producer thread. What it throws is logged at DEBUG and ends the parsing of the rest of the
     * body (which is still read to its end), never the stream, which has completed.
     *
     * @param type the event type
     * @param data the event's data
     * @param lastEventId the last event ID in effect, or null
     */
    void onTrailingEvent(String type, String data, @Nullable String lastEventId);
}
