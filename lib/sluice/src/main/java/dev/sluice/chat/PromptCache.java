package dev.sluice.chat;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ChatRequest} asks of the provider's prompt cache beyond the marks on its messages
 * ({@link ChatMessage#cacheMark()}): whether the system prompt is marked, and the key OpenAI groups
 * cached prompts by. Anthropic (and its clouds) get {@code cache_control {"type": "ephemeral"}} on
 * the system prompt's block; Bedrock Converse a {@code cachePoint} block after the system prompt;
 * OpenAI's APIs the {@code prompt_cache_key}; Gemini nothing (it caches implicitly).
 *
 * @param system whether the system prompt is marked: the prompt up to its end is cached
 * @param key the {@code prompt_cache_key} for OpenAI's APIs, or null for none
 */
public record PromptCache(boolean system, @Nullable String key) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the key is blank
     */
    public PromptCache {
        if (key != null && key.isBlank()) throw new IllegalArgumentException("a prompt cache key must not be blank");
    }

    /** {@return the system prompt marked, no key} */
    public static PromptCache systemPrompt() {
        return new PromptCache(true, null);
    }
}
