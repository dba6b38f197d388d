package dev.sluice.gemini;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A summary of the model's reasoning: {@code {"text": "...", "thought": true}}, sent when the
 * request asks for thoughts ({@link GenerationConfig.Builder#includeThoughts(boolean)}).
 *
 * @param text the thought text, possibly empty
 * @param thoughtSignature the opaque signature of the thought, or null when absent
 */
public record ThoughtPart(String text, @Nullable String thoughtSignature) implements Part {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if text is null
     */
    public ThoughtPart {
        Objects.requireNonNull(text, "text");
    }
}
