package dev.sluice.gemini;

import dev.sluice.internal.call.stream.StreamRules;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one Server-Sent Event of a Gemini stream decodes to: a response chunk, or Gemini's error
 * object. Also records when it was received, for the neutral chunks' metadata.
 *
 * @param response the chunk, or null for an error
 * @param error the error, or null for a chunk
 * @param receivedAt the wall-clock time it was received
 * @param receivedNanos the monotonic time it was received
 */
record GeminiEvent(
        @Nullable GenerateContentResponse response,
        @Nullable Error error,
        Instant receivedAt,
        long receivedNanos) {
    GeminiEvent {
        if ((response == null) == (error == null))
            throw new IllegalArgumentException("exactly one of response and error");
        Objects.requireNonNull(receivedAt, "receivedAt");
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

    /** {@return whether the chunk carries a finish reason: after it, the end of the body is the normal end} */
    boolean finishes() {
        if (response == null) return false;
        for (Candidate c : response.candidates()) if (c.finishReason() != null) return true;
        return false;
    }
}
