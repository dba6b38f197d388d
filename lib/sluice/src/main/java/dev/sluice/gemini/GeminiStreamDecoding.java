package dev.sluice.gemini;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.sse.SseEvent;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a Gemini stream ({@link #RULES}) and its Server-Sent Events ({@link Sse}), shared by
 * the live stream (run by the shared {@link dev.sluice.internal.call.stream.StreamingCall}) and
 * {@link GenerateContentStream#replay}, so that they cannot drift apart. Gemini's stream has no
 * terminal event: it ends when the body ends. So:
 * <ul>
 *   <li>each event is decoded ({@link GeminiDecoder}); Gemini's error object is an
 *       {@link ApiException} whose type is its {@code status}; before any content, one of
 *       {@link #RETRYABLE_STATUSES} reopens the stream (from the same retry budget);
 *   <li>every chunk is content (counted, never held back);
 *   <li>a chunk whose {@code promptFeedback.blockReason} is set is delivered, then the stream fails
 *       with an {@link ApiException} of type {@value GeminiClient#PROMPT_BLOCKED} (not retried: the
 *       same prompt would be blocked again);
 *   <li>once a chunk carried a finish reason, the end of the body is the normal end; a body that
 *       ends before any finish reason is an {@link IncompleteStreamException}.
 * </ul>
 */
final class GeminiStreamDecoding {
    static final GeminiDecoder DECODER = new GeminiDecoder();
    /** The rules above. */
    static final StreamRules<GeminiEvent> RULES = new Rules();
    /** The in-stream error statuses that a reopening may fix (Gemini's names for 429, 500, 503, 504). */
    static final Set<String> RETRYABLE_STATUSES =
            Set.of("RESOURCE_EXHAUSTED", "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED");

    private GeminiStreamDecoding() {}

    /** {@return the failure of a chunk whose prompt was blocked, or null when it was not} */
    static @Nullable ApiException blocked(GenerateContentResponse response, int httpStatus) {
        PromptFeedback feedback = response.promptFeedback();
        if (feedback == null || !feedback.blocked()) return null;
        return new ApiException(
                httpStatus,
                GeminiClient.PROMPT_BLOCKED,
                "the prompt was blocked (blockReason " + feedback.blockReason() + "); no candidate was generated",
                true,
                null);
    }

    /** {@return the failure of a body that ended before any finish reason} */
    static IncompleteStreamException incomplete() {
        return new IncompleteStreamException("stream ended before a finishReason: the connection closed early; "
                + "the partial response is attached");
    }

    /**
     * The Server-Sent Events of a stream: each decoded and stamped with the time it was received; a
     * blocked prompt's chunk is handed on, then its failure thrown. Thread-safe: one instance serves
     * every stream of a client.
     */
    static final class Sse extends SseFraming<GeminiEvent> {
        private final InstantSource clock;
        private final LongSupplier nanoTime;

        Sse(InstantSource clock, LongSupplier nanoTime) {
            this.clock = clock;
            this.nanoTime = nanoTime;
        }

        @Override
        public void decode(SseEvent event, Consumer<? super GeminiEvent> out) {
            GeminiEvent decoded = DECODER.decode(event, clock.instant(), nanoTime.getAsLong());
            out.accept(decoded);
            if (decoded instanceof GeminiEvent.Chunk chunk) {
                ApiException blocked = blocked(chunk.response(), 200);
                if (blocked != null) throw blocked;
            }
        }
    }

    /** {@link #RULES}. Stateless. */
    private static final class Rules implements StreamRules<GeminiEvent> {
        @Override
        public boolean isContent(GeminiEvent event) {
            return event instanceof GeminiEvent.Chunk;
        }

        @Override
        public boolean isTerminal(GeminiEvent event) {
            return false;
        }

        @Override
        public boolean completesAtEndOfInput(GeminiEvent event) {
            return event instanceof GeminiEvent.Chunk chunk && chunk.finishes();
        }

        @Override
        public Optional<InBandError> inBandError(GeminiEvent event) {
            return event instanceof GeminiEvent.Failure failure
                    ? Optional.of(failure.error().inBand())
                    : Optional.empty();
        }

        @Override
        public Optional<SluiceException> endOfInput() {
            return Optional.of(incomplete());
        }

        @Override
        public @Nullable Usage usage(GeminiEvent event) {
            if (!(event instanceof GeminiEvent.Chunk chunk)) return null;
            UsageMetadata u = chunk.response().usageMetadata();
            if (u == null) return null;
            long prompt = Math.max(0, u.promptTokenCount());
            long cached = Math.min(Math.max(0, u.cachedContentTokenCount()), prompt); // counted in the prompt's
            return new Usage(prompt - cached, Math.max(0, u.candidatesTokenCount()), cached, 0);
        }
    }
}
