package dev.sluice.gemini;

import dev.sluice.SluiceException;

/**
 * Callbacks for a Gemini stream, for those who prefer them to a loop: implement the methods you
 * need, the others do nothing. Run by {@link GenerateContentStream#listen} and
 * {@link GenerateContentStream#listenAsync}.
 *
 * <pre>{@code
 * stream.listen(new GenerateContentListener() {
 *     @Override public void onText(String delta, CharSequence textSoFar) { System.out.print(delta); }
 *     @Override public void onResponse(GenerateContentResponse r) { System.out.println("\n" + r.usageMetadata()); }
 * });
 * }</pre>
 *
 * <p>Order: for each chunk, {@link #onChunk} first, with the response as accumulated after it; then,
 * for candidate 0's parts in the chunk, in order, {@link #onText}, {@link #onThought} or
 * {@link #onFunctionCall}. When the stream completes, {@link #onResponse}; if it fails,
 * {@link #onError}; last, always, exactly once, {@link #onEnd}. A stream that is cancelled or
 * reaches its chunk limit ends without {@code onResponse} and without {@code onError}.
 *
 * <p>Cost: {@code textSoFar} and {@code thoughtsSoFar} are immutable {@code CharSequence} views taken
 * in O(1) (their {@code toString()} builds the {@code String} once, on first call), and each
 * snapshot shares what did not change, so listening to n chunks costs O(n). Since 0.3 they are
 * {@code CharSequence}, no longer {@code String} (a copy of the whole text at every part made
 * listening quadratic); {@code listen} refuses a listener that still declares the
 * {@code (String, String)} form, which would never be called.
 *
 * <p>Threading: the callbacks run one at a time, in chunk order, on the thread that listens (or the
 * one virtual thread of {@code listenAsync}), never concurrently.
 *
 * <p>Exceptions: an exception a callback throws ends the stream: it is closed, no further chunk is
 * dispatched, {@link #onEnd} is still called, and the exception is rethrown as it is to the caller
 * of {@code listen} (it is not passed to {@link #onError}, which only receives the stream's own
 * failures).
 */
public interface GenerateContentListener {

    /**
     * Called for every chunk the stream delivers.
     *
     * @param chunk the chunk
     * @param snapshot the response accumulated so far, this chunk included
     */
    default void onChunk(GenerateContentResponse chunk, GenerateContentResponse snapshot) {}

    /**
     * Called for each text part of candidate 0.
     *
     * @param delta the part's text, possibly empty
     * @param textSoFar candidate 0's text so far, the delta included: an immutable view, its
     *     {@code toString()} built on first call
     */
    default void onText(String delta, CharSequence textSoFar) {}

    /**
     * Called for each thought part (thinking summary) of candidate 0.
     *
     * @param delta the part's text, possibly empty
     * @param thoughtsSoFar candidate 0's thoughts so far, the delta included: an immutable view
     */
    default void onThought(String delta, CharSequence thoughtsSoFar) {}

    /**
     * Called for each function call of candidate 0 (Gemini sends a call whole, in one part).
     *
     * @param call the call
     */
    default void onFunctionCall(FunctionCallPart call) {}

    /**
     * Called once when the stream completed: every candidate has its finish reason.
     *
     * @param response the whole response
     */
    default void onResponse(GenerateContentResponse response) {}

    /**
     * Called once when the stream failed, before the failure is thrown to the caller of
     * {@code listen}.
     *
     * @param error the failure, with the partial response and the request id
     */
    default void onError(SluiceException error) {}

    /** Called last, exactly once, however the stream ended. */
    default void onEnd() {}
}
