package dev.sluice.demo;

import dev.sluice.testkit.spi.Turn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fake model's answer to a conversation: what the last user message asks for, with the turns
 * before it in mind, or an honest "I can't answer that". The first rule that applies wins: a
 * name asked for (from an earlier turn) or given; thanks; what was asked before; a greeting or
 * small talk; a poem, a joke or a summary of a pasted text ({@link Creative}); a follow-up on the
 * previous answer ({@link FollowUps}); code for a task it knows ({@link Code}); a language or
 * task it does not know; arithmetic and short facts; a table; a list, an article or an answer on
 * a topic it knows ({@link Topics}); a Markdown sample; else the stand-in's answer
 * ({@link Answers#standIn}). Pure functions of the turns and the seed.
 */
public final class Replies {
    private Replies() {}

    private static final Pattern NAME_GIVEN = Pattern.compile(
            "(?:\\bmy name is|\\bmy name's|\\bcall me|\\bi'm|\\bi am)\\s+(\\p{Lu}[\\p{L}'-]+)|(?i:\\bmy name is)\\s+(\\p{L}[\\p{L}'-]+)");
    private static final Pattern NAME_ASKED =
            Pattern.compile("\\b(?:what(?:'s| is) my name|do you (?:know|remember) my name|who am i)\\b");
    private static final Pattern THANKS = Pattern.compile("^\\W*(?:thanks|thank you|thx|cheers|great, thanks)\\b");
    private static final Pattern ASKED_BEFORE =
            Pattern.compile("\\bwhat (?:did i (?:just )?ask|was my (?:last |previous |first )?question)\\b");
    private static final Pattern GREETING = Pattern.compile(
            "^\\W*(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening)|bonjour|hola|hallo)(?: there| all| everyone)?\\b(?![\\s,]*world)[\\s,!.:;-]*");
    private static final Pattern INTRO =
            Pattern.compile("\\b(?:who|what) are you\\b|\\bwhat can you do\\b|\\bwhat do you know\\b"
                    + "|\\bwhat can i ask\\b|^\\W*help\\W*$|\\bintroduce yourself\\b");
    private static final Pattern NEVER_MIND =
            Pattern.compile("^\\W*(?:never ?mind|nvm|forget it|no worries|cancel that)\\b");
    private static final Pattern HOW_ARE_YOU = Pattern.compile("^\\W*(?:how are you|how's it going|how are things)\\b");
    private static final Pattern ACK =
            Pattern.compile("^\\W*(?:ok|okay|cool|nice|great|got it|i see|awesome|perfect)\\W*$");
    private static final Pattern ARITHMETIC =
            Pattern.compile("(-?\\d{1,9}(?:\\.\\d+)?)\\s*([-+*/x×÷])\\s*(-?\\d{1,9}(?:\\.\\d+)?)");
    private static final Pattern CAPITAL = Pattern.compile("\\bcapital of ([\\p{L} ]+?)\\s*[?.!]*$");
    private static final Pattern TABLE =
            Pattern.compile("\\b(?:table|compare|comparison|versus|vs\\.?|differences? between)\\b");
    private static final Pattern LIST =
            Pattern.compile("\\b(?:list|lists|tips|ways to|bullet points|key points|top \\d+|give me \\d+)\\b");
    private static final Pattern MARKDOWN = Pattern.compile("\\bmarkdown\\b");
    private static final Pattern CHECKLIST =
            Pattern.compile("\\b(?:release checklist|checklist for (?:a |the )?release)\\b");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?]+[.!?]+");

    /**
     * {@return the answer to the last user message of a conversation}
     *
     * @param prompt the last user message's text
     * @param turns the conversation, the last user message included (or empty when unknown)
     * @param seed the server's seed, for the choices among texts (a sample, a haiku, a joke)
     */
    public static String answer(String prompt, List<Turn> turns, long seed) {
        List<Turn> history = history(prompt, turns);
        String lower = normalise(prompt);
        String name = nameIn(history);

        if (NAME_ASKED.matcher(lower).find()) {
            return name == null
                    ? "You haven't told me your name yet in this conversation. Tell me, and I'll remember it for the rest of it."
                    : "Your name is " + name + " — you told me earlier in this conversation.";
        }
        Matcher given = NAME_GIVEN.matcher(prompt);
        if (given.find()) {
            String newName = capitalise(given.group(1) != null ? given.group(1) : given.group(2));
            String greeting =
                    "Nice to meet you, " + newName + "! I'll remember your name for the rest of this conversation.";
            String rest = (prompt.substring(0, given.start()) + " " + prompt.substring(given.end()))
                    .replaceAll("^[\\s,.!]+|[\\s,]+$", "");
            rest = GREETING.matcher(normalise(rest)).replaceFirst("");
            if (rest.split("\\s+").length >= 3) return greeting + "\n\n" + answer(rest, List.of(), seed);
            return greeting + " What would you like to talk about?";
        }
        if (THANKS.matcher(lower).find()) {
            return "You're welcome" + (name == null ? "" : ", " + name) + "! Is there anything else I can help with?";
        }
        String previousAnswer = last(history, false);
        String previousQuestion = last(history, true);
        if (previousQuestion != null && ASKED_BEFORE.matcher(lower).find()) {
            return "You asked: “" + previousQuestion.strip() + "”";
        }
        String greeted = GREETING.matcher(lower).replaceFirst("");
        if (greeted.isBlank() || INTRO.matcher(lower).find()) return Answers.GREETING;
        lower = greeted;
        if (NEVER_MIND.matcher(lower).find()) return "No problem. Ask me something else whenever you like.";
        if (HOW_ARE_YOU.matcher(lower).find())
            return "I'm a fake model, so I'm always fine, thank you! What can I do for you?";
        if (ACK.matcher(lower).find()) return "Glad that helped. What would you like next?";

        String creative = Creative.answer(prompt, lower, seed);
        if (creative != null) return creative;
        String followUp = FollowUps.answer(lower, history, previousAnswer);
        if (followUp != null) return followUp;

        FollowUps.Form form = FollowUps.form(lower);
        FollowUps.Subject subject = FollowUps.subject(lower);
        if (subject != null && subject.task() != null) return FollowUps.render(subject, form, lower, null, false);
        String code = codeWeCannotWrite(lower);
        if (code != null) return code;
        String fact = fact(lower);
        if (fact != null) return fact;
        if (RECIPE.matcher(lower).find()) {
            Recipes.Recipe recipe = Recipes.find(lower);
            if (recipe != null) return recipe(recipe);
        }
        if (TABLE.matcher(lower).find()) {
            String table = table(lower);
            if (table != null) return table;
        }
        if (subject != null) {
            if (LIST.matcher(lower).find())
                return list(Objects.requireNonNull(subject.topic(), "a subject without a task has a topic"));
            return FollowUps.render(subject, form, lower, null, false);
        }
        if (MARKDOWN.matcher(lower).find()) return Answers.MARKDOWN;
        if (CHECKLIST.matcher(lower).find()) return Answers.RELEASE_CHECKLIST;
        return Answers.standIn(prompt, seed);
    }

    private static final Pattern RECIPE = Pattern.compile("\\brecipes?\\b");

    /** {@return a stored recipe in Markdown: what it is, its figures, the ingredients, the steps and the tip} */
    static String recipe(Recipes.Recipe r) {
        StringBuilder sb = new StringBuilder("## ").append(r.title()).append("\n\n");
        if (r.description() != null && !r.description().isEmpty())
            sb.append(r.description()).append("\n\n");
        sb.append("*Serves ")
                .append(r.servings())
                .append(" · ")
                .append(r.prep())
                .append(" min preparation · ")
                .append(r.cook())
                .append(" min cooking · ")
                .append(r.difficulty())
                .append("*\n\n### Ingredients\n\n");
        for (Recipes.Ingredient i : r.ingredients())
            sb.append("- ").append(i.text()).append('\n');
        sb.append("\n### Steps\n\n");
        for (int i = 0; i < r.steps().size(); i++)
            sb.append(i + 1).append(". ").append(r.steps().get(i)).append('\n');
        if (r.tip() != null && !r.tip().isEmpty())
            sb.append("\n> Tip: ").append(r.tip()).append('\n');
        return sb.toString();
    }

    /** {@return the honest answer to a request for code the model does not have, or null when it is not one} */
    private static @Nullable String codeWeCannotWrite(String lower) {
        String other = Code.otherLanguage(lower);
        boolean asksForCode = Code.CODE_WORDS.matcher(lower).find() || Code.task(lower) != null;
        if (other != null && (asksForCode || !Topics.named(lower))) {
            return Answers.standIn(
                    "write code only in " + Code.labels() + ", not in " + capitalise(other),
                    "Ask for one of my " + Code.TASKS.size()
                            + " programs, such as Fibonacci, FizzBuzz or binary search, or set " + Answers.REAL_MODEL,
                    Answers.SAMPLE,
                    Answers.SHORT_CODE);
        }
        if (asksForCode && !Topics.named(lower)) {
            return Answers.standIn(
                    "can't write that program",
                    "Ask for one of my " + Code.TASKS.size()
                            + " programs, such as Fibonacci, FizzBuzz or binary search, in " + Code.labels()
                            + ", or set " + Answers.REAL_MODEL,
                    Answers.SAMPLE,
                    Answers.SHORT_CODE);
        }
        return null;
    }

    /** {@return a prompt in lower case, with typographic apostrophes made plain} */
    static String normalise(String prompt) {
        return prompt.toLowerCase(Locale.ROOT).replace('’', '\'').strip();
    }

    /** {@return the turns before the last user message; an assistant message after it is a prefill, not an earlier answer} */
    private static List<Turn> history(String prompt, List<Turn> turns) {
        if (!turns.isEmpty() && !turns.getLast().user()) turns = turns.subList(0, turns.size() - 1);
        if (!turns.isEmpty()
                && turns.getLast().user()
                && turns.getLast().text().strip().equals(prompt.strip())) {
            return turns.subList(0, turns.size() - 1);
        }
        return turns;
    }

    private static @Nullable String nameIn(List<Turn> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).user()) continue;
            Matcher m = NAME_GIVEN.matcher(history.get(i).text());
            if (m.find()) return capitalise(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return null;
    }

    private static @Nullable String last(List<Turn> history, boolean user) {
        for (int i = history.size() - 1; i >= 0; i--)
            if (history.get(i).user() == user) return history.get(i).text();
        return null;
    }

    private static String capitalise(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** {@return Markdown reduced to its sentences: no code, headings, emphasis or table rows} */
    static String plain(String markdown) {
        String noCode = markdown.replaceAll("(?s)```.*?```", " ");
        StringBuilder sb = new StringBuilder();
        for (String line : noCode.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("|") || l.startsWith(">")) continue;
            l = l.replaceAll("^#+\\s*|^[-*]\\s+|^\\d+\\.\\s+", "").replaceAll("[*_`]", "");
            sb.append(l).append(l.matches(".*[.!?:]$") ? " " : ". ");
        }
        return sb.toString().strip();
    }

    static String firstSentence(String text) {
        Matcher m = SENTENCE.matcher(text);
        return m.find() ? m.group().strip() : text;
    }

    private static final Map<String, String> CAPITALS = Map.ofEntries(
            Map.entry("france", "Paris"),
            Map.entry("germany", "Berlin"),
            Map.entry("italy", "Rome"),
            Map.entry("spain", "Madrid"),
            Map.entry("portugal", "Lisbon"),
            Map.entry("japan", "Tokyo"),
            Map.entry("china", "Beijing"),
            Map.entry("canada", "Ottawa"),
            Map.entry("australia", "Canberra"),
            Map.entry("brazil", "Brasília"),
            Map.entry("the united kingdom", "London"),
            Map.entry("united kingdom", "London"),
            Map.entry("england", "London"),
            Map.entry("the united states", "Washington, D.C."),
            Map.entry("united states", "Washington, D.C."),
            Map.entry("usa", "Washington, D.C."),
            Map.entry("india", "New Delhi"),
            Map.entry("egypt", "Cairo"),
            Map.entry("kenya", "Nairobi"),
            Map.entry("mexico", "Mexico City"),
            Map.entry("norway", "Oslo"),
            Map.entry("sweden", "Stockholm"),
            Map.entry("switzerland", "Bern"),
            Map.entry("turkey", "Ankara"));

    private static final Map<Pattern, String> FACTS = new LinkedHashMap<>();

    static {
        FACTS.put(
                Pattern.compile("\\bspeed of light\\b"),
                "About 299,792 kilometres per second in a vacuum (exactly 299,792,458 m/s).");
        FACTS.put(
                Pattern.compile("\\bboil(?:ing point|s)?\\b.*\\bwater\\b|\\bwater\\b.*\\bboil"),
                "Water boils at 100 °C (212 °F) at sea level; higher up, where the air pressure is lower, it boils at less.");
        FACTS.put(
                Pattern.compile("\\b(?:tallest|highest) mountain\\b"),
                "Mount Everest, at 8,849 metres above sea level.");
        FACTS.put(
                Pattern.compile("\\b(?:largest|biggest) ocean\\b"),
                "The Pacific, which covers about a third of Earth's surface.");
        FACTS.put(Pattern.compile("\\bhow many days\\b.*\\byear\\b"), "365 — and 366 in a leap year.");
        FACTS.put(
                Pattern.compile("\\bhow many continents\\b"),
                "Seven, by the most common count: Africa, Antarctica, Asia, Australia, Europe, North America and South America.");
        FACTS.put(Pattern.compile("\\bwho wrote hamlet\\b"), "William Shakespeare, around 1600.");
        FACTS.put(
                Pattern.compile("\\bwhen (?:was|did) java\\b"),
                "Java 1.0 was released by Sun Microsystems in January 1996.");
    }

    private static @Nullable String fact(String lower) {
        Matcher a = ARITHMETIC.matcher(lower);
        if (a.find()
                && (lower.contains("what")
                        || lower.contains("calculate")
                        || lower.contains("how much")
                        || lower.matches("[-+*/x×÷\\d.\\s=?]+"))) {
            double x = Double.parseDouble(a.group(1));
            double y = Double.parseDouble(a.group(3));
            String op = a.group(2);
            Double r = switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*", "x", "×" -> x * y;
                default -> y == 0 ? null : x / y;
            };
            String shown = switch (op) {
                case "*", "x" -> "×";
                case "/" -> "÷";
                default -> op;
            };
            if (r == null) return "Dividing by zero has no answer: the result is undefined.";
            return a.group(1) + " " + shown + " " + a.group(3) + " = " + number(r) + ".";
        }
        Matcher c = CAPITAL.matcher(lower);
        if (c.find()) {
            String country = c.group(1).strip();
            String capital = CAPITALS.get(country);
            if (capital != null) return "The capital of " + capitalise(country) + " is " + capital + ".";
        }
        for (Map.Entry<Pattern, String> f : FACTS.entrySet())
            if (f.getKey().matcher(lower).find()) return f.getValue();
        return null;
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    }

    /** {@return a table comparing what the prompt names, or null when the model has no table on it} */
    private static @Nullable String table(String lower) {
        if (Pattern.compile("\\b(?:python|java|rust|languages?)\\b")
                .matcher(lower)
                .find()) {
            return """
                    Here is how the three compare at a glance:

                    | | Python | Java | Rust |
                    |---|---|---|---|
                    | Typing | dynamic | static | static |
                    | Memory | garbage collected | garbage collected | ownership, no GC |
                    | Start-up | fast | slower (JIT warms up) | fast |
                    | Concurrency | asyncio, threads (GIL) | virtual threads | async, threads |
                    | Typical use | scripts, data, ML | services, enterprise | systems, tools |

                    None is best everywhere: pick the one your team knows and the problem suits.""";
        }
        if (Pattern.compile("\\b(?:coffee|espresso|latte|cappuccino|flat white)s?\\b")
                .matcher(lower)
                .find()) {
            return """
                    The classic espresso drinks, side by side:

                    | Drink | Espresso | Milk | Foam |
                    |---|---|---|---|
                    | Espresso | 1 shot | — | — |
                    | Cappuccino | 1 shot | a little | a thick layer |
                    | Latte | 1 shot | a lot | a thin layer |
                    | Flat white | 2 shots | some | microfoam |

                    A cappuccino tastes stronger than a latte because it has less milk for the same coffee. ☕""";
        }
        if (!Pattern.compile(
                        "\\b(?:sse|server-sent events?|websockets?|web sockets?|long polling|polling|eventsource)\\b")
                .matcher(lower)
                .find()) {
            return null;
        }
        return """
                Here is how the ways of pushing data to a browser compare:

                | | Server-Sent Events | WebSocket | Long polling |
                |---|---|---|---|
                | Direction | server → browser | both ways | server → browser |
                | Protocol | plain HTTP | its own, after an upgrade | plain HTTP |
                | Reconnects | built in (`Last-Event-ID`) | by hand | by hand |
                | Binary data | no | yes | yes |
                | Good for | model output, feeds | chat, games | old browsers |

                For streaming a model's answer, SSE is usually the simplest choice that works.""";
    }

    /** {@return a topic as a list: its answer and details, a point a line} */
    private static String list(Topics.Topic topic) {
        StringBuilder sb = new StringBuilder("Here are a few points about " + topic.name() + ":\n\n");
        Matcher m = SENTENCE.matcher(plain(topic.longer()));
        while (m.find()) sb.append("- ").append(m.group().strip()).append('\n');
        return sb.append("\nWant me to go deeper into any of them?").toString();
    }
}
