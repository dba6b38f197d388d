package dev.sluice.bedrock;

import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one frame of a ConverseStream body decodes to: an {@link Event}, or an {@link ErrorFrame} (an
 * exception or error message). Each records when it was received, for the neutral chunks' metadata.
 */
sealed interface BedrockEvent permits BedrockEvent.Event, BedrockEvent.ErrorFrame {
    /** {@return the wall-clock time it was received} */
    Instant receivedAt();

    /** {@return the monotonic time it was received} */
    long receivedNanos();

    /**
     * An event frame.
     *
     * @param event the event
     * @param receivedAt the wall-clock time it was received
     * @param receivedNanos the monotonic time it was received
     */
    record Event(ConverseEvent event, Instant receivedAt, long receivedNanos) implements BedrockEvent {
        public Event {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    /**
     * An exception frame ({@code :exception-type} and its {@code {"message"}}) or an error frame
     * ({@code :error-code} and {@code :error-message}), as {@link AwsJsonErrors#frame} reads them.
     *
     * @param error the exception type or error code, and the message
     * @param receivedAt the wall-clock time it was received
     * @param receivedNanos the monotonic time it was received
     */
    record ErrorFrame(AwsJsonErrors.Frame error, Instant receivedAt, long receivedNanos) implements BedrockEvent {
        public ErrorFrame {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        /** {@return the error as the call makes its exception of it} */
        StreamProtocol.InBandError inBand() {
            return new StreamProtocol.InBandError(error.type(), error.message(), error.retryable());
        }
    }

    /** {@return the event of an event frame; empty for an error frame} */
    default Optional<ConverseEvent> converse() {
        return this instanceof Event e ? Optional.of(e.event()) : Optional.empty();
    }

    /** {@return whether this is a content event: something the model produced, or its end} */
    default boolean isContent() {
        return this instanceof Event e
                && !(e.event() instanceof ConverseEvent.UnknownEvent)
                && !(e.event() instanceof ConverseEvent.MessageStart);
    }
}
