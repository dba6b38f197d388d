package dev.sluice.internal.low.json;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the body of a JSON string (what lies between its quotes) straight from the UTF-8 bytes
 * it arrived in, in one pass: ASCII, multi-byte characters and escapes alike, with no
 * intermediate {@code String} of the data. The one decoder of the streaming hot paths (an event's
 * delta text, a tool input's fragment), so realistic content (accented and CJK text, emoji,
 * typographic punctuation, quotes, backslashes, newlines, code inside JSON) is read as fast as
 * ASCII prose, and never falls back to a second path.
 *
 * <p>Strict: it accepts exactly one valid JSON string body in well-formed UTF-8, and gives what
 * Jackson gives for the same text: the escapes {@code \" \\ \/ \b \f \n \r \t} and
 * {@code \}{@code uXXXX} (either hex case, one UTF-16 unit each, so an escaped surrogate pair gives
 * the pair and a lone escaped surrogate stays lone, as in Jackson). It declines, with
 * {@code null}, an unescaped quote or control character, an escape JSON does not define, a
 * truncated escape, and ill-formed UTF-8 (an overlong form, an encoded surrogate, a code point
 * above U+10FFFF, a stray or missing continuation byte): the caller then decodes the data the slow
 * way, where a WHATWG decoder replaces ill-formed bytes and Jackson reports what is invalid.
 * {@code Utf8JsonStringsTest} checks it against Jackson, at every split of the escapes and of the
 * multi-byte characters.
 *
 * <p>Allocation: the result only. Text with neither escapes nor non-ASCII bytes is copied in one
 * step; anything else is decoded into a per-thread scratch buffer (a stream's producer is one
 * thread), then copied once into the result.
 *
 * <p>Stateless apart from the per-thread scratch buffer; safe for concurrent use.
 */
public final class Utf8JsonStrings {
    private Utf8JsonStrings() {}

    /** The largest scratch buffer kept per thread, in chars; longer strings get a buffer of their own. */
    static final int KEPT_SCRATCH_CHARS = 16 * 1024;
    /**
     * The scratch buffer's first size, in chars: a stream's producer is a thread of its own, so
     * each stream makes one; a delta is a few dozen bytes, and a longer string grows it.
     */
    static final int FIRST_SCRATCH_CHARS = 64;
    /** Per thread, not per call: no garbage per string. */
    private static final ThreadLocal<char[]> SCRATCH = new ThreadLocal<>();

    /**
     * {@return the value of the JSON string body {@code bytes[from, end)} (without its quotes), or
     * null when it is not exactly one valid string body in well-formed UTF-8}
     *
     * @param bytes the UTF-8 bytes; read only within {@code [from, end)}, never kept
     * @param from the first byte after the opening quote
     * @param end the index of the closing quote
     */
    public static @Nullable String decode(byte[] bytes, int from, int end) {
        int i = from;
        // The common run: printable ASCII with nothing escaped. One signed comparison also stops at
        // every byte of 0x80 or above (negative as a byte), so the loop has three tests per byte.
        while (i < end) {
            byte b = bytes[i];
            if (b < 0x20 || b == '"' || b == '\\') break;
            i++;
        }
        if (i == end) return new String(bytes, from, end - from, StandardCharsets.ISO_8859_1);
        // UTF-16 never needs more units than UTF-8 has bytes; an escape shrinks too
        int capacity = end - from;
        char[] out = capacity <= KEPT_SCRATCH_CHARS ? scratch(capacity) : new char[capacity];
        int o = 0;
        for (int k = from; k < i; k++) out[o++] = (char) bytes[k];
        while (i < end) {
            int b = bytes[i];
            if (b >= 0x20) {
                if (b == '"') return null;
                if (b != '\\') {
                    out[o++] = (char) b;
                    i++;
                    continue;
                }
                // an escape
                if (++i == end) return null;
                int e = bytes[i++];
                char c;
                switch (e) {
                    case '"', '\\', '/' -> c = (char) e;
                    case 'b' -> c = '\b';
                    case 'f' -> c = '\f';
                    case 'n' -> c = '\n';
                    case 'r' -> c = '\r';
                    case 't' -> c = '\t';
                    case 'u' -> {
                        if (end - i < 4) return null;
                        int code = (hex(bytes[i]) << 12)
                                | (hex(bytes[i + 1]) << 8)
                                | (hex(bytes[i + 2]) << 4)
                                | hex(bytes[i + 3]);
                        if (code < 0) return null; // a non-hex digit gave -1, and -1 shifted stays negative
                        i += 4;
                        c = (char) code;
                    }
                    default -> {
                        return null;
                    }
                }
                out[o++] = c;
            } else if (b >= 0) {
                return null; // an unescaped control character
            } else {
                // a multi-byte character: the well-formed sequences of Unicode's table 3-7
                int lead = b & 0xFF;
                if (lead < 0xC2) return null; // a continuation byte, or an overlong two-byte lead
                if (lead < 0xE0) {
                    if (end - i < 2) return null;
                    int b1 = bytes[i + 1];
                    if (b1 > (byte) 0xBF) return null; // not a continuation byte (0x80 to 0xBF)
                    out[o++] = (char) (((lead & 0x1F) << 6) | (b1 & 0x3F));
                    i += 2;
                } else if (lead < 0xF0) {
                    if (end - i < 3) return null;
                    int b1 = bytes[i + 1] & 0xFF;
                    int b2 = bytes[i + 2];
                    int low = lead == 0xE0 ? 0xA0 : 0x80; // E0: no overlong forms
                    int high = lead == 0xED ? 0x9F : 0xBF; // ED: no encoded surrogates
                    if (b1 < low || b1 > high || b2 > (byte) 0xBF) return null;
                    out[o++] = (char) (((lead & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
                    i += 3;
                } else if (lead <= 0xF4) {
                    if (end - i < 4) return null;
                    int b1 = bytes[i + 1] & 0xFF;
                    int b2 = bytes[i + 2];
                    int b3 = bytes[i + 3];
                    int low = lead == 0xF0 ? 0x90 : 0x80; // F0: no overlong forms
                    int high = lead == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
                    if (b1 < low || b1 > high || b2 > (byte) 0xBF || b3 > (byte) 0xBF) return null;
                    int cp = ((lead & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
                    out[o++] = Character.highSurrogate(cp);
                    out[o++] = Character.lowSurrogate(cp);
                    i += 4;
                } else {
                    return null; // F5 to FF never occur in UTF-8
                }
            }
        }
        return new String(out, 0, o);
    }

    /** {@return this thread's scratch buffer, grown to at least {@code capacity} chars} */
    private static char[] scratch(int capacity) {
        char[] buffer = SCRATCH.get();
        if (buffer == null || buffer.length < capacity) {
            int grown = buffer == null ? FIRST_SCRATCH_CHARS : buffer.length * 2;
            buffer = new char[Math.min(KEPT_SCRATCH_CHARS, Math.max(capacity, grown))];
            SCRATCH.set(buffer);
        }
        return buffer;
    }

    /** {@return the value of an ASCII hex digit, or -1} (Character.digit would take other scripts' digits) */
    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        int lower = c | 0x20;
        if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
        return -1;
    }
}
