package dev.sluice.client;

import dev.sluice.SluiceException;

/**
 * Callbacks for an {@link AccumulatingStream}, for those who prefer them to a loop: implement the
 * methods you need, the others do nothing. Run by {@link AccumulatingStream#listen} and
 * {@link AccumulatingStream#listenAsync}.
 *
 * <pre>{@code
 * Message message = stream.listen(new StreamListener<>() {
 *     @Override public void onText(String delta, CharSequence textSoFar) { System.out.print(delta); }
 * });
 * }</pre>
 *
 * <p>Order: for each event, {@link #onEvent} with the result as accumulated after it; then, when
 * the event carries answer text, {@link #onText}, and when it carries visible reasoning,
 * {@link #onThinking}. When the stream completed, {@link #onResult}; when it failed,
 * {@link #onError}; last, always, exactly once, {@link #onEnd}. A stream that is cancelled or
 * reaches a limit ends without {@code onResult} and without {@code onError}. Anything a provider's
 * event says beyond text (a tool call's input, a citation, a finished block) is in the event and
 * the snapshot passed to {@code onEvent}.
 *
 * <p>Cost: {@code textSoFar} and {@code thinkingSoFar} are immutable views taken in O(1) (their
 * {@code toString()} builds the {@code String} once); listening to n events costs O(n) unless a
 * callback reads the whole text at every delta.
 *
 * <p>Threading: the callbacks run one at a time, in event order, on the listening thread (or the
 * one virtual thread of {@code listenAsync}).
 *
 * <p>Exceptions: an exception a callback throws closes the stream, no further event is
 * dispatched, {@link #onEnd} is still called, and the exception is rethrown as it is to the
 * caller of {@code listen} (it is not passed to {@link #onError}, which receives the stream's own
 * failures only).
 *
 * @param <E> the stream's event type
 * @param <R> the result type
 */
public interface StreamListener<E, R> {

    /**
     * Called for every event the stream delivers, keep-alives and unknown events included.
     *
     * @param event the event
     * @param snapshot the result accumulated so far, this event included
     */
    default void onEvent(E event, R snapshot) {}

    /**
     * Called for each piece of answer text.
     *
     * @param delta the new text, not empty
     * @param textSoFar the stream's text so far, the delta included: an immutable view
     */
    default void onText(String delta, CharSequence textSoFar) {}

    /**
     * Called for each piece of the model's visible reasoning.
     *
     * @param delta the new reasoning text, not empty
     * @param thinkingSoFar the reasoning so far, the delta included: an immutable view
     */
    default void onThinking(String delta, CharSequence thinkingSoFar) {}

    /**
     * Called once when the stream completed.
     *
     * @param result the complete result
     */
    default void onResult(R result) {}

    /**
     * Called once when the stream failed, after every event received before the failure, and
     * before the failure is thrown to the caller of {@code listen}.
     *
     * @param error the failure, carrying the partial result and the request id when known
     */
    default void onError(SluiceException error) {}

    /** Called last, exactly once, however the stream ended. */
    default void onEnd() {}
}
