package dev.sluice.openai;

/**
 * The token usage of a Responses API response.
 *
 * @param inputTokens the input tokens, cached ones included
 * @param cachedTokens of those, the ones read from the prompt cache
 * @param outputTokens the output tokens, reasoning included
 * @param reasoningTokens of those, the reasoning tokens
 * @param totalTokens input and output
 */
public record ResponseUsage(
        long inputTokens, long cachedTokens, long outputTokens, long reasoningTokens, long totalTokens) {}
