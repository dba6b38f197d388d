package dev.sluice.testkit.spi;

import dev.sluice.testkit.internal.json.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * What the fake model says in words: the text answer to a conversation and the values of a
 * structured answer. The test kit's planner decides the answer's shape (thinking, text, tool calls,
 * JSON, limits, stop sequences); the voice fills it in.
 *
 * <p>The test kit's own voice is plain: a fixed text that names the prompt, and placeholders for
 * structured answers. The {@code sluice} tool's demo model (the {@code sluice-demo} artifact, not a
 * dependency of the test kit) provides another through {@link ServiceLoader}; the server speaks
 * with it when it is on the class or module path, and plainly otherwise. This package is the test
 * kit's service-provider interface; it is exported to the demo model alone.
 */
public interface Voice {
    /**
     * {@return the text answer to the last user message}
     *
     * @param prompt the last user message's text
     * @param turns the conversation, the last user message included (or empty when unknown)
     * @param seed the server's seed, for any choice among texts
     */
    String answer(String prompt, List<Turn> turns, long seed);

    /**
     * {@return the text answer to the last user message, where the voice tells how to reach a real
     * model naming {@code keyVariable}: the key of the provider the request came through} By default
     * the answer of {@link #answer(String, List, long)}.
     *
     * @param prompt the last user message's text
     * @param turns the conversation, the last user message included (or empty when unknown)
     * @param seed the server's seed, for any choice among texts
     * @param keyVariable the environment variable of the request's provider ({@code OPENAI_API_KEY}
     *     for a request to a GPT model, {@code GEMINI_API_KEY} for Gemini, {@code ANTHROPIC_API_KEY}
     *     for Claude and any other)
     */
    default String answer(String prompt, List<Turn> turns, long seed, String keyVariable) {
        return answer(prompt, turns, seed);
    }

    /**
     * {@return the filler of a structured answer's values}
     *
     * @param schema the requested JSON Schema, or null in JSON mode (any JSON object)
     */
    Fill fill(String prompt, long seed, @Nullable JsonNode schema);

    /**
     * {@return a stable 64-bit FNV-1a hash of the prompt's UTF-8 bytes, mixed with the seed} What the
     * test kit draws its choices with (how an answer is cut into deltas, its thinking's text); a
     * voice draws its own with it too, so that one prompt and seed answer alike every time.
     */
    static long hash(String prompt, long seed) {
        long h = 0xcbf29ce484222325L ^ (seed * 0x9E3779B97F4A7C15L);
        for (byte b : prompt.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }

    /** Fills a structured answer; in JSON mode, also chooses its shape. */
    interface Fill extends Filler {
        /** {@return the schema of the object a JSON-mode answer (no schema requested) has} */
        JsonNode schemaForJsonMode();
    }
}
