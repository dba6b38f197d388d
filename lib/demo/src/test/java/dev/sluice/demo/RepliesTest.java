package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.wire.Tokens;
import dev.sluice.testkit.spi.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fake model answers the question: code in the language asked for, lists, tables, facts, articles, and the history. */
class RepliesTest {

    static String ask(String prompt, String... before) {
        List<Turn> turns = new java.util.ArrayList<>();
        for (int i = 0; i < before.length; i++) turns.add(new Turn(i % 2 == 0, before[i]));
        turns.add(new Turn(true, prompt));
        return Replies.answer(prompt, turns, 0);
    }

    @Test
    void answer_codeInALanguage_isAFencedBlockInThatLanguage() {
        assertTrue(ask("Write a Rust function that reverses a string")
                .contains("```rust\n// chars() walks Unicode scalar values"));
        assertTrue(ask("show me fizzbuzz in go").contains("```go\npackage main"));
        assertTrue(ask("Factorial in JavaScript please").contains("```javascript\nfunction factorial(n) {"));
        assertTrue(ask("hello world in C").contains("```c\n#include <stdio.h>"));
        assertTrue(
                ask("Show me some Python code for Fibonacci").startsWith("## Fibonacci"),
                "the long Python article stays");
        assertTrue(ask("write a java function for fibonacci")
                .contains("```java\npublic class Fib {\n    static long fib(int n)"));
        assertTrue(
                ask("Write a Python function that reverses a string").endsWith("Run it with `python3 reverse.py`."),
                "the file is named for the task");
        assertTrue(ask("fizzbuzz in go").endsWith("Run it with `go run fizzbuzz.go`."));
        assertTrue(
                ask("reverse a linked list in Java").contains("static Node reverse(Node head)"),
                "not a string reversal");
        assertTrue(
                ask("How do I do a binary search?")
                        .startsWith("Here is binary search in Python (ask for another language"),
                "no language named: Python, and it says so");
    }

    @Test
    void answer_factsListsTablesArticles_matchTheAsk() {
        assertEquals("The capital of France is Paris.", ask("What is the capital of France?"));
        assertEquals("12 × 7 = 84.", ask("what is 12 * 7?"));
        assertTrue(ask("Compare SSE and WebSocket in a table").contains("| | Server-Sent Events | WebSocket |"));
        String list = ask("Give me a list of tips for better sleep");
        assertTrue(list.startsWith("Here are a few points about sleep:\n\n- "), list);
        assertTrue(list.lines().filter(l -> l.startsWith("- ")).count() >= 3, list);
        String article = ask("Write a long article about streaming");
        assertTrue(article.startsWith("# Streaming") && article.length() > 2000 && article.contains("## 2."), article);
        assertTrue(ask("an essay on bread").startsWith("# Baking bread\n\nA good sourdough"));
        assertTrue(ask("a markdown demo").contains("| Format | Streams? |"));
        assertTrue(ask("a release checklist").contains("```bash\n"));
    }

    @Test
    void answer_history_remembersTheNameAndFollowsUp() {
        assertTrue(ask("Hi, my name is Ada.").startsWith("Nice to meet you, Ada!"));
        assertEquals(
                "Your name is Ada — you told me earlier in this conversation.",
                ask(
                        "What is my name?",
                        "Hi, my name is Ada.",
                        "Nice to meet you, Ada!",
                        "Tell me about the ocean",
                        "The ocean covers…"));
        assertTrue(ask("What's my name?").startsWith("You haven't told me your name yet"));
        String rust = ask("Write a rust function for fibonacci");
        assertTrue(
                ask("now in Java", "Write a rust function for fibonacci", rust).contains("```java\npublic class Fib"),
                "the same task in the new language");
        String ocean = ask("Tell me about the ocean");
        assertEquals(Topics.byId("ocean").brief(), ask("shorter please", "Tell me about the ocean", ocean));
        assertEquals(Topics.byId("ocean").more(), ask("Tell me more", "Tell me about the ocean", ocean));
        assertEquals(
                "You asked: “Tell me about the ocean”", ask("What did I just ask?", "Tell me about the ocean", ocean));
        assertTrue(ask("thanks!", "my name is Bob", "Nice to meet you, Bob!").startsWith("You're welcome, Bob!"));
    }

    @Test
    void answer_unknownPrompt_isTheStandInsSentenceThenAMarkedSample() {
        String answer = ask("zzz qqq");
        assertEquals(Answers.standIn("zzz qqq", 0), answer);
        assertTrue(
                answer.startsWith("I'm Sluice's offline demo model, not a real one, so I can't answer that. "), answer);
        String sentences = answer.substring(0, answer.indexOf("\n\n"));
        assertEquals(2, sentences.split("[.!?](\\s|$)").length, "two sentences: " + sentences);
        assertTrue(answer.contains("\n\n" + Answers.SAMPLE + "\n\n"), answer);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "How do I make risotto?",
                "How does TCP work?",
                "What are Java records?",
                "Who won the 1998 World Cup?"
            })
    void answer_questionItCannotAnswer_saysSoFirstOffersWhatItCanInOneMoreAndStaysShort(String prompt) {
        String answer = ask(prompt);
        assertEquals(
                "I'm Sluice's offline demo model, not a real one, so I can't answer that.",
                Replies.firstSentence(answer));
        String offer = Replies.firstSentence(
                answer.substring(Replies.firstSentence(answer).length()));
        assertTrue(
                offer.contains("rivers") && offer.contains("ANTHROPIC_API_KEY"),
                "what it can do, and how to ask a real model: " + offer);
        int marker = answer.indexOf("\n\n" + Answers.SAMPLE + "\n\n");
        assertTrue(marker > 0, "the demonstration is labelled: " + answer);
        String sample = answer.substring(marker + Answers.SAMPLE.length() + 4);
        assertTrue(Tokens.of(sample) <= 50, Tokens.of(sample) + " tokens of sample: " + sample);
        assertTrue(Tokens.of(answer) <= 120, Tokens.of(answer) + " tokens in all (695 before): " + answer);
    }

    @Test
    void answer_codeOrHaikuItCannotWrite_saysWhatItIsFirstAndStaysShort() {
        for (String prompt : List.of(
                "Write a Haskell function for fibonacci",
                "write a java function that parses XML",
                "Write a haiku about tax law")) {
            String answer = ask(prompt);
            assertTrue(answer.startsWith(Answers.STAND_IN + ", so I "), answer);
            assertTrue(Tokens.of(answer) <= 150, Tokens.of(answer) + " tokens: " + answer);
        }
        String followUp = ask("why?", "What is 2 + 2?", "2 + 2 = 4.");
        assertTrue(followUp.startsWith(Answers.STAND_IN + ", so I have nothing to add"), followUp);
        assertTrue(Tokens.of(followUp) <= 120, Tokens.of(followUp) + " tokens: " + followUp);
    }

    @Test
    void answer_wordsInsideOtherWords_selectNothing() {
        assertTrue(
                ask("Is this shape ok?").startsWith(Answers.STAND_IN), "'hi' inside 'this' and 'shape' is no greeting");
        assertTrue(
                ask("What are the threads of a story?").startsWith(Answers.STAND_IN),
                "a story's threads are not Java's");
        assertTrue(
                ask("Is coffee bad for pregnant women?").startsWith(Answers.STAND_IN),
                "coffee, but not what the texts say");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPENAI_API_KEY", "GEMINI_API_KEY"})
    void answer_throughAnotherProvider_theHintNamesItsKey(String keyVariable) {
        String answer = new DemoVoice().answer("Who won the 1998 World Cup?", List.of(), 7, keyVariable);
        assertTrue(answer.contains("set " + keyVariable + " for a real model"), answer);
        assertFalse(answer.contains("ANTHROPIC_API_KEY"), answer);
    }
}
