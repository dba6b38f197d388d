package dev.sluice.internal.call.stream;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.ServerText;
import dev.sluice.sse.SseEvent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamingCall} needs to know about one provider's streaming protocol: how its body
 * is {@linkplain #framing() framed} (Server-Sent Events unless it says otherwise), how each message
 * decodes into events, which events are content, which one ends the stream,
 * which one reports an error, and whether a body may end without a terminal event.
 *
 * <p>Implementations are stateless and thread-safe: one instance serves every stream of a client.
 *
 * @param <E> the provider's event type
 */
public interface StreamProtocol<E> {

    /**
     * Decodes one Server-Sent Event into zero or more events, handed to {@code out} in order.
     *
     * @throws dev.sluice.ProtocolException if the event is malformed; the message names the event
     *     type and shows its data, truncated
     */
    void decode(SseEvent event, Consumer<? super E> out);

    /** {@return how the body is framed; default {@link BodyFraming#SERVER_SENT_EVENTS}} */
    default BodyFraming framing() {
        return BodyFraming.SERVER_SENT_EVENTS;
    }

    /**
     * Decodes one message of an AWS event stream into zero or more events, handed to {@code out} in
     * order: what a protocol whose {@link #framing()} is {@link BodyFraming#AWS_EVENT_STREAM}
     * implements instead of {@link #decode(SseEvent, Consumer)} (which it may leave throwing).
     * The default throws: a protocol of Server-Sent Events never receives one.
     *
     * @throws dev.sluice.ProtocolException if the message is malformed
     */
    default void decode(EventStreamMessage message, Consumer<? super E> out) {
        throw new UnsupportedOperationException("this protocol reads " + framing() + ", not an AWS event stream");
    }

    /**
     * Optionally decodes an event from its raw data bytes (see
     * {@link dev.sluice.sse.SseListener}), giving exactly
     * what {@link #decode(SseEvent, Consumer)} would. The default declines.
     *
     * @return true when handled (the events went to {@code out}); false to have the event decoded
     *     from its {@link SseEvent}
     */
    default boolean decode(String type, byte[] data, int offset, int length, Consumer<? super E> out) {
        return false;
    }

    /**
     * {@return whether the event is content} Content events are counted: they end the first-event
     * wait, restart the idle timeout and count toward the chunk limit. Events that are neither
     * content nor terminal (a stream's opening frame, keep-alives, unknown types) are not counted.
     */
    boolean isContent(E event);

    /**
     * {@return whether the event carries something of substance for the user: model output, an end}
     * The events before the first one of substance (or a terminal event, or one that
     * {@linkplain #completesAtEndOfInput completes the stream}) are held back, and dropped unseen
     * when the stream is reopened after a retryable failure; once an event of substance has been
     * delivered, nothing is retried. Besides the events that are not content, an event that only
     * announces content without carrying any (the start of an empty text block, the start of a tool
     * call before its input, an empty delta) is not substance: nothing the user would act on is
     * lost by replacing it with a new attempt's. Default: {@link #isContent(Object)}.
     */
    default boolean isSubstance(E event) {
        return isContent(event);
    }

    /** {@return whether the event ends the stream (the body is closed at once after it)} */
    boolean isTerminal(E event);

    /**
     * {@return the error an event reports, if it is an error event} The provider's type and
     * message, as sent: the call makes the {@link ApiException} of it, with both
     * {@linkplain ServerText#clean cleaned} of the request's credentials.
     *
     * @param event the decoded event
     */
    Optional<InBandError> inBandError(E event);

    /**
     * {@return whether, once this event has arrived, the end of the body is the normal end of the
     * stream} For a protocol without a terminal event, such as Gemini's, whose stream ends with the
     * body and whose last chunk carries the finish reason. After such an event, a body that ends
     * completes the stream and {@link #endOfInput()} is not called. Default: false.
     */
    default boolean completesAtEndOfInput(E event) {
        return false;
    }

    /**
     * Called when the body ended without a terminal event (and without an event that
     * {@linkplain #completesAtEndOfInput completes the stream at the end of input}).
     *
     * @return the failure to end the stream with (typically a
     *     {@link dev.sluice.IncompleteStreamException}), or empty when such an end is normal for the
     *     protocol
     */
    Optional<SluiceException> endOfInput();

    /**
     * {@return the token counts this event reports, as running totals (a count it does not carry is
     * 0), or null when it reports none} For observers (metrics, JDK Flight Recorder); a stream keeps
     * the largest of each count seen.
     */
    default @Nullable Usage usage(E event) {
        return null;
    }

    /**
     * {@return the type of what this event brings that the stream's items have no place for, or
     * null} For a provider-neutral view, which keeps text, thinking, tool calls, opaque state, the
     * finish reason and usage: an output item it leaves out (a Responses {@code shell_call}), an
     * event type it does not know. The call logs each such type once per response at DEBUG, and
     * the client's stream observers are told it once per stream
     * ({@link dev.sluice.client.StreamObserver.Observation#onUnmapped}), so that nothing a stream
     * sends is dropped silently. A type from the server is untrusted text: at most
     * {@link #MAX_UNMAPPED_TYPE} characters. Default: null (the stream's items keep everything).
     */
    default @Nullable String unmapped(E event) {
        return null;
    }

    /** The longest type {@link #unmapped} names: a server's event type cut to this many characters. */
    int MAX_UNMAPPED_TYPE = 100;

    /**
     * An error reported inside a stream, as the server sent it.
     *
     * @param type the provider's error type; not yet cleaned
     * @param message the provider's message, possibly empty; not yet cleaned
     * @param retryable whether reopening the stream may help (overloaded, rate limited, a server
     *     error); it is reopened only when no content has reached the user
     */
    record InBandError(String type, String message, boolean retryable) {
        public InBandError {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        /**
         * {@return the exception to throw, {@link ApiException#inStream()} true} The one place an
         * in-stream error becomes an exception: its type and message are cleaned of the request's
         * credentials first, as an HTTP error body's are, so that no key a server echoes reaches a
         * message (a type that held one is no identifier after that, and the exception reports
         * {@link ApiException#UPSTREAM_ERROR}).
         *
         * @param httpStatus the status the stream's response had
         * @param requestHeaders the headers of the request the stream answers; empty when unknown
         *     (a recorded stream)
         */
        public ApiException exception(int httpStatus, Map<String, String> requestHeaders) {
            return new ApiException(
                    httpStatus,
                    ServerText.clean(type, requestHeaders),
                    ServerText.clean(message, requestHeaders),
                    true,
                    null);
        }
    }
}
