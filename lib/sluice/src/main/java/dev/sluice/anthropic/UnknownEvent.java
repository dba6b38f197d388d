package dev.sluice.anthropic;

import java.util.Objects;

/**
 * An event whose type this version does not know, kept as it came. It does not end or break the
 * stream.
 *
 * @param type the event's {@code type}
 * @param json the event's data, the raw JSON text
 */
public record UnknownEvent(String type, String json) implements StreamEvent {
    /** @throws NullPointerException if an argument is null */
    public UnknownEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }
}
