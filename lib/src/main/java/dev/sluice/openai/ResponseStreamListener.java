package dev.sluice.openai;

import dev.sluice.SluiceException;

/**
 * Callbacks for a Responses API stream: implement the methods you need, the others do nothing.
 * Run by {@link ResponseStream#listen} and {@link ResponseStream#listenAsync}.
 *
 * <p>Order: for each event, {@link #onEvent} first, with the response as accumulated after it;
 * then, for a text delta {@link #onText}, a refusal delta {@link #onRefusal}, an arguments delta
 * {@link #onFunctionCallArguments}, a summary delta {@link #onReasoningSummary}. When the stream
 * reached its terminal event, {@link #onResponse}; if it fails, {@link #onError}; last, always,
 * exactly once, {@link #onEnd}. A cancelled stream ends without {@code onResponse} and without
 * {@code onError}.
 *
 * <p>Cost: {@code textSoFar} and {@code refusalSoFar} are immutable {@code CharSequence} views taken
 * in O(1) (their {@code toString()} builds the {@code String} once, on first call), and each
 * snapshot shares what did not change, so listening to n events costs O(n). Since 0.3 they are
 * {@code CharSequence}, no longer {@code String} (a copy of the whole text at every delta made
 * listening quadratic); {@code listen} refuses a listener that still declares the
 * {@code (String, String)} form, which would never be called.
 *
 * <p>Threading: the callbacks run one at a time, in event order, on the listening thread (or the
 * one virtual thread of {@code listenAsync}). An exception a callback throws closes the stream,
 * {@link #onEnd} still runs, and it is rethrown as it is to the caller of {@code listen}.
 */
public interface ResponseStreamListener {

    /**
     * @param event every event the stream delivers
     * @param snapshot the response accumulated so far, this event included
     */
    default void onEvent(ResponseStreamEvent event, Response snapshot) {}

    /**
     * @param delta a non-empty piece of output text
     * @param textSoFar the output text so far, the delta included (all messages): an immutable view,
     *     its {@code toString()} built on first call
     */
    default void onText(String delta, CharSequence textSoFar) {}

    /**
     * @param delta a non-empty piece of a refusal
     * @param refusalSoFar the refusal so far, the delta included: an immutable view
     */
    default void onRefusal(String delta, CharSequence refusalSoFar) {}

    /** @param delta a piece of a function call's arguments (its item id and output index in the event) */
    default void onFunctionCallArguments(ResponseStreamEvent.FunctionCallArgumentsDelta delta) {}

    /** @param delta a piece of a reasoning summary */
    default void onReasoningSummary(ResponseStreamEvent.ReasoningSummaryTextDelta delta) {}

    /** @param response the final response (completed, incomplete or failed), arguments parsed to the end */
    default void onResponse(Response response) {}

    /** @param error the stream's failure, with the partial response and the request id */
    default void onError(SluiceException error) {}

    /** Called last, exactly once. */
    default void onEnd() {}
}
