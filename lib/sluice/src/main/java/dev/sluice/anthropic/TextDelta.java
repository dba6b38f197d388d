package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code text_delta}: text to append to a text block.
 *
 * @param text the piece, possibly empty
 */
public record TextDelta(String text) implements Delta {
    /** @throws NullPointerException if {@code text} is null */
    public TextDelta {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String type() {
        return "text_delta";
    }
}
