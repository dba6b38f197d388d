package dev.sluice.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fake model's texts, read from this package's resources: a file of entries, each starting
 * with a {@code === ID} line (optionally {@code | key: value} pairs after the id), then
 * {@code key: value} lines, then texts, each after a {@code --- KIND} line. Lines starting with
 * {@code #} before the first entry are comments.
 */
final class Texts {
    private Texts() {}

    /**
     * One entry of a file.
     *
     * @param id what follows {@code ===}
     * @param fields the {@code key: value} pairs of its header and the lines after it
     * @param texts its texts by kind (or under {@code ""} when it has no {@code ---} line), without blank
     *     lines around them
     */
    record Entry(String id, Map<String, String> fields, Map<String, String> texts) {
        /** {@return a field, or {@code fallback} when the entry has none} */
        String field(String key, String fallback) {
            return fields.getOrDefault(key, fallback);
        }

        /** {@return a field, or null when the entry has none} */
        @Nullable
        String field(String key) {
            return fields.get(key);
        }

        /**
         * {@return a text the entry must have}
         *
         * @throws IllegalStateException if it has none (a broken build)
         */
        String text(String kind) {
            String text = texts.get(kind);
            if (text == null)
                throw new IllegalStateException("the fake model's entry " + id + " has no " + kind + " text");
            return text;
        }

        /** {@return a text of the entry, or null when it has none} */
        @Nullable
        String optionalText(String kind) {
            return texts.get(kind);
        }
    }

    /**
     * {@return the entries of a resource of this package, in order}
     *
     * @throws IllegalStateException if the resource is missing (a broken build)
     */
    static List<Entry> read(String resource) {
        String content;
        try (InputStream in = Texts.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the fake model's texts are missing: " + resource);
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> entries = new ArrayList<>();
        String id = null;
        Map<String, String> fields = new LinkedHashMap<>(); // the current entry's, used once id is set
        Map<String, String> texts = new LinkedHashMap<>();
        String kind = null;
        StringBuilder text = new StringBuilder();
        for (String line : content.split("\n", -1)) {
            if (line.startsWith("=== ") || line.startsWith("--- ")) {
                if (id != null && kind != null) texts.put(kind, trimLines(text));
                text.setLength(0);
                if (line.startsWith("=== ")) {
                    if (id != null) entries.add(new Entry(id, fields, texts));
                    String[] parts = line.substring(4).split(" \\| ");
                    id = parts[0].strip();
                    fields = new LinkedHashMap<>();
                    texts = new LinkedHashMap<>();
                    for (int i = 1; i < parts.length; i++) field(parts[i], fields);
                    kind = null;
                } else {
                    kind = line.substring(4).strip();
                }
            } else if (id != null && kind == null && !line.isBlank() && line.matches("[a-z]+: .*")) {
                field(line, fields);
            } else if (id != null) {
                if (kind == null) kind = "";
                text.append(line).append('\n');
            }
        }
        if (id != null) {
            if (kind != null) texts.put(kind, trimLines(text));
            entries.add(new Entry(id, fields, texts));
        }
        return entries;
    }

    /** {@return the text without its blank first and last lines; the first line's indentation stays} */
    private static String trimLines(CharSequence text) {
        return text.toString().replaceAll("^(?:[ \\t]*\n)+", "").stripTrailing();
    }

    private static void field(String pair, Map<String, String> fields) {
        int colon = pair.indexOf(':');
        fields.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
    }
}
