package dev.sluice.internal.low.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random valid JSON documents for the parsers' differential tests, written with varied whitespace
 * and every allowed escape. Two kinds:
 * <ul>
 * <li>{@link #jacksonComparable()}: what Jackson reads as Sluice's parsers do: no repeated member
 *     names, no lone surrogates, a surrogate pair escaped whole or not at all;</li>
 * <li>{@link #any()}: repeated names ({@code "k"}), lone surrogates raw or escaped, and a pair's
 *     halves escaped each on its own: what only Sluice's own parsers are compared on.</li>
 * </ul>
 */
public final class RandomJson {
    private final boolean jacksonComparable;
    private final int maxStringLength;

    private RandomJson(boolean jacksonComparable, int maxStringLength) {
        this.jacksonComparable = jacksonComparable;
        this.maxStringLength = maxStringLength;
    }

    /** {@return documents Jackson reads to the same value as Sluice's parsers} */
    public static RandomJson jacksonComparable() {
        return new RandomJson(true, 40);
    }

    /** {@return documents with repeated names and lone surrogates too} */
    public static RandomJson any() {
        return new RandomJson(false, 30);
    }

    /** {@return a document} */
    public String document(SplittableRandom r) {
        StringBuilder out = new StringBuilder();
        writeValue(r, out, 0);
        return out.toString();
    }

    private void writeValue(SplittableRandom r, StringBuilder out, int depth) {
        ws(r, out);
        switch (depth >= 4 ? 2 + r.nextInt(5) : r.nextInt(7)) {
            case 0 -> {
                out.append('{');
                int members = r.nextInt(5);
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < members; i++) {
                    String key = !jacksonComparable && r.nextInt(5) == 0 ? "k" : randomString(r, 6);
                    if (jacksonComparable && keys.contains(key)) continue;
                    if (!keys.isEmpty()) out.append(',');
                    keys.add(key);
                    ws(r, out);
                    writeString(r, key, out);
                    ws(r, out);
                    out.append(':');
                    writeValue(r, out, depth + 1);
                }
                ws(r, out);
                out.append('}');
            }
            case 1 -> {
                out.append('[');
                int items = r.nextInt(jacksonComparable ? 5 : 7);
                for (int i = 0; i < items; i++) {
                    if (i > 0) out.append(',');
                    writeValue(r, out, depth + 1);
                }
                ws(r, out);
                out.append(']');
            }
            case 2, 3 -> writeString(r, randomString(r, maxStringLength), out);
            case 4 -> out.append(randomNumber(r));
            case 5 -> out.append(List.of("true", "false", "null").get(r.nextInt(3)));
            default -> out.append(r.nextBoolean() ? randomNumber(r) : "\"\"");
        }
        ws(r, out);
    }

    private static void ws(SplittableRandom r, StringBuilder out) {
        while (r.nextInt(4) == 0) out.append(" \t\r\n".charAt(r.nextInt(4)));
    }

    private static String randomNumber(SplittableRandom r) {
        StringBuilder n = new StringBuilder();
        if (r.nextBoolean()) n.append('-');
        switch (r.nextInt(4)) {
            case 0 -> n.append(r.nextInt(10));
            case 1 -> n.append(1 + r.nextInt(9)).append(Math.abs(r.nextLong()));
            case 2 -> n.append(new BigInteger(100, new java.util.Random(r.nextLong())).add(BigInteger.ONE));
            default -> n.append(r.nextInt(1000));
        }
        if (r.nextInt(3) == 0) n.append('.').append(r.nextInt(1000));
        if (r.nextInt(4) == 0) {
            n.append(r.nextBoolean() ? 'e' : 'E');
            if (r.nextBoolean()) n.append(r.nextBoolean() ? '+' : '-');
            n.append(r.nextInt(400));
        }
        return n.toString();
    }

    private String randomString(SplittableRandom r, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = r.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(jacksonComparable ? 8 : 9)) {
                case 0 -> s.append((char) r.nextInt(0x20)); // control characters
                case 1 -> s.append("\"\\/".charAt(r.nextInt(3)));
                case 2 -> s.appendCodePoint(0x10000 + r.nextInt(0xFFFFF)); // a surrogate pair
                case 3 -> s.append((char) (0xA0 + r.nextInt(0xD7FF - 0xA0))); // BMP, no surrogates
                case 8 -> s.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
                default -> s.append((char) (0x20 + r.nextInt(0x5F))); // ASCII
            }
        }
        return s.toString();
    }

    /** Writes s as a JSON string, escaping characters at random in every allowed way. */
    private void writeString(SplittableRandom r, String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean mustEscape = c < 0x20 || c == '"' || c == '\\';
            if (jacksonComparable && Character.isHighSurrogate(c)) {
                // Both halves of a pair escaped, or neither (Jackson rejects a half-escaped pair in a key;
                // PartialJsonTest covers that case on its own).
                char low = s.charAt(++i);
                if (r.nextInt(3) == 0) {
                    out.append(String.format("\\u%04x\\u%04X", (int) c, (int) low));
                } else {
                    out.append(c).append(low);
                }
            } else if (mustEscape || r.nextInt(Character.isSurrogate(c) ? 4 : 6) == 0) {
                String shortForm = shortEscape(c);
                if (shortForm != null && r.nextBoolean()) {
                    out.append(shortForm);
                } else {
                    String hex = String.format("%04x", (int) c);
                    out.append("\\u").append(r.nextBoolean() ? hex : hex.toUpperCase());
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** {@return JSON's two-character escape of {@code c} ({@code \"}, {@code \n}, ...), or null when it has none} */
    public static String shortEscape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '/' -> "\\/";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
        };
    }
}
