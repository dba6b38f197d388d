package dev.sluice.gemini;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What Gemini thought of the prompt. When {@link #blockReason()} is set, the prompt was blocked and
 * no candidate is generated: the stream then fails with an {@link dev.sluice.ApiException} of type
 * {@value GeminiClient#PROMPT_BLOCKED}, after delivering the response that carries this feedback.
 *
 * @param blockReason why the prompt was blocked ({@code SAFETY}, {@code BLOCKLIST},
 *     {@code PROHIBITED_CONTENT}, {@code OTHER}, ...), or null when it was not
 * @param safetyRatings the prompt's ratings
 */
public record PromptFeedback(@Nullable String blockReason, List<SafetyRating> safetyRatings) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if safetyRatings is null
     */
    public PromptFeedback {
        safetyRatings = List.copyOf(Objects.requireNonNull(safetyRatings, "safetyRatings"));
    }

    /** {@return whether the prompt was blocked} */
    public boolean blocked() {
        return blockReason != null;
    }
}
