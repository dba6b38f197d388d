package dev.sluice.internal.low.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the JSON value model as compact JSON text ({@code PartialJson.toJson}), and holds the
 * string escaper of the JSON Sluice writes itself (the relay's events too). Stateless.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {}

    public static void write(@Nullable Object value, StringBuilder out, String path) {
        write(value, out, path, 0);
    }

    /** @param depth how many objects and arrays enclose the value */
    private static void write(@Nullable Object value, StringBuilder out, String path, int depth) {
        if (depth == IncrementalJsonParser.MAX_DEPTH && (value instanceof Map<?, ?> || value instanceof List<?>)) {
            throw new IllegalArgumentException("JSON nested deeper than " + IncrementalJsonParser.MAX_DEPTH
                    + " levels (at " + path + "): PartialJson would not read it back");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.toString());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + value + " (at " + path + ")");
            }
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("a JSON object key must be a String, not "
                            + (e.getKey() == null
                                    ? "null"
                                    : e.getKey().getClass().getName()) + " (at " + path + ")");
                }
                if (!first) out.append(',');
                first = false;
                writeString(key, out);
                out.append(':');
                write(e.getValue(), out, path + "." + key, depth + 1);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                write(list.get(i), out, path + "[" + i + "]", depth + 1);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName() + " (at " + path + ")");
        }
    }

    /**
     * Appends a JSON string: {@code "} and {@code \} escaped, the control characters below U+0020
     * as {@code \b \t \n \f \r} or {@code \}{@code u00xx}, a lone surrogate as its
     * {@code \}{@code u} escape (so the text survives UTF-8); everything else as it is.
     */
    public static void writeString(String s, StringBuilder out) {
        writeString(s, out, false);
    }

    /**
     * Appends a JSON string as {@link #writeString(String, StringBuilder)} does, and escapes
     * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 too: for JSON that reaches browsers, which
     * then cannot close a script element nor meet a line separator, whatever the text holds.
     */
    public static void writeHtmlSafeString(String s, StringBuilder out) {
        writeString(s, out, true);
    }

    private static void writeString(String s, StringBuilder out, boolean htmlSafe) {
        out.append('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20
                    && c != '"'
                    && c != '\\'
                    && !Character.isSurrogate(c)
                    && !(htmlSafe && (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'))) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair is copied as is
                continue;
            }
            out.append(s, run, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                    out.append("\\u")
                            .append(HEX[c >> 12 & 0xf])
                            .append(HEX[c >> 8 & 0xf])
                            .append(HEX[c >> 4 & 0xf])
                            .append(HEX[c & 0xf]);
            }
            run = i + 1;
        }
        out.append(s, run, n);
        out.append('"');
    }
}
