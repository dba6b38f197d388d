package dev.sluice.testkit.internal.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an answer is cut into the deltas a stream sends (its choices drawn with {@link
 * dev.sluice.testkit.spi.Voice#hash}): mechanics the same whatever the text, so a scripted text and a
 * planned one stream alike.
 */
public final class Deltas {
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    private Deltas() {}

    /**
     * Cuts a text into deltas of one to three words, whitespace kept on the following word (as
     * the API does: {@code "Hello"}, {@code " world"}); the chunks joined are exactly the text.
     */
    public static List<String> chunks(String text, Random random) {
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
    public static List<String> fragments(String json, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < json.length(); ) {
            int n = Math.min(2 + random.nextInt(9), json.length() - i);
            if (Character.isHighSurrogate(json.charAt(i + n - 1)) && i + n < json.length()) n++;
            out.add(json.substring(i, i + n));
            i += n;
        }
        return out;
    }
}
