package dev.sluice.openai;

import dev.sluice.SluiceException;

/**
 * Callbacks for a Chat Completions stream, for those who prefer them to a loop: implement the
 * methods you need, the others do nothing. Run by {@link ChatCompletionStream#listen} and
 * {@link ChatCompletionStream#listenAsync}.
 *
 * <pre>{@code
 * stream.listen(new ChatCompletionListener() {
 *     @Override public void onText(String delta, CharSequence textSoFar) { System.out.print(delta); }
 *     @Override public void onCompletion(ChatCompletion c) { System.out.println("\n" + c.usage()); }
 * });
 * }</pre>
 *
 * <p>Order: for each event, {@link #onEvent} first, with the completion as accumulated after it;
 * then, for a chunk, choice 0's {@link #onText}, {@link #onRefusal} and {@link #onToolCall} (one
 * per tool-call piece), in that order. When the stream completed ({@code data: [DONE]}),
 * {@link #onCompletion}; if it fails, {@link #onError}; last, always, exactly once, {@link #onEnd}.
 * A stream that is cancelled or reaches its chunk limit ends without {@code onCompletion} and
 * without {@code onError}.
 *
 * <p>Cost: {@code textSoFar} and {@code refusalSoFar} are immutable {@code CharSequence} views taken
 * in O(1) (their {@code toString()} builds the {@code String} once, on first call), and each
 * snapshot shares what did not change, so listening to n events costs O(n). Since 0.3 they are
 * {@code CharSequence}, no longer {@code String} (a copy of the whole text at every delta made
 * listening quadratic); {@code listen} refuses a listener that still declares the
 * {@code (String, String)} form, which would never be called.
 *
 * <p>Threading: the callbacks run one at a time, in event order, on the thread that listens (or
 * the one virtual thread of {@code listenAsync}), never concurrently.
 *
 * <p>Exceptions: an exception a callback throws ends the stream: it is closed, no further event is
 * dispatched, {@link #onEnd} is still called, and the exception is rethrown as it is to the caller
 * of {@code listen} (it is not passed to {@link #onError}, which only receives the stream's own
 * failures).
 */
public interface ChatCompletionListener {

    /**
     * Called for every event the stream delivers.
     *
     * @param event the event
     * @param snapshot the completion accumulated so far, this event included
     */
    default void onEvent(ChatCompletionEvent event, ChatCompletion snapshot) {}

    /**
     * Called for each non-empty content delta of choice 0.
     *
     * @param delta the new text
     * @param textSoFar choice 0's text so far, the delta included: an immutable view, its
     *     {@code toString()} built on first call
     */
    default void onText(String delta, CharSequence textSoFar) {}

    /**
     * Called for each non-empty refusal delta of choice 0.
     *
     * @param delta the new refusal text
     * @param refusalSoFar choice 0's refusal so far, the delta included: an immutable view
     */
    default void onRefusal(String delta, CharSequence refusalSoFar) {}

    /**
     * Called for each piece of a tool call of choice 0: the first carries its id and name, the
     * later ones pieces of its arguments' JSON text.
     *
     * @param piece the piece
     */
    default void onToolCall(ChatCompletionChunk.ToolCallChunk piece) {}

    /**
     * Called once when the stream completed.
     *
     * @param completion the whole completion, tool-call arguments parsed to the end
     */
    default void onCompletion(ChatCompletion completion) {}

    /**
     * Called once when the stream failed, before the failure is thrown to the caller of
     * {@code listen}.
     *
     * @param error the failure, with the partial completion and the request id
     */
    default void onError(SluiceException error) {}

    /** Called last, exactly once, however the stream ended. */
    default void onEnd() {}
}
