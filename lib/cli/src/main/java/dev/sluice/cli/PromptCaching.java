package dev.sluice.cli;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PromptCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code --cache} of {@code stream}, {@code agent} and {@code object}: the system prompt and the
 * conversation so far marked for the provider's prompt cache, through the neutral request
 * ({@link PromptCache}, {@link ChatMessage#withCacheMark}): Messages dialects get
 * {@code cache_control {"type":"ephemeral"}} on the system prompt's block and the user message's last
 * block, Converse a {@code cachePoint} after each, OpenAI's APIs a {@code prompt_cache_key} stable for
 * the model and system prompt, Gemini nothing (it caches on its own). Stateless.
 */
final class PromptCaching {
    private PromptCaching() {}

    /**
     * Marks the request being built: its system prompt (where it has one), its last message, and
     * the key OpenAI groups cached prompts by.
     *
     * @param request the builder, its model, system prompt and messages set
     * @param model the model asked
     * @param system the system prompt, or null for none
     * @param prompt the user's message (the prompt and its files), the request's last message
     */
    static void mark(ChatRequest.Builder request, String model, @Nullable String system, ChatMessage prompt) {
        request.messages(List.of(prompt.withCacheMark(true)));
        request.promptCache(new PromptCache(system != null, key(model, system)));
    }

    /** {@return a key that is the same for every request with this model and system prompt} */
    static String key(String model, @Nullable String system) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "\n" + (system == null ? "" : system)).getBytes(StandardCharsets.UTF_8));
            return "sluice-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
