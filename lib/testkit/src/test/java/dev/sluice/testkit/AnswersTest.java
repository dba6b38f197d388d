package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswersTest {

    @Test
    void chunks_everyStoredAnswer_joinToTheTextInOneToThreeWords() {
        for (int i = 0; i < Answers.count(); i++) {
            String text = Answers.stored(i);
            List<String> chunks = Answers.chunks(text, new Random(i));
            assertEquals(text, String.join("", chunks));
            for (String c : chunks) {
                int words = c.trim().split("\\s+").length;
                assertTrue(words >= 1 && words <= 3, c);
            }
        }
    }

    @Test
    void chunks_trailingWhitespace_isKept() {
        assertEquals("a b \n", String.join("", Answers.chunks("a b \n", new Random(1))));
        assertEquals("  ", String.join("", Answers.chunks("  ", new Random(1))));
    }

    @Test
    void stored_answers_areVariedAndIncludeNonAscii() {
        Set<String> distinct = new HashSet<>();
        boolean nonAscii = false;
        for (int i = 0; i < Answers.count(); i++) {
            distinct.add(Answers.stored(i));
            nonAscii |= Answers.stored(i).chars().anyMatch(c -> c > 127);
        }
        assertTrue(distinct.size() >= 8);
        assertTrue(nonAscii);
    }

    @Test
    void answer_promptWithTopicWord_picksThatTopic() {
        assertTrue(Answers.answer("How should I water my tomatoes?", 0).contains("Tomatoes"));
        assertTrue(Answers.answer("hi", 0).startsWith("Hello!"));
    }

    @Test
    void answer_markdownTopics_giveLongAnswersWithListsAndFencedCode() {
        String code = Answers.answer("Show me some Python code", 0);
        assertTrue(code.startsWith("## Fibonacci") && code.contains("```python\ndef fib(") && code.contains("\n1. **"), code);
        assertTrue(code.length() > 1000, "long enough to render: " + code.length());
        assertTrue(Answers.answer("a markdown demo", 0).contains("| Format | Streams? |"));
        assertTrue(Answers.answer("a release checklist", 0).contains("```bash\n"));
        for (int i = 0; i < 50; i++) {
            assertTrue(!Answers.answer("prompt " + i, 0).contains("```"), "a prompt without a topic gets a plain answer");
        }
    }

    @Test
    void answer_promptWithoutTopic_dependsOnPromptAndSeedOnly() {
        assertEquals(Answers.answer("zzz qqq", 3), Answers.answer("zzz qqq", 3));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) seen.add(Answers.answer("prompt " + i, 0));
        assertTrue(seen.size() > 3, "the hash spreads prompts over the answers");
        Set<String> bySeed = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) bySeed.add(Answers.answer("zzz qqq", seed));
        assertTrue(bySeed.size() > 1, "the seed changes the choice");
    }

    @Test
    void fragments_json_joinToItAndKeepSurrogatePairs() {
        String json = "{\"a\":\"🌊🌊🌊🌊🌊🌊🌊🌊🌊🌊\",\"b\":42}";
        for (int seed = 0; seed < 20; seed++) {
            List<String> fragments = Answers.fragments(json, new Random(seed));
            assertEquals(json, String.join("", fragments));
            fragments.forEach(f -> assertTrue(!Character.isHighSurrogate(f.charAt(f.length() - 1)), f));
        }
    }

    @Test
    void topicWord_prompt_prefersANameThenTheLongestWord() {
        assertEquals("Paris", Answers.topicWord("What's the weather in Paris?"));
        assertEquals("temperature", Answers.topicWord("what is the temperature outside"));
        assertEquals("example", Answers.topicWord("?"));
    }
}
