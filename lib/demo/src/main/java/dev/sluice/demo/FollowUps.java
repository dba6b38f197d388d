package dev.sluice.demo;

import dev.sluice.testkit.spi.Turn;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a prompt is about and in what form it wants the answer, and the follow-ups that refer to the
 * previous answer: shorter, longer, an example, why, the same code in another language. A prompt
 * with no subject of its own takes the subject of the conversation's last question that had one.
 */
final class FollowUps {
    private FollowUps() {}

    /** The form of an answer. */
    enum Form {
        NORMAL,
        SHORT,
        LONG,
        ARTICLE,
        EXAMPLE,
        WHY
    }

    /**
     * What the model has texts for: a topic, or a code task in a language.
     *
     * @param chosen whether the prompt named the language (else Python)
     */
    record Subject(
            Topics.@Nullable Topic topic,
            Code.@Nullable Task task,
            @Nullable String language,
            boolean chosen) {
        Subject in(String other) {
            return new Subject(topic, task, other, true);
        }
    }

    private static final Pattern SHORT =
            Pattern.compile("\\b(?:shorter|shorten|more concise|concise|briefer|briefly|too long|"
                    + "tl;?dr|in short|in (?:one|a|two|a few) (?:sentence|line|word)s?|one[- ]liner|sum (?:it|that|this) up|summari[sz]e|"
                    + "summary|short version|quick version|eli5|just the code)\\b");
    private static final Pattern ARTICLE =
            Pattern.compile("\\b(?:articles?|essays?|blog posts?|in depth|in-depth|deep dive|"
                    + "long answer|long explanation|everything about|a long|a longer)\\b");
    private static final Pattern LONG =
            Pattern.compile("\\b(?:longer|more detail(?:s|ed)?|in detail|detailed|tell me more|"
                    + "more about (?:it|that|this)|go on|keep going|continue|elaborate|expand|go deeper|deeper|more please|say more)\\b"
                    + "|^\\W*more\\W*$");
    /** A request for the same answer, longer (rather than for more on it: the details alone). */
    private static final Pattern LONGER =
            Pattern.compile("\\b(?:longer|more detail(?:s|ed)?|in detail|detailed|expand)\\b");

    private static final Pattern EXAMPLE = Pattern.compile(
            "\\b(?:an? example|examples?|for example|for instance|in action|" + "a demo of|concrete)\\b");
    private static final Pattern WHY = Pattern.compile(
            "^\\W*(?:but |and |so )?(?:why|how come|how so)\\b|\\bexplain (?:that|it|this|"
                    + "why|how)\\b|\\bwhat does (?:that|it|this) mean\\b|\\bhow does (?:that|it|this) work\\b|\\bi don'?t (?:get|understand)\\b");
    /** Every phrase that sets a form, and the words of a request for the same in another language. */
    private static final Pattern FOLLOW_UP_WORDS = Pattern.compile(
            SHORT.pattern() + "|" + ARTICLE.pattern() + "|" + LONG.pattern()
                    + "|" + EXAMPLE.pattern() + "|" + WHY.pattern()
                    + "|\\b(?:translate|translated|convert|port|rewrite|instead|same|into|version|one|code|thing|please)\\b");

    /** {@return the form a lower-case prompt asks for} */
    static Form form(String lower) {
        if (SHORT.matcher(lower).find()) return Form.SHORT;
        if (ARTICLE.matcher(lower).find()) return Form.ARTICLE;
        if (LONG.matcher(lower).find()) return Form.LONG;
        if (EXAMPLE.matcher(lower).find()) return Form.EXAMPLE;
        if (WHY.matcher(lower).find()) return Form.WHY;
        return Form.NORMAL;
    }

    /**
     * {@return the subject of a lower-case prompt, or null} A code task wins over a topic; a task
     * or topic the prompt says more about than the model's texts cover is no subject.
     */
    static @Nullable Subject subject(String lower) {
        Code.Task task = Code.task(lower);
        if (task != null) {
            if (Code.otherLanguage(lower) != null || !Code.unknown(lower, task).isEmpty()) return null;
            String language = Code.language(lower);
            return new Subject(null, task, language == null ? "python" : language, language != null);
        }
        Topics.Topic topic = Topics.find(lower);
        return topic == null ? null : new Subject(topic, null, null, false);
    }

    /** {@return whether a lower-case prompt only refers to the previous answer: no word of a subject of its own} */
    static boolean bare(String lower) {
        String rest = Code.languagePattern().matcher(lower).replaceAll(" ");
        return Words.unknown(rest, FOLLOW_UP_WORDS, Set.of()).isEmpty()
                && Code.task(lower) == null
                && !Topics.named(lower);
    }

    /**
     * {@return the subject of the conversation before this prompt: that of the last user message
     * with one, through the follow-ups after it (the last language asked for wins); null when the
     * last question had none}
     */
    static @Nullable Subject previous(List<Turn> history) {
        String language = null;
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).user()) continue;
            String lower = Replies.normalise(history.get(i).text());
            Subject s = subject(lower);
            if (s != null) return language != null && s.task() != null ? s.in(language) : s;
            if (!bare(lower) || lower.isBlank()) return null;
            if (language == null) language = Code.language(lower);
        }
        return null;
    }

    /**
     * {@return the answer to a follow-up on the previous answer, or null when the prompt is not one}
     *
     * @param previousAnswer the last answer, or null
     */
    static @Nullable String answer(String lower, List<Turn> history, @Nullable String previousAnswer) {
        if (previousAnswer == null || !bare(lower)) return null;
        Form form = form(lower);
        String language = Code.language(lower);
        if (form == Form.NORMAL && language == null) return null;
        Subject previous = previous(history);
        boolean translate = language != null && form == Form.NORMAL;
        Code.Task previousTask = previous != null ? previous.task() : null;
        if (language != null && form == Form.NORMAL && previousTask != null) {
            return "Here is the same in " + Code.label(language) + ":\n\n" + Code.snippet(language, previousTask)
                    + "\n\nRun it with `" + Code.run(language, previousTask) + "`.";
        }
        if (previous != null && !translate) return render(previous, form, lower, previousAnswer, true);
        if (form == Form.SHORT) return "In short: " + Replies.firstSentence(Replies.plain(previousAnswer));
        String cannot = translate
                ? "can only put code into another language, and my last answer had none of mine"
                : "have nothing to add to my last answer";
        return Answers.standIn(cannot, Answers.canDo(), Answers.SAMPLE, Answers.SHORT_SAMPLES.getLast());
    }

    /**
     * {@return a subject's text in a form}
     *
     * @param lower the prompt in lower case
     * @param previousAnswer the answer before, for a follow-up: "shorter" is shorter than that one
     * @param followUp whether the prompt refers to the previous answer (else it asked afresh)
     */
    static String render(Subject s, Form form, String lower, @Nullable String previousAnswer, boolean followUp) {
        Code.Task task = s.task();
        if (task != null) return renderCode(s, task, form);
        Topics.Topic t = Objects.requireNonNull(s.topic(), "a subject is a topic or a task");
        if (!followUp) {
            return switch (form) {
                case NORMAL, WHY -> t.answer();
                case SHORT -> t.brief();
                case LONG -> t.longer();
                case ARTICLE -> Articles.article(t);
                case EXAMPLE -> "Here is an example.\n\n" + t.example();
            };
        }
        String previous = Objects.requireNonNull(previousAnswer, "a follow-up has a previous answer");
        Form before = previous.contains(t.more())
                ? (previous.contains("## How it works") ? Form.ARTICLE : Form.LONG)
                : previous.strip().endsWith(t.brief()) ? Form.SHORT : Form.NORMAL;
        return switch (form) {
            case SHORT ->
                switch (before) {
                    case ARTICLE, LONG -> t.answer();
                    case SHORT -> "That is about as short as I can make it: " + t.brief();
                    default -> t.brief();
                };
            case LONG, ARTICLE ->
                switch (before) {
                    case SHORT -> t.answer();
                    case NORMAL ->
                        form == Form.ARTICLE
                                ? Articles.article(t)
                                : LONGER.matcher(lower).find() ? t.longer() : t.more();
                    case LONG -> Articles.article(t);
                    default ->
                        "That is everything I have on " + t.name() + ". In short: " + t.brief()
                                + " Ask me for an example, or about another topic.";
                };
            case EXAMPLE -> "Here is an example.\n\n" + t.example();
            case WHY -> t.more();
            case NORMAL -> t.answer();
        };
    }

    private static String renderCode(Subject s, Code.Task task, Form form) {
        String language = Objects.requireNonNull(s.language(), "a task's subject has a language");
        return switch (form) {
            case NORMAL ->
                task.id().equals("fibonacci") && language.equals("python")
                        ? Answers.FIBONACCI
                        : Code.answer(language, task, s.chosen());
            case SHORT -> "Just the code, in " + Code.label(language) + ":\n\n" + Code.snippet(language, task);
            case LONG, ARTICLE ->
                Code.answer(language, task, s.chosen()) + "\n\n## How it works\n\n" + task.explain()
                        + "\n\n## What it gives\n\n" + task.example();
            case EXAMPLE -> "Here is what it gives for a few inputs:\n\n" + task.example();
            case WHY -> task.explain();
        };
    }
}
