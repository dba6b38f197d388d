package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testkit.spi.Turn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded model answers what a newcomer asks, on topic, or says honestly that it cannot:
 * the prompts of the README, the docs, the examples and the chat page, coding questions in
 * several languages, explanations, follow-ups in conversations, and questions it has no text for.
 */
class FakeModelTopicsTest {

    /**
     * A conversation of user prompts (the model answers each) and what its last answer must and
     * must not contain, case-insensitively.
     */
    record Case(List<String> prompts, List<String> must, List<String> mustNot) {
        @Override
        public String toString() {
            return String.join(" → ", prompts);
        }
    }

    private static Case ask(String prompt, String... must) {
        return new Case(List.of(prompt), List.of(must), List.of());
    }

    private static Case then(List<String> prompts, String... must) {
        return new Case(prompts, List.of(must), List.of());
    }

    private static Case not(Case c, String... mustNot) {
        return new Case(c.prompts(), c.must(), List.of(mustNot));
    }

    private static final String RIVER_RAIN =
            "Summarize: The river rose overnight after three days of rain. By morning the lower "
                    + "town was flooded and the bridge closed. Volunteers filled sandbags while the council opened the school as a "
                    + "shelter. The water fell again by Friday, leaving mud in every street. Repairs to the bridge will take a month.";

    static Stream<Case> fiftyPrompts() {
        return Stream.of(
                // the prompts of the README, the docs and the examples
                not(ask("Tell me how rivers shape the land.", "erosion", "valley"), "hello", "tomato"),
                not(ask("How do rivers shape the land?", "erosion", "delta"), "light from the sun"),
                ask("What makes bread rise?", "yeast", "carbon dioxide", "gluten"),
                ask("How do tides work?", "moon", "high tide"),
                ask("Why is the sky blue?", "scatter", "blue"),
                ask("Why is the sea salty?", "minerals", "evaporat"),
                ask("How far away are the stars?", "light-years", "proxima"),
                ask("Why do we need sleep?", "memories", "hours"),
                ask("Tell me about the history of Rome.", "empire", "476"),
                ask("How should I practise the piano?", "metronome"),
                ask("What's the weather in Paris?", "can't look up live weather", "tool"),
                ask("Hello!", "fake model", "sluice"),
                // code, in several languages
                not(ask("reverse a linked list in Java", "```java", "node", "next"), "stringbuilder"),
                not(
                        ask(
                                "Write a Python function that checks whether a number is prime",
                                "```python",
                                "def is_prime"),
                        "fib"),
                ask("binary search in Go", "```go", "func binarySearch"),
                ask("How do I sort an array in JavaScript?", "```javascript", "sort((a, b) => a - b)"),
                ask("Read a file line by line in Rust", "```rust", "bufreader", ".lines()"),
                ask("Make an HTTP GET request in Kotlin", "```kotlin", "httpclient"),
                ask("parse JSON in Ruby", "```ruby", "json.parse"),
                ask("fizzbuzz in bash", "```bash", "fizzbuzz"),
                ask("hello world in C", "```c", "hello, world!"),
                ask("factorial in TypeScript", "```typescript", "bigint"),
                ask("Write a Rust function that reverses a string", "```rust", "chars().rev()"),
                ask("fibonacci in Kotlin", "```kotlin", "fun fib"),
                ask("Show me some Python code for Fibonacci", "## fibonacci", "def fib"),
                not(ask("Write a Haskell function for fibonacci", Answers.STAND_IN, "not in haskell"), "```haskell"),
                ask("write a java function that parses XML", Answers.STAND_IN, "can't write that program"),
                // explanations
                not(ask("Explain virtual threads in Java 21", "carrier", "jvm"), "fibonacci"),
                ask("What is SSE?", "server-sent events", "data"),
                ask("What is JSON?", "objects", "arrays"),
                ask("What is a REST API?", "get", "post", "status"),
                ask("Explain recursion", "base case"),
                ask("What is Big O notation?", "o(log n)"),
                ask("git basics", "git commit"),
                ask("What is Docker?", "container", "image"),
                ask("What is an LLM?", "next token"),
                ask("What is a token?", "four characters"),
                ask("How does the water cycle work?", "evaporat", "condens"),
                ask("What is backpressure?", "bounded"),
                // things it writes
                not(ask("Write a haiku about rivers", "haiku", "river"), "writing"),
                ask("Tell me a joke", "here's one"),
                ask(RIVER_RAIN, "in short: the river rose overnight"),
                ask("Write a poem about coffee", "haiku", "cup"),
                not(
                        ask(
                                "Can you give me a recipe for pancakes?",
                                "## fluffy pancakes",
                                "200 g plain flour",
                                "### steps"),
                        "stand-in"),
                // follow-ups on the previous answer
                not(
                        then(List.of("a long article about rivers", "Make it shorter."), "erosion"),
                        "# ",
                        "tomato",
                        "a short guide"),
                ask("Tell me about the ocean", "71%"),
                then(List.of("Tell me about the ocean", "shorter"), "71%", "tides"),
                then(
                        List.of("Explain virtual threads in Java 21", "Give me an example"),
                        "newVirtualThreadPerTaskExecutor"),
                then(List.of("Explain recursion", "why?"), "call stack"),
                not(
                        then(List.of("Write a Rust function that reverses a string", "now in Go"), "```go", "[]rune"),
                        "```rust"),
                then(List.of("binary search in C", "explain that"), "low", "high", "overflow"),
                then(List.of("Tell me how rivers shape the land.", "Tell me more"), "oxbow"),
                then(List.of("fizzbuzz in python", "same in Ruby"), "```ruby"),
                then(List.of("What is JSON?", "give me an example"), "```json"),
                then(List.of("Hi, my name is Ada.", "What is my name?"), "ada"),
                ask("what is 12 * 7?", "84"),
                // what it cannot answer: the stand-in's sentence, then a sample marked as one
                ask("What's the population of Paris?", Answers.STAND_IN, Answers.SAMPLE),
                not(ask("Is coffee bad for pregnant women?", Answers.STAND_IN), "melange"),
                ask("Who won the 1998 World Cup?", Answers.STAND_IN, Answers.SAMPLE),
                ask("Translate 'good morning' into Japanese", Answers.STAND_IN),
                not(ask("What are the threads of a story?", Answers.STAND_IN), "virtual threads, final"),
                not(ask("Is this shape ok?", Answers.STAND_IN), "hello!"),
                then(List.of("What is 2 + 2?", "why?"), Answers.STAND_IN, "nothing to add"));
    }

    @Test
    void fiftyPrompts_atLeastFifty() {
        assertTrue(fiftyPrompts().count() >= 50);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fiftyPrompts")
    void answer_prompt_staysOnItsTopic(Case c) {
        String answer = converse(c.prompts());
        String lower = answer.toLowerCase(Locale.ROOT);
        for (String m : c.must())
            assertTrue(lower.contains(m.toLowerCase(Locale.ROOT)), "must say \"" + m + "\": " + answer);
        for (String m : c.mustNot())
            assertFalse(lower.contains(m.toLowerCase(Locale.ROOT)), "must not say \"" + m + "\": " + answer);
        if (!answer.startsWith(Answers.STAND_IN)) {
            assertFalse(
                    answer.contains(
                            "offline stand-in, the fake model embedded in Sluice with no real model behind it, so"),
                    "an answer does not also say it cannot answer: " + answer);
        }
    }

    /** {@return the model's last answer to a conversation of user prompts, each answered in turn} */
    static String converse(List<String> prompts) {
        List<Turn> turns = new ArrayList<>();
        String answer = null;
        for (String p : prompts) {
            turns.add(new Turn(true, p));
            answer = Replies.answer(p, turns, 0);
            turns.add(new Turn(false, answer));
        }
        return answer;
    }

    // ------------------------------------------------------------------ every prompt of the docs

    /** What some prompts of the docs must be answered with, beyond having an answer at all. */
    private static final Map<String, List<String>> DOCS_TOPICS = Map.ofEntries(
            Map.entry("rivers", List.of("erosion")),
            Map.entry("bread rise", List.of("yeast")),
            Map.entry("sourdough", List.of("starter")),
            Map.entry("ocean", List.of("71%")),
            Map.entry("tides", List.of("moon")),
            Map.entry("sky", List.of("scatter")),
            Map.entry("salty", List.of("minerals")),
            Map.entry("stars", List.of("light-years")),
            Map.entry("sleep", List.of("hours")),
            Map.entry("rome", List.of("empire")),
            Map.entry("piano", List.of("practice")),
            Map.entry("weather", List.of("weather")),
            Map.entry("my name", List.of("name")),
            Map.entry("haiku", List.of("haiku")),
            Map.entry("pancake", List.of("pancakes", "flour", "ingredients")));

    /** Prompts the docs build at run time, which no pattern can read. */
    private static final List<String> BUILT_PROMPTS = List.of(
            "Tell me about the ocean",
            "Tell me about bread",
            "Tell me about sleep",
            "Tell me about coffee",
            "Tell me about Java threads");

    private static final Pattern JAVA_PROMPT = Pattern.compile(
            "(?:addUserMessage\\(|\\.user\\(|Part\\.text\\(|example\\.client\\(\\),\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"(\\s*\\+)?");
    private static final Pattern JS_PROMPT = Pattern.compile("\\b(?:text|content): '([^']+)'");
    private static final Pattern JSON_PROMPT = Pattern.compile("\"role\": \"user\", \"content\": \"([^\"]+)\"");
    private static final Pattern CLI_PROMPT = Pattern.compile(
            "`(?:\\./)?sluice (?:stream|agent) ([A-Z][a-z][^`]*)`|sluice (?:stream|agent) \"([^\"]+)\"");
    private static final Pattern DEMO_PROMPT = Pattern.compile("set -- \"([^\"$]+)\"");
    private static final Pattern PAGE_PROMPT = Pattern.compile("<li><button type=\"button\">([^<]+)</button></li>");

    /**
     * {@return whether the Java prompt that ends at {@code end} asks for a typed object (an
     * {@code ObjectStream} over its request follows within a few lines)} Its answer is JSON, which
     * {@link PromptFillTest} looks at, not a text on a topic.
     */
    private static boolean asksForAnObject(String text, int end) {
        String after = text.substring(end, Math.min(text.length(), end + 800));
        return after.contains("ObjectStream");
    }

    /** {@return every prompt a user meets in the README, the docs, the examples, the demo and the chat page (typed objects' aside)} */
    static Set<String> docsPrompts(Path root) throws IOException {
        Set<String> prompts = new LinkedHashSet<>(BUILT_PROMPTS);
        List<Path> files = new ArrayList<>(List.of(
                root.resolve("README.md"),
                root.resolve("build"),
                root.resolve("lib/server/src/main/resources/dev/sluice/server/page/index.html")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        try (Stream<Path> examples = Files.walk(root.resolve("examples/src/main/java"))) {
            examples.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Matcher j = JAVA_PROMPT.matcher(text);
            while (j.find()) {
                if (j.group(2) != null || asksForAnObject(text, j.end())) continue;
                prompts.add(j.group(1).replace("\\\"", "\""));
            }
            for (Pattern p : List.of(JS_PROMPT, JSON_PROMPT, CLI_PROMPT, DEMO_PROMPT, PAGE_PROMPT)) {
                Matcher m = p.matcher(text);
                while (m.find()) prompts.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        prompts.removeIf(p -> !p.contains(" ") && !p.matches(".*[.!?]")); // a model's name, not a prompt
        return prompts;
    }

    @Test
    void docsPrompts_eachOne_getsAnAnswerOnItsTopic() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assumeTrue(
                Files.isRegularFile(root.resolve("build")) && Files.isDirectory(root.resolve("docs")),
                "run from the repository");
        Set<String> prompts = docsPrompts(root);
        assertTrue(
                prompts.contains("Tell me how rivers shape the land.")
                        && prompts.contains("How do rivers shape the land?")
                        && prompts.contains("What makes bread rise?")
                        && prompts.contains("Show me some Python code for Fibonacci"),
                "the prompts are found: " + prompts);
        Map<String, String> offTopic = new LinkedHashMap<>();
        for (String prompt : prompts) {
            String answer = Replies.answer(prompt, List.of(new Turn(true, prompt)), 0);
            String lower = answer.toLowerCase(Locale.ROOT);
            boolean onTopic = !answer.startsWith(Answers.STAND_IN);
            for (Map.Entry<String, List<String>> e : DOCS_TOPICS.entrySet()) {
                if (prompt.toLowerCase(Locale.ROOT).contains(e.getKey())) {
                    for (String word : e.getValue()) onTopic &= lower.contains(word);
                }
            }
            if (!onTopic) offTopic.put(prompt, answer.substring(0, Math.min(160, answer.length())));
        }
        assertEquals(Map.of(), offTopic, "prompts of the docs without an answer on their topic");
    }
}
