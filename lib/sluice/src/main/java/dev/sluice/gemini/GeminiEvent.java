package dev.sluice.gemini;

import dev.sluice.internal.call.stream.StreamRules;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one Server-Sent Event of a Gemini stream decodes to: a response {@link Chunk}, or Gemini's
 * error object as a {@link Failure}. Each records when it was received, for the neutral chunks'
 * metadata.
 */
sealed interface GeminiEvent {
    /** {@return the wall-clock time it was received} */
    Instant receivedAt();

    /** {@return the monotonic time it was received} */
    long receivedNanos();

    /** {@return the chunk's response; empty for Gemini's error} */
    default Optional<GenerateContentResponse> chunk() {
        return this instanceof Chunk c ? Optional.of(c.response()) : Optional.empty();
    }

    /**
     * A response chunk.
     *
     * @param response the chunk
     * @param receivedAt the wall-clock time it was received
     * @param receivedNanos the monotonic time it was received
     */
    record Chunk(GenerateContentResponse response, Instant receivedAt, long receivedNanos) implements GeminiEvent {
        public Chunk {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        /** {@return whether the chunk carries a finish reason: after it, the end of the body is the normal end} */
        boolean finishes() {
            for (Candidate c : response.candidates()) if (c.finishReason() != null) return true;
            return false;
        }
    }

    /**
     * Gemini's error object inside a stream.
     *
     * @param error the error
     * @param receivedAt the wall-clock time it was received
     * @param receivedNanos the monotonic time it was received
     */
    record Failure(Error error, Instant receivedAt, long receivedNanos) implements GeminiEvent {
        public Failure {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    /**
     * Gemini's {@code {"error":{"code","message","status"}}} inside a stream.
     *
     * @param status the status string, such as {@code UNAVAILABLE}; {@code unknown} when absent
     * @param message the message, possibly empty
     */
    @SuppressWarnings(
            "AvoidCommonTypeNames") // the name of Gemini's in-stream error; GeminiEvent.Error is never imported alone
    record Error(String status, String message) {
        /** {@return the error as the call makes its exception of it} */
        StreamRules.InBandError inBand() {
            return new StreamRules.InBandError(
                    status, message, GeminiStreamDecoding.RETRYABLE_STATUSES.contains(status));
        }
    }
}
