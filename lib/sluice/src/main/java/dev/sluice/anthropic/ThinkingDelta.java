package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code thinking_delta}: thinking text to append to a thinking block.
 *
 * @param thinking the piece, possibly empty
 */
public record ThinkingDelta(String thinking) implements Delta {
    /** @throws NullPointerException if {@code thinking} is null */
    public ThinkingDelta {
        Objects.requireNonNull(thinking, "thinking");
    }

    @Override
    public String type() {
        return "thinking_delta";
    }
}
