package dev.sluice.gemini;

import java.util.Objects;

/**
 * How likely a piece of content is to be harmful in one category.
 *
 * @param category e.g. {@code HARM_CATEGORY_HARASSMENT}
 * @param probability e.g. {@code NEGLIGIBLE}, {@code HIGH}
 * @param blocked whether the content was blocked because of this rating
 */
public record SafetyRating(String category, String probability, boolean blocked) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if category or probability is null
     */
    public SafetyRating {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(probability, "probability");
    }
}
