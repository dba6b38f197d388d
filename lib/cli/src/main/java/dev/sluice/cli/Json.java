package dev.sluice.cli;

import java.util.List;
import java.util.Map;

/**
 * The JSON the tool writes by hand: a string literal, escaped exactly, and a value of the JSON
 * value model ({@code Map<String, ?>} in its order, {@code List}, {@code String}, numbers,
 * {@code Boolean}, null), compact or indented as {@code jq} prints it.
 */
final class Json {
    private Json() {}

    /**
     * {@return {@code value} as JSON text: compact (no whitespace), or indented by two spaces with
     * {@code "name": value} and one member or element a line, empty objects and arrays as
     * {@code {}} and {@code []}}
     *
     * @throws IllegalArgumentException for a value outside the value model
     */
    static String write(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, pretty ? 0 : -1);
        return sb.toString();
    }

    /** @param depth the indentation level, or -1 for compact */
    private static void write(Object value, StringBuilder sb, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case CharSequence s -> appendString(sb, s.toString());
            case Boolean b -> sb.append(b);
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                int inner = depth < 0 ? -1 : depth + 1, i = 0;
                for (var e : m.entrySet()) {
                    if (i++ > 0) sb.append(',');
                    newline(sb, inner);
                    appendString(sb, String.valueOf(e.getKey()));
                    sb.append(depth < 0 ? ":" : ": ");
                    write(e.getValue(), sb, inner);
                }
                if (i > 0) newline(sb, depth);
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                int inner = depth < 0 ? -1 : depth + 1;
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(',');
                    newline(sb, inner);
                    write(l.get(i), sb, inner);
                }
                if (!l.isEmpty()) newline(sb, depth);
                sb.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        }
    }

    private static void newline(StringBuilder sb, int depth) {
        if (depth < 0) return;
        sb.append('\n').append("  ".repeat(depth));
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Appends {@code s} as a JSON string: quotes, with {@code "} and {@code \} escaped, control
     * characters below U+0020 as {@code \b \t \n \f \r} or {@code \}{@code u00XX}, and everything
     * else (non-ASCII included, U+2028 and U+2029 too, which JSON allows raw) as it is.
     */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
