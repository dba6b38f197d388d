package dev.sluice.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Writes the JSON value model as compact JSON text; see {@link PartialJson#toJson}. Stateless. */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    static void write(Object value, StringBuilder out, String path) {
        write(value, out, path, 0);
    }

    /** @param depth how many objects and arrays enclose the value */
    private static void write(Object value, StringBuilder out, String path, int depth) {
        if (depth == PartialJson.MAX_DEPTH && (value instanceof Map<?, ?> || value instanceof List<?>)) {
            throw new IllegalArgumentException("JSON nested deeper than " + PartialJson.MAX_DEPTH
                    + " levels (at " + path + "): PartialJson would not read it back");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
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
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + " (at " + path + ")");
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
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName() + " (at " + path + ")");
        }
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String escape = null;
            boolean unicode = false;
            switch (c) {
                case '"' -> escape = "\\\"";
                case '\\' -> escape = "\\\\";
                case '\n' -> escape = "\\n";
                case '\r' -> escape = "\\r";
                case '\t' -> escape = "\\t";
                case '\b' -> escape = "\\b";
                case '\f' -> escape = "\\f";
                default -> {
                    if (c < 0x20) {
                        unicode = true;
                    } else if (Character.isHighSurrogate(c)) {
                        unicode = i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1));
                        if (!unicode) {
                            i++; // a valid pair is copied as is
                            continue;
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicode = true; // a low surrogate not preceded by a high one
                    }
                }
            }
            if (escape == null && !unicode) continue;
            out.append(s, run, i);
            if (escape != null) {
                out.append(escape);
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            }
            run = i + 1;
        }
        out.append(s, run, n);
        out.append('"');
    }
}
