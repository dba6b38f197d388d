package dev.sluice.anthropic;

import dev.sluice.SluiceException;
import java.util.List;

/**
 * Callbacks for a Messages stream, for those who prefer them to a loop: implement the methods you
 * need, the others do nothing.
 *
 * <pre>{@code
 * stream.listen(new MessageStreamListener() {
 *     @Override public void onText(String delta, CharSequence textSoFar) { System.out.print(delta); }
 *     @Override public void onMessage(Message message) { System.out.println("\n" + message.usage()); }
 * });
 * }</pre>
 *
 * <p>Order: for each event, {@link #onEvent} first, with the message as accumulated after the
 * event; then, for a delta, the callback of its kind ({@link #onText}, {@link #onToolInput},
 * {@link #onThinking}, {@link #onCitation}; a delta of a kind its block does not take, a
 * {@code signature_delta} and unknown deltas only reach {@code onEvent}); for
 * {@code content_block_stop}, {@link #onContentBlock}; for {@code message_stop},
 * {@link #onMessage}. Then, if the stream fails, {@link #onError}; and last, always, exactly once,
 * {@link #onEnd}. A stream that is cancelled or reaches its chunk limit ends without
 * {@code onMessage} and without {@code onError}.
 *
 * <p>Cost: the callbacks' arguments are views, not copies: {@code textSoFar} and
 * {@code thinkingSoFar} are immutable {@code CharSequence}s taken in O(1) (their {@code toString()}
 * builds the {@code String} once, on first call), and the snapshots share what did not change. So
 * a stream of n deltas costs O(n) to listen to, however long it is, as long as a callback does not
 * itself read the whole text at every delta (calling {@code textSoFar.toString()} every time is
 * O(length) each time, quadratic over the stream).
 *
 * <p>Since 0.3, {@code textSoFar} and {@code thinkingSoFar} are {@code CharSequence}, no longer
 * {@code String}: a {@code String} of the whole text at every delta made listening quadratic in the
 * stream's length. A listener written for the old signature fails to compile with
 * {@code @Override}; without it, {@code listen} refuses it with an {@code IllegalArgumentException}
 * rather than silently never calling it.
 *
 * <p>Threading: the callbacks run one at a time, in event order, on the thread that listens
 * (or the one virtual thread that listens for an asynchronous caller), never concurrently.
 *
 * <p>Exceptions: an exception a callback throws ends the stream as a failure: the stream is
 * closed, no further event is dispatched, {@link #onEnd} is still called, and the exception is
 * rethrown as it is to the caller of {@code listen} (it is not passed to {@link #onError}, which
 * only receives the stream's own failures). It is never swallowed.
 */
public interface MessageStreamListener {

    /**
     * Called for every event the stream delivers, pings and unknown events included.
     *
     * @param event the event
     * @param snapshot the message accumulated so far, this event included; null only for an event
     *     before {@code message_start}
     */
    default void onEvent(StreamEvent event, Message snapshot) {}

    /**
     * Called for each {@code text_delta} of a text block.
     *
     * @param delta the new text, possibly empty
     * @param textSoFar the text of this block so far, the delta included: an immutable view (it does
     *     not change as the stream goes on, and may be kept or handed to another thread); its
     *     {@code toString()} is the text, built on first call
     */
    default void onText(String delta, CharSequence textSoFar) {}

    /**
     * Called for each {@code input_json_delta} of a {@code tool_use} or {@code server_tool_use} block.
     *
     * @param partialJson the new piece of the input's JSON text, possibly empty; it may end anywhere
     * @param parsedSnapshot the block's input as far as it has arrived: a {@code Map<String, Object>}
     *     in the JSON value model, best effort (open objects closed, strings as far as they came),
     *     only ever growing
     */
    default void onToolInput(String partialJson, Object parsedSnapshot) {}

    /**
     * Called for each {@code thinking_delta} of a thinking block.
     *
     * @param delta the new thinking text, possibly empty
     * @param thinkingSoFar the thinking of this block so far, the delta included: an immutable view,
     *     as {@code textSoFar} of {@link #onText}
     */
    default void onThinking(String delta, CharSequence thinkingSoFar) {}

    /**
     * Called for each {@code citations_delta} of a text block.
     *
     * @param citation the new citation
     * @param citationsSoFar the citations of this block so far, the new one last; unmodifiable
     */
    default void onCitation(Citation citation, List<Citation> citationsSoFar) {}

    /**
     * Called when a content block is done ({@code content_block_stop}).
     *
     * @param block the block with its final content; a tool input that is not valid JSON says so
     *     in its {@code inputError()}
     */
    default void onContentBlock(ContentBlock block) {}

    /**
     * Called at {@code message_stop} with the complete message.
     *
     * @param message the final message
     */
    default void onMessage(Message message) {}

    /**
     * Called once when the stream fails, after every event received before the failure was
     * dispatched, and before {@link #onEnd}. The same exception is then thrown to the caller of
     * {@code listen}.
     *
     * @param error the failure, carrying the partial message and the request id when known
     */
    default void onError(SluiceException error) {}

    /** Called last, exactly once, however the stream ended. */
    default void onEnd() {}
}
