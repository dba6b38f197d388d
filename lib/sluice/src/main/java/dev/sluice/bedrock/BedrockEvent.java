package dev.sluice.bedrock;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one event frame of a ConverseStream body decodes to: the event, and when it was received,
 * for the neutral chunks' metadata. An exception or error frame is none: the call reads it as the
 * AWS event stream's in-band error before any decoding.
 *
 * @param event the event
 * @param receivedAt the wall-clock time it was received
 * @param receivedNanos the monotonic time it was received
 */
record BedrockEvent(ConverseEvent event, Instant receivedAt, long receivedNanos) {
    BedrockEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** {@return the event, for a mapping that may drop one} */
    Optional<ConverseEvent> converse() {
        return Optional.of(event);
    }

    /** {@return whether this is a content event: something the model produced, or its end} */
    boolean isContent() {
        return !(event instanceof ConverseEvent.UnknownEvent) && !(event instanceof ConverseEvent.MessageStart);
    }
}
