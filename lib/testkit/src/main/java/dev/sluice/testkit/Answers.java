package dev.sluice.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake server's stored texts and how they are cut into deltas. Pure functions of the prompt
 * and the seed: the same prompt and seed always give the same answer and the same chunks.
 */
final class Answers {
    private Answers() {}

    /** A stored answer and the words in a prompt that select it. */
    private record Answer(List<String> keywords, String text) {}

    private static final List<Answer> ANSWERS = List.of(
            new Answer(List.of("hi", "hello", "hey", "bonjour", "hola"),
                    "Hello! I'm a stand-in for Claude, answering from the fake server embedded in Sluice — no network, "
                    + "no API key, just a loopback socket on your machine. Everything you see arrives the way a real "
                    + "stream does: a message_start, a content block, and text deltas of a word or three, paced at a "
                    + "realistic speed. Ask me for code in the language you like, a list, a table, a quick fact or a "
                    + "long article; tell me your name and I'll remember it; or ask about the ocean, bread, sleep, "
                    + "coffee or Java threads."),
            new Answer(List.of("ocean", "sea", "tide", "tides", "wave", "waves"),
                    "The ocean covers about 71% of Earth's surface and holds roughly 97% of its water. Tides come mostly "
                    + "from the Moon's gravity: the side of Earth facing the Moon and the side facing away both bulge, "
                    + "which is why most coasts see two high tides a day. 🌊\n\nWaves, on the other hand, are mostly "
                    + "made by wind. Their energy can cross entire ocean basins, so the swell breaking on a beach in "
                    + "California may have started as a storm near New Zealand days earlier."),
            new Answer(List.of("java", "thread", "threads", "virtual", "loom", "concurrency"),
                    "Virtual threads, final since Java 21, are cheap threads scheduled by the JVM rather than the "
                    + "operating system. When one blocks on I/O, it unmounts from its carrier thread, so a blocked "
                    + "reader costs a few hundred bytes of heap instead of a whole OS thread. That makes the plain "
                    + "thread-per-request style scale again: you can write straightforward blocking code and still "
                    + "run tens of thousands of concurrent streams. Avoid pinning by using ReentrantLock instead of "
                    + "synchronized around blocking calls on older JDKs."),
            new Answer(List.of("bread", "bake", "baking", "sourdough", "flour", "yeast"),
                    "A good sourdough needs only flour, water, salt and a lively starter, plus patience. Mix, let the "
                    + "dough rest, then stretch and fold it every half hour for the first two hours to build strength. "
                    + "A long, cool proof in the fridge overnight deepens the flavour and makes scoring easier. Bake "
                    + "it covered at a high heat for the first twenty minutes so the steam lets the loaf spring, then "
                    + "uncover it for a deep, crackling crust."),
            new Answer(List.of("sleep", "tired", "insomnia", "nap"),
                    "Most adults do best with seven to nine hours of sleep, and regularity matters almost as much as "
                    + "duration. Going to bed and waking at the same times anchors your circadian rhythm. Bright light "
                    + "in the morning, a cool, dark bedroom and no caffeine after early afternoon all help. If you "
                    + "can't fall asleep after twenty minutes or so, get up and do something calm in dim light rather "
                    + "than lying there worrying about it."),
            new Answer(List.of("coffee", "espresso", "café", "cafe", "latte"),
                    "Café culture differs wonderfully from place to place. In Italy an espresso is drunk standing at the "
                    + "bar in a couple of sips; in Vienna a Melange comes on a silver tray with a glass of water; in "
                    + "São Paulo a cafezinho is offered almost everywhere as a gesture of welcome. For brewing at home, "
                    + "the biggest improvements come from fresh beans, a burr grinder and weighing your coffee: about "
                    + "sixty grams per litre is a good starting point."),
            new Answer(List.of("space", "star", "stars", "planet", "planets", "universe", "galaxy"),
                    "Light from the Sun takes about eight minutes and twenty seconds to reach Earth, so you always see "
                    + "it slightly in the past. The nearest star beyond it, Proxima Centauri, is about 4.2 light-years "
                    + "away: its light left before you last changed phones, most likely. Our galaxy, the Milky Way, "
                    + "holds somewhere between one hundred and four hundred billion stars, and astronomers now think "
                    + "most of them have planets."),
            new Answer(List.of("garden", "gardening", "plant", "plants", "tomato", "tomatoes"),
                    "Tomatoes want sun above all: six to eight hours a day of direct light. Water deeply and less often, "
                    + "at the base rather than on the leaves, which keeps fungal diseases at bay. A layer of mulch holds "
                    + "moisture and keeps the soil temperature steady. Pinch out the side shoots of cordon varieties so "
                    + "the plant puts its energy into fruit, and pick them when they are fully coloured and give "
                    + "slightly to the touch."),
            new Answer(List.of("history", "rome", "roman", "empire", "ancient"),
                    "Rome wasn't built in a day, and it didn't fall in one either. The Western Roman Empire faded over "
                    + "more than a century of civil wars, economic strain and pressure on its borders; 476, when "
                    + "Odoacer deposed the last western emperor, is a convenient date rather than a sudden collapse. "
                    + "The Eastern Empire, which we call Byzantine, lasted almost another thousand years, until "
                    + "Constantinople fell in 1453."),
            new Answer(List.of("music", "piano", "guitar", "practice", "song"),
                    "Short, focused practice beats long, distracted sessions. Twenty minutes a day with a clear goal, "
                    + "such as one tricky passage played slowly and cleanly, builds more skill than two hours of "
                    + "running through pieces you already know. Use a metronome, raise the tempo only when it feels "
                    + "easy, and record yourself now and then: you'll hear things you miss while playing."),
            new Answer(List.of("stream", "streaming", "sse", "events", "server-sent"),
                    "Server-Sent Events is a simple text protocol over a long-lived HTTP response. Each event is a few "
                    + "lines of fields, such as event and data, ended by a blank line, and the connection stays open so "
                    + "the server can keep pushing. It's a natural fit for language models: the reply is streamed as "
                    + "small deltas, so the first words show up in a few hundred milliseconds instead of after the "
                    + "whole answer is written."),
            new Answer(List.of("write", "writing", "essay", "story", "naive", "naïve"),
                    "Good writing starts with knowing what you want the reader to take away. Write a naïve first draft "
                    + "quickly, without polishing; then cut. Most drafts improve when you delete the first paragraph, "
                    + "replace abstract words with concrete ones and read the result aloud. If a sentence makes you "
                    + "stumble, it will make your reader stumble too — rewrite it until it flows."));

    /**
     * Longer answers in Markdown (headings, lists, a table, fenced code), chosen by their topic
     * words only, so that a page rendering the stream has something to render. A prompt without a
     * topic word still gets one of the plain answers above, as before.
     */
    private static final List<Answer> MARKDOWN = List.of(
            new Answer(List.of("code", "python", "function", "program", "programming", "fibonacci", "algorithm"),
                    """
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
                    """),
            new Answer(List.of("markdown", "format", "formatting", "table", "tables", "demo"),
                    """
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
                    """),
            new Answer(List.of("plan", "steps", "checklist", "guide", "deploy", "release"),
                    """
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
                    """));

    private static final List<String> THINKING = List.of(
            "The user is asking something I can answer directly. Let me think about what matters most here: "
            + "the key facts first, then one practical suggestion. I should keep it short and concrete, and "
            + "avoid hedging more than the facts require.",
            "Let me break this down. First, what is actually being asked? Second, what would a careful expert "
            + "say about it? Third, is there a common misconception worth correcting? I'll answer in one "
            + "compact paragraph with a concrete example.",
            "I want to get the details right. Let me recall the main points, check that the numbers are "
            + "plausible, and then put them in an order that reads naturally: the general idea, the mechanism, "
            + "and a tip the user can use today.");

    /** The text before a tool call. */
    static final String TOOL_PREAMBLE = "I'll check that for you.";

    private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "what", "what's", "whats", "how",
            "with", "about", "this", "that", "tell", "please", "could", "would", "can", "you", "your", "me", "is",
            "are", "was", "were", "does", "did", "have", "has", "from", "into", "when", "where", "which", "who",
            "why", "some", "there", "their", "them", "give", "show", "like");

    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]*");
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    /** {@return the stored answer for a prompt: the first whose keyword the prompt contains, else a plain one chosen by hash} */
    static String answer(String prompt, long seed) {
        for (String word : words(prompt)) {
            for (Answer a : ANSWERS) {
                if (a.keywords().contains(word)) return a.text();
            }
            for (Answer a : MARKDOWN) {
                if (a.keywords().contains(word)) return a.text();
            }
        }
        return ANSWERS.get(Math.floorMod(hash(prompt, seed), ANSWERS.size())).text();
    }

    /** {@return the keyword of a prompt that selects a stored answer, else its {@linkplain #topicWord topic word}} */
    static String topic(String prompt) {
        for (String word : words(prompt)) {
            for (Answer a : ANSWERS) if (a.keywords().contains(word)) return word;
            for (Answer a : MARKDOWN) if (a.keywords().contains(word)) return word;
        }
        return topicWord(prompt);
    }

    /** {@return the stored thinking text for a prompt} */
    static String thinking(String prompt, long seed) {
        return THINKING.get(Math.floorMod(hash(prompt, seed) >>> 7, THINKING.size()));
    }

    /** {@return how many stored answers there are, plain and Markdown; for tests} */
    static int count() {
        return ANSWERS.size() + MARKDOWN.size();
    }

    /** {@return the stored answer number {@code i}, the plain ones first; for tests} */
    static String stored(int i) {
        return i < ANSWERS.size() ? ANSWERS.get(i).text() : MARKDOWN.get(i - ANSWERS.size()).text();
    }

    /**
     * Cuts a text into deltas of one to three words, whitespace kept on the following word (as
     * the API does: {@code "Hello"}, {@code " world"}); the chunks joined are exactly the text.
     */
    static List<String> chunks(String text, Random random) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (m.find()) {
            pieces.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            if (pieces.isEmpty()) pieces.add(text.substring(end));
            else pieces.set(pieces.size() - 1, pieces.getLast() + text.substring(end));
        }
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < pieces.size(); ) {
            int n = Math.min(1 + random.nextInt(3), pieces.size() - i);
            chunks.add(String.join("", pieces.subList(i, i + n)));
            i += n;
        }
        return chunks;
    }

    /** Cuts a JSON text into fragments of two to ten characters. */
    static List<String> fragments(String json, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < json.length(); ) {
            int n = Math.min(2 + random.nextInt(9), json.length() - i);
            if (Character.isHighSurrogate(json.charAt(i + n - 1)) && i + n < json.length()) n++;
            out.add(json.substring(i, i + n));
            i += n;
        }
        return out;
    }

    /** {@return the most telling word of a prompt (a capitalised word past the first, else the longest), or "example"} */
    static String topicWord(String prompt) {
        List<String> candidates = new ArrayList<>();
        Matcher m = WORD.matcher(prompt);
        boolean first = true;
        String capitalised = null;
        while (m.find()) {
            String w = m.group();
            if (w.length() >= 3 && !STOP_WORDS.contains(w.toLowerCase(Locale.ROOT))) {
                candidates.add(w);
                if (!first && capitalised == null && Character.isUpperCase(w.charAt(0))) capitalised = w;
            }
            first = false;
        }
        if (capitalised != null) return capitalised;
        return candidates.stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElse("example");
    }

    /**
     * {@return the capitalised words of a prompt that do not start a sentence (not stop words, three
     * letters or more), distinct, in order: the names in it}
     */
    static List<String> capitalisedWords(String prompt) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(prompt);
        int end = 0;
        boolean sentenceStart = true;
        while (m.find()) {
            String between = prompt.substring(end, m.start());
            if (between.contains(".") || between.contains("?") || between.contains("!")) sentenceStart = true;
            String w = m.group();
            if (!sentenceStart && w.length() >= 3 && Character.isUpperCase(w.charAt(0))
                    && !STOP_WORDS.contains(w.toLowerCase(Locale.ROOT)) && !out.contains(w)) {
                out.add(w);
            }
            sentenceStart = false;
            end = m.end();
        }
        return out;
    }

    /**
     * {@return the answer to a turn of tool results: what each tool said, in order} A weather
     * report ({@code city}, {@code condition}, {@code celsius}, {@code wind_kmh}) and a count
     * ({@code counted}) are put in words; other results are quoted.
     */
    static String fromToolResults(List<String> results) {
        List<String> quoted = new ArrayList<>();
        StringBuilder words = new StringBuilder();
        for (String r : results) {
            String sentence = inWords(r);
            if (sentence == null) quoted.add(r);
            else words.append(words.isEmpty() ? "" : " ").append(sentence);
        }
        if (quoted.isEmpty()) return words.toString();
        StringBuilder sb = new StringBuilder(words).append(words.isEmpty() ? "" : " ")
                .append(quoted.size() == 1 ? "The tool answered: " : "The tools answered: ").append(String.join("; ", quoted));
        return sb.append(". That is all I know.").toString();
    }

    private static String inWords(String result) {
        JsonNode n;
        try {
            n = Json.parse(result);
        } catch (Exception e) { // not JSON: quoted as it is
            return null;
        }
        if (!n.isObject()) return null;
        if (n.has("city") && n.has("condition") && n.has("celsius")) {
            return "In " + n.path("city").asText() + " it is " + n.path("condition").asText() + " at " + n.path("celsius").asText()
                    + " °C" + (n.has("wind_kmh") ? ", with the wind at " + n.path("wind_kmh").asText() + " km/h." : ".");
        }
        if (n.has("counted") && n.size() == 1) return "I counted to " + n.path("counted").asText() + ".";
        return null;
    }

    /** A stable 64-bit FNV-1a hash of the prompt's UTF-8 bytes, mixed with the seed. */
    static long hash(String prompt, long seed) {
        long h = 0xcbf29ce484222325L ^ (seed * 0x9E3779B97F4A7C15L);
        for (byte b : prompt.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }

    private static List<String> words(String prompt) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(prompt);
        while (m.find()) out.add(m.group().toLowerCase(Locale.ROOT));
        return out;
    }
}
