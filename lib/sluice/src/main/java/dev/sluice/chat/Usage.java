package dev.sluice.chat;

/**
 * Token counts of one response. In a {@link MessageChunk} they are the totals for the response so
 * far, as the provider reports them (a provider that reports increments adds them up before
 * emitting): the aggregator keeps the latest.
 *
 * @param inputTokens tokens read from the request, not counting cache reads and writes
 * @param outputTokens tokens generated
 * @param cacheReadTokens input tokens read from the provider's prompt cache, 0 if none or unknown
 * @param cacheWriteTokens input tokens written to the provider's prompt cache, 0 if none or unknown
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: input " + inputTokens + ", output "
                    + outputTokens + ", cache read " + cacheReadTokens + ", cache write " + cacheWriteTokens);
        }
    }

    /**
     * Usage without cache counts.
     *
     * @param inputTokens tokens read from the request
     * @param outputTokens tokens generated
     * @return usage without cache counts
     * @throws IllegalArgumentException if a count is negative
     */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0);
    }

    /** {@return input, cache read and cache write tokens together} */
    public long totalInputTokens() {
        return inputTokens + cacheReadTokens + cacheWriteTokens;
    }
}
