package dev.sluice.gemini;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.models.ThinkingForm;

/**
 * What a {@code generateContent} request may ask of its model, checked where every request to the
 * Gemini API and Vertex AI is sent ({@link GeminiClient}), so a request built with {@link
 * GenerateContentRequest.Builder} meets the same guard as one mapped from a neutral request: the
 * model's row of the {@link ModelCatalog} ({@link ModelCapabilities}) on {@code
 * generationConfig.maxOutputTokens}, {@code thinkingConfig.thinkingLevel} (a level the model takes;
 * none on a Gemini 2.5, which takes a budget), a {@code thinkingBudget} of 0 where thinking cannot be
 * turned off, and {@code responseJsonSchema}. A model the catalog does not know, or one not Google's,
 * passes. Stateless.
 */
final class GeminiChecks {
    private GeminiChecks() {}

    /**
     * Checks the request against its model's row.
     *
     * @param model the model id
     * @param request the request about to be sent
     * @throws IllegalArgumentException naming the model and the field it cannot take, before any request
     */
    static void check(String model, GenerateContentRequest request) {
        ModelCapabilities caps = ModelCatalog.find(model)
                .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                .orElse(null);
        if (caps == null) return;
        GenerationConfig g = request.generationConfig();
        if (g.maxOutputTokens() != null)
            caps.checkMaxOutputTokens(g.maxOutputTokens(), "generationConfig.maxOutputTokens");
        if (g.thinkingLevel() != null) {
            if (caps.thinking() != ThinkingForm.LEVEL) {
                throw new IllegalArgumentException("model " + model + " takes no thinkingConfig.thinkingLevel"
                        + (caps.thinking() == ThinkingForm.NONE ? "" : ": give it a thinkingBudget instead"));
            }
            caps.checkEffortValue("thinkingConfig.thinkingLevel", g.thinkingLevel());
        }
        if (Integer.valueOf(0).equals(g.thinkingBudget())
                && caps.thinking() != ThinkingForm.NONE
                && !caps.canTurnOffThinking()) {
            throw new IllegalArgumentException("model " + model + " always thinks: thinkingConfig.thinkingBudget 0 is"
                    + " not one it takes (" + caps.source() + ")");
        }
        if (g.responseJsonSchema() != null) caps.checkStructuredOutput("generationConfig.responseJsonSchema");
    }
}
