package dev.sluice.openai;

import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decoding of Chat Completions streams outside a live connection: one Server-Sent Event at a time
 * ({@link #decode}), or a whole captured response body ({@link #replay}), with the same decoder,
 * the same rules (a stream ends with {@code data: [DONE]}) and the same
 * {@link ChatCompletionAccumulator} as a live stream.
 */
public final class OpenAiEvents {
    private OpenAiEvents() {}

    /**
     * Decodes one Server-Sent Event of a Chat Completions stream: {@code [DONE]} as a
     * {@link DoneEvent}, an {@code {"error": ...}} object as an {@link ChatCompletionErrorEvent}, a chunk as a
     * {@link ChatCompletionChunk}, anything else as an {@link UnknownChatCompletionEvent}.
     *
     * @param event the event
     * @return the decoded event
     * @throws dev.sluice.ProtocolException if the data is malformed JSON or a chunk of a shape the
     *     API does not allow; the message names the event and shows its data, truncated
     * @throws NullPointerException if event is null
     */
    public static ChatCompletionEvent decode(SseEvent event) {
        return OpenAiStreamDecoding.decode(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads a captured streaming response body up to {@code data: [DONE]} (or its end, whichever
     * comes first), parsing it as Server-Sent Events ({@link SseLimits#defaults()}) fed
     * {@code readSize} bytes at a time, and returns the accumulated completion
     * ({@link ChatCompletionAccumulator#finish()}). Every failure carries the completion
     * accumulated before it ({@link SluiceException#partial(Class)} with {@code ChatCompletion.class}).
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed to the parser at a time
     * @return the complete completion
     * @throws dev.sluice.ApiException if the stream carries an {@code {"error": ...}} object
     * @throws dev.sluice.IncompleteStreamException if the body ends before {@code [DONE]}
     * @throws dev.sluice.ProtocolException for malformed JSON
     * @throws dev.sluice.LimitExceededException if an SSE line or event exceeds the default limits
     * @throws TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static ChatCompletion replay(InputStream body, int readSize) {
        Objects.requireNonNull(body, "body");
        if (readSize <= 0) throw new IllegalArgumentException("readSize must be positive: " + readSize);
        ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
        Replay replay = new Replay(accumulator);
        SseParser parser = new SseParser(SseLimits.defaults(), replay);
        try {
            byte[] buffer = new byte[readSize];
            int n;
            while (!replay.done && (n = body.readNBytes(buffer, 0, readSize)) > 0) parser.feed(buffer, 0, n);
            if (!replay.done) parser.finish();
            if (!replay.done) throw OpenAiStreamDecoding.incomplete();
            return accumulator.finish();
        } catch (SluiceException e) {
            throw e.initContext(null, accumulator.snapshot());
        } catch (IOException e) {
            throw new TransportException("reading the stream failed: " + e.getMessage(), e)
                    .initContext(null, accumulator.snapshot());
        }
    }

    /** Decodes each event and adds it to the accumulator, up to {@code [DONE]}; an error object is thrown. */
    private static final class Replay implements SseListener {
        private final ChatCompletionAccumulator accumulator;
        boolean done; // owned by the replaying thread

        Replay(ChatCompletionAccumulator accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (done) return; // anything after [DONE] is not part of the completion
            ChatCompletionEvent decoded = OpenAiStreamDecoding.decode(event);
            if (decoded instanceof ChatCompletionErrorEvent e) throw OpenAiStreamDecoding.apiException(e, 200);
            accumulator.accept(decoded);
            if (decoded instanceof DoneEvent) done = true;
        }
    }
}
