package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.wire.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void of_englishProse_isAboutFourToFiveCharactersAToken() {
        String prose = Topics.byId("rivers").answer();
        double perToken = (double) prose.length() / Tokens.of(prose);
        assertTrue(perToken > 3.8 && perToken < 5.5, "characters a token: " + perToken);
    }

    @Test
    void of_code_isDenserThanProse() {
        String code = Code.snippet("java", Code.byId("binary-search"));
        double perToken = (double) code.length() / Tokens.of(code);
        assertTrue(perToken > 1.8 && perToken < 3.8, "characters a token: " + perToken);
    }

    @Test
    void of_pieces_countAsATokenizerWould() {
        assertEquals(1, Tokens.of("Hello"));
        assertEquals(1, Tokens.of(" world"), "the space belongs to the word");
        assertEquals(2, Tokens.of(" streaming"), "a long word is two");
        assertEquals(2, Tokens.of("1234"), "a token per three digits");
        assertEquals(1, Tokens.of(" "), "a delta is never free");
        assertEquals(2, Tokens.of("🌊"), "an emoji is more than one");
        assertEquals(3, Tokens.of("a\n    b"), "a line break with its indentation is one");
    }

    @Test
    void fit_room_keepsTheDeltasThatFitAndCutsTheNextAtAWord() {
        List<String> deltas = List.of("The ocean", " covers about", " 71% of Earth's");
        assertEquals(List.of("The ocean", " covers about", " 71"), ReplyPlanner.fit(deltas, 5));
        assertEquals(List.of("The"), ReplyPlanner.fit(deltas, 1));
        assertEquals(deltas, ReplyPlanner.fit(deltas, 100));
        assertEquals(List.of(), ReplyPlanner.fit(deltas, 0));
    }
}
