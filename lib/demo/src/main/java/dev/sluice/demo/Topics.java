package dev.sluice.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the fake model can explain: the topics of {@code topics.txt}, each with an answer, a short
 * version, more detail, an example and sometimes a haiku. A prompt gets a topic when the topic's
 * keys match it and every other meaningful word of the prompt is one the topic's texts use.
 */
public final class Topics {
    private Topics() {}

    /**
     * One topic.
     *
     * @param name how answers refer to it ("rivers and how they shape the land")
     * @param keys what selects it, whole words of the lower-case prompt
     * @param known the stems of every word its texts use, and of its {@code also:} words
     * @param haiku a haiku about it, or null
     * @param listed whether the model names it among what it can talk about
     */
    public record Topic(
            String id,
            String name,
            Pattern keys,
            Set<String> known,
            String answer,
            String brief,
            String more,
            String example,
            @Nullable String haiku,
            boolean listed) {

        /** {@return the answer with its details after it} */
        String longer() {
            return answer + "\n\n" + more;
        }

        /** {@return a long article: the answer, how it works, an example, the short version} */
        String article() {
            String title = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            return "# " + title + "\n\n" + answer + "\n\n## How it works\n\n" + more + "\n\n## An example\n\n" + example
                    + "\n\n## In short\n\n" + brief + "\n";
        }

        /** {@return whether this topic's keys and words cover the lower-case prompt} */
        boolean covers(String lower) {
            return keys.matcher(lower).find()
                    && Words.unknown(lower, keys, known).isEmpty();
        }
    }

    static final List<Topic> ALL = load();

    private static List<Topic> load() {
        List<Topic> out = new ArrayList<>();
        for (Texts.Entry e : Texts.read("topics.txt")) {
            Pattern keys =
                    Pattern.compile("\\b(?:" + e.field("keys", e.id()) + ")\\b", Pattern.UNICODE_CHARACTER_CLASS);
            Set<String> known = Words.stems(
                    e.field("name", ""),
                    e.field("also", ""),
                    e.text("answer"),
                    e.text("short"),
                    e.text("more"),
                    e.text("example"),
                    e.optionalText("haiku"));
            out.add(new Topic(
                    e.id(),
                    e.field("name", e.id()),
                    keys,
                    known,
                    e.text("answer"),
                    e.text("short"),
                    e.text("more"),
                    e.text("example"),
                    e.optionalText("haiku"),
                    !e.field("listed", "yes").equals("no")));
        }
        return List.copyOf(out);
    }

    /** {@return the topic that covers a lower-case prompt, or null} The first in the file's order wins. */
    static @Nullable Topic find(String lower) {
        for (Topic t : ALL) if (t.covers(lower)) return t;
        return null;
    }

    /** {@return whether a lower-case prompt names a topic at all, covered or not} */
    static boolean named(String lower) {
        return mentioned(lower) != null;
    }

    /** {@return the first topic a lower-case prompt names, covered or not, or null} */
    static @Nullable Topic mentioned(String lower) {
        for (Topic t : ALL) if (t.keys().matcher(lower).find()) return t;
        return null;
    }

    /** {@return the topic with this id} @throws IllegalArgumentException if there is none */
    public static Topic byId(String id) {
        for (Topic t : ALL) if (t.id().equals(id)) return t;
        throw new IllegalArgumentException("no topic " + id);
    }

    /** {@return the topics that have a haiku} */
    static List<Topic> withHaiku() {
        return ALL.stream().filter(t -> t.haiku() != null).toList();
    }
}
