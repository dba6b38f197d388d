package dev.sluice.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The structured answer the object-stream benchmarks stream: a catalog of a few thousand entries,
 * each with prose, numbers, nested arrays and a nested object, written as a strict provider writes
 * it (compact, keys in the record's component order), about {@code chars} characters; and the
 * deltas a model streams it in, 2 to 12 characters cut anywhere (inside a key, a number, an escape).
 * Deterministic for a seed. The text is BMP only (accented Latin, CJK, typographic punctuation, and
 * {@code \"}, {@code \n} and <code>&#92;u</code> escapes), so a cut never splits a surrogate pair.
 */
final class StructuredObject {
    /** The object's type. */
    public record Catalog(String title, List<Entry> entries) {}

    /** One entry of the catalog. */
    public record Entry(
            long id,
            String name,
            String summary,
            double rating,
            List<String> tags,
            List<Long> counts,
            Location location,
            boolean active) {}

    /** Where an entry is. */
    public record Location(String city, double lat, double lon) {}

    private static final String[] WORDS = ("the river carves its valley slowly over many thousand years while "
                    + "people build bridges roads and markets along the banks café naïve über déjà-vu 日本語 données "
                    + "— “quoted” ‘words’ stream token delta buffer socket schema partial object value record")
            .split(" ");
    private static final String[] CITIES = {
        "Lyon", "Zürich", "Kyōto", "São Paulo", "Reykjavík", "Oslo", "Montréal", "Kraków"
    };

    private StructuredObject() {}

    /** {@return the catalog's JSON, about {@code chars} characters} */
    static String json(int chars, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(chars + 4096);
        out.append("{\"title\":\"A catalog of ").append(chars).append(" characters\",\"entries\":[");
        for (int id = 0; out.length() < chars - 1200; id++) {
            if (id > 0) out.append(',');
            out.append("{\"id\":").append(100_000 + id).append(",\"name\":\"");
            words(r, out, 2 + r.nextInt(4));
            out.append("\",\"summary\":\"");
            int sentences = 1 + r.nextInt(6);
            for (int s = 0; s < sentences; s++) {
                words(r, out, 8 + r.nextInt(20));
                out.append(
                        switch (r.nextInt(8)) {
                            case 0 -> ".\\n";
                            case 1 -> " \\\"so it goes\\\". ";
                            case 2 -> " \\u00e9t\\u00e9. ";
                            default -> ". ";
                        });
            }
            out.append("\",\"rating\":").append(r.nextInt(5)).append('.').append(r.nextInt(100));
            out.append(",\"tags\":[");
            int tags = r.nextInt(5);
            for (int t = 0; t < tags; t++) {
                if (t > 0) out.append(',');
                out.append('"').append(WORDS[r.nextInt(WORDS.length)]).append('"');
            }
            out.append("],\"counts\":[");
            int counts = r.nextInt(8);
            for (int c = 0; c < counts; c++) {
                if (c > 0) out.append(',');
                out.append(r.nextInt(1_000_000));
            }
            out.append("],\"location\":{\"city\":\"")
                    .append(CITIES[r.nextInt(CITIES.length)])
                    .append("\",\"lat\":")
                    .append(r.nextInt(180) - 90)
                    .append('.')
                    .append(100_000 + r.nextInt(900_000))
                    .append(",\"lon\":")
                    .append(r.nextInt(360) - 180)
                    .append('.')
                    .append(100_000 + r.nextInt(900_000))
                    .append("},\"active\":")
                    .append(r.nextBoolean())
                    .append('}');
        }
        return out.append("]}").toString();
    }

    private static void words(SplittableRandom r, StringBuilder out, int n) {
        for (int w = 0; w < n; w++) {
            if (w > 0) out.append(' ');
            out.append(WORDS[r.nextInt(WORDS.length)]);
        }
    }

    /** {@return the text cut into deltas of 2 to 12 characters, anywhere} */
    static String[] deltas(String text, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(text.length() / 6);
        for (int at = 0; at < text.length(); ) {
            int end = Math.min(text.length(), at + 2 + r.nextInt(11));
            out.add(text.substring(at, end));
            at = end;
        }
        return out.toArray(String[]::new);
    }

    /** {@return the UTF-8 size of the text} */
    static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
