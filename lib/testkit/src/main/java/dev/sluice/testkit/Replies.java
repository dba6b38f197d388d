package dev.sluice.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake model's answer to a conversation: what the last user message asks for, with the turns
 * before it in mind. The first rule that applies wins: a name asked for (from an earlier turn) or
 * given; thanks; a follow-up on the previous answer (the same code in another language, shorter,
 * more, what was asked); code in the language asked for; arithmetic and short facts; a table; a
 * list; a long article; else the stored answers of {@link Answers}. Pure functions of the turns
 * and the seed.
 */
final class Replies {
    private Replies() {}

    private static final Pattern NAME_GIVEN = Pattern.compile(
            "(?:\\bmy name is|\\bmy name's|\\bcall me|\\bi'm|\\bi am)\\s+(\\p{Lu}[\\p{L}'-]+)|(?i:\\bmy name is)\\s+(\\p{L}[\\p{L}'-]+)");
    private static final Pattern NAME_ASKED = Pattern.compile(
            "\\b(?:what(?:'s| is) my name|do you (?:know|remember) my name|who am i)\\b");
    private static final Pattern THANKS = Pattern.compile("^\\W*(?:thanks|thank you|thx|cheers|great, thanks)\\b");
    private static final Pattern ASKED_BEFORE = Pattern.compile(
            "\\bwhat (?:did i (?:just )?ask|was my (?:last |previous |first )?question)\\b");
    private static final Pattern SHORTER = Pattern.compile("\\b(?:shorter|summari[sz]e|summary|tl;?dr|in short|one sentence|briefly)\\b");
    private static final Pattern MORE = Pattern.compile(
            "^\\W*(?:more|tell me more|go on|continue|elaborate|why|explain (?:that|it|more)|and then|details|another example)\\b");
    private static final Pattern ARITHMETIC = Pattern.compile("(-?\\d{1,9}(?:\\.\\d+)?)\\s*([-+*/x×÷])\\s*(-?\\d{1,9}(?:\\.\\d+)?)");
    private static final Pattern CAPITAL = Pattern.compile("\\bcapital of ([\\p{L} ]+?)\\s*[?.!]*$");
    private static final Pattern TABLE = Pattern.compile("\\b(?:table|compare|comparison|versus|vs\\.?|difference between)\\b");
    private static final Pattern LIST = Pattern.compile("\\b(?:list|ideas|tips|ways to|bullet points|top \\d+|give me \\d+)\\b");
    private static final Pattern ARTICLE = Pattern.compile(
            "\\b(?:article|essay|blog post|in detail|in depth|long answer|deep dive|explain how .* works)\\b");
    private static final Pattern CODE_WORDS = Pattern.compile(
            "\\b(?:code|function|program|script|snippet|implement|implementation|write a|show me how to)\\b");
    private static final Pattern SENTENCE = Pattern.compile("[^.!?]+[.!?]+");
    private static final Pattern SUBJECT = Pattern.compile("(?i).*\\b(?:about|on|for|of)\\s+(.+)$");

    /**
     * {@return the answer to the last user message of a conversation}
     *
     * @param prompt the last user message's text
     * @param turns the conversation, the last user message included (or empty when unknown)
     * @param seed the server's seed, for the stored answers' choice
     */
    static String answer(String prompt, List<FakeRequest.Turn> turns, long seed) {
        List<FakeRequest.Turn> history = history(prompt, turns);
        String lower = prompt.toLowerCase(Locale.ROOT).strip();
        String name = nameIn(history);

        if (NAME_ASKED.matcher(lower).find()) {
            return name == null
                    ? "You haven't told me your name yet in this conversation. Tell me, and I'll remember it for the rest of it."
                    : "Your name is " + name + " — you told me earlier in this conversation.";
        }
        Matcher given = NAME_GIVEN.matcher(prompt);
        if (given.find()) {
            String newName = capitalise(given.group(1) != null ? given.group(1) : given.group(2));
            String greeting = "Nice to meet you, " + newName + "! I'll remember your name for the rest of this conversation.";
            String rest = (prompt.substring(0, given.start()) + " " + prompt.substring(given.end())).replaceAll("^[\\s,.!]+|[\\s,]+$", "");
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
        String language = Code.language(lower);
        if (previousAnswer != null) {
            if (language != null && previousAnswer.contains("```") && lower.split("\\s+").length <= 8
                    && Code.task(lower) == null) {
                String task = taskBefore(history);
                return "Here is the same in " + Code.label(language) + ":\n\n" + Code.snippet(language, task == null ? "fibonacci" : task);
            }
            if (SHORTER.matcher(lower).find()) {
                return "In short: " + firstSentence(plain(previousAnswer));
            }
            if (MORE.matcher(lower).find()) {
                String topic = previousQuestion == null ? "that" : Answers.topic(previousQuestion);
                return more(topic, previousAnswer);
            }
        }
        String task = Code.task(lower);
        if (language != null || task != null && CODE_WORDS.matcher(lower).find() || CODE_WORDS.matcher(lower).find() && lower.contains("code")) {
            if ((language == null || language.equals("python")) && (task == null || task.equals("fibonacci"))) {
                return Answers.answer("code", seed); // the long Python Fibonacci article
            }
            return Code.answer(language == null ? "python" : language, task == null ? "fibonacci" : task);
        }
        String fact = fact(lower);
        if (fact != null) return fact;
        if (TABLE.matcher(lower).find()) return table(lower);
        if (LIST.matcher(lower).find() && !lower.contains("checklist")) return list(prompt, seed);
        if (ARTICLE.matcher(lower).find()) {
            String subject = subject(prompt);
            return Articles.article(Answers.topic(subject), Answers.answer(subject, seed));
        }
        return Answers.answer(prompt, seed);
    }

    /** {@return the turns before the last user message; an assistant message after it is a prefill, not an earlier answer} */
    private static List<FakeRequest.Turn> history(String prompt, List<FakeRequest.Turn> turns) {
        if (!turns.isEmpty() && !turns.getLast().user()) turns = turns.subList(0, turns.size() - 1);
        if (!turns.isEmpty() && turns.getLast().user() && turns.getLast().text().strip().equals(prompt.strip())) {
            return turns.subList(0, turns.size() - 1);
        }
        return turns;
    }

    private static String nameIn(List<FakeRequest.Turn> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).user()) continue;
            Matcher m = NAME_GIVEN.matcher(history.get(i).text());
            if (m.find()) return capitalise(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return null;
    }

    private static String last(List<FakeRequest.Turn> history, boolean user) {
        for (int i = history.size() - 1; i >= 0; i--) if (history.get(i).user() == user) return history.get(i).text();
        return null;
    }

    private static String taskBefore(List<FakeRequest.Turn> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).user()) continue;
            String t = Code.task(history.get(i).text().toLowerCase(Locale.ROOT));
            if (t != null) return t;
        }
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

    private static String more(String topic, String previousAnswer) {
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(plain(previousAnswer));
        while (m.find()) sentences.add(m.group().strip());
        StringBuilder sb = new StringBuilder("Happy to go further on " + topic + ". The key points of my last answer, one by one:\n\n");
        for (int i = 0; i < Math.min(5, sentences.size()); i++) sb.append(i + 1).append(". ").append(sentences.get(i)).append('\n');
        return sb.append("\nIf one of them is what you're after, ask about it and I'll expand on that part.").toString();
    }

    private static final Map<String, String> CAPITALS = Map.ofEntries(Map.entry("france", "Paris"),
            Map.entry("germany", "Berlin"), Map.entry("italy", "Rome"), Map.entry("spain", "Madrid"),
            Map.entry("portugal", "Lisbon"), Map.entry("japan", "Tokyo"), Map.entry("china", "Beijing"),
            Map.entry("canada", "Ottawa"), Map.entry("australia", "Canberra"), Map.entry("brazil", "Brasília"),
            Map.entry("the united kingdom", "London"), Map.entry("united kingdom", "London"), Map.entry("england", "London"),
            Map.entry("the united states", "Washington, D.C."), Map.entry("united states", "Washington, D.C."),
            Map.entry("usa", "Washington, D.C."), Map.entry("india", "New Delhi"), Map.entry("egypt", "Cairo"),
            Map.entry("kenya", "Nairobi"), Map.entry("mexico", "Mexico City"), Map.entry("norway", "Oslo"),
            Map.entry("sweden", "Stockholm"), Map.entry("switzerland", "Bern"), Map.entry("turkey", "Ankara"));

    private static final Map<Pattern, String> FACTS = new LinkedHashMap<>();

    static {
        FACTS.put(Pattern.compile("\\bspeed of light\\b"), "About 299,792 kilometres per second in a vacuum (exactly 299,792,458 m/s).");
        FACTS.put(Pattern.compile("\\bboil(?:ing point|s)?\\b.*\\bwater\\b|\\bwater\\b.*\\bboil"),
                "Water boils at 100 °C (212 °F) at sea level; higher up, where the air pressure is lower, it boils at less.");
        FACTS.put(Pattern.compile("\\b(?:tallest|highest) mountain\\b"),
                "Mount Everest, at 8,849 metres above sea level.");
        FACTS.put(Pattern.compile("\\b(?:largest|biggest) ocean\\b"), "The Pacific, which covers about a third of Earth's surface.");
        FACTS.put(Pattern.compile("\\bhow many days\\b.*\\byear\\b"), "365 — and 366 in a leap year.");
        FACTS.put(Pattern.compile("\\bhow many continents\\b"),
                "Seven, by the most common count: Africa, Antarctica, Asia, Australia, Europe, North America and South America.");
        FACTS.put(Pattern.compile("\\bwho wrote hamlet\\b"), "William Shakespeare, around 1600.");
        FACTS.put(Pattern.compile("\\bwhen (?:was|did) java\\b"), "Java 1.0 was released by Sun Microsystems in January 1996.");
        FACTS.put(Pattern.compile("\\bwhat (?:is|does) sse\\b|\\bwhat are server-sent events\\b"),
                "Server-Sent Events: a server keeps an HTTP response open and writes `event:`/`data:` lines to it; "
                + "the browser's `EventSource` reads them and reconnects by itself with `Last-Event-ID`.");
    }

    private static String fact(String lower) {
        Matcher a = ARITHMETIC.matcher(lower);
        if (a.find() && (lower.contains("what") || lower.contains("calculate") || lower.contains("how much") || lower.matches("[-+*/x×÷\\d.\\s=?]+"))) {
            double x = Double.parseDouble(a.group(1));
            double y = Double.parseDouble(a.group(3));
            String op = a.group(2);
            Double r = switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*", "x", "×" -> x * y;
                default -> y == 0 ? null : x / y;
            };
            String shown = switch (op) { case "*", "x" -> "×"; case "/" -> "÷"; default -> op; };
            if (r == null) return "Dividing by zero has no answer: the result is undefined.";
            return a.group(1) + " " + shown + " " + a.group(3) + " = " + number(r) + ".";
        }
        Matcher c = CAPITAL.matcher(lower);
        if (c.find()) {
            String country = c.group(1).strip();
            String capital = CAPITALS.get(country);
            if (capital != null) return "The capital of " + capitalise(country) + " is " + capital + ".";
        }
        for (Map.Entry<Pattern, String> f : FACTS.entrySet()) if (f.getKey().matcher(lower).find()) return f.getValue();
        return null;
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    }

    private static String table(String lower) {
        if (lower.contains("python") || lower.contains("java") || lower.contains("rust") || lower.contains("language")) {
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
        if (lower.contains("coffee") || lower.contains("espresso") || lower.contains("latte")) {
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

    /** {@return what a request is about: the words after its last "about", "on" or "for", else the whole prompt} */
    private static String subject(String prompt) {
        Matcher m = SUBJECT.matcher(prompt);
        return m.find() ? m.group(1) : prompt;
    }

    private static String list(String prompt, long seed) {
        String subject = subject(prompt);
        String topic = Answers.topic(subject);
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(plain(Answers.answer(subject, seed)));
        while (m.find()) sentences.add(m.group().strip());
        StringBuilder sb = new StringBuilder("Here are a few points about " + topic + ":\n\n");
        for (String s : sentences) sb.append("- ").append(s).append('\n');
        return sb.append("\nWant me to go deeper into any of them?").toString();
    }
}
