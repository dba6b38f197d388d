package dev.sluice.sse;

/**
 * Receives what an {@link SseParser} finds, on the thread that calls {@code feed}/{@code finish}.
 * Only {@link #onEvent} must be implemented.
 *
 * <p>An exception thrown from a callback propagates out of the {@code feed} or {@code finish}
 * call that made it; the parser is then unusable.
 */
@FunctionalInterface
public interface SseListener {

    /** Called for each dispatched event, in order. */
    void onEvent(SseEvent event);

    /**
     * Offered each dispatched event first, as its raw data, before the parser builds the data
     * String: a listener that can decode the bytes itself returns true, and {@link #onEvent(SseEvent)}
     * is then not called for this event; returning false (the default) has the parser decode the
     * data and call {@link #onEvent(SseEvent)}, exactly as if this method did not exist. A hot path
     * for listeners that turn the data into something else anyway (a JSON decoder), so the
     * intermediate String is never made.
     *
     * <p>{@code data[offset, offset + length)} is the event's data field exactly as received: its
     * {@code data} lines' values joined with LF, without the last LF, in UTF-8 as sent (not
     * checked: invalid UTF-8 is left as it is, while the String form replaces it with U+FFFD by
     * the WHATWG rules; a listener that cannot do the same should return false for non-ASCII
     * data). The array is the parser's own buffer, or (for data of one line that arrived whole in
     * one {@code feed}) the array given to {@link SseParser#feed}: read it only during this call,
     * never keep or change it.
     *
     * @param type the event type ({@link SseEvent#DEFAULT_TYPE} when none was given)
     * @param data the buffer holding the data
     * @param offset where the data starts in {@code data}
     * @param length the number of data bytes
     * @param lastEventId the last event ID, as {@link SseEvent#lastEventId()}
     * @return true when the event has been handled; false to receive it as an {@link SseEvent}
     */
    default boolean onEvent(String type, byte[] data, int offset, int length, String lastEventId) {
        return false;
    }

    /**
     * Called when a valid {@code retry} field sets the reconnection time (also when it sets the
     * same value again).
     *
     * @param millis the reconnection time in milliseconds
     */
    default void onRetry(long millis) {}

    /**
     * Called when a blank line ends an event that has no {@code data} field: nothing is dispatched,
     * but the standard's dispatch step still sets the source's last event ID from the buffer (so an
     * {@code id:}-only event moves the ID a reconnecting client sends). Rare; a listener that does
     * not reconnect can ignore it.
     *
     * @param lastEventId the last event ID in effect, as {@link SseEvent#lastEventId()}; null when
     *     none was ever set
     */
    default void onEmptyEvent(String lastEventId) {}

    /**
     * Called for each comment line (a line starting with a colon), with the text after the colon
     * (no space removed), if the parser was built to report comments
     * ({@link SseParser#SseParser(SseLimits, SseListener, boolean)}).
     */
    default void onComment(String comment) {}
}
