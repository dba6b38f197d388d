package dev.sluice.flink;

import java.util.Objects;

/**
 * What {@link SluiceAsyncFunction} emits for one {@link Prompt}: the reply, or the failure as a
 * record a job can route ({@code stream.filter(Completion::ok)}, a side output, a dead-letter sink),
 * never an exception that fails the job.
 *
 * @param promptId the prompt's id
 * @param status how the stream ended
 * @param text the text received: all of it when {@link Status#OK}, what arrived before the failure otherwise
 * @param outputTokens the output tokens the provider reported, 0 when it reported none
 * @param finishReason the provider-neutral finish reason ({@code STOP}, {@code LENGTH}, ...), empty when none arrived
 * @param errorType the failure's exception class ({@code ApiException}, {@code StreamTimeoutException}, ...),
 *     {@code "timeout"} for Flink's async timeout; empty when OK
 * @param errorMessage the failure's message; empty when OK
 * @param requestId the provider's request id, empty when unknown
 */
public record Completion(
        String promptId,
        Status status,
        String text,
        long outputTokens,
        String finishReason,
        String errorType,
        String errorMessage,
        String requestId) {

    /** How a prompt's stream ended. */
    public enum Status {
        /** The reply arrived whole. */
        OK,
        /** The request or the stream failed (an API error, a transport fault, a Sluice timeout, ...). */
        FAILED,
        /** Flink's async timeout expired first; the stream was cancelled. */
        TIMED_OUT
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if one is null
     */
    public Completion {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(requestId, "requestId");
    }

    /** {@return whether the reply arrived whole} */
    public boolean ok() {
        return status == Status.OK;
    }
}
