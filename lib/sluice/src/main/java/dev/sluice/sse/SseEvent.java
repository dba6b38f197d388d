package dev.sluice.sse;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One dispatched Server-Sent Event.
 *
 * @param type the event type: the last {@code event} field's value, or {@code "message"} when
 *     there was none or it was empty
 * @param data the {@code data} lines joined with LF, without the final LF
 * @param lastEventId the last event ID in effect when the event was dispatched (it persists
 *     across events), or null when no {@code id} field was ever accepted
 */
public record SseEvent(String type, String data, @Nullable String lastEventId) {
    /** The type of an event without an {@code event} field. */
    public static final String DEFAULT_TYPE = "message";

    /**
     * @throws NullPointerException if {@code type} or {@code data} is null
     */
    public SseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** {@return an event of the default type {@code message} with no id} */
    public static SseEvent of(String data) {
        return new SseEvent(DEFAULT_TYPE, data, null);
    }

    /** {@return an event of the given type with no id} */
    public static SseEvent of(String type, String data) {
        return new SseEvent(type, data, null);
    }
}
