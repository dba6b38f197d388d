package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Voice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The texts the planner writes whatever the {@link Voice}: the thinking, the words before a tool
 * call, the answer to a turn of tool results, and the words of a prompt that a tool's input is
 * made from. Pure functions of the prompt and the seed.
 */
public final class PlannedTexts {
    private PlannedTexts() {}

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
    public static final String TOOL_PREAMBLE = "I'll check that for you.";

    private static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "for", "what", "what's", "whats", "how", "with", "about", "this", "that", "tell", "please",
            "could", "would", "can", "you", "your", "me", "is", "are", "was", "were", "does", "did", "have", "has",
            "from", "into", "when", "where", "which", "who", "why", "some", "there", "their", "them", "give", "show",
            "like");

    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]*");

    /** {@return the stored thinking text for a prompt} */
    public static String thinking(String prompt, long seed) {
        return THINKING.get(Math.floorMod(Voice.hash(prompt, seed) >>> 7, THINKING.size()));
    }

    /** {@return the most telling word of a prompt (a capitalised word past the first, else the longest), or "example"} */
    public static String topicWord(String prompt) {
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
        return candidates.stream()
                .reduce((a, b) -> b.length() > a.length() ? b : a)
                .orElse("example");
    }

    /**
     * {@return the capitalised words of a prompt that do not start a sentence (not stop words, three
     * letters or more), distinct, in order: the names in it}
     */
    public static List<String> capitalisedWords(String prompt) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(prompt);
        int end = 0;
        boolean sentenceStart = true;
        while (m.find()) {
            String between = prompt.substring(end, m.start());
            if (between.contains(".") || between.contains("?") || between.contains("!")) sentenceStart = true;
            String w = m.group();
            if (!sentenceStart
                    && w.length() >= 3
                    && Character.isUpperCase(w.charAt(0))
                    && !STOP_WORDS.contains(w.toLowerCase(Locale.ROOT))
                    && !out.contains(w)) {
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
     * ({@code counted}) are put in words; other results are quoted, briefly: on one line, a long
     * one cut after {@value #QUOTE_LIMIT} characters with an ellipsis.
     */
    public static String fromToolResults(List<String> results) {
        List<String> quoted = new ArrayList<>();
        StringBuilder words = new StringBuilder();
        for (String r : results) {
            String sentence = inWords(r);
            if (sentence == null) quoted.add(brief(r));
            else words.append(words.isEmpty() ? "" : " ").append(sentence);
        }
        if (quoted.isEmpty()) return words.toString();
        StringBuilder sb = new StringBuilder(words)
                .append(words.isEmpty() ? "" : " ")
                .append(quoted.size() == 1 ? "The tool answered: " : "The tools answered: ")
                .append(String.join("; ", quoted));
        boolean ended = sb.toString().matches("(?s).*[.!?…]");
        return sb.append(ended ? " That is all I know." : ". That is all I know.")
                .toString();
    }

    /** The most characters of a tool result the answer quotes. */
    static final int QUOTE_LIMIT = 200;

    private static String brief(String result) {
        String line = result.strip().replaceAll("\\s+", " ");
        if (line.length() <= QUOTE_LIMIT) return line;
        int cut = QUOTE_LIMIT;
        if (Character.isLowSurrogate(line.charAt(cut))) cut--;
        return line.substring(0, cut) + "…";
    }

    private static @Nullable String inWords(String result) {
        JsonNode n;
        try {
            n = Json.parse(result);
        } catch (Exception e) { // not JSON: quoted as it is
            return null;
        }
        if (!n.isObject()) return null;
        if (n.has("city") && n.has("condition") && n.has("celsius")) {
            return "In " + n.path("city").asText() + " it is "
                    + n.path("condition").asText() + " at " + n.path("celsius").asText() + " °C"
                    + (n.has("wind_kmh")
                            ? ", with the wind at " + n.path("wind_kmh").asText() + " km/h."
                            : ".");
        }
        if (n.has("counted") && n.size() == 1)
            return "I counted to " + n.path("counted").asText() + ".";
        return null;
    }
}
