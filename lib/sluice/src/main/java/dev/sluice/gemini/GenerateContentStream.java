package dev.sluice.gemini;

import dev.sluice.client.AccumulatingStream;
import dev.sluice.internal.call.stream.MappedEventStream;
import dev.sluice.internal.call.stream.Replay;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.sse.SseEvent;
import java.io.InputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code streamGenerateContent} response: the {@link GenerateContentResponse} chunks as they
 * arrive, and the whole response they build. Returned by {@link GeminiClient#streamGenerateContent};
 * must be closed.
 *
 * <pre>{@code
 * try (GenerateContentStream stream = client.streamGenerateContent("gemini-3.8-flash", request)) {
 *     stream.text().forEach(System.out::print);
 *     GenerateContentResponse response = stream.result();
 * }
 * }</pre>
 *
 * <p>The shape and the contract are {@link AccumulatingStream}'s. Gemini's stream has no terminal
 * event: it ends with the body, and is complete when every candidate has its finish reason (a body
 * that ends before is an {@link dev.sluice.IncompleteStreamException}); an {@code error} object is
 * thrown as an {@link dev.sluice.ApiException}, as is a blocked prompt (after its chunk). Text is
 * candidate 0's text parts; thinking its thought parts. Gemini reports no rate limits in its
 * headers, so {@link #rateLimits()} has only what a response's headers carried.
 */
public final class GenerateContentStream extends AccumulatingStream<GenerateContentResponse, GenerateContentResponse> {

    private GenerateContentStream(
            MappedEventStream<GeminiEvent, GenerateContentResponse> events, GenerateContentAccumulator accumulator) {
        super(events, accumulator, events::requestId, events::rateLimits);
    }

    static GenerateContentStream open(StreamingCall.Builder<GeminiEvent> builder) {
        GenerateContentAccumulator accumulator = new GenerateContentAccumulator();
        builder.partial(accumulator::snapshot);
        return new GenerateContentStream(
                MappedEventStream.open(builder, GeminiEvent::chunk, accumulator::accept), accumulator);
    }

    @Override
    protected String textOf(GenerateContentResponse chunk) {
        return chunk.text();
    }

    @Override
    protected String thinkingOf(GenerateContentResponse chunk) {
        return chunk.firstCandidate().map(Candidate::thoughts).orElse("");
    }

    /**
     * Decodes one Server-Sent Event of a {@code streamGenerateContent} stream.
     *
     * @param event the event
     * @return the chunk
     * @throws dev.sluice.ApiException if the event is an {@code error} object
     * @throws dev.sluice.ProtocolException if the data is malformed JSON
     * @throws NullPointerException if event is null
     */
    public static GenerateContentResponse decode(SseEvent event) {
        GeminiEvent decoded =
                GeminiStreamDecoding.DECODER.decode(Objects.requireNonNull(event, "event"), Instant.EPOCH, 0);
        return switch (decoded) {
            case GeminiEvent.Chunk chunk -> chunk.response();
            case GeminiEvent.Failure failure -> throw failure.error().inBand().exception(200, Map.of());
        };
    }

    /**
     * Reads a captured streaming response body, as a live stream would, to its end,
     * {@code readSize} bytes at a time, and returns the whole response.
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time
     * @return the whole response
     * @throws dev.sluice.ApiException for an {@code error} object or a blocked prompt
     * @throws dev.sluice.IncompleteStreamException if the body ends before every candidate has its
     *     finish reason
     * @throws dev.sluice.ProtocolException for malformed JSON
     * @throws dev.sluice.TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static GenerateContentResponse replay(InputStream body, int readSize) {
        GenerateContentAccumulator accumulator = new GenerateContentAccumulator();
        GeminiStreamDecoding.Sse sse = new GeminiStreamDecoding.Sse(InstantSource.fixed(Instant.EPOCH), () -> 0);
        return Replay.run(
                sse,
                GeminiStreamDecoding.RULES,
                e -> e.chunk().orElse(null),
                accumulator,
                accumulator::snapshot,
                body,
                readSize);
    }
}
