package dev.sluice.gemini;

/**
 * Token counts, as Gemini reports them: in a stream each chunk carries the totals so far. A count
 * Gemini left out is 0.
 *
 * @param promptTokenCount tokens of the prompt, cached ones included
 * @param candidatesTokenCount tokens of the generated candidates, thoughts not included
 * @param totalTokenCount the total Gemini reports
 * @param thoughtsTokenCount tokens spent thinking
 * @param cachedContentTokenCount prompt tokens read from the cache
 * @param toolUsePromptTokenCount tokens of tool-use prompts
 */
public record UsageMetadata(
        long promptTokenCount,
        long candidatesTokenCount,
        long totalTokenCount,
        long thoughtsTokenCount,
        long cachedContentTokenCount,
        long toolUsePromptTokenCount) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public UsageMetadata {
        if (promptTokenCount < 0
                || candidatesTokenCount < 0
                || totalTokenCount < 0
                || thoughtsTokenCount < 0
                || cachedContentTokenCount < 0
                || toolUsePromptTokenCount < 0) {
            throw new IllegalArgumentException("token counts must not be negative: prompt " + promptTokenCount
                    + ", candidates " + candidatesTokenCount + ", total " + totalTokenCount + ", thoughts "
                    + thoughtsTokenCount + ", cached " + cachedContentTokenCount + ", tool use "
                    + toolUsePromptTokenCount);
        }
    }
}
