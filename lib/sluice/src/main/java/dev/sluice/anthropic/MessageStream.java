package dev.sluice.anthropic;

import dev.sluice.client.AccumulatingStream;
import dev.sluice.internal.call.stream.Replay;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.sse.SseEvent;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A streaming response of the Messages API: the {@link StreamEvent}s as they arrive, and the
 * {@link Message} they build. Returned by {@link Messages#stream}; must be closed.
 *
 * <pre>{@code
 * try (MessageStream stream = client.messages().stream(request)) {
 *     stream.text().forEach(System.out::print);        // or: for (StreamEvent e : stream) ...
 *     Message message = stream.result();
 * }
 * }</pre>
 *
 * <p>The shape and the contract are {@link AccumulatingStream}'s (one iterator, failures thrown
 * with the partial message and the request id, {@link #snapshot()}, {@link #result()},
 * {@link #listen}). The stream ends at {@code message_stop}; an {@code error} event is not
 * delivered but thrown as an {@link dev.sluice.ApiException} (after the events before it), a body
 * that ends before {@code message_stop} as an {@link dev.sluice.IncompleteStreamException}, and
 * events in an impossible order as a {@link dev.sluice.ProtocolException}. Text is the text deltas;
 * thinking the thinking deltas. The partial message attached to a failure is absent before
 * {@code message_start}.
 */
public final class MessageStream extends AccumulatingStream<StreamEvent, Message> {
    private static final AnthropicEventDecoder DECODER = new AnthropicEventDecoder();

    private final StreamingCall<StreamEvent> call;
    private final @Nullable AnthropicResume resumer; // null when resuming is off

    private MessageStream(
            StreamingCall<StreamEvent> call, MessageAccumulator accumulator, @Nullable AnthropicResume resumer) {
        super(call.events(), accumulator, call::requestId, call::rateLimits);
        this.call = call;
        this.resumer = resumer;
    }

    /** Opens the call, accumulating every event handed to the consumer. */
    static MessageStream open(StreamingCall.Builder<StreamEvent> builder, @Nullable AnthropicResume resumer) {
        MessageAccumulator accumulator = new MessageAccumulator();
        builder.onItem(accumulator::accept).partial(accumulator::partial);
        return new MessageStream(builder.open(), accumulator, resumer);
    }

    @Override
    protected String textOf(StreamEvent event) {
        return event instanceof ContentBlockDelta(int index, TextDelta(String text)) ? text : "";
    }

    @Override
    protected String thinkingOf(StreamEvent event) {
        return event instanceof ContentBlockDelta(int index, ThinkingDelta(String thinking)) ? thinking : "";
    }

    /**
     * {@return how often this stream was continued after losing its connection, and the time the
     * gaps took} Always none unless the client {@linkplain AnthropicClient.Builder#resume resumes}
     * streams. The gaps also show in {@link #metrics()} (its longest gap between events). Any thread.
     */
    public Resumes resumes() {
        return resumer == null ? Resumes.none() : resumer.stats();
    }

    /**
     * Decodes one Server-Sent Event of a Messages stream. Unknown event, block and delta types come
     * back as {@link UnknownEvent}, {@link OtherBlock} and {@link UnknownDelta}; an {@code error}
     * event as an {@link ErrorEvent}.
     *
     * @param event the event
     * @return the decoded event
     * @throws dev.sluice.ProtocolException if the data is malformed JSON or of a shape the protocol
     *     does not allow; the message names the event type and shows the data, truncated
     * @throws NullPointerException if event is null
     */
    public static StreamEvent decode(SseEvent event) {
        return DECODER.decode(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads a captured streaming response body, as a live stream would, up to {@code message_stop}
     * (later bytes are not read), feeding it to the SSE parser ({@link dev.sluice.sse.SseLimits#defaults()})
     * {@code readSize} bytes at a time, and returns the message.
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time
     * @return the complete message
     * @throws dev.sluice.ApiException if the stream carries an {@code error} event
     * @throws dev.sluice.IncompleteStreamException if the body ends before {@code message_stop}
     * @throws dev.sluice.ProtocolException for malformed JSON or events in an impossible order
     * @throws dev.sluice.LimitExceededException if an SSE line or event exceeds the default limits
     * @throws dev.sluice.TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     *     (every failure carries the message so far, once {@code message_start} arrived)
     */
    public static Message replay(InputStream body, int readSize) {
        MessageAccumulator accumulator = new MessageAccumulator();
        return Replay.run(
                AnthropicStreamDecoding.SSE,
                AnthropicStreamDecoding.RULES,
                Function.identity(),
                accumulator,
                accumulator::partial,
                body,
                readSize);
    }

    /** {@return the producer thread, once started; for tests} */
    Optional<Thread> producerThread() {
        return call.producerThread();
    }
}
