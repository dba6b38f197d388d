package dev.sluice.demo;

import dev.sluice.testkit.spi.Voice;
import java.util.List;

/**
 * The fake model's stored texts that are not about one topic (the greeting, the long Markdown
 * samples, the thinking, the stand-in's answer when it has none, with its short samples) and how
 * texts are cut into deltas. Pure functions of the prompt and the seed: the same prompt and seed always give the
 * same answer and the same chunks.
 */
public final class Answers {
    private Answers() {}

    /** The answer to a greeting, "who are you?" or "what can you do?": what the model is and can do. */
    static final String GREETING =
            "Hello! I'm the fake model embedded in Sluice, its offline stand-in for a real one: no network, "
                    + "no API key, just a loopback socket on your machine, streaming the way a real API does, in deltas of a word or "
                    + "three at a realistic pace. I can explain a few dozen topics (rivers, tides, bread, sleep, virtual threads, SSE, "
                    + "JSON, git, Docker, LLMs and more), write small programs in ten languages, do arithmetic and short facts, make "
                    + "tables and lists, write a haiku, and follow up on my last answer: shorter, longer, an example, another "
                    + "language. Tell me your name and I'll remember it. When I can't answer something, I say so and show a short "
                    + "sample instead.";

    /** A long Markdown answer: Fibonacci in Python and Java, with a list, a quote and a table. */
    static final String FIBONACCI = """
        ## Fibonacci, three ways

        The Fibonacci numbers start `0, 1` and each next one is the sum of the two before it. \
        Here are three ways to compute them, from the slowest to the fastest:

        1. **Naïve recursion** — short, but it recomputes the same values again and again (*O(2ⁿ)*).
        2. **Iteration** — keep the last two values and walk forward (*O(n)* time, *O(1)* memory).
        3. **Fast doubling** — uses `F(2k) = F(k)·(2F(k+1) − F(k))` to halve the problem (*O(log n)*).

        ```python
        def fib(n: int) -> int:
            \"\"\"Returns the n-th Fibonacci number, iteratively.\"\"\"
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a

        print([fib(i) for i in range(10)])  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
        ```

        The same loop in Java, with `long` (it overflows past `fib(92)`):

        ```java
        static long fib(int n) {
            long a = 0, b = 1;
            for (int i = 0; i < n; i++) {
                long next = a + b;
                a = b;
                b = next;
            }
            return a;
        }
        ```

        > Tip: for large `n`, use `BigInteger` in Java; Python's integers grow on their own.

        A few values to check your version against:

        | n | fib(n) |
        |---:|---:|
        | 10 | 55 |
        | 20 | 6,765 |
        | 50 | 12,586,269,025 |
        """;

    /** A tour of what Markdown can show: lists, a table, code blocks. */
    static final String MARKDOWN = """
        # What Markdown can show

        Markdown turns plain text into **bold**, *italic* and `inline code`, and links such as \
        [the CommonMark spec](https://spec.commonmark.org/). A streamed answer is rendered as it \
        arrives, so half a table or an unclosed code fence is normal for a moment.

        ## Lists

        - Unordered items start with a dash
          - and nest with two spaces
        - Ordered ones with a number:
          1. first
          2. second

        ## A table

        | Format | Streams? | Typical use |
        |---|---|---|
        | SSE | yes, one way | model output, notifications |
        | WebSocket | yes, both ways | chat, games |
        | JSON | no | one response |

        ## Code

        ```json
        {"event": "delta", "data": {"text": "Hello"}, "id": 42}
        ```

        ```bash
        curl -N -H 'Accept: text/event-stream' http://127.0.0.1:8080/api/streams/ID/events
        ```

        That's the whole tour — café-simple. ☕
        """;

    /** A release checklist, with nested lists and code. */
    static final String RELEASE_CHECKLIST = """
        ## A release checklist

        Before you ship, walk through these steps in order:

        1. **Freeze the branch.** Only fixes for blockers go in from now on.
        2. **Run the whole suite** on a clean machine:
           ```bash
           ./build test
           ```
        3. **Check the numbers.** Compare the benchmarks with the last release; a regression of \
           more than *5 %* needs a reason written down.
        4. **Write the notes.** For each change:
           - what it does for a user,
           - whether anything breaks, and how to migrate.
        5. **Tag and publish**, then announce it.

        > If a step fails, stop: a late release is better than a broken one.

        A small script to bump the version everywhere:

        ```python
        import pathlib, re

        def bump(version: str) -> None:
            for pom in pathlib.Path(".").rglob("pom.xml"):
                text = pom.read_text()
                pom.write_text(re.sub(r"0\\.1\\.0-SNAPSHOT", version, text))
        ```

        Good luck with the release! 🚀
        """;

    /** The stand-in's first words, up to its "so": what it is. */
    public static final String STAND_IN = "I'm Sluice's offline demo model, not a real one";

    /** The line that marks what follows the stand-in's two sentences as a demonstration. */
    public static final String SAMPLE = "Here is a short sample instead, to show how a stream looks:";

    /** Short demonstrations of what a stream renders (well under 60 tokens each): inline Markdown and a table, code, a list. */
    static final List<String> SHORT_SAMPLES = List.of("""
            Markdown streams as **bold**, *italic* and `code`, and a table:

            | Format | Streams? |
            |---|---|
            | SSE | yes |
            | JSON | no |""", """
            ```python
            def fib(n):
                a, b = 0, 1
                for _ in range(n):
                    a, b = b, a + b
                return a
            ```""", """
            1. **Freeze** the branch.
            2. Run `./build test`.
            3. Tag the release.""");

    /** The short sample of code, for the code the model cannot write. */
    static final String SHORT_CODE = SHORT_SAMPLES.get(1);

    /**
     * {@return the answer to a prompt the model has no text for: a sentence saying that it is
     * Sluice's offline demo model and cannot answer that, one offering what it can do, then a short
     * sample marked as one}
     * The sample is one of {@link #SHORT_SAMPLES}, chosen by the prompt and the seed.
     */
    static String standIn(String prompt, long seed) {
        return standIn(
                "can't answer that",
                canDo(),
                SAMPLE,
                SHORT_SAMPLES.get(Math.floorMod(Voice.hash(prompt, seed), SHORT_SAMPLES.size())));
    }

    /**
     * {@return the stand-in's answer: what it is and what it cannot do, what it can, and a sample}
     *
     * @param cannot what follows "so I" in its first sentence: what it cannot do
     * @param offer its second sentence, without the full stop: what it can do instead
     * @param marker the line that introduces the sample
     */
    static String standIn(String cannot, String offer, String marker, String sample) {
        return STAND_IN + ", so I " + cannot + ". " + offer + ".\n\n" + marker + "\n\n" + sample;
    }

    /** {@return what the model can do, and how to reach a real model, as one sentence without its full stop} */
    static String canDo() {
        long topics = Topics.ALL.stream().filter(Topics.Topic::listed).count();
        return "Ask me about rivers, bread, SSE or another of my " + topics
                + " topics, for a small program or a haiku, or set " + REAL_MODEL;
    }

    /** How to reach a real model instead, the end of the stand-in's second sentence. */
    static final String REAL_MODEL = "ANTHROPIC_API_KEY for a real model";
}
