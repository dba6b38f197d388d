package dev.sluice.internal.low.json;

import dev.sluice.internal.low.value.ImmutableJsonArray;
import dev.sluice.internal.low.value.ImmutableJsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads one whole JSON text into the value model in a single pass, or declines it. The fast path
 * of {@code PartialJson.parse} for complete documents (the few whole events of a stream, request
 * bodies, finished tool arguments): no character state machine, no copy of the input, no frames,
 * no intermediate strings but a number's characters, and member names seen before are not made
 * again. On a
 * {@code message_start} event's 279 characters that is about half of {@link IncrementalJsonParser}'s
 * CPU (0.9 µs against 1.8–2.9 µs warm) and of its allocation (1,736 bytes against 3,176).
 *
 * <p>Whatever it accepts, {@link IncrementalJsonParser} reads to an equal value of the same
 * classes in the same member order, with no error: objects are {@link ImmutableJsonObject}s (a
 * repeated key keeps its first place and its last value), arrays {@link ImmutableJsonArray}s,
 * numbers as {@link IncrementalJsonParser#toNumber}, strings with their raw characters as they
 * are. It declines, returning {@link #DECLINED}, everything that parser would report an error
 * for (empty input, a stray character, an unescaped control character, a bad escape, an invalid
 * or out-of-range number, trailing text, nesting deeper than {@link IncrementalJsonParser#MAX_DEPTH}),
 * and also a valid {@code \}{@code u} escape of a surrogate, whose pairing rules only that parser
 * applies. The caller then reads the text with that parser, for its best-effort value and its
 * message. {@code StrictJsonReaderTest} checks both directions on random documents and mutations.
 *
 * <p>It recurses once per nested object or array, at most {@link IncrementalJsonParser#MAX_DEPTH}
 * deep, as the Jackson reader of {@link Json#readValue(com.fasterxml.jackson.core.JsonParser,
 * com.fasterxml.jackson.core.JsonToken)} does.
 *
 * <p>Threading: thread-safe. Each call has its own reader; the only state shared between calls
 * is the table of member names, read and written without a lock (see {@code NAMES}).
 */
public final class StrictJsonReader {
    /** What {@link #read} returns for a text it declines. */
    public static final Object DECLINED = new Object();

    private static final int MAX_DEPTH = IncrementalJsonParser.MAX_DEPTH;
    /**
     * Member names read before, by their hash: a slot holds the last name that landed in it. Read
     * and written by any thread without a lock (a {@code String} read through a race is whole);
     * at most 512 names of at most {@link #MAX_NAME_CHARS} characters, about 40 KB at worst.
     */
    private static final String[] NAMES = new String[512];

    private static final int MAX_NAME_CHARS = 32;

    private final String s;
    private final int end;
    private int pos;
    private int depth;
    private @Nullable StringBuilder escaped; // made for the first string with an escape

    private StrictJsonReader(String s) {
        this.s = s;
        this.end = s.length();
    }

    /**
     * {@return the value of {@code json}, a whole JSON text (whitespace around it allowed), or
     * {@link #DECLINED}} Never throws for any input.
     *
     * @throws NullPointerException if json is null
     */
    public static @Nullable Object read(String json) {
        StrictJsonReader r = new StrictJsonReader(json);
        try {
            Object value = r.value(r.skipWhitespace());
            return value == DECLINED || r.skipWhitespace() != r.end ? DECLINED : value;
        } catch (NumberFormatException e) { // valid JSON, but an exponent BigDecimal cannot hold
            return DECLINED;
        }
    }

    /** {@return the position of the next non-whitespace character, or the end; {@link #pos} moved there} */
    private int skipWhitespace() {
        int i = pos;
        while (i < end) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
            i++;
        }
        return pos = i;
    }

    /** The value starting at {@code i} (a non-whitespace position); {@link #pos} ends just after it. */
    private @Nullable Object value(int i) {
        if (i >= end) return DECLINED;
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(i + 1);
            case '[' -> array(i + 1);
            case '"' -> string(i + 1, false);
            case 't' -> literal(i, "true", true);
            case 'f' -> literal(i, "false", false);
            case 'n' -> literal(i, "null", null);
            default -> c == '-' || (c >= '0' && c <= '9') ? number(i) : DECLINED;
        };
    }

    private @Nullable Object literal(int i, String word, @Nullable Object value) {
        if (!s.startsWith(word, i)) return DECLINED;
        pos = i + word.length();
        return value;
    }

    /** As the incremental parser: the run of characters a number may hold, then checked whole. */
    private Object number(int i) {
        int j = i + 1;
        while (j < end) {
            char c = s.charAt(j);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) break;
            j++;
        }
        pos = j;
        Object n = IncrementalJsonParser.toNumber(s.substring(i, j));
        return n == null ? DECLINED : n;
    }

    private Object object(int i) {
        if (depth == MAX_DEPTH) return DECLINED;
        pos = i;
        int k = skipWhitespace();
        if (k < end && s.charAt(k) == '}') {
            pos = k + 1;
            return ImmutableJsonObject.empty();
        }
        depth++;
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        while (true) {
            if (k >= end || s.charAt(k) != '"') return DECLINED;
            Object key = string(k + 1, true);
            if (key == DECLINED) return DECLINED;
            k = skipWhitespace();
            if (k >= end || s.charAt(k) != ':') return DECLINED;
            pos = k + 1;
            Object value = value(skipWhitespace());
            if (value == DECLINED) return DECLINED;
            members.put((String) key, value);
            k = skipWhitespace();
            if (k >= end) return DECLINED;
            char c = s.charAt(k);
            pos = k + 1;
            if (c == '}') break;
            if (c != ',') return DECLINED;
            k = skipWhitespace();
        }
        depth--;
        return ImmutableJsonObject.of(members);
    }

    private Object array(int i) {
        if (depth == MAX_DEPTH) return DECLINED;
        pos = i;
        int k = skipWhitespace();
        if (k < end && s.charAt(k) == ']') {
            pos = k + 1;
            return ImmutableJsonArray.empty();
        }
        depth++;
        @Nullable Object[] items = new Object[4];
        int n = 0;
        while (true) {
            Object value = value(k);
            if (value == DECLINED) return DECLINED;
            if (n == items.length) items = Arrays.copyOf(items, n << 1);
            items[n++] = value;
            k = skipWhitespace();
            if (k >= end) return DECLINED;
            char c = s.charAt(k);
            pos = k + 1;
            if (c == ']') break;
            if (c != ',') return DECLINED;
            k = skipWhitespace();
        }
        depth--;
        return ImmutableJsonArray.wrap(n == items.length ? items : Arrays.copyOf(items, n));
    }

    /**
     * The string whose first character is at {@code i} (after its opening quote); a member's name
     * when {@code key}.
     */
    private Object string(int i, boolean key) {
        int j = i;
        while (j < end) {
            char c = s.charAt(j);
            if (c == '"') {
                pos = j + 1;
                return key ? name(i, j) : s.substring(i, j);
            }
            if (c == '\\') return escapedString(i, j);
            if (c < 0x20) return DECLINED;
            j++;
        }
        return DECLINED;
    }

    /** The rest of a string from its first backslash at {@code j}; {@code i} is where it starts. */
    private Object escapedString(int i, int j) {
        StringBuilder b = escaped;
        if (b == null) b = escaped = new StringBuilder(Math.max(16, j - i + 16));
        b.setLength(0);
        b.append(s, i, j);
        while (j < end) {
            char c = s.charAt(j++);
            if (c == '"') {
                pos = j;
                return b.toString();
            }
            if (c < 0x20) return DECLINED;
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (j >= end) return DECLINED;
            switch (s.charAt(j++)) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (j + 4 > end) return DECLINED;
                    int u = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = hex(s.charAt(j++));
                        if (d < 0) return DECLINED;
                        u = (u << 4) | d;
                    }
                    if (Character.isSurrogate((char) u)) return DECLINED; // pairing: the incremental parser's rules
                    b.append((char) u);
                }
                default -> {
                    return DECLINED;
                }
            }
        }
        return DECLINED;
    }

    /**
     * {@return the member name in {@code [i, j)}, the string {@link #NAMES} holds when it is the
     * same} The few names a provider's events repeat are made once, not once a document.
     */
    private String name(int i, int j) {
        int n = j - i;
        if (n > MAX_NAME_CHARS) return s.substring(i, j);
        int h = 0;
        for (int k = i; k < j; k++) h = 31 * h + s.charAt(k);
        int slot = (h ^ (h >>> 16)) & (NAMES.length - 1);
        String known = NAMES[slot];
        if (known != null && known.length() == n && s.regionMatches(i, known, 0, n)) return known;
        String name = s.substring(i, j);
        NAMES[slot] = name;
        return name;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
