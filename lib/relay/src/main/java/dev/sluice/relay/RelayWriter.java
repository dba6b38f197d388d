package dev.sluice.relay;

import java.io.IOException;

/**
 * One connected browser, as a {@link Subscription} writes to it: {@link SseRelayWriter} for an
 * {@code text/event-stream} response, or a WebSocket session's adapter. The first method that
 * throws detaches the client; the stream keeps running for the relay's resume window.
 *
 * <p>Threading: called by the one thread running {@link Subscription#deliver}; methods block
 * while the client is slow, which is how a slow client slows its own stream.
 */
public interface RelayWriter {

    /**
     * Writes one event.
     *
     * @param id the event's id: 1, 2, 3, ... within the stream
     * @param event the event
     * @throws IOException if the client is gone
     */
    void send(long id, RelayEvent event) throws IOException;

    /**
     * Writes a heartbeat (for SSE, the comment {@code : ping}) after a silence.
     *
     * @throws IOException if the client is gone
     */
    void heartbeat() throws IOException;

    /**
     * Pushes what was written to the client; called after each batch of events and each heartbeat.
     *
     * @throws IOException if the client is gone
     */
    void flush() throws IOException;

    /**
     * {@return the bytes written to the client so far, or -1 when this client cannot tell} For the
     * relay's JDK Flight Recorder event; the default cannot tell.
     */
    default long bytesWritten() {
        return -1;
    }

    /**
     * Called after the events that brought this client up to the stream's newest event (the newest
     * when they were read from the buffer), before the delivery waits for more; {@link #responseEnded()}
     * is asked next. A protocol that can only tell from what follows an event whether its response
     * ends there decides here: the UI message stream ends its response at a tool call's approval
     * request only when the stream has no decision of that call yet, so that a client sent the stream
     * again after the decision (a reloaded page) gets the rest of it. The default does nothing.
     *
     * @throws IOException if the client is gone
     */
    default void caughtUp() throws IOException {}

    /**
     * {@return whether this client's response has ended before the stream's end} A protocol whose
     * response ends where the stream pauses (the UI message stream and AG-UI end theirs at a tool
     * call waiting for approval, and the decision's request continues the stream in a new one) says
     * so after writing that event, or in {@link #caughtUp()}: the delivery ends there as after a
     * terminal event, and the stream runs on without the resume window (the client comes back with
     * a new request, not a resume). The default never ends early.
     */
    default boolean responseEnded() {
        return false;
    }
}
