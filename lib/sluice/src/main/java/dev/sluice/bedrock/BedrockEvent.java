package dev.sluice.bedrock;

import dev.sluice.internal.call.stream.StreamProtocol;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one frame of a ConverseStream body decodes to: an event, or an error frame (an exception or
 * error message). Also records when it was received, for the neutral chunks' metadata.
 *
 * @param event the event, or null for an error
 * @param error the error, or null for an event
 * @param receivedAt the wall-clock time it was received
 * @param receivedNanos the monotonic time it was received
 */
record BedrockEvent(@Nullable ConverseEvent event, @Nullable ErrorFrame error, Instant receivedAt, long receivedNanos) {
    /**
     * The exception types a reopening may fix before content (Bedrock's 429, 503 and 500): the
     * same as an HTTP status the retries repeat.
     */
    static final Set<String> RETRYABLE =
            Set.of("throttlingException", "serviceUnavailableException", "internalServerException");

    BedrockEvent {
        if ((event == null) == (error == null)) throw new IllegalArgumentException("exactly one of event and error");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * An exception frame ({@code :exception-type} and its {@code {"message"}}) or an error frame
     * ({@code :error-code} and {@code :error-message}).
     *
     * @param type the exception type or error code, as sent
     * @param message the message, possibly empty
     */
    record ErrorFrame(String type, String message) {
        ErrorFrame {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        /** {@return the error as the call makes its exception of it} */
        StreamProtocol.InBandError inBand() {
            return new StreamProtocol.InBandError(type, message, RETRYABLE.contains(type));
        }
    }

    /** {@return whether this is a content event: something the model produced, or its end} */
    boolean isContent() {
        return event != null
                && !(event instanceof ConverseEvent.UnknownEvent)
                && !(event instanceof ConverseEvent.MessageStart);
    }
}
