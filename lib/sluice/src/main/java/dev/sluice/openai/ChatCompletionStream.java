package dev.sluice.openai;

import dev.sluice.client.AccumulatingStream;
import dev.sluice.internal.call.stream.Replay;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.sse.SseEvent;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * A streamed Chat Completion: the {@link ChatCompletionEvent}s as they arrive, and the
 * {@link ChatCompletion} they build. Returned by {@link ChatCompletions#stream}; must be closed.
 *
 * <pre>{@code
 * try (ChatCompletionStream stream = client.chat().stream(request)) {
 *     stream.text().forEach(System.out::print);      // or: for (ChatCompletionEvent e : stream) ...
 *     ChatCompletion completion = stream.result();
 * }
 * }</pre>
 *
 * <p>The shape and the contract are {@link AccumulatingStream}'s. The stream ends with the
 * {@link DoneEvent} of {@code data: [DONE]}, and the connection is released then; an
 * {@code {"error": ...}} object is not delivered but thrown as an {@link dev.sluice.ApiException},
 * and a body that ends before {@code [DONE]} as an {@link dev.sluice.IncompleteStreamException}.
 * Text is choice 0's content deltas; the request id is the {@code x-request-id} header.
 */
public final class ChatCompletionStream extends AccumulatingStream<ChatCompletionEvent, ChatCompletion> {

    private ChatCompletionStream(StreamingCall<ChatCompletionEvent> call, ChatCompletionAccumulator accumulator) {
        super(call.events(), accumulator, call::requestId, call::rateLimits);
    }

    /** Opens the call, accumulating every event handed to the consumer. */
    static ChatCompletionStream open(StreamingCall.Builder<ChatCompletionEvent> builder) {
        ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
        builder.onItem(accumulator::accept).partial(accumulator::snapshot);
        return new ChatCompletionStream(builder.open(), accumulator);
    }

    @Override
    protected String textOf(ChatCompletionEvent event) {
        if (!(event instanceof ChatCompletionChunk chunk)) return "";
        for (ChunkChoice c : chunk.choices()) {
            if (c.index() == 0 && c.delta().content() != null) return c.delta().content();
        }
        return "";
    }

    /**
     * Decodes one Server-Sent Event of a Chat Completions stream: a {@link ChatCompletionChunk}, the
     * {@link DoneEvent} of {@code [DONE]}, a {@link ChatCompletionErrorEvent}, or an
     * {@link UnknownChatCompletionEvent}.
     *
     * @param event the event
     * @return the decoded event
     * @throws dev.sluice.ProtocolException if the data is malformed JSON
     * @throws NullPointerException if event is null
     */
    public static ChatCompletionEvent decode(SseEvent event) {
        return OpenAiStreamDecoding.decode(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads a captured streaming response body, as a live stream would, up to {@code [DONE]} (later
     * bytes are not read), {@code readSize} bytes at a time, and returns the completion.
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time
     * @return the complete completion
     * @throws dev.sluice.ApiException if the stream carries an error object
     * @throws dev.sluice.IncompleteStreamException if the body ends before {@code [DONE]}
     * @throws dev.sluice.ProtocolException for malformed JSON
     * @throws dev.sluice.TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static ChatCompletion replay(InputStream body, int readSize) {
        ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
        return Replay.run(
                OpenAiStreamDecoding.SSE,
                OpenAiStreamDecoding.RULES,
                Function.identity(),
                accumulator,
                accumulator::snapshot,
                body,
                readSize);
    }
}
