package dev.sluice.internal.low.json;

import dev.sluice.internal.low.value.AppendOnlyArray;
import dev.sluice.internal.low.value.AppendOnlyMembers;
import dev.sluice.internal.low.value.AppendOnlyText;
import dev.sluice.internal.low.value.ImmutableJsonArray;
import dev.sluice.internal.low.value.ImmutableJsonObject;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state machine behind {@code dev.sluice.chat.PartialJson}: a push tokenizer that builds the value tree as
 * characters arrive. Every character is looked at once, so the total cost of any number of
 * {@link #feed} calls is linear in the input length.
 *
 * <p>Open containers live on a stack of frames whose members and elements only grow at the end
 * ({@link AppendOnlyMembers}, {@link AppendOnlyArray}); a container is frozen into its immutable
 * form once, when it closes, and its parent holds only that. A {@link #snapshot} shares everything:
 * each open container is a view of its frame's first members, taken in O(1); the string being read
 * is an immutable view of its append-only storage ({@link AppendOnlyText}), made a {@code String}
 * only when the snapshot's value is read; a closed subtree is the same instance in every snapshot.
 * So a snapshot costs O(depth), however much has arrived. Closed containers are
 * {@link ImmutableJsonObject}s and {@link ImmutableJsonArray}s, which the records holding them
 * share instead of deep-copying.
 *
 * <p>A snapshot is taken again only when something it shows has changed (a count of such changes,
 * {@code changes}, says when): input that shows nothing new (whitespace, a key or a number still
 * being read) leaves the same instance.
 *
 * <p>Threading: not thread-safe; owned by one thread at a time.
 *
 * <p>Why this file is long: one state machine, its states sharing the frame stack and the text being read,
 * which a split would have to pass between classes character by character.
 */
public final class IncrementalJsonParser {
    /** How deep objects and arrays may nest: {@link Json#MAX_READ_DEPTH}, the limit of every JSON reader here. */
    public static final int MAX_DEPTH = Json.MAX_READ_DEPTH;

    /**
     * What {@link #finish()} found: the value (best effort when the input was cut off) and the
     * first error, or null.
     *
     * @param value the value, in the JSON value model
     * @param error the first error, or null when the input was valid JSON
     */
    public record Parsed(@Nullable Object value, @Nullable String error) {}

    // What the next character may be.
    private static final int START = 0; // top level, before the value
    private static final int ARR_FIRST = 1; // after '['
    private static final int ARR_NEXT = 2; // after ',' in an array
    private static final int ARR_AFTER = 3; // after a value in an array
    private static final int OBJ_FIRST = 4; // after '{'
    private static final int OBJ_NEXT = 5; // after ',' in an object
    private static final int OBJ_COLON = 6; // after a key
    private static final int OBJ_VALUE = 7; // after ':'
    private static final int OBJ_AFTER = 8; // after a value in an object
    private static final int END = 9; // after the top-level value
    private static final int STRING = 10; // inside a string (key or value)
    private static final int STRING_ESC = 11; // after a backslash
    private static final int STRING_U = 12; // inside \\uXXXX
    private static final int NUMBER = 13;
    private static final int LITERAL = 14;
    private static final int TOO_DEEP = 15; // nested past MAX_DEPTH: the rest is not parsed

    /** Marks a dropped value (an invalid number or literal) in {@link #valueEnded}. */
    private static final Object DROPPED = new Object();

    private static final class Frame {
        final @Nullable AppendOnlyMembers map; // null for an array
        final @Nullable AppendOnlyArray list; // null for an object

        @Nullable
        String pendingKey; // object: the key whose value is being read

        Frame(boolean object) {
            map = object ? new AppendOnlyMembers() : null;
            list = object ? null : new AppendOnlyArray();
        }

        /** {@return the array of an array frame} */
        AppendOnlyArray array() {
            return Objects.requireNonNull(list, "a frame is an object or an array");
        }

        Object freeze() {
            return map != null ? map.freeze() : array().freeze();
        }
    }

    private final StringParts text = new StringParts(); // the input as it came: the fragments themselves, not copied
    private final ArrayList<Frame> stack = new ArrayList<>();
    private int state = START;
    private int offset; // index in text of the character being processed

    private @Nullable Object root; // the top-level value once complete
    private boolean rootSet;

    private final AppendOnlyText str = new AppendOnlyText(); // the string being read: a snapshot holds a view of it
    private boolean strIsKey;
    private int strStart; // offset of the opening quote
    private char pendingHigh; // an escaped high surrogate waiting for its low half
    private int escStart; // offset of the backslash of the current escape
    private int uValue;
    private int uDigits;
    private final char[] uChars = new char[4]; // the digits of the unicode escape so far, as written

    private final StringBuilder num = new StringBuilder();
    private int numStart;

    private @Nullable String literal; // "true", "false" or "null" while one is being read
    private int literalPos;
    private int literalStart;

    private long changes; // counts changes of what a snapshot shows or of what is still open
    private long stringChanges; // the count when the string being read began
    private @Nullable Object lastSnapshot; // the last snapshot taken, valid while changes == snapshotChanges
    private long snapshotChanges = -1;
    private @Nullable Object
            lastSettled; // the last snapshot without the open string, valid while settledChanges matches
    private long settledChanges = -1;

    private @Nullable String firstError;
    private int errorCount;
    private boolean truncated; // set by finish(): the only problems are the end of input
    private boolean finished;

    // ---------------------------------------------------------------- input

    public void feed(CharSequence fragment) {
        if (finished) throw new IllegalStateException("finish() was called: no more input is accepted");
        int base = text.length();
        text.append(fragment.toString());
        int n = fragment.length();
        int i = 0;
        while (i < n && state != TOO_DEEP) {
            if (state == STRING && pendingHigh == 0) {
                // Fast path: copy a run of ordinary string characters at once.
                int j = i;
                while (j < n) {
                    char c = fragment.charAt(j);
                    if (c == '"' || c == '\\' || c < 0x20) break;
                    j++;
                }
                if (j > i) {
                    str.append(fragment, i, j);
                    if (!strIsKey) changes++;
                    i = j;
                    continue;
                }
            }
            offset = base + i;
            char c = fragment.charAt(i);
            if (step(c)) i++;
        }
    }

    /** Processes one character; returns false when the character must be looked at again in the new state. */
    @SuppressWarnings(
            "RefactorSwitch") // a state's case returns from several places: one switch expression would not read better
    private boolean step(char c) {
        switch (state) {
            case START, ARR_NEXT, OBJ_VALUE -> {
                if (isWhitespace(c)) return true;
                if (c == ']' && state == ARR_NEXT) {
                    error("unexpected ']' after ',' at offset " + offset);
                    closeContainer();
                    return true;
                }
                if (c == '}' && state == OBJ_VALUE) {
                    error("unexpected '}' where a value was expected at offset " + offset);
                    top().pendingKey = null;
                    closeContainer();
                    return true;
                }
                beginValue(c);
                return true;
            }
            case ARR_FIRST -> {
                if (isWhitespace(c)) return true;
                if (c == ']') closeContainer();
                else beginValue(c);
                return true;
            }
            case ARR_AFTER -> {
                if (isWhitespace(c)) return true;
                if (c == ',') state = ARR_NEXT;
                else if (c == ']') closeContainer();
                else stray(c);
                return true;
            }
            case OBJ_FIRST, OBJ_NEXT -> {
                if (isWhitespace(c)) return true;
                if (c == '"') beginString(true);
                else if (c == '}') {
                    if (state == OBJ_NEXT) error("unexpected '}' after ',' at offset " + offset);
                    closeContainer();
                } else stray(c);
                return true;
            }
            case OBJ_COLON -> {
                if (isWhitespace(c)) return true;
                if (c == ':') state = OBJ_VALUE;
                else if (c == '}') {
                    error("unexpected '}' where ':' was expected at offset " + offset);
                    top().pendingKey = null;
                    closeContainer();
                } else stray(c);
                return true;
            }
            case OBJ_AFTER -> {
                if (isWhitespace(c)) return true;
                if (c == ',') state = OBJ_NEXT;
                else if (c == '}') closeContainer();
                else stray(c);
                return true;
            }
            case END -> {
                if (!isWhitespace(c)) {
                    error("unexpected character " + quote(c) + " after the end of the JSON value at offset " + offset);
                }
                return true;
            }
            case STRING -> {
                stringChar(c);
                return true;
            }
            case STRING_ESC -> {
                escapeChar(c);
                return true;
            }
            case STRING_U -> {
                return unicodeDigit(c);
            }
            case NUMBER -> {
                if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
                    num.append(c);
                    return true;
                }
                endNumber();
                return false;
            }
            case LITERAL -> {
                String word = Objects.requireNonNull(literal, "the LITERAL state reads a literal");
                if (c == word.charAt(literalPos)) {
                    literalPos++;
                    if (literalPos == word.length()) {
                        Object value = switch (word) {
                            case "true" -> true;
                            case "false" -> false;
                            default -> null;
                        };
                        literal = null;
                        valueEnded(value);
                    }
                    return true;
                }
                error("invalid literal '" + word.substring(0, literalPos) + "' followed by " + quote(c) + " at offset "
                        + offset);
                literal = null;
                valueEnded(DROPPED);
                return false;
            }
            default -> throw new AssertionError("state " + state);
        }
    }

    private void beginValue(char c) {
        switch (c) {
            case '{', '[' -> {
                if (stack.size() == MAX_DEPTH) {
                    tooDeep();
                    return;
                }
                boolean object = c == '{';
                stack.add(new Frame(object));
                state = object ? OBJ_FIRST : ARR_FIRST;
                changes++;
            }
            case '"' -> beginString(false);
            case 't' -> beginLiteral("true");
            case 'f' -> beginLiteral("false");
            case 'n' -> beginLiteral("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    num.setLength(0);
                    num.append(c);
                    numStart = offset;
                    state = NUMBER;
                } else {
                    stray(c);
                }
            }
        }
    }

    private void beginLiteral(String word) {
        literal = word;
        literalPos = 1;
        literalStart = offset;
        state = LITERAL;
    }

    private void beginString(boolean key) {
        str.clear();
        strIsKey = key;
        strStart = offset;
        pendingHigh = 0;
        state = STRING;
        if (!key) {
            boolean current = snapshotChanges == changes;
            stringChanges = ++changes;
            if (current) { // the last snapshot is the value without this string: the same instance serves
                lastSettled = lastSnapshot;
                settledChanges = stringChanges;
            }
        }
    }

    private void stringChar(char c) {
        if (c == '"') {
            flushHighSurrogate();
            String s = str.toString();
            if (strIsKey) {
                top().pendingKey = s;
                state = OBJ_COLON;
            } else {
                valueEnded(s);
            }
        } else if (c == '\\') {
            escStart = offset;
            state = STRING_ESC;
        } else {
            if (c < 0x20) {
                error("unescaped control character " + quote(c) + " in a string at offset " + offset);
            }
            appendChar(c);
        }
    }

    private void escapeChar(char c) {
        state = STRING;
        switch (c) {
            case '"', '\\', '/' -> appendChar(c);
            case 'b' -> appendChar('\b');
            case 'f' -> appendChar('\f');
            case 'n' -> appendChar('\n');
            case 'r' -> appendChar('\r');
            case 't' -> appendChar('\t');
            case 'u' -> {
                uValue = 0;
                uDigits = 0;
                state = STRING_U;
            }
            default -> {
                // Kept verbatim, so nothing the model wrote is lost; the input is marked invalid.
                error("invalid escape '\\" + printable(c) + "' at offset " + escStart);
                appendChar('\\');
                appendChar(c);
            }
        }
    }

    private boolean unicodeDigit(char c) {
        int d = Character.digit(c, 16);
        if (d < 0 || c > 'f') {
            error("invalid \\u escape: " + quote(c) + " is not a hex digit at offset " + offset);
            appendChar('\\');
            appendChar('u');
            for (int k = 0; k < uDigits; k++) appendChar(uChars[k]);
            state = STRING;
            return false; // the character is read again as part of the string
        }
        uValue = (uValue << 4) | d;
        uChars[uDigits] = c;
        if (++uDigits < 4) return true;
        state = STRING;
        if (!strIsKey) changes++;
        char u = (char) uValue;
        if (Character.isHighSurrogate(u)) {
            flushHighSurrogate();
            pendingHigh = u;
        } else if (Character.isLowSurrogate(u)) {
            if (pendingHigh != 0) {
                str.append(pendingHigh).append(u);
                pendingHigh = 0;
            } else if (!str.isEmpty() && Character.isHighSurrogate(str.charAt(str.length() - 1))) {
                str.append(u); // completes a raw high surrogate
            } else {
                str.append('\uFFFD'); // a lone low surrogate
            }
        } else {
            appendChar(u);
        }
        return true;
    }

    private void appendChar(char c) {
        if (!strIsKey) changes++;
        if (pendingHigh != 0 && Character.isLowSurrogate(c)) {
            str.append(pendingHigh); // an escaped high surrogate completed by a raw low one
            pendingHigh = 0;
        }
        flushHighSurrogate();
        str.append(c);
    }

    private void flushHighSurrogate() {
        if (pendingHigh != 0) {
            if (!strIsKey) changes++;
            str.append('\uFFFD'); // an escaped high surrogate not followed by an escaped low one
            pendingHigh = 0;
        }
    }

    /** {@return a number's text as a message shows it: its first 40 characters, for it may be as long as the input} */
    private static String shown(String number) {
        return number.length() > 40 ? number.substring(0, 40) + "..." : number;
    }

    private void endNumber() {
        String s = num.toString();
        Object value;
        try {
            value = toNumber(s);
            if (value == null) error("invalid number '" + shown(s) + "' at offset " + numStart);
        } catch (NumberFormatException e) { // valid JSON, but an exponent beyond BigDecimal's range
            value = null;
            error("number '" + shown(s) + "' at offset " + numStart + " is out of range");
        }
        if (value == null) value = DROPPED;
        valueEnded(value);
    }

    private void closeContainer() {
        Frame frame = stack.remove(stack.size() - 1);
        valueEnded(frame.freeze());
    }

    /** A value is complete (or was dropped): put it where it belongs and move on. */
    private void valueEnded(@Nullable Object value) {
        if (value != DROPPED) changes++;
        if (stack.isEmpty()) {
            if (value != DROPPED) {
                root = value;
                rootSet = true;
            }
            state = END;
            return;
        }
        Frame frame = top();
        AppendOnlyMembers map = frame.map;
        if (map != null) {
            if (value != DROPPED)
                map.put(Objects.requireNonNull(frame.pendingKey, "a member's key comes first"), value);
            frame.pendingKey = null;
            state = OBJ_AFTER;
        } else {
            if (value != DROPPED) frame.array().add(value);
            state = ARR_AFTER;
        }
    }

    /**
     * An object or array opens deeper than {@link #MAX_DEPTH}: the value is not built
     * (what was built so far is dropped, so nothing deep is ever walked), and the rest of the input
     * is only kept as text.
     */
    private void tooDeep() {
        error("JSON nested deeper than " + MAX_DEPTH + " levels (at offset " + offset + "): the value is not built");
        stack.clear();
        stack.trimToSize();
        root = null;
        rootSet = false;
        changes++;
        state = TOO_DEEP;
    }

    private void stray(char c) {
        error("unexpected character " + quote(c) + " at offset " + offset);
    }

    private void error(String message) {
        if (firstError == null) firstError = message;
        errorCount++;
    }

    private Frame top() {
        return stack.get(stack.size() - 1);
    }

    // ---------------------------------------------------------------- output

    public String text() {
        return text.toString();
    }

    /** {@return an immutable view of the input so far} O(1). */
    public CharSequence textView() {
        return text.view();
    }

    /** The best-effort value of what has arrived; see {@code PartialJson.snapshot()}. */
    public @Nullable Object snapshot() {
        if (finished || rootSet) return root;
        if (state == TOO_DEEP) return null;
        if (snapshotChanges == changes) return lastSnapshot; // nothing it shows changed since: the same immutable value
        Object value;
        if (stack.isEmpty()) {
            value = isReadingStringValue() ? openString().toString() : null; // a bare string: no container to defer it
        } else {
            value = snapshotOpen(true);
        }
        lastSnapshot = value;
        snapshotChanges = changes;
        return value;
    }

    /**
     * The snapshot without the string value being read, if one is (it is left out as a number
     * being read is); otherwise {@link #snapshot()}. While one string is read, the same instance.
     */
    public @Nullable Object snapshotWithoutOpenString() {
        if (!isReadingStringValue() || finished || rootSet || state == TOO_DEEP) return snapshot();
        if (settledChanges == stringChanges) return lastSettled;
        Object value = stack.isEmpty() ? null : snapshotOpen(false);
        lastSettled = value;
        settledChanges = stringChanges;
        return value;
    }

    /**
     * The path from the top-level value to the innermost value still open, as a snapshot shows
     * it: member names and element indexes; the string being read, if any, is its last step.
     * Empty when the top-level value is complete, or is itself the innermost open value.
     */
    public List<Object> openPath() {
        if (finished || rootSet || state == TOO_DEEP || stack.isEmpty()) return List.of();
        int depth = stack.size();
        boolean string = isReadingStringValue();
        List<Object> path = new ArrayList<>(depth);
        for (int d = 0; d < depth; d++) {
            if (d == depth - 1 && !string) break;
            Frame f = stack.get(d);
            path.add(f.map != null ? f.pendingKey : (Object) f.array().size());
        }
        return List.copyOf(path);
    }

    /** Whether the innermost open value is a string value being read (the last step of {@link #openPath()}). */
    public boolean isStringOpen() {
        return !finished && !rootSet && isReadingStringValue();
    }

    /** Whether the top-level value is complete: anything after it but whitespace is an error. */
    public boolean isComplete() {
        return rootSet;
    }

    /**
     * The open containers, closed, from the innermost out: a loop rather than a recursion, though
     * the stack holds at most {@link #MAX_DEPTH} frames.
     */
    private @Nullable Object snapshotOpen(boolean withString) {
        Object child = null;
        boolean hasChild = false;
        if (withString && isReadingStringValue()) {
            child = openString();
            hasChild = true;
        }
        for (int depth = stack.size() - 1; depth >= 0; depth--) {
            child = snapshotFrame(stack.get(depth), child, hasChild);
            hasChild = true;
        }
        return child;
    }

    private static Object snapshotFrame(Frame frame, @Nullable Object child, boolean hasChild) {
        AppendOnlyMembers map = frame.map;
        if (map != null) {
            return ImmutableJsonObject.withTail(
                    map.view(), hasChild ? frame.pendingKey : null, hasChild ? child : null);
        }
        return frame.array().view(hasChild, child);
    }

    private boolean isReadingStringValue() {
        return (state == STRING || state == STRING_ESC || state == STRING_U) && !strIsKey;
    }

    /** The string being read, as an immutable view: O(1), its String built only if it is read. */
    private TextView openString() {
        int len = str.length();
        // A raw high surrogate whose low half has not arrived yet is not shown.
        if (len > 0 && Character.isHighSurrogate(str.charAt(len - 1))) len--;
        return str.view(len);
    }

    /** Ends the input; see {@code PartialJson.finish()}. Idempotent. */
    public Parsed finish() {
        if (!finished && state == TOO_DEEP) {
            finished = true;
            if (errorCount > 1)
                firstError += " (and " + (errorCount - 1) + " more problem" + (errorCount > 2 ? "s" : "") + ")";
        }
        if (!finished) {
            offset = text.length();
            boolean validSoFar = errorCount == 0 && state != START;
            switch (state) {
                case NUMBER -> endNumber();
                case LITERAL -> {
                    String word = Objects.requireNonNull(literal, "the LITERAL state reads a literal");
                    error("incomplete literal '" + word.substring(0, literalPos) + "' at offset " + literalStart
                            + ": unexpected end of input at offset " + offset);
                    literal = null;
                    valueEnded(DROPPED);
                }
                case STRING, STRING_ESC, STRING_U ->
                    error("unterminated string starting at offset " + strStart + ": unexpected end of input at offset "
                            + offset);
                default -> {}
            }
            if (!stack.isEmpty() && state != STRING && state != STRING_ESC && state != STRING_U) {
                error("unexpected end of input at offset " + offset + ": " + stack.size()
                        + (stack.size() == 1 ? " container is" : " containers are") + " still open, expected '"
                        + (top().map != null ? '}' : ']') + "'");
            }
            if (state == START) {
                error(text.isEmpty() ? "empty input: no JSON value" : "no JSON value in the input (only whitespace)");
            }
            changes++; // ending a number at the end of input may change the value without more text
            if (!rootSet) root = snapshot(); // open containers closed, a partial string as far as it came
            truncated = validSoFar && errorCount > 0;
            finished = true;
            if (errorCount > 1)
                firstError += " (and " + (errorCount - 1) + " more problem" + (errorCount > 2 ? "s" : "") + ")";
        }
        return new Parsed(root, firstError);
    }

    /** See {@code PartialJson.isTruncated()}. */
    public boolean truncated() {
        return truncated;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    public static Map<String, Object> emptyObject() {
        return ImmutableJsonObject.empty();
    }

    public static List<Object> immutableList(List<Object> list) {
        return ImmutableJsonArray.copyOf(list);
    }

    private static String quote(char c) {
        return "'" + printable(c) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c)
                ? String.format("\\u%04x", (int) c)
                : String.valueOf(c);
    }

    /**
     * The JSON number in s as a Long, BigInteger or BigDecimal, or null if s is not a valid JSON
     * number. @throws NumberFormatException for a valid number whose exponent BigDecimal cannot hold
     */
    public static @Nullable Object toNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') i++;
        if (i >= n) return null;
        if (s.charAt(i) == '0') {
            i++;
        } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            while (i < n && isDigit(s.charAt(i))) i++;
        } else {
            return null;
        }
        boolean integer = true;
        if (i < n && s.charAt(i) == '.') {
            integer = false;
            i++;
            int digits = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == digits) return null;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            integer = false;
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int digits = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == digits) return null;
        }
        if (i != n) return null;
        if (!integer) return new BigDecimal(s);
        if (n <= 18) return Long.parseLong(s);
        BigInteger big = new BigInteger(s);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
