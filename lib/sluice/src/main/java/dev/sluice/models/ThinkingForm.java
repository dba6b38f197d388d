package dev.sluice.models;

/** How a model is asked to think; a column of the {@link ModelCatalog}. */
public enum ThinkingForm {
    /** Claude 4.6: {@code thinking: {type: adaptive}} with {@code output_config.effort}, or a budget (deprecated). */
    ADAPTIVE_OR_BUDGET,
    /** Claude 4.7 and later: adaptive thinking only; {@code type: enabled} with a budget answers 400. */
    ADAPTIVE,
    /** Adaptive thinking that cannot be turned off ({@code type: disabled} answers 400). */
    ADAPTIVE_ALWAYS,
    /** A thinking budget in tokens (Claude before 4.6, Gemini 2.5), which may be turned off. */
    BUDGET,
    /** A thinking budget that cannot be turned off (Gemini 2.5 Pro). */
    BUDGET_ALWAYS,
    /** Gemini 3's {@code thinkingLevel}; thinking cannot be turned off. */
    LEVEL,
    /** OpenAI's reasoning effort ({@code reasoning.effort}, {@code reasoning_effort}). */
    EFFORT,
    /** The model does not think. */
    NONE;

    static ThinkingForm parse(String column) {
        return switch (column) {
            case "adaptive+budget" -> ADAPTIVE_OR_BUDGET;
            case "adaptive" -> ADAPTIVE;
            case "adaptive-always" -> ADAPTIVE_ALWAYS;
            case "budget" -> BUDGET;
            case "budget-always" -> BUDGET_ALWAYS;
            case "level" -> LEVEL;
            case "effort" -> EFFORT;
            case "none" -> NONE;
            default -> throw new IllegalStateException("models.tsv: unknown thinking form '" + column + "'");
        };
    }
}
