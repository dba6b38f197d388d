package dev.sluice.gemini;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * Decoding of Gemini streams outside a live connection: one Server-Sent Event at a time
 * ({@link #decode}), or a whole captured {@code streamGenerateContent?alt=sse} body
 * ({@link #replay}), with the same decoding rules and {@link GenerateContentAccumulator} as a live
 * stream.
 */
public final class GeminiEvents {
    private static final GeminiDecoder DECODER = GeminiStreamDecoding.DECODER;

    private GeminiEvents() {}

    /**
     * Decodes one event's data, a {@code GenerateContentResponse}.
     *
     * @param event the event
     * @return the response chunk
     * @throws dev.sluice.ApiException if the data is Gemini's error object ({@code {"error": ...}});
     *     its type is the error's {@code status}, such as {@code RESOURCE_EXHAUSTED}
     * @throws dev.sluice.ProtocolException if the data is malformed JSON or of a shape the API does
     *     not allow; the message names the event and shows the data, truncated
     * @throws NullPointerException if event is null
     */
    public static GenerateContentResponse decode(SseEvent event) {
        GeminiEvent decoded = DECODER.decode(Objects.requireNonNull(event, "event"), Instant.EPOCH, 0);
        if (decoded.error() != null) throw decoded.error().exception(200);
        return decoded.response();
    }

    /**
     * Reads a captured streaming body to its end, parsing it as Server-Sent Events
     * ({@link SseLimits#defaults()}) fed {@code readSize} bytes at a time, and returns the
     * accumulated response. Every failure carries the response accumulated before it
     * ({@link SluiceException#partial(Class)} with {@code GenerateContentResponse.class}).
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time
     * @return the whole response
     * @throws dev.sluice.ApiException for an error object in the stream, or a blocked prompt
     *     (type {@value GeminiClient#PROMPT_BLOCKED})
     * @throws dev.sluice.IncompleteStreamException if the body ends before any finish reason
     * @throws dev.sluice.ProtocolException for malformed JSON
     * @throws dev.sluice.LimitExceededException if a line or event exceeds the default limits
     * @throws TransportException if reading the body fails
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static GenerateContentResponse replay(InputStream body, int readSize) {
        Objects.requireNonNull(body, "body");
        if (readSize <= 0) throw new IllegalArgumentException("readSize must be positive: " + readSize);
        GenerateContentAccumulator accumulator = new GenerateContentAccumulator();
        boolean[] finished = {false};
        SseParser parser = new SseParser(SseLimits.defaults(), (SseEvent event) -> {
            GeminiEvent decoded = DECODER.decode(event, Instant.EPOCH, 0);
            if (decoded.error() != null) throw decoded.error().exception(200);
            accumulator.accept(decoded.response());
            if (decoded.finishes()) finished[0] = true;
            ApiException blocked = GeminiStreamDecoding.blocked(decoded.response(), 200);
            if (blocked != null) throw blocked;
        });
        try {
            byte[] buffer = new byte[readSize];
            int n;
            while ((n = body.readNBytes(buffer, 0, readSize)) > 0) parser.feed(buffer, 0, n);
            parser.finish();
            if (!finished[0]) throw GeminiStreamDecoding.incomplete();
            return accumulator.snapshot();
        } catch (SluiceException e) {
            throw e.initContext(null, accumulator.snapshot());
        } catch (IOException e) {
            throw new TransportException("reading the stream failed: " + e.getMessage(), e)
                    .initContext(null, accumulator.snapshot());
        }
    }
}
