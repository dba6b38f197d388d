package dev.sluice.openai;

/**
 * The token counts of a Chat Completion request, as OpenAI reports them.
 *
 * @param promptTokens tokens in the prompt, cached ones included
 * @param completionTokens tokens generated, reasoning tokens included
 * @param totalTokens prompt and completion tokens together
 * @param cachedTokens prompt tokens read from the prompt cache ({@code prompt_tokens_details.cached_tokens}), 0 if not reported
 * @param reasoningTokens completion tokens spent on reasoning ({@code completion_tokens_details.reasoning_tokens}), 0 if not reported
 */
public record CompletionUsage(
        long promptTokens, long completionTokens, long totalTokens, long cachedTokens, long reasoningTokens) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public CompletionUsage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must not be negative: prompt " + promptTokens + ", completion " + completionTokens
                            + ", total " + totalTokens + ", cached " + cachedTokens + ", reasoning " + reasoningTokens);
        }
    }
}
