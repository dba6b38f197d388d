package dev.sluice.bedrock;

import dev.sluice.internal.low.json.Utf8JsonStrings;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The hot path of decoding a ConverseStream: reads a {@code contentBlockDelta} payload in the exact
 * compact shape Bedrock sends, straight from its UTF-8 bytes, with no JSON parser:
 *
 * <pre>{@code
 * {"contentBlockIndex":N,"delta":{"text":"..."},"p":"abc..."}
 * }</pre>
 *
 * <p>(and likewise {@code {"toolUse":{"input":"..."}}} and {@code {"reasoningContent":{"text":"..."}}},
 * {@code "signature"} or {@code "redactedContent"}; the {@code "p"} padding, of ASCII letters and
 * digits, is optional). It is strict: any deviation (another member order, whitespace, another or an
 * extra member, an index with a sign, a fraction, a leading zero or more than nine digits, a raw
 * control character, an escape JSON does not define, ill-formed UTF-8, anything after the closing
 * brace) gives {@code null}, and the caller reads the payload with Jackson, which then decides (the
 * same value, or the error). So what this accepts, it reads exactly as the map path of
 * {@link BedrockDecoder#event(String, String)} would; the string is decoded by
 * {@link Utf8JsonStrings}. {@code ConverseDeltaScannerTest} checks it against that path.
 *
 * <p>Stateless and thread-safe.
 */
final class ConverseDeltaScanner {
    private ConverseDeltaScanner() {}

    private static final byte[] PREFIX = ascii("{\"contentBlockIndex\":");
    private static final byte[] DELTA = ascii(",\"delta\":{\"");
    private static final byte[] TEXT = ascii("text\":\"");
    private static final byte[] TOOL_INPUT = ascii("toolUse\":{\"input\":\"");
    private static final byte[] REASONING = ascii("reasoningContent\":{\"");
    private static final byte[] REASONING_TEXT = ascii("text\":\"");
    private static final byte[] REASONING_SIGNATURE = ascii("signature\":\"");
    private static final byte[] REASONING_REDACTED = ascii("redactedContent\":\"");
    private static final byte[] PADDING = ascii(",\"p\":\"");

    private static final int TEXT_DELTA = 0;
    private static final int TOOL_USE = 1;
    private static final int REASONING_TEXT_DELTA = 2;
    private static final int SIGNATURE = 3;
    private static final int REDACTED = 4;

    /** {@return the event, or null when {@code data[offset, offset + length)} is not exactly of the compact shape} */
    static ConverseEvent.@Nullable ContentBlockDelta scan(byte[] data, int offset, int length) {
        int end = offset + length;
        if (!at(data, offset, end, PREFIX)) return null;
        int i = offset + PREFIX.length;
        int digitsFrom = i;
        while (i < end && data[i] >= '0' && data[i] <= '9') i++;
        int index = index(data, digitsFrom, i);
        if (index < 0 || !at(data, i, end, DELTA)) return null;
        i += DELTA.length;
        int kind;
        if (at(data, i, end, TEXT)) {
            kind = TEXT_DELTA;
            i += TEXT.length;
        } else if (at(data, i, end, TOOL_INPUT)) {
            kind = TOOL_USE;
            i += TOOL_INPUT.length;
        } else if (at(data, i, end, REASONING)) {
            i += REASONING.length;
            if (at(data, i, end, REASONING_TEXT)) {
                kind = REASONING_TEXT_DELTA;
                i += REASONING_TEXT.length;
            } else if (at(data, i, end, REASONING_SIGNATURE)) {
                kind = SIGNATURE;
                i += REASONING_SIGNATURE.length;
            } else if (at(data, i, end, REASONING_REDACTED)) {
                kind = REDACTED;
                i += REASONING_REDACTED.length;
            } else {
                return null;
            }
        } else {
            return null;
        }
        int from = i;
        while (i < end) { // to the closing quote; what lies between is checked by the decoding
            byte b = data[i];
            if (b == '"') break;
            i += b == '\\' ? 2 : 1;
        }
        if (i >= end) return null;
        int close = i++;
        int braces = kind == TEXT_DELTA ? 1 : 2; // the delta's, and the member object's
        for (int k = 0; k < braces; k++) {
            if (i >= end || data[i++] != '}') return null;
        }
        if (at(data, i, end, PADDING)) {
            i += PADDING.length;
            while (i < end && isLetterOrDigit(data[i])) i++;
            if (i >= end || data[i++] != '"') return null;
        }
        if (i != end - 1 || data[i] != '}') return null;
        String value = Utf8JsonStrings.decode(data, from, close);
        if (value == null) return null;
        ConverseDelta delta = switch (kind) {
            case TEXT_DELTA -> new ConverseDelta.TextDelta(value);
            case TOOL_USE -> new ConverseDelta.ToolUseDelta(value);
            case REASONING_TEXT_DELTA -> new ConverseDelta.ReasoningTextDelta(value);
            case SIGNATURE -> new ConverseDelta.ReasoningSignatureDelta(value);
            default -> new ConverseDelta.RedactedReasoningDelta(value);
        };
        return new ConverseEvent.ContentBlockDelta(index, delta);
    }

    /** {@return the index in the ASCII digits {@code data[from, to)}: 1 to 9 of them, no leading zero (an int, as Jackson reads it), else -1} */
    private static int index(byte[] data, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 9 || (digits > 1 && data[from] == '0')) return -1;
        int index = 0;
        for (int i = from; i < to; i++) index = index * 10 + (data[i] - '0');
        return index;
    }

    private static boolean isLetterOrDigit(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    /** {@return whether {@code data[p, end)} starts with {@code expected}} */
    private static boolean at(byte[] data, int p, int end, byte[] expected) {
        int n = expected.length;
        if (end - p < n) return false;
        for (int k = 0; k < n; k++) {
            if (data[p + k] != expected[k]) return false;
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
