package dev.sluice.anthropic;

import java.util.List;
import java.util.Objects;

/**
 * A text block.
 *
 * @param text the text
 * @param citations the citations supporting the text, in arrival order; empty when none
 */
public record TextBlock(String text, List<Citation> citations) implements ContentBlock {
    /** @throws NullPointerException if an argument or a citation is null */
    public TextBlock {
        Objects.requireNonNull(text, "text");
        citations = List.copyOf(citations);
    }

    /** {@return a text block without citations} */
    public static TextBlock of(String text) {
        return new TextBlock(text, List.of());
    }

    @Override
    public String type() {
        return "text";
    }
}
