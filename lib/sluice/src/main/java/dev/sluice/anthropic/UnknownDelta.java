package dev.sluice.anthropic;

import java.util.Objects;

/**
 * A delta whose type this version does not know, kept as it came; a {@link MessageAccumulator}
 * ignores it.
 *
 * @param type the delta's {@code type}
 * @param json the delta object, the raw JSON text
 */
public record UnknownDelta(String type, String json) implements Delta {
    /** @throws NullPointerException if an argument is null */
    public UnknownDelta {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }
}
