package dev.sluice.sse;

import org.jspecify.annotations.Nullable;

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
    default void onEmptyEvent(@Nullable String lastEventId) {}

    /**
     * Called for each comment line (a line starting with a colon), with the text after the colon
     * (no space removed), if the parser was built to report comments
     * ({@link SseParser#SseParser(SseLimits, SseListener, boolean)}).
     */
    default void onComment(String comment) {}
}
