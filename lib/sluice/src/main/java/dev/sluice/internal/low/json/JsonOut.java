package dev.sluice.internal.low.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A compact JSON writer over a {@link StringBuilder} that produces exactly what Jackson's
 * {@code JsonGenerator} from {@link Json#FACTORY} produces for the same calls (no whitespace;
 * {@code "} and {@code \} escaped, the control characters below U+0020 as {@code \b \t \n \f \r}
 * or {@code \}{@code u00XX} with upper-case hex, everything else — {@code /}, non-ASCII, lone
 * surrogates — written as it is; numbers as {@code toString} writes them), without loading
 * Jackson: a fresh JVM's first request pays neither for Jackson's jar nor for its factory.
 * {@code JsonOutTest} checks it against Jackson's generator.
 *
 * <p>It does not check that the calls make a well-formed document; callers write one value.
 *
 * <p>Not thread-safe: one instance per document, used by one thread.
 */
public final class JsonOut {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out;
    /** True after a complete value (or member) at the current level: the next one needs a comma. */
    private boolean afterValue;

    /** Creates a writer with an empty buffer. */
    public JsonOut() {
        this.out = new StringBuilder(256);
    }

    /** {@return the JSON written so far} */
    @Override
    public String toString() {
        return out.toString();
    }

    private void beforeValue() {
        if (afterValue) out.append(',');
    }

    /** Writes an opening brace, the start of an object. */
    public void writeStartObject() {
        beforeValue();
        out.append('{');
        afterValue = false;
    }

    /** Writes {@code }}. */
    public void writeEndObject() {
        out.append('}');
        afterValue = true;
    }

    /** Writes {@code [}. */
    public void writeStartArray() {
        beforeValue();
        out.append('[');
        afterValue = false;
    }

    /** Writes {@code ]}. */
    public void writeEndArray() {
        out.append(']');
        afterValue = true;
    }

    /** Writes a member's name and the colon. */
    public void writeFieldName(String name) {
        beforeValue();
        quote(name);
        out.append(':');
        afterValue = false;
    }

    /** Writes a string value, or null if {@code s} is null (as Jackson does). */
    public void writeString(@Nullable String s) {
        if (s == null) {
            writeNull();
            return;
        }
        beforeValue();
        quote(s);
        afterValue = true;
    }

    /** Writes an int. */
    public void writeNumber(int v) {
        writeRaw(Integer.toString(v));
    }

    /** Writes a long. */
    public void writeNumber(long v) {
        writeRaw(Long.toString(v));
    }

    /** Writes a double as {@link Double#toString}; NaN and the infinities as strings, as Jackson does by default. */
    public void writeNumber(double v) {
        if (Double.isFinite(v)) {
            writeRaw(Double.toString(v));
        } else {
            writeString(Double.toString(v));
        }
    }

    /** Writes a BigInteger, or null. */
    public void writeNumber(BigInteger v) {
        writeRaw(v == null ? "null" : v.toString());
    }

    /** Writes a BigDecimal as its {@code toString} (Jackson's default, not plain), or null. */
    public void writeNumber(BigDecimal v) {
        writeRaw(v == null ? "null" : v.toString());
    }

    /** Writes true or false. */
    public void writeBoolean(boolean v) {
        writeRaw(v ? "true" : "false");
    }

    /** Writes null. */
    public void writeNull() {
        writeRaw("null");
    }

    /** Writes a scalar's text as it is: a number, true, false or null. */
    private void writeRaw(String text) {
        beforeValue();
        out.append(text);
        afterValue = true;
    }

    /** Writes a member with a string value. */
    public void writeStringField(String name, @Nullable String value) {
        writeFieldName(name);
        writeString(value);
    }

    /** Writes a member with an int value. */
    public void writeNumberField(String name, int value) {
        writeFieldName(name);
        writeNumber(value);
    }

    /** Writes a member with a double value. */
    public void writeNumberField(String name, double value) {
        writeFieldName(name);
        writeNumber(value);
    }

    /** Writes a member with a boolean value. */
    public void writeBooleanField(String name, boolean value) {
        writeFieldName(name);
        writeBoolean(value);
    }

    /** Writes a member's name and opens its array value. */
    public void writeArrayFieldStart(String name) {
        writeFieldName(name);
        writeStartArray();
    }

    /** Writes a member's name and opens its object value. */
    public void writeObjectFieldStart(String name) {
        writeFieldName(name);
        writeStartObject();
    }

    /**
     * {@return the compact JSON text of a value of the value model} Jackson's exact output, without
     * Jackson.
     *
     * @throws IllegalArgumentException if the value holds something outside the value model
     */
    public static String write(Object value) {
        JsonOut out = new JsonOut();
        out.writeValue(value);
        return out.toString();
    }

    /**
     * Writes a value of the value model exactly as {@link Json#writeValue} does. An if/else chain
     * with the common types first: the number classes are not even loaded for text-only values.
     *
     * @throws IllegalArgumentException if the value contains something that is not a JSON value, or
     *     nests deeper than {@link JsonValues#MAX_DEPTH}
     */
    public void writeValue(@Nullable Object value) {
        writeValue(value, 0);
    }

    private void writeValue(@Nullable Object value, int depth) {
        switch (value) {
            case null -> writeNull();
            case String s -> writeString(s);
            case Map<?, ?> m -> {
                JsonValues.checkDepth(depth, "a value written");
                writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    writeFieldName((String) e.getKey());
                    writeValue(e.getValue(), depth + 1);
                }
                writeEndObject();
            }
            case List<?> list -> {
                JsonValues.checkDepth(depth, "a value written");
                writeStartArray();
                for (Object o : list) writeValue(o, depth + 1);
                writeEndArray();
            }
            case Boolean b -> writeBoolean(b);
            case Long l -> writeNumber((long) l);
            case Integer i -> writeNumber((int) i);
            case BigInteger bi -> writeNumber(bi);
            case BigDecimal bd -> writeNumber(bd);
            case Number n -> writeNumber(new BigDecimal(n.toString()));
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        }
    }

    private void quote(String s) {
        out.append('"');
        int n = s.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out.append(s, from, i);
            from = i + 1;
            out.append('\\');
            switch (c) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, from, n);
        out.append('"');
    }
}
