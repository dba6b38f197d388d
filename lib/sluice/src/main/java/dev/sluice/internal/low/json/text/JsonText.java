package dev.sluice.internal.low.json.text;

import dev.sluice.internal.low.json.JsonWriter;
import dev.sluice.internal.low.json.TopLevelMember;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON text: values of the model {@link dev.sluice.chat.PartialJson} reads (a {@code Map<String, ?>} object,
 * a {@code List<?>} array, {@code String}, {@code Boolean}, integers, {@code BigDecimal},
 * {@code Double}, and {@code null}) written back compactly, and single strings quoted. What a
 * tool's arguments or a typed object hold can be sent on as text, and text can be placed in JSON
 * that a browser reads.
 *
 * <p>Strings are written with {@code "} and {@code \} escaped, the control characters below U+0020
 * as {@code \b \t \n \f \r} or {@code \}{@code u00xx}, a lone surrogate as its {@code \}{@code u}
 * escape (so the text survives UTF-8), and everything else as it is. The HTML-safe forms escape
 * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 too: for JSON that reaches a browser, which then
 * cannot close a script element nor meet a line separator, whatever the text holds.
 *
 * <p>Stateless; safe from any thread.
 */
public final class JsonText {
    private JsonText() {}

    /**
     * {@return a value of the model as compact JSON text}
     *
     * @param value the value; null is JSON null
     * @throws IllegalArgumentException if the value, or one it holds, is not of the model (a key
     *     that is not a {@code String}, a {@code Double} that is NaN or infinite, another type), or
     *     nests deeper than {@link dev.sluice.chat.PartialJson#MAX_DEPTH} levels
     */
    public static String write(@Nullable Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    /**
     * Appends a value of the model as compact JSON text.
     *
     * @param value the value; null is JSON null
     * @param out where to append
     * @throws IllegalArgumentException as {@link #write(Object)}; {@code out} may then hold part of the value
     */
    public static void write(@Nullable Object value, StringBuilder out) {
        JsonWriter.write(value, out, "$");
    }

    /**
     * Appends a string as a JSON string literal, quotes included.
     *
     * @param s the string
     * @param out where to append
     */
    public static void writeString(String s, StringBuilder out) {
        JsonWriter.writeString(s, out);
    }

    /**
     * Appends a string as a JSON string literal that is also safe in HTML (see the class description).
     *
     * @param s the string
     * @param out where to append
     */
    public static void writeHtmlSafeString(String s, StringBuilder out) {
        JsonWriter.writeHtmlSafeString(s, out);
    }

    /**
     * {@return a string as a JSON string literal that is also safe in HTML, quotes included}
     *
     * @param s the string
     */
    public static String quoteHtmlSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        JsonWriter.writeHtmlSafeString(s, sb);
        return sb.toString();
    }

    /**
     * {@return the text of a JSON object's top-level member's value as it stands, or null when it
     * has none} Nothing is parsed ({@link dev.sluice.internal.low.json.TopLevelMember#value}).
     *
     * @param json a JSON object's text
     * @param name the member's name, without characters JSON escapes
     */
    public static @Nullable String member(String json, String name) {
        return TopLevelMember.value(json, name);
    }

    /**
     * {@return a JSON object's text with its top-level member set to a whole number, every other byte
     * as it was} ({@link dev.sluice.internal.low.json.TopLevelMember#withNumber}: replaced in place,
     * or added first.)
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @param value the number
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withMember(String json, String name, long value) {
        return TopLevelMember.withNumber(json, name, value);
    }

    /**
     * {@return how many members a JSON object's text holds at its top level, a name written twice
     * counted twice; 0 when it is not an object} ({@link dev.sluice.internal.low.json.TopLevelMember#count})
     *
     * @param json a JSON object's text, already known to be valid
     */
    public static int memberCount(String json) {
        return TopLevelMember.count(json);
    }
}
