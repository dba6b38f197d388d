package dev.sluice.openai;

import dev.sluice.sse.SseEvent;
import java.util.function.Predicate;

/**
 * Tells a plain content chunk of a Chat Completions stream from its text, without decoding it: what
 * a verbatim stream ({@link OpenAiClient}'s passthrough) asks of each event it only forwards, where
 * the rules need to know no more than that the chunk is content and of substance, and neither the
 * end, an error nor usage ({@link OpenAiStreamDecoding}).
 *
 * <p>A plain content chunk is an unnamed event whose data is one JSON object with a {@code choices}
 * array of exactly one choice object whose {@code delta} object has a non-empty {@code content}
 * string, and, at any of these levels, none of what would make it more than content or another
 * event: no {@code error} member, {@code usage} null or absent, {@code finish_reason} and
 * {@code logprobs} null or absent, {@code tool_calls} and {@code reasoning_details} null, {@code []}
 * or absent, no {@code message}. The members the decoder reads must be of the types it accepts
 * ({@code id}, {@code object}, {@code model}, {@code system_fingerprint}, {@code service_tier},
 * {@code role}, {@code refusal}, {@code reasoning_content}, {@code reasoning} a string or null,
 * {@code created} an integer of at most 18 digits or null, {@code index} an integer of 0 to 9
 * digits without a sign); any other member may hold any JSON value, as the decoder skips it.
 *
 * <p>It is strict: the whole text is checked against the JSON grammar (string escapes, no raw
 * control characters, numbers, literals, nothing after the object but whitespace), and it says no to
 * anything it is not sure of: a member name with an escape, {@code choices} or {@code content} or
 * {@code delta} written twice, more than {@value #MAX_DEPTH} levels, a number of more than
 * {@value #MAX_NUMBER_CHARS} characters, data of more than {@value #MAX_CHARS} characters. What it
 * says no to is decoded by {@link OpenAiEventDecoder}, which then decides (the event, or the
 * {@link dev.sluice.ProtocolException}); so what it says yes to is exactly what that decoder reads
 * without error into a {@link ChatCompletionChunk} the rules call content and substance, with no
 * usage ({@code PlainContentChunkTest} checks both against the decoder).
 *
 * <p>Stateless and thread-safe (each test has its own scan).
 */
final class PlainContentChunk implements Predicate<SseEvent> {
    /** The one instance. */
    static final PlainContentChunk INSTANCE = new PlainContentChunk();

    /** The longest data scanned: a content chunk is far shorter; longer data is decoded. */
    static final int MAX_CHARS = 16 * 1024;

    /** The deepest nesting scanned (Jackson's bound, {@code Json.MAX_READ_DEPTH}, is far deeper). */
    static final int MAX_DEPTH = 32;

    /** The longest number scanned (Jackson's bound is 1,000 characters). */
    static final int MAX_NUMBER_CHARS = 100;

    private PlainContentChunk() {}

    /** {@return whether the event is a plain content chunk (see the class description)} */
    @Override
    public boolean test(SseEvent event) {
        return event.type().equals(SseEvent.DEFAULT_TYPE) && isPlainContent(event.data());
    }

    /** {@return whether an unnamed event's data is a plain content chunk (see the class description)} */
    static boolean isPlainContent(String data) {
        if (data.length() > MAX_CHARS || data.isEmpty() || data.charAt(0) == '[') return false;
        return new Scan(data).chunk();
    }

    /** One scan of one text: a position moving forward, -1 once the text is declined. */
    private static final class Scan {
        private final String s;
        private final int end;
        private int pos;
        private boolean content;

        Scan(String s) {
            this.s = s;
            this.end = s.length();
        }

        /** The top-level object. */
        boolean chunk() {
            if (!open('{')) return false;
            boolean choices = false;
            if (!close('}')) {
                do {
                    int from = name();
                    if (from < 0) return false;
                    int to = pos - 1;
                    if (!colon()) return false;
                    boolean ok;
                    if (is(from, to, "choices")) {
                        if (choices) return false;
                        choices = true;
                        ok = choices();
                    } else if (is(from, to, "usage")) {
                        ok = literal("null");
                    } else if (is(from, to, "error")) {
                        return false;
                    } else if (is(from, to, "created")) {
                        ok = literal("null") || integer(18, true);
                    } else if (is(from, to, "id")
                            || is(from, to, "object")
                            || is(from, to, "model")
                            || is(from, to, "system_fingerprint")
                            || is(from, to, "service_tier")) {
                        ok = stringOrNull();
                    } else {
                        ok = value(1);
                    }
                    if (!ok) return false;
                } while (comma());
                if (!close('}')) return false;
            }
            skipSpace();
            return pos == end && choices && content;
        }

        /** {@code choices}: an array of exactly one choice. */
        private boolean choices() {
            return open('[') && choice() && close(']');
        }

        /** A choice object. */
        private boolean choice() {
            if (!open('{')) return false;
            boolean delta = false;
            if (close('}')) return false; // no delta
            do {
                int from = name();
                if (from < 0) return false;
                int to = pos - 1;
                if (!colon()) return false;
                boolean ok;
                if (is(from, to, "delta")) {
                    if (delta) return false;
                    delta = true;
                    ok = delta();
                } else if (is(from, to, "index")) {
                    ok = integer(9, false);
                } else if (is(from, to, "finish_reason") || is(from, to, "logprobs")) {
                    ok = literal("null");
                } else if (is(from, to, "message")) {
                    return false;
                } else {
                    ok = value(2);
                }
                if (!ok) return false;
            } while (comma());
            return close('}');
        }

        /** A choice's delta object: its content, once, a non-empty string. */
        private boolean delta() {
            if (!open('{') || close('}')) return false;
            do {
                int from = name();
                if (from < 0) return false;
                int to = pos - 1;
                if (!colon()) return false;
                boolean ok;
                if (is(from, to, "content")) {
                    if (content) return false;
                    skipSpace();
                    int start = pos;
                    ok = string() && pos - start > 2;
                    content = true;
                } else if (is(from, to, "role")
                        || is(from, to, "refusal")
                        || is(from, to, "reasoning_content")
                        || is(from, to, "reasoning")) {
                    ok = stringOrNull();
                } else if (is(from, to, "tool_calls") || is(from, to, "reasoning_details")) {
                    ok = literal("null") || (open('[') && close(']'));
                } else {
                    ok = value(3);
                }
                if (!ok) return false;
            } while (comma());
            return close('}');
        }

        /** {@return whether the name between {@code from} and {@code to} (the quotes excluded) is {@code name}} */
        private boolean is(int from, int to, String name) {
            return to - from == name.length() && s.regionMatches(from, name, 0, name.length());
        }

        /** A member's name, without escapes: {@return the index of its first character, -1 for none} */
        private int name() {
            skipSpace();
            if (pos >= end || s.charAt(pos) != '"') return -1;
            int from = pos + 1;
            for (int i = from; i < end; i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    pos = i + 1;
                    return from;
                }
                if (c == '\\' || c < 0x20) return -1;
            }
            return -1;
        }

        /** Any JSON value, at most {@link #MAX_DEPTH} levels of arrays and objects below {@code depth}. */
        private boolean value(int depth) {
            skipSpace();
            if (pos >= end) return false;
            char c = s.charAt(pos);
            if (c == '"') return string();
            if (c == '{') {
                if (depth >= MAX_DEPTH) return false;
                pos++;
                if (close('}')) return true;
                do {
                    if (name() < 0 && !nameWithEscapes()) return false;
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

        /** The name of a member the decoder skips, which may hold escapes: any string. */
        private boolean nameWithEscapes() {
            skipSpace();
            return pos < end && s.charAt(pos) == '"' && string();
        }

        /** A string or {@code null}. */
        private boolean stringOrNull() {
            skipSpace();
            return pos < end && (s.charAt(pos) == '"' ? string() : literal("null"));
        }

        /** A string literal: its escapes JSON's, no raw control character. */
        private boolean string() {
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

        /** A number by JSON's grammar, of at most {@link #MAX_NUMBER_CHARS} characters. */
        private boolean number() {
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
                if (exponent == 0) return false;
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
        private boolean integer(int maxDigits, boolean signed) {
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
        private boolean literal(String word) {
            skipSpace();
            if (!s.startsWith(word, pos)) return false;
            pos += word.length();
            return true;
        }

        /** {@return whether {@code c} comes next (after whitespace); then past it} */
        private boolean open(char c) {
            skipSpace();
            if (pos >= end || s.charAt(pos) != c) return false;
            pos++;
            return true;
        }

        private boolean close(char c) {
            return open(c);
        }

        private boolean colon() {
            return open(':');
        }

        private boolean comma() {
            return open(',');
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
}
