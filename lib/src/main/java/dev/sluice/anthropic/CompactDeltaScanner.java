package dev.sluice.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The hot path of decoding: reads a {@code content_block_delta} in the exact compact shape the
 * API sends, character by character, with no JSON parser:
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
 * {@code CompactDeltaScannerTest} checks this against Jackson on many generated deltas.
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

    /** {@return the event, or null when {@code data} is not exactly of the compact shape} */
    static ContentBlockDelta scan(String data) {
        int n = data.length();
        if (n > MAX_STRING_LENGTH || !data.startsWith(PREFIX)) return null;
        int i = PREFIX.length();
        int digitsFrom = i;
        int index = 0;
        for (char c; i < n && (c = data.charAt(i)) >= '0' && c <= '9'; i++) index = index * 10 + (c - '0');
        int digits = i - digitsFrom;
        if (digits == 0 || digits > 9 || (digits > 1 && data.charAt(digitsFrom) == '0')) return null;
        if (!data.startsWith(DELTA, i)) return null;
        i += DELTA.length();
        int kind;
        if (data.startsWith(TEXT, i)) {
            kind = 0;
            i += TEXT.length();
        } else if (data.startsWith(INPUT_JSON, i)) {
            kind = 1;
            i += INPUT_JSON.length();
        } else if (data.startsWith(THINKING, i)) {
            kind = 2;
            i += THINKING.length();
        } else if (data.startsWith(SIGNATURE, i)) {
            kind = 3;
            i += SIGNATURE.length();
        } else {
            return null;
        }
        // the string runs to the quote of the closing '"}}', which must end the data
        int end = n - END.length();
        if (end < i || !data.startsWith(END, end)) return null;
        String value = string(data, i, end);
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
     * {@return the value of the JSON string body {@code data[from, end)} (without its quotes), or
     * null when that is not exactly one valid string body}
     */
    private static String string(String data, int from, int end) {
        int i = from;
        for (; i < end; i++) {
            char c = data.charAt(i);
            if (c == '\\') break;
            if (c == '"' || c < 0x20) return null;
        }
        if (i == end) return data.substring(from, end);
        StringBuilder out = new StringBuilder(end - from);
        out.append(data, from, i);
        while (i < end) {
            int run = i; // a run of plain characters is appended at once
            char c;
            while ((c = data.charAt(i)) != '\\') {
                if (c == '"' || c < 0x20) return null;
                if (++i == end) return out.append(data, run, end).toString();
            }
            out.append(data, run, i);
            if (++i == end) return null;
            char e = data.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (end - i < 4) return null;
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = hex(data.charAt(i + k));
                        if (h < 0) return null;
                        code = (code << 4) | h;
                    }
                    i += 4;
                    out.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- over bytes

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA_BYTES = DELTA.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT_JSON_BYTES = INPUT_JSON.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THINKING_BYTES = THINKING.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_BYTES = SIGNATURE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_BYTES = END.getBytes(StandardCharsets.US_ASCII);

    /**
     * As {@link #scan(String)}, over the event's raw data bytes (UTF-8 as received), so that the
     * data String is never built: the same shape, the same strictness, the same values. In
     * addition it accepts only ASCII (escapes may still denote any character): a byte of 0x80 or
     * above gives {@code null}, and the caller decodes the event from its String, whose UTF-8
     * decoding (the WHATWG rules for invalid input) is the SSE parser's.
     *
     * {@return the event, or null when {@code data[offset, offset + length)} is not exactly of the compact, ASCII shape}
     */
    static ContentBlockDelta scan(byte[] data, int offset, int length) {
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
        String value = string(data, offset + i, offset + end);
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

    /** {@return whether {@code data[offset + at, ...)} starts with {@code expected}, within {@code length}} */
    private static boolean startsWith(byte[] data, int offset, int length, int at, byte[] expected) {
        if (at < 0 || length - at < expected.length) return false;
        int p = offset + at;
        return Arrays.equals(data, p, p + expected.length, expected, 0, expected.length); // vectorized
    }

    /** As {@link #string(String, int, int)} over ASCII bytes; null also for a byte of 0x80 or above. */
    private static String string(byte[] data, int from, int end) {
        int i = from;
        for (; i < end; i++) {
            byte c = data[i];
            if (c == '\\') break;
            if (c == '"' || c < 0x20) return null; // c < 0: not ASCII
        }
        if (i == end) return new String(data, from, end - from, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(end - from);
        for (int k = from; k < i; k++) out.append((char) data[k]);
        while (i < end) {
            byte c = data[i];
            if (c != '\\') {
                if (c == '"' || c < 0x20) return null;
                out.append((char) c);
                i++;
                continue;
            }
            if (++i == end) return null;
            byte e = data[i++];
            switch (e) {
                case '"', '\\', '/' -> out.append((char) e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (end - i < 4) return null;
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = hex((char) data[i + k]);
                        if (h < 0) return null;
                        code = (code << 4) | h;
                    }
                    i += 4;
                    out.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
        return out.toString();
    }

    /** {@return the value of an ASCII hex digit, or -1} (Character.digit would take other scripts' digits) */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
