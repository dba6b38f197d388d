package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Turn;
import dev.sluice.testkit.spi.Voice;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The test kit's own {@link Voice}: every prompt gets {@link #answer(String) one fixed text} that
 * quotes the prompt's start, and a structured answer gets the values of a tool's sample input
 * ({@link SampleToolInput}: numbers and quoted strings from the prompt, else placeholders). Long
 * enough to stream as many deltas, and to be cut short by a small {@code max_tokens}; a test that
 * needs particular words scripts them with {@code FakeResponse}.
 */
public final class PlainVoice implements Voice {
    /** The most characters of the prompt the answer quotes. */
    static final int QUOTED = 60;

    /** Makes the voice; the server finds it without help when no other is provided. */
    public PlainVoice() {}

    @Override
    public String answer(String prompt, List<Turn> turns, long seed) {
        return answer(prompt);
    }

    /** {@return the answer to any prompt: the fixed text, with the prompt's start quoted} */
    public static String answer(String prompt) {
        String line = prompt.strip().replaceAll("\\s+", " ");
        if (line.length() > QUOTED) {
            int cut = Character.isLowSurrogate(line.charAt(QUOTED)) ? QUOTED - 1 : QUOTED;
            line = line.substring(0, cut) + "…";
        }
        return "This is the fake model's answer to \"" + line + "\". It is the same text for every prompt, "
                + "streamed a few words at a time so that a client sees many deltas, and cut short by a small "
                + "max_tokens or a stop sequence as a real model's would be. Script an answer with FakeResponse "
                + "when a test needs particular words.";
    }

    @Override
    public Fill fill(String prompt, long seed, @Nullable JsonNode schema) {
        return new SampleToolInput(prompt);
    }
}
