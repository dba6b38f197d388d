package dev.sluice.internal.low.json;

import org.jspecify.annotations.Nullable;

/**
 * Replaces (or reads) one top-level member's value in a JSON object's text, leaving every other
 * byte as it was: what a gateway that passes a request through changes ({@code model}), and the
 * members it looks at on the way, without parsing and writing the rest again. Stateless.
 */
public final class TopLevelMember {
    private TopLevelMember() {}

    /**
     * {@return the object's text with its top-level member {@code name} set to the string
     * {@code value}: the member's value replaced in place, or, when the object has none, the member
     * added first}
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @param value the new value
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withString(String json, String name, String value) {
        return withValue(json, name, Json.write(value));
    }

    /**
     * {@return the object's text with its top-level member {@code name} set to {@code true}: a
     * streaming request's {@code stream}, set on a body that asked for none}
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withTrue(String json, String name) {
        return withValue(json, name, "true");
    }

    /**
     * {@return the object's text with its top-level member {@code name} set to the whole number
     * {@code value}: the member's value replaced in place, or, when the object has none, the member
     * added first} (A gateway's bound on a request passed through: its {@code max_tokens}.)
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @param value the new value
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withNumber(String json, String name, long value) {
        return withValue(json, name, Long.toString(value));
    }

    /**
     * {@return how many members the object's text holds at its top level, each written one counted
     * (a name written twice counts twice, as a parser that keeps one of them does not); 0 when the
     * text is not an object} What a gateway compares with the members it parsed, so that it passes on
     * no body whose upstream could read another value than the one it checked.
     *
     * @param json a JSON object's text, already known to be valid
     */
    public static int count(String json) {
        int n = json.length();
        int start = skipSpace(json, 0);
        if (start >= n || json.charAt(start) != '{') return 0;
        int depth = 0;
        int members = 0;
        boolean key = false;
        for (int i = start; i < n; ) {
            char c = json.charAt(i);
            if (c == '"') {
                if (depth == 1 && key) {
                    members++;
                    key = false;
                }
                i = stringEnd(json, i);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
                key = depth == 1;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 1) {
                key = true;
            }
            i++;
        }
        return members;
    }

    /**
     * {@return the object's text with its top-level member {@code name} added, first, as
     * {@code value}, when the object has no such member; the text as it was when it has one}
     *
     * @param json a JSON object's text, already known to be valid
     * @param name the member's name, without characters JSON escapes
     * @param value the member's value as JSON text, already known to be valid
     * @throws IllegalArgumentException if the text is not an object
     */
    public static String withJsonIfAbsent(String json, String name, String value) {
        return withValue(json, name, value, false);
    }

    /**
     * {@return the text of the object's top-level member {@code name}'s value, as it stands (a
     * string with its quotes); null when the object has no such member or the text is not an
     * object} Nothing is parsed: a member of the same name inside another value is not it.
     *
     * @param json a JSON object's text
     * @param name the member's name, without characters JSON escapes
     */
    public static @Nullable String value(String json, String name) {
        int n = json.length();
        int start = skipSpace(json, 0);
        if (start >= n || json.charAt(start) != '{') return null;
        int at = find(json, name, start);
        return at < 0 ? null : json.substring(at, valueEnd(json, at)).stripTrailing();
    }

    private static String withValue(String json, String name, String quoted) {
        return withValue(json, name, quoted, true);
    }

    private static String withValue(String json, String name, String quoted, boolean replace) {
        int n = json.length();
        int start = skipSpace(json, 0);
        if (start >= n || json.charAt(start) != '{') throw new IllegalArgumentException("not a JSON object");
        int from = find(json, name, start);
        if (from >= 0) return replace ? json.substring(0, from) + quoted + json.substring(valueEnd(json, from)) : json;
        String rest = json.substring(start + 1);
        return json.substring(0, start + 1) + "\"" + name + "\":" + quoted
                + (rest.strip().startsWith("}") ? "" : ",") + rest;
    }

    /** {@return the index where the top-level member {@code name}'s value starts, in the object at {@code start}; -1 for none} */
    private static int find(String json, String name, int start) {
        int n = json.length();
        int depth = 0;
        boolean key = false;
        for (int i = start; i < n; ) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = stringEnd(json, i);
                if (depth == 1 && key) {
                    int colon = skipSpace(json, end);
                    int from = skipSpace(json, colon + 1);
                    if (json.regionMatches(i + 1, name, 0, name.length()) && end - i - 2 == name.length()) return from;
                    key = false;
                    i = from;
                    continue;
                }
                i = end;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
                key = depth == 1;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 1) {
                key = true;
            }
            i++;
        }
        return -1;
    }

    /**
     * {@return the index after the string starting at {@code i}} Each quote is found by
     * {@link String#indexOf(int, int)} (which the JIT runs over many characters at once: an
     * agent's body is mostly long strings), and ends the string unless an odd run of backslashes
     * stands before it.
     */
    static int stringEnd(String json, int i) {
        for (int k = i + 1; ; ) {
            int quote = json.indexOf('"', k);
            if (quote < 0) return json.length();
            int before = quote - 1;
            while (before > i && json.charAt(before) == '\\') before--;
            if ((quote - 1 - before) % 2 == 0) return quote + 1;
            k = quote + 1;
        }
    }

    /** {@return the index after the value starting at {@code i}} */
    private static int valueEnd(String json, int i) {
        if (i < json.length() && json.charAt(i) == '"') return stringEnd(json, i);
        int depth = 0;
        for (int k = i; k < json.length(); k++) {
            char c = json.charAt(k);
            if (c == '"') {
                k = stringEnd(json, k) - 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return k;
                depth--;
            } else if (c == ',' && depth == 0) {
                return k;
            }
        }
        return json.length();
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && " \t\r\n".indexOf(json.charAt(i)) >= 0) i++;
        return i;
    }
}
