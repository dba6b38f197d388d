package dev.sluice.anthropic;

/**
 * Extended thinking: {@link #enabled(int)} with a token budget, or {@link #disabled()}.
 *
 * @param enabled whether the model thinks before answering
 * @param budgetTokens the most tokens it may think with (at least 1024) when enabled; 0 when disabled
 */
public record ThinkingConfig(boolean enabled, int budgetTokens) {
    /** The smallest budget the API accepts. */
    public static final int MIN_BUDGET_TOKENS = 1024;

    /**
     * @throws IllegalArgumentException if enabled with a budget under 1024, or disabled with a budget
     */
    public ThinkingConfig {
        if (enabled && budgetTokens < MIN_BUDGET_TOKENS) {
            throw new IllegalArgumentException(
                    "budgetTokens must be at least " + MIN_BUDGET_TOKENS + ", not " + budgetTokens);
        }
        if (!enabled && budgetTokens != 0) {
            throw new IllegalArgumentException("disabled thinking takes no budget, not " + budgetTokens);
        }
    }

    /** {@return thinking enabled with the given budget (at least 1024; usually less than maxTokens)} */
    public static ThinkingConfig enabled(int budgetTokens) {
        return new ThinkingConfig(true, budgetTokens);
    }

    /** {@return thinking disabled} */
    public static ThinkingConfig disabled() {
        return new ThinkingConfig(false, 0);
    }
}
