package dev.sluice.internal.low.sse;

import org.jspecify.annotations.Nullable;

/**
 * The hot path of {@link dev.sluice.sse.SseParser}: an {@link dev.sluice.sse.SseListener} that also
 * implements this interface is offered each dispatched event as its raw data first, before the
 * parser builds the data {@code String}. A listener that decodes the bytes itself (into JSON events)
 * returns true, and the {@code SseEvent} is then never made; false has the parser go on as if this
 * interface were not there.
 *
 * <p>{@code data[offset, offset + length)} is the event's data exactly as received: its
 * {@code data} lines' values joined with LF, in UTF-8 as sent, not checked (the {@code String} form
 * replaces invalid UTF-8 by the WHATWG rules: a listener that cannot do the same declines non-ASCII
 * data). The array is the parser's buffer or the caller's read buffer: read it during the call only.
 */
public interface RawEventListener {
    /**
     * Offers one dispatched event's raw data.
     *
     * @param type the event type
     * @param data the buffer holding the data
     * @param offset where the data starts
     * @param length the number of data bytes
     * @param lastEventId the last event ID
     * @return true when the event has been handled
     */
    boolean onRawEvent(String type, byte[] data, int offset, int length, @Nullable String lastEventId);
}
