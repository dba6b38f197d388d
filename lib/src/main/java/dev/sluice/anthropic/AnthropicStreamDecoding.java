package dev.sluice.anthropic;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.sse.SseEvent;

/**
 * The per-stream rules of an Anthropic Messages stream, shared by every way of reading one (the
 * live HTTP stream and {@link AnthropicEvents#replay}), so that they cannot drift apart:
 * decode each SSE event, turn an {@code error} event into an {@link ApiException}, end at
 * {@code message_stop}, and report a body that ends before it as an
 * {@link IncompleteStreamException}.
 *
 * <p>Threading: used by the one thread that reads the stream.
 */
final class AnthropicStreamDecoding {
    private final AnthropicEventDecoder decoder = new AnthropicEventDecoder();
    private final int httpStatus;
    private boolean stopped;

    /** @param httpStatus the status the stream's response had, for the ApiException of an error event */
    AnthropicStreamDecoding(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * {@return the decoded event, never an {@link ErrorEvent}}
     *
     * @throws ApiException for an {@code error} event ({@link ApiException#inStream()} true)
     * @throws dev.sluice.ProtocolException for malformed JSON
     */
    StreamEvent decode(SseEvent event) {
        StreamEvent decoded = decoder.decode(event);
        if (decoded instanceof ErrorEvent error) throw apiException(error, httpStatus);
        if (decoded instanceof MessageStop) stopped = true;
        return decoded;
    }

    /** {@return whether the event ends the stream: {@code message_stop}} */
    static boolean isTerminal(StreamEvent event) {
        return event instanceof MessageStop;
    }

    /** {@return whether {@code message_stop} has been decoded} */
    boolean stopped() {
        return stopped;
    }

    /** {@return the failure of a body that ended before {@code message_stop}} */
    static IncompleteStreamException incomplete() {
        return new IncompleteStreamException("stream ended before message_stop: the connection closed early; "
                + "the partial message is attached");
    }

    /** {@return the exception for an in-stream {@code error} event} */
    static ApiException apiException(ErrorEvent error, int httpStatus) {
        return new ApiException(httpStatus, error.errorType(), error.message(), true, null);
    }
}
