package dev.sluice.testkit.internal.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner's own texts, whatever the voice, and the plain voice's answer. */
class PlannedTextsTest {
    @Test
    void fragments_json_joinToItAndKeepSurrogatePairs() {
        String json = "{\"a\":\"🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊\",\"b\":42}";
        for (int seed = 0; seed < 20; seed++) {
            List<String> fragments = Deltas.fragments(json, new Random(seed));
            assertEquals(json, String.join("", fragments));
            fragments.forEach(f -> assertTrue(!Character.isHighSurrogate(f.charAt(f.length() - 1)), f));
        }
    }

    @Test
    void topicWord_prompt_prefersANameThenTheLongestWord() {
        assertEquals("Paris", PlannedTexts.topicWord("What's the weather in Paris?"));
        assertEquals("temperature", PlannedTexts.topicWord("what is the temperature outside"));
        assertEquals("example", PlannedTexts.topicWord("?"));
    }

    @Test
    void fromToolResults_longResult_quotedBrieflyOnOneLine() {
        String answer = PlannedTexts.fromToolResults(
                List.of("Long running operation completed.\nDuration: 2 seconds, Steps: 4."));
        assertEquals(
                "The tool answered: Long running operation completed. Duration: 2 seconds, Steps: 4. That is all I know.",
                answer);
        String quoted = PlannedTexts.fromToolResults(List.of("x".repeat(1000)));
        assertEquals("The tool answered: " + "x".repeat(PlannedTexts.QUOTE_LIMIT) + "… That is all I know.", quoted);
    }

    @Test
    void plainAnswer_quotesThePromptsStartOnOneLine() {
        String answer = PlainVoice.answer("  What is\n the capital   of France?  ");
        assertTrue(
                answer.startsWith("This is the fake model's answer to \"What is the capital of France?\". "), answer);
        String longPrompt = "word ".repeat(40);
        String quoted = PlainVoice.answer(longPrompt);
        assertTrue(quoted.contains("\"" + longPrompt.strip().substring(0, PlainVoice.QUOTED) + "…\""), quoted);
    }
}
