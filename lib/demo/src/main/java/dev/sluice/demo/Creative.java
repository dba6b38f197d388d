package dev.sluice.demo;

import dev.sluice.testkit.spi.Voice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the fake model writes rather than explains: a haiku on a topic it knows, a joke, and a
 * summary of a text pasted into the prompt. Each says so when it cannot do what was asked.
 */
final class Creative {
    private Creative() {}

    private static final Pattern POEM =
            Pattern.compile("\\b(haiku|haikus|poem|poems|poetry|verse|limerick|sonnet|rhyme)\\b");
    private static final Pattern JOKE = Pattern.compile("\\b(?:jokes?|make me laugh|something funny|puns?)\\b");
    /** "Summarize: TEXT", "TL;DR of this:\nTEXT", "summarise the following. TEXT" and the like: the text after the colon or line break. */
    private static final Pattern SUMMARY = Pattern.compile(
            "^\\W*(?:please |can you |could you )?(?:summari[sz]e|sum up|tl;?dr|give me a summary of|write a summary of|summary of)"
                    + "[^:\\n]{0,40}?(?::|\\n|\\bfollowing\\b\\W*)\\s*(\\S.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+(?:[.!?]+|$)", Pattern.MULTILINE);

    private static final List<String> JOKES = List.of(
            "Why do programmers prefer dark mode? Because light attracts bugs.",
            "There are 10 kinds of people in the world: those who understand binary and those who don't.",
            "A SQL query walks into a bar, goes up to two tables and asks: \"Can I join you?\"",
            "Why did the developer go broke? Because they used up all their cache.",
            "I would tell you a UDP joke, but you might not get it.",
            "Knock, knock. — Race condition. — Who's there?",
            "Why was the stream so calm? It had learned to handle backpressure.");
    /** The words a joke request may use and still get one of these jokes without a warning. */
    private static final Set<String> JOKE_WORDS = Words.stems(
            String.join(" ", JOKES)
                    + " programmer programmers programming developer developers code coding computer computers software bug bugs tech nerdy");

    /** {@return the model's answer when the prompt asks for a poem, a joke or a summary of a text, else null} */
    static @Nullable String answer(String prompt, String lower, long seed) {
        Matcher summary = SUMMARY.matcher(prompt.strip());
        if (summary.find() && summary.group(1).strip().split("\\s+").length >= 2)
            return "In short: " + summarize(summary.group(1));
        Matcher poem = POEM.matcher(lower);
        if (poem.find()) return poem(lower, poem.group(1), seed);
        if (JOKE.matcher(lower).find()) {
            String joke = JOKES.get(Math.floorMod(Voice.hash(lower, seed), JOKES.size()));
            boolean onTopic = Words.unknown(lower, JOKE, JOKE_WORDS).isEmpty();
            return (onTopic
                            ? "Here's one:"
                            : "I only know a few jokes, all about programming, so here is one of those:")
                    + "\n\n" + joke;
        }
        return null;
    }

    private static String poem(String lower, String kind, long seed) {
        String asked = kind.startsWith("haiku") ? "" : " (a haiku is the only kind of poem I write)";
        Topics.Topic topic = Topics.find(POEM.matcher(lower).replaceAll(" "));
        List<Topics.Topic> withHaiku = Topics.withHaiku();
        if (topic == null && Words.unknown(lower, POEM, Set.of()).isEmpty()) {
            topic = withHaiku.get(Math.floorMod(Voice.hash(lower, seed), withHaiku.size()));
        }
        if (topic != null && topic.haiku() != null)
            return "A haiku about " + topic.name() + asked + ":\n\n" + topic.haiku();
        Topics.Topic sample = withHaiku.get(Math.floorMod(Voice.hash(lower, seed), withHaiku.size()));
        return Answers.standIn(
                "write only haiku, and only about my topics",
                "Ask for one about rivers, the ocean, coffee or another of my " + withHaiku.size()
                        + " topics with a haiku, or set " + Answers.REAL_MODEL,
                "Here is a sample haiku instead, about " + sample.name() + ":",
                Objects.requireNonNull(sample.haiku(), "a topic with a haiku"));
    }

    /**
     * {@return a summary of a text: its first sentence and the sentences that share the most
     * words with the rest, about a third of them (two or three), in their order} A text of one or two sentences is
     * its own summary.
     */
    static String summarize(String text) {
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(text.strip());
        while (m.find()) if (!m.group().isBlank()) sentences.add(m.group().strip());
        if (sentences.size() <= 2) return String.join(" ", sentences).replaceAll("([^.!?])$", "$1.");
        Map<String, Integer> frequency = new HashMap<>();
        for (String s : sentences)
            for (String w : Words.of(s))
                if (w.length() > 3 && !Words.framing(w)) frequency.merge(Words.stem(w), 1, Integer::sum);
        int keep = Math.min(3, Math.max(2, Math.round(sentences.size() / 3f)));
        List<Integer> chosen = new ArrayList<>(List.of(0));
        List<Integer> rest = new ArrayList<>();
        for (int i = 1; i < sentences.size(); i++) rest.add(i);
        rest.sort(Comparator.comparingDouble(i -> -score(sentences.get(i), frequency)));
        for (int i = 0; i < keep - 1 && i < rest.size(); i++) chosen.add(rest.get(i));
        chosen.sort(null);
        StringBuilder sb = new StringBuilder();
        for (int i : chosen) sb.append(sb.isEmpty() ? "" : " ").append(sentences.get(i));
        return sb.toString().replaceAll("([^.!?])$", "$1.");
    }

    private static double score(String sentence, Map<String, Integer> frequency) {
        List<String> words = Words.of(sentence);
        double sum = 0;
        for (String w : words)
            sum += frequency.getOrDefault(Words.stem(w), 0) - 1; // a word only this sentence has adds nothing
        return words.isEmpty() ? 0 : sum / Math.sqrt(words.size());
    }
}
