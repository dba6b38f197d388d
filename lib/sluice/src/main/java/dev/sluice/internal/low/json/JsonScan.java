package dev.sluice.internal.low.json;

/**
 * One forward scan of a JSON text by JSON's grammar, building nothing: the pieces a caller puts
 * together to tell, from an event's text alone, that a decoder would read it without error into an
 * event it already knows (a passthrough's plain content: {@code PlainContentChunk} for Chat
 * Completions, {@code PlainTextDelta} for the Responses API, {@code PlainContentDelta} for
 * Anthropic Messages), so that the event need not be decoded.
 *
 * <p>Each method reads one piece at the position ({@link #pos()}) after any whitespace and returns
 * whether it was there, moving past it when it was; what it returns false for is declined, and the
 * caller declines the whole text. It is strict and bounded, so that what it accepts Jackson reads
 * without error: string escapes JSON's and no raw control character, numbers by JSON's grammar of at
 * most {@value #MAX_NUMBER_CHARS} characters and {@value #MAX_EXPONENT_DIGITS} digits of exponent, at
 * most {@value #MAX_DEPTH} levels of arrays and objects (Jackson's bounds are far wider: 1,000
 * levels, 1,000 characters a number; it refuses an exponent past an int's range); a member name with
 * an escape is declined where a caller reads it by name ({@link #name()}), so that an escaped name is
 * never taken for another, and elsewhere one with an escaped surrogate, which Jackson refuses in a
 * name (the fuzz tests of its callers found both).
 *
 * <p>Not thread-safe: one scan of one text, used by one thread.
 */
public final class JsonScan {
    /** The deepest nesting {@link #value} scans. */
    public static final int MAX_DEPTH = 32;

    /** The longest number scanned. */
    public static final int MAX_NUMBER_CHARS = 100;

    /** The most digits of a number's exponent scanned: Jackson refuses a decimal whose exponent is past an int's range. */
    public static final int MAX_EXPONENT_DIGITS = 6;

    private final String s;
    private final int end;
    private int pos;
    private int nameEnd; // the index of the closing quote of the last name read

    /** @param s the text to scan, from its start */
    public JsonScan(String s) {
        this.s = s;
        this.end = s.length();
    }

    /** {@return the position: the index of the next character to read} */
    public int pos() {
        return pos;
    }

    /**
     * A member's name, without escapes: {@return the index of its first character, -1 for none}
     * After it, the position is past its closing quote, and {@link #nameIs} tells which name it was.
     */
    public int name() {
        skipSpace();
        if (pos >= end || s.charAt(pos) != '"') return -1;
        int from = pos + 1;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                pos = i + 1;
                nameEnd = i;
                return from;
            }
            if (c == '\\' || c < 0x20) return -1;
        }
        return -1;
    }

    /** {@return whether the last name {@link #name()} read, which started at {@code from}, is {@code name}} */
    public boolean nameIs(int from, String name) {
        return nameEnd - from == name.length() && s.regionMatches(from, name, 0, name.length());
    }

    /** {@return whether a string literal whose text is exactly {@code quoted} (its quotes included) comes next} */
    public boolean stringIs(String quoted) {
        skipSpace();
        if (!s.startsWith(quoted, pos)) return false;
        pos += quoted.length();
        return true;
    }

    /**
     * The reader of an object's members for {@link #object}: the names it knows, what each holds, and
     * what it has seen. One object's, for one scan.
     */
    public interface Members {
        /**
         * Reads the value of the member whose name {@link #name()} just read, past its colon.
         *
         * @param scan the scan, at the value
         * @param from where the name starts ({@link #nameIs} tells which it is)
         * @return whether the value was there and one this reader takes; false declines the text
         */
        boolean member(JsonScan scan, int from);
    }

    /**
     * {@return whether an object comes next whose member names have no escape and whose every
     * member {@code members} takes; then past it} An empty object is one: what it must hold, the
     * reader checks after.
     */
    public boolean object(Members members) {
        if (!open('{')) return false;
        if (close('}')) return true;
        do {
            int from = name();
            if (from < 0 || !colon() || !members.member(this, from)) return false;
        } while (comma());
        return close('}');
    }

    /** Any JSON value, at most {@link #MAX_DEPTH} levels of arrays and objects below {@code depth}. */
    public boolean value(int depth) {
        skipSpace();
        if (pos >= end) return false;
        char c = s.charAt(pos);
        if (c == '"') return string();
        if (c == '{') {
            if (depth >= MAX_DEPTH) return false;
            pos++;
            if (close('}')) return true;
            do {
                if (name() < 0 && !string(true)) return false; // a name no caller reads: escapes allowed
                if (!colon() || !value(depth + 1)) return false;
            } while (comma());
            return close('}');
        }
        if (c == '[') {
            if (depth >= MAX_DEPTH) return false;
            pos++;
            if (close(']')) return true;
            do {
                if (!value(depth + 1)) return false;
            } while (comma());
            return close(']');
        }
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        return literal("true") || literal("false") || literal("null");
    }

    /** A string or {@code null}. */
    public boolean stringOrNull() {
        skipSpace();
        return pos < end && (s.charAt(pos) == '"' ? string() : literal("null"));
    }

    /** A string literal holding at least one character (an escape counts as one). */
    public boolean nonEmptyString() {
        skipSpace();
        int start = pos;
        return string() && pos - start > 2;
    }

    /** A string literal: its escapes JSON's, no raw control character. */
    public boolean string() {
        return string(false);
    }

    /**
     * A string literal: its escapes JSON's, no raw control character; as a member's name, no escaped
     * surrogate either (Jackson refuses an escaped lone one in a name, where it takes one in a value).
     */
    private boolean string(boolean name) {
        skipSpace();
        if (pos >= end || s.charAt(pos) != '"') return false;
        for (int i = pos + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                if (++i >= end) return false;
                switch (s.charAt(i)) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
                    case 'u' -> {
                        if (i + 4 >= end) return false;
                        for (int k = 1; k <= 4; k++) if (!hex(s.charAt(i + k))) return false;
                        if (name && Character.isSurrogate((char) Integer.parseInt(s, i + 1, i + 5, 16))) return false;
                        i += 4;
                    }
                    default -> {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    /** {@return whether a character is an ASCII hex digit} */
    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * A number by JSON's grammar, of at most {@link #MAX_NUMBER_CHARS} characters and
     * {@link #MAX_EXPONENT_DIGITS} digits of exponent.
     */
    public boolean number() {
        skipSpace();
        int start = pos;
        int i = pos;
        if (i < end && s.charAt(i) == '-') i++;
        int digits = digits(i);
        if (digits == 0 || (digits > 1 && s.charAt(i) == '0')) return false;
        i += digits;
        if (i < end && s.charAt(i) == '.') {
            int fraction = digits(i + 1);
            if (fraction == 0) return false;
            i += 1 + fraction;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exponent = digits(i);
            if (exponent == 0 || exponent > MAX_EXPONENT_DIGITS) return false;
            i += exponent;
        }
        if (i - start > MAX_NUMBER_CHARS) return false;
        pos = i;
        return true;
    }

    /**
     * An integer (no fraction, no exponent) of 1 to {@code maxDigits} digits, without a leading
     * zero, with a minus sign only when {@code signed}: what Jackson reads as an int (9 digits) or a long (18).
     */
    public boolean integer(int maxDigits, boolean signed) {
        skipSpace();
        int i = pos;
        if (signed && i < end && s.charAt(i) == '-') i++;
        int digits = digits(i);
        if (digits == 0 || digits > maxDigits || (digits > 1 && s.charAt(i) == '0')) return false;
        i += digits;
        if (i < end && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) return false;
        pos = i;
        return true;
    }

    /** {@return how many ASCII digits start at {@code i}} */
    private int digits(int i) {
        int k = i;
        while (k < end && s.charAt(k) >= '0' && s.charAt(k) <= '9') k++;
        return k - i;
    }

    /** {@return whether {@code word} (true, false, null) comes next; then past it} */
    public boolean literal(String word) {
        skipSpace();
        if (!s.startsWith(word, pos)) return false;
        pos += word.length();
        return true;
    }

    /** {@return whether {@code c} comes next (after whitespace); then past it} */
    public boolean open(char c) {
        skipSpace();
        if (pos >= end || s.charAt(pos) != c) return false;
        pos++;
        return true;
    }

    /** {@return whether {@code c} comes next (after whitespace); then past it} */
    public boolean close(char c) {
        return open(c);
    }

    /** {@return whether a colon comes next; then past it} */
    public boolean colon() {
        return open(':');
    }

    /** {@return whether a comma comes next; then past it} */
    public boolean comma() {
        return open(',');
    }

    /** {@return whether nothing but whitespace is left} */
    public boolean atEnd() {
        skipSpace();
        return pos == end;
    }

    /** Past JSON's whitespace: space, tab, line feed, carriage return. */
    private void skipSpace() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }
}
