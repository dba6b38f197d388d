package dev.sluice.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the fake model reads a prompt: words, their stems, and which of them carry meaning. A topic
 * answers a prompt only when every meaningful word of the prompt is one its texts use, so that a
 * question about something it has no text for gets the honest fallback rather than a confident
 * answer to another question.
 */
final class Words {
    private Words() {}

    private static final Pattern WORD = Pattern.compile("\\p{L}+(?:['’]\\p{L}+)?|\\p{N}+");

    /**
     * Words that carry no subject: function words, and the framing of a request ("tell me about",
     * "in detail", "a long article"). Ignored when a prompt is held against a topic's words.
     */
    private static final Set<String> FRAMING =
            Set.copyOf(List.of(("a an the and or but nor of to in on at for with about from by as into onto "
                            + "over under than then so if not no yes is are was were be been being am do does did doing done have has had "
                            + "i me my mine we us our you your yours it its it's this that these those there there's their they them he she his her "
                            + "what what's whats how how's why why's when where which who whom whose whether can could would should will shall may "
                            + "might must please pls plz tell explain explaining describe show give giving write say talk know want wanna like need "
                            + "let let's make makes made get gets got really actually just some any more most much many very quite simple simply "
                            + "briefly brief short shorter quick quickly little bit lot detail details detailed depth deep dive basics basic overview "
                            + "introduction intro beginner beginners understand mean means meaning thing things stuff plain english terms eli5 "
                            + "i'm i've i'd im ive you're youre year old again also too all each every exactly one two three few couple okay ok "
                            + "hey hi hello thanks thank wonder wondering curious question questions answer someone something way kind "
                            + "article essay blog post long longer guide list tips points bullet top ideas table summary summarise summarize "
                            + "haiku poem example examples instance help happen happens isn't doesn't don't can't won't aren't go going use used using "
                            + "now today well good great best better work works working happen happened happening here up out down off "
                            + "page paragraph sentence sentences word version anything everything nothing same different other another own "
                            + "still even bit again yet maybe perhaps possible possibly advice suggestion suggestions recommend recommendation "
                            + "recommendations five ten")
                    .split(" ")));

    /** {@return the words of a text, lower-case} */
    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group().replace('’', '\''));
        return out;
    }

    /** {@return the stems of all the words of some texts} */
    static Set<String> stems(@Nullable String... texts) {
        Set<String> out = new HashSet<>();
        for (String t : texts) if (t != null) for (String w : of(t)) out.add(stem(w));
        return out;
    }

    /**
     * {@return the words of a lower-case prompt that carry meaning and are not in {@code known}}
     * The parts that {@code consumed} matches (the words that selected a topic or task), framing
     * words, numbers and single letters do not count.
     */
    static List<String> unknown(String lower, Pattern consumed, Set<String> known) {
        String rest = consumed == null ? lower : consumed.matcher(lower).replaceAll(" ");
        List<String> out = new ArrayList<>();
        for (String w : of(rest)) {
            if (w.length() < 2 || Character.isDigit(w.charAt(0)) || FRAMING.contains(w)) continue;
            if (!known.contains(stem(w))) out.add(w);
        }
        return out;
    }

    /** {@return whether a word only frames a request} */
    static boolean framing(String word) {
        return FRAMING.contains(word);
    }

    /**
     * {@return a crude stem of a lower-case word} Enough to make "rivers", "shaped", "shaping"
     * and "shape" meet: a possessive, a plural, "-ing", "-ed", "-ly" and a final "e" go.
     */
    static String stem(String w) {
        if (w.endsWith("'s")) w = w.substring(0, w.length() - 2);
        if (w.length() > 4 && w.endsWith("ies")) w = w.substring(0, w.length() - 3) + "y";
        else if (w.length() > 4 && w.matches(".*(?:ss|sh|ch|x|z)es")) w = w.substring(0, w.length() - 2);
        else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            w = w.substring(0, w.length() - 1);
        }
        if (w.length() > 5 && w.endsWith("ing")) w = w.substring(0, w.length() - 3);
        else if (w.length() > 4 && w.endsWith("ed")) w = w.substring(0, w.length() - 2);
        else if (w.length() > 5 && w.endsWith("ly")) w = w.substring(0, w.length() - 2);
        if (w.length() > 3 && w.endsWith("e")) w = w.substring(0, w.length() - 1);
        return w;
    }
}
