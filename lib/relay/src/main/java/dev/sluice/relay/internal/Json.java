package dev.sluice.relay.internal;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.text.JsonText;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON helpers the relay's packages share: the checks of untrusted bodies before they are parsed,
 * the server's small answers and the WebSocket's frames.
 */
public final class Json {
    private Json() {}

    /** {@return the JSON text of a parsed value (maps, lists, strings, numbers, booleans, null)} */
    public static String write(@Nullable Object value) {
        return JsonText.write(value);
    }

    /**
     * {@return whether a JSON object's top-level member holds an object} Not parsed: the text is
     * scanned for its members ({@link JsonText#member}) only when it has the member's name, a colon
     * and an opening brace after it, what such a member's text holds, so that a text without, such as each
     * Chat Completions chunk with its {@code "usage":null}, costs a search of its characters.
     *
     * @param json a JSON object's text
     * @param name the member's name, without characters JSON escapes
     */
    public static boolean holdsObject(String json, String name) {
        String quoted = '"' + name + '"';
        for (int at = json.indexOf(quoted); at >= 0; at = json.indexOf(quoted, at + 1)) {
            int i = skipSpace(json, at + quoted.length());
            if (i < json.length()
                    && json.charAt(i) == ':'
                    && skipSpace(json, i + 1) < json.length()
                    && json.charAt(skipSpace(json, i + 1)) == '{') {
                String member = JsonText.member(json, name);
                return member != null && member.startsWith("{");
            }
        }
        return false;
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && " \t\r\n".indexOf(json.charAt(i)) >= 0) i++;
        return i;
    }

    /** {@return a JSON string literal} */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        JsonText.writeString(s, sb);
        return sb.toString();
    }

    /**
     * {@return a JSON object's text with its top-level member set to a whole number, every other byte
     * as it was: replaced in place, or added first}
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @param value the number
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withMember(String json, String name, long value) {
        return JsonText.withMember(json, name, value);
    }

    /**
     * {@return how many members a JSON object's text holds at its top level, a name written twice
     * counted twice; 0 when it is not an object}
     *
     * @param json a JSON object's text, already known to be valid
     */
    public static int memberCount(String json) {
        return JsonText.memberCount(json);
    }

    /** {@return the object a text holds, or null when it is not valid JSON or not an object} */
    public static @Nullable Map<?, ?> object(String text) {
        PartialJson.Result r = PartialJson.parse(text);
        return r.isValid() && r.value() instanceof Map<?, ?> m ? m : null;
    }

    /**
     * {@return a value from outside as a message shows it: its text, cut to at most {@code max}
     * characters (never inside a surrogate pair) and an ellipsis} So that a refusal names what was
     * wrong without echoing a body back whole.
     *
     * @param value the value, any object (null shows as {@code null})
     * @param max the most characters of it to show, positive
     */
    public static String shorten(@Nullable Object value, int max) {
        String s = String.valueOf(value);
        if (s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }

    /** {@return the deepest nesting of arrays and objects, outside strings} (checked before parsing: the body is untrusted) */
    public static int depth(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }
}
