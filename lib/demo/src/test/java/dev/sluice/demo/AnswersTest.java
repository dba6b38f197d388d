package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.answer.Deltas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswersTest {

    /** Every stored text of the model: the greeting, the Markdown samples and each topic's texts. */
    static List<String> stored() {
        List<String> texts = new ArrayList<>(
                List.of(Answers.GREETING, Answers.FIBONACCI, Answers.MARKDOWN, Answers.RELEASE_CHECKLIST));
        for (Topics.Topic t : Topics.ALL) {
            texts.addAll(List.of(t.answer(), t.brief(), t.more(), t.example()));
            if (t.haiku() != null) texts.add(t.haiku());
        }
        return texts;
    }

    @Test
    void chunks_everyStoredAnswer_joinToTheTextInOneToThreeWords() {
        List<String> texts = stored();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            List<String> chunks = Deltas.chunks(text, new Random(i));
            assertEquals(text, String.join("", chunks));
            for (String c : chunks) {
                int words = c.trim().split("\\s+").length;
                assertTrue(words >= 1 && words <= 3, c);
            }
        }
    }

    @Test
    void chunks_trailingWhitespace_isKept() {
        assertEquals("a b \n", String.join("", Deltas.chunks("a b \n", new Random(1))));
        assertEquals("  ", String.join("", Deltas.chunks("  ", new Random(1))));
    }

    @Test
    void stored_answers_areVariedAndIncludeNonAscii() {
        Set<String> distinct = new HashSet<>(stored());
        assertTrue(distinct.size() >= 100, "topics with their texts: " + distinct.size());
        assertTrue(stored().stream().anyMatch(t -> t.chars().anyMatch(c -> c > 127)));
    }

    @Test
    void standIn_dependsOnPromptAndSeedOnly() {
        assertEquals(Answers.standIn("zzz qqq", 3), Answers.standIn("zzz qqq", 3));
        Set<String> bySeed = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) bySeed.add(Answers.standIn("zzz qqq", seed));
        assertTrue(bySeed.size() > 1, "the seed changes the sample");
    }
}
