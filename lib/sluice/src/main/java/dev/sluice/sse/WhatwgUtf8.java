package dev.sluice.sse;

import java.nio.charset.StandardCharsets;

/**
 * The WHATWG Encoding standard's UTF-8 decoder (the "UTF-8 decode without BOM" algorithm in
 * replacement mode), for one complete run of bytes.
 *
 * <p>The JDK's own UTF-8 decoder agrees with the standard on valid input but not on invalid
 * input: the standard replaces each <em>maximal subpart</em> of an ill-formed sequence with one
 * U+FFFD (so {@code ED A0 80}, an encoded surrogate, becomes three U+FFFD and {@code F0 9F 98}
 * at the end becomes one), which is what a browser's {@code EventSource} shows. So: ASCII takes
 * a fast path, valid non-ASCII input is checked by the standard's state machine and then handed
 * to the JDK (identical result, faster), and only invalid input is decoded here character by
 * character.
 *
 * <p>Stateless; decoding a whole line at once is safe because the SSE parser only decodes
 * complete lines, so a character split across network reads is already whole.
 */
final class WhatwgUtf8 {
    private WhatwgUtf8() {}

    static final char REPLACEMENT = '\uFFFD';

    /** {@return the text of {@code bytes[offset, offset + length)}} */
    static String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) i++;
        if (i == end) return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        if (isValid(bytes, i, end)) return new String(bytes, offset, length, StandardCharsets.UTF_8);
        return decodeReplacing(bytes, offset, end);
    }

    /** Whether {@code bytes[from, end)} is well-formed UTF-8, by the standard's rules. */
    private static boolean isValid(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int needed;
            int lower = 0x80;
            int upper = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0) lower = 0xA0;
                if (b == 0xED) upper = 0x9F;
                needed = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0) lower = 0x90;
                if (b == 0xF4) upper = 0x8F;
                needed = 3;
            } else {
                return false;
            }
            if (i + needed >= end) return false; // truncated at the end
            int c = bytes[i + 1] & 0xFF;
            if (c < lower || c > upper) return false;
            for (int k = 2; k <= needed; k++) {
                c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) return false;
            }
            i += needed + 1;
        }
        return true;
    }

    /** The standard's decoder, step by step, replacing each maximal ill-formed subpart. */
    static String decodeReplacing(byte[] bytes, int offset, int end) {
        char[] out = new char[end - offset]; // at most one char per byte: 4 bytes give 2 chars
        int n = 0;
        int codePoint = 0;
        int needed = 0;
        int seen = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (needed == 0) {
                i++;
                if (b < 0x80) {
                    out[n++] = (char) b;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    if (b == 0xE0) lower = 0xA0;
                    if (b == 0xED) upper = 0x9F;
                    needed = 2;
                    codePoint = b & 0x0F;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    if (b == 0xF0) lower = 0x90;
                    if (b == 0xF4) upper = 0x8F;
                    needed = 3;
                    codePoint = b & 0x07;
                } else {
                    out[n++] = REPLACEMENT;
                }
                continue;
            }
            if (b < lower || b > upper) {
                // the pending sequence is a maximal subpart: one U+FFFD, then this byte again
                codePoint = needed = seen = 0;
                lower = 0x80;
                upper = 0xBF;
                out[n++] = REPLACEMENT;
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (++seen == needed) {
                n += Character.toChars(codePoint, out, n);
                codePoint = needed = seen = 0;
            }
        }
        if (needed != 0) out[n++] = REPLACEMENT;
        return new String(out, 0, n);
    }
}
