package dev.sluice.demo;

import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Turn;
import dev.sluice.testkit.spi.Voice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The demo model's voice: the answers of {@link Replies} (topics, code, creative texts, follow-ups,
 * or an honest "I can't answer that") and structured answers filled from the prompt
 * ({@link PromptFill}). Found by the test kit's server through {@link java.util.ServiceLoader}.
 */
public final class DemoVoice implements Voice {
    /** Makes the voice; {@link java.util.ServiceLoader} calls it. */
    public DemoVoice() {}

    @Override
    public String answer(String prompt, List<Turn> turns, long seed) {
        return Replies.answer(prompt, turns, seed);
    }

    /**
     * Answers as {@link #answer(String, List, long)} does, the hint of how to reach a real model naming
     * {@code keyVariable}: the key of the provider the request came through.
     */
    @Override
    public String answer(String prompt, List<Turn> turns, long seed, String keyVariable) {
        return Replies.answer(prompt, turns, seed)
                .replace(
                        Answers.REAL_MODEL,
                        keyVariable + Answers.REAL_MODEL.substring(Answers.REAL_MODEL.indexOf(' ')));
    }

    @Override
    public Fill fill(String prompt, long seed, @Nullable JsonNode schema) {
        return PromptFill.of(prompt, seed, schema);
    }
}
