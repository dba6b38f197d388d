package dev.sluice.gemini;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Answer text: {@code {"text": "..."}}.
 *
 * @param text the text, possibly empty (a part may carry only a signature)
 * @param thoughtSignature the opaque signature Gemini attaches to some parts when thinking, to be
 *     sent back unchanged in a later turn; null when absent
 */
public record TextPart(String text, @Nullable String thoughtSignature) implements Part {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if text is null
     */
    public TextPart {
        Objects.requireNonNull(text, "text");
    }
}
