package dev.sluice.anthropic;

import dev.sluice.internal.low.json.Utf8JsonStrings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The hot path of decoding: reads a {@code content_block_delta} in the exact compact shape the
 * API sends, straight from its UTF-8 bytes, with no JSON parser:
 *
 * <pre>{@code
 * {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"..."}}
 * }</pre>
 *
 * <p>(and likewise {@code input_json_delta}/{@code partial_json}, {@code thinking_delta}/
 * {@code thinking}, {@code signature_delta}/{@code signature}). It is strict: any deviation —
 * another key order, whitespace, an extra field, another delta type, an index with a sign, a
 * leading zero or more than nine digits, a raw control character or an escape JSON does not
 * define, anything after the closing braces — gives {@code null}, and the caller decodes the
 * event with Jackson, which then decides (the same value, or the error). So what this accepts,
 * it reads exactly as Jackson would: the string escapes {@code \" \\ \/ \b \f \n \r \t} and
 * {@code \}{@code uXXXX} (either hex case; each escape is one UTF-16 unit, so an escaped
 * surrogate pair gives the pair and a lone escaped surrogate stays lone, as in Jackson).
 * Any well-formed UTF-8 is taken on this one path (accented and CJK text, emoji, typographic
 * punctuation, code full of escapes); {@code CompactDeltaScannerTest} checks it against Jackson
 * on many generated and mutated deltas, and at every split point of the SSE bytes.
 *
 * <p>Stateless and thread-safe.
 */
final class CompactDeltaScanner {
    private CompactDeltaScanner() {}

    private static final String PREFIX = "{\"type\":\"content_block_delta\",\"index\":";
    private static final String DELTA = ",\"delta\":{\"type\":\"";
    private static final String TEXT = "text_delta\",\"text\":\"";
    private static final String INPUT_JSON = "input_json_delta\",\"partial_json\":\"";
    private static final String THINKING = "thinking_delta\",\"thinking\":\"";
    private static final String SIGNATURE = "signature_delta\",\"signature\":\"";
    private static final String END = "\"}}";
    /**
     * Jackson's default maximum string length: it refuses longer strings, so such data is left to
     * it, so that it reports them. A constant rather than read from the factory, so that the hot
     * path never initialises Jackson; {@code CompactDeltaScannerTest} checks it against Jackson.
     */
    static final int MAX_STRING_LENGTH = 20_000_000;

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA_BYTES = DELTA.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT_JSON_BYTES = INPUT_JSON.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THINKING_BYTES = THINKING.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_BYTES = SIGNATURE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_BYTES = END.getBytes(StandardCharsets.US_ASCII);

    /**
     * Reads the event from its raw data bytes (UTF-8 as received), so that the data String is
     * never built. The string value is decoded by {@link Utf8JsonStrings}, which takes any
     * well-formed UTF-8 and every JSON escape on the same path; ill-formed UTF-8 gives
     * {@code null}, and the caller decodes the event from its String, whose UTF-8 decoding (the
     * WHATWG rules for invalid input) is the SSE parser's.
     *
     * {@return the event, or null when {@code data[offset, offset + length)} is not exactly of the compact shape}
     */
    static @Nullable ContentBlockDelta scan(byte[] data, int offset, int length) {
        if (length > MAX_STRING_LENGTH || !startsWith(data, offset, length, 0, PREFIX_BYTES)) return null;
        int i = PREFIX_BYTES.length;
        int digitsFrom = i;
        while (i < length && data[offset + i] >= '0' && data[offset + i] <= '9') i++;
        int index = index(data, offset + digitsFrom, offset + i);
        if (index < 0) return null;
        if (!startsWith(data, offset, length, i, DELTA_BYTES)) return null;
        i += DELTA_BYTES.length;
        int kind;
        if (startsWith(data, offset, length, i, TEXT_BYTES)) {
            kind = 0;
            i += TEXT_BYTES.length;
        } else if (startsWith(data, offset, length, i, INPUT_JSON_BYTES)) {
            kind = 1;
            i += INPUT_JSON_BYTES.length;
        } else if (startsWith(data, offset, length, i, THINKING_BYTES)) {
            kind = 2;
            i += THINKING_BYTES.length;
        } else if (startsWith(data, offset, length, i, SIGNATURE_BYTES)) {
            kind = 3;
            i += SIGNATURE_BYTES.length;
        } else {
            return null;
        }
        int end = length - END_BYTES.length;
        if (end < i || !startsWith(data, offset, length, end, END_BYTES)) return null;
        String value = Utf8JsonStrings.decode(data, offset + i, offset + end);
        if (value == null) return null;
        Delta delta = switch (kind) {
            case 0 -> new TextDelta(value);
            case 1 -> new InputJsonDelta(value);
            case 2 -> new ThinkingDelta(value);
            default -> new SignatureDelta(value);
        };
        return new ContentBlockDelta(index, delta);
    }

    /**
     * {@return the index in the ASCII digits {@code data[from, to)}: 1 to 9 of them, no leading
     * zero (what fits an int and Jackson reads as the same number), else -1}
     */
    static int index(byte[] data, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 9 || (digits > 1 && data[from] == '0')) return -1;
        int index = 0;
        for (int i = from; i < to; i++) {
            int d = data[i] - '0';
            if (d < 0 || d > 9) return -1;
            index = index * 10 + d;
        }
        return index;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * {@return whether {@code data[offset + at, ...)} starts with {@code expected}, within {@code length}}
     * Eight bytes at a time, the last word overlapping the one before: the constants are 3 to 38
     * bytes, and four of them are matched per event, where {@code Arrays.equals}' call and range
     * checks cost more than the comparing (as for the SSE parser's event types).
     */
    private static boolean startsWith(byte[] data, int offset, int length, int at, byte[] expected) {
        int n = expected.length;
        if (at < 0 || length - at < n) return false;
        int p = offset + at;
        if (n < Long.BYTES) {
            for (int k = 0; k < n; k++) {
                if (data[p + k] != expected[k]) return false;
            }
            return true;
        }
        for (int k = 0; k < n - Long.BYTES; k += Long.BYTES) {
            if ((long) LONGS.get(data, p + k) != (long) LONGS.get(expected, k)) return false;
        }
        return (long) LONGS.get(data, p + n - Long.BYTES) == (long) LONGS.get(expected, n - Long.BYTES);
    }
}
