package dev.sluice.bedrock;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a ConverseStream event's payload with Jackson's streaming parser straight from its UTF-8
 * bytes into the {@link ConverseEvent}, with no {@code String} of the payload and no map tree: the
 * path of every event the {@link ConverseDeltaScanner} declines. It reads what the map path of
 * {@link BedrockDecoder#event(String, String)} reads, member by member, with the same rules: members
 * in any order, unknown ones skipped, a member that came twice holds its last value, one of the
 * wrong JSON type counts as absent, numbers as the value model converts them. Whatever it cannot
 * give exactly as that path would, it declines with {@code null}, and that path decides (the same
 * value, or the error): a payload that is not well-formed UTF-8 (the map path decodes it leniently)
 * or does not start with an opening brace, malformed JSON, an event type it does not know (kept as JSON
 * text), and a delta of a kind kept as JSON text ({@code citation}, an unknown member).
 * {@code BedrockJacksonReadingTest} checks it against that path.
 *
 * <p>Stateless and thread-safe.
 */
final class BedrockJacksonReading {
    private BedrockJacksonReading() {}

    /** {@return the event of this type read from {@code b[off, off + len)}, or null when the map path must decide} */
    static @Nullable ConverseEvent read(String type, byte[] b, int off, int len) {
        if (!startsAsUtf8Object(b, off, len) || !wellFormedUtf8(b, off, off + len)) return null;
        try (JsonParser p = Json.FACTORY.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            @Nullable
            ConverseEvent e = switch (type) {
                case "contentBlockDelta" -> blockDelta(p);
                case "messageStart" -> messageStart(p);
                case "contentBlockStart" -> blockStart(p);
                case "contentBlockStop" -> new ConverseEvent.ContentBlockStop(indexOnly(p));
                case "messageStop" -> messageStop(p);
                case "metadata" -> metadata(p);
                default -> null;
            };
            return e == null || p.nextToken() != null ? null : e;
        } catch (IOException | NumberFormatException e) {
            return null; // the map path reports it
        }
    }

    private static @Nullable ConverseEvent blockDelta(JsonParser p) throws IOException {
        int index = 0;
        ConverseDelta delta = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "contentBlockIndex" -> index = index(p, v);
                case "delta" -> {
                    if (v == JsonToken.START_OBJECT) {
                        delta = delta(p);
                    } else {
                        skip(p, v);
                        delta = null; // an empty delta is an unknown one, kept as JSON text
                    }
                }
                default -> skip(p, v);
            }
        }
        return delta == null ? null : new ConverseEvent.ContentBlockDelta(index, delta);
    }

    /** {@return the set member of a {@code delta} union, with {@link BedrockDecoder#delta}'s precedence, or null to decline} */
    private static @Nullable ConverseDelta delta(JsonParser p) throws IOException {
        String text = null;
        boolean toolUse = false;
        String input = null;
        boolean reasoning = false;
        String reasoningText = null;
        String signature = null;
        String redacted = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "text" -> text = string(p, v);
                case "toolUse" -> {
                    toolUse = v == JsonToken.START_OBJECT;
                    input = null;
                    if (!toolUse) {
                        skip(p, v);
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken w = p.nextToken();
                        if (member.equals("input")) input = string(p, w);
                        else skip(p, w);
                    }
                }
                case "reasoningContent" -> {
                    reasoning = v == JsonToken.START_OBJECT;
                    reasoningText = signature = redacted = null;
                    if (!reasoning) {
                        skip(p, v);
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken w = p.nextToken();
                        switch (member) {
                            case "text" -> reasoningText = string(p, w);
                            case "signature" -> signature = string(p, w);
                            case "redactedContent" -> redacted = string(p, w);
                            default -> skip(p, w);
                        }
                    }
                }
                default -> skip(p, v);
            }
        }
        if (text != null) return new ConverseDelta.TextDelta(text);
        if (toolUse) return new ConverseDelta.ToolUseDelta(input == null ? "" : input);
        if (reasoning) {
            if (reasoningText != null) return new ConverseDelta.ReasoningTextDelta(reasoningText);
            if (signature != null) return new ConverseDelta.ReasoningSignatureDelta(signature);
            if (redacted != null) return new ConverseDelta.RedactedReasoningDelta(redacted);
        }
        return null; // a citation or an unknown member: kept as JSON text by the map path
    }

    private static ConverseEvent messageStart(JsonParser p) throws IOException {
        String role = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("role")) role = orEmpty(string(p, v));
            else skip(p, v);
        }
        return new ConverseEvent.MessageStart(role);
    }

    private static ConverseEvent blockStart(JsonParser p) throws IOException {
        int index = 0;
        ConverseEvent.ToolUseStart start = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "contentBlockIndex" -> index = index(p, v);
                case "start" -> {
                    start = null;
                    if (v != JsonToken.START_OBJECT) {
                        skip(p, v);
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken w = p.nextToken();
                        if (member.equals("toolUse")) start = toolUseStart(p, w);
                        else skip(p, w);
                    }
                }
                default -> skip(p, v);
            }
        }
        return new ConverseEvent.ContentBlockStart(index, start);
    }

    /** {@return the start of {@code toolUse}, or null when it is not an object or an empty one} */
    private static ConverseEvent.@Nullable ToolUseStart toolUseStart(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            skip(p, v);
            return null;
        }
        boolean empty = true;
        String id = "";
        String name = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            empty = false;
            String member = p.currentName();
            JsonToken w = p.nextToken();
            switch (member) {
                case "toolUseId" -> id = orEmpty(string(p, w));
                case "name" -> name = orEmpty(string(p, w));
                default -> skip(p, w);
            }
        }
        return empty ? null : new ConverseEvent.ToolUseStart(id, name);
    }

    private static int indexOnly(JsonParser p) throws IOException {
        int index = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("contentBlockIndex")) index = index(p, v);
            else skip(p, v);
        }
        return index;
    }

    private static ConverseEvent messageStop(JsonParser p) throws IOException {
        String stopReason = "";
        String fields = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "stopReason" -> stopReason = orEmpty(string(p, v));
                case "additionalModelResponseFields" -> fields = objectText(p, v);
                default -> skip(p, v);
            }
        }
        return new ConverseEvent.MessageStop(stopReason, fields);
    }

    private static ConverseEvent metadata(JsonParser p) throws IOException {
        long[] usage = new long[5];
        long latency = -1;
        String trace = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "usage" -> {
                    Arrays.fill(usage, 0);
                    if (v != JsonToken.START_OBJECT) {
                        skip(p, v);
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken w = p.nextToken();
                        int k = switch (member) {
                            case "inputTokens" -> 0;
                            case "outputTokens" -> 1;
                            case "totalTokens" -> 2;
                            case "cacheReadInputTokens" -> 3;
                            case "cacheWriteInputTokens" -> 4;
                            default -> -1;
                        };
                        if (k < 0) skip(p, w);
                        else usage[k] = isNumber(w) ? Math.max(0, longValue(p, w)) : skipped(p, w, 0);
                    }
                }
                case "metrics" -> {
                    latency = -1;
                    if (v != JsonToken.START_OBJECT) {
                        skip(p, v);
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken w = p.nextToken();
                        if (member.equals("latencyMs"))
                            latency = isNumber(w) ? Math.max(0, longValue(p, w)) : skipped(p, w, -1);
                        else skip(p, w);
                    }
                }
                case "trace" -> trace = objectText(p, v);
                default -> skip(p, v);
            }
        }
        return new ConverseEvent.Metadata(
                new ConverseEvent.ConverseUsage(usage[0], usage[1], usage[2], usage[3], usage[4]), latency, trace);
    }

    /** {@return the value as a block index: a number clamped to an int's range, else 0} */
    private static int index(JsonParser p, JsonToken v) throws IOException {
        if (!isNumber(v)) return (int) skipped(p, v, 0);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, longValue(p, v)));
    }

    /** {@return the string value, or null (the value skipped) when it is not a string} */
    private static @Nullable String string(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) return p.getText();
        skip(p, v);
        return null;
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** {@return an object value as JSON text, written as the map path writes it; null (the value skipped) for another value} */
    private static @Nullable String objectText(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            skip(p, v);
            return null;
        }
        return Json.write(Json.readValue(p, v));
    }

    private static boolean isNumber(JsonToken v) {
        return v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** {@return {@code longValue()} of the number the value model makes of it (Long, BigInteger or BigDecimal)} */
    private static long longValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_FLOAT) return p.getDecimalValue().longValue();
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                ? p.getBigIntegerValue().longValue()
                : p.getLongValue();
    }

    private static long skipped(JsonParser p, JsonToken v, long value) throws IOException {
        skip(p, v);
        return value;
    }

    /**
     * Skips the value that starts at {@code v}, reading each scalar as the value model would (a
     * string decoded, a number converted), so that what it refuses is refused here too (and declined).
     */
    private static void skip(JsonParser p, JsonToken v) throws IOException {
        int depth = 0;
        JsonToken t = v;
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getTextCharacters();
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) p.getBigIntegerValue();
                    else p.getLongValue();
                }
                case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                default -> {}
            }
            if (depth == 0) return;
            t = p.nextToken();
            if (t == null) throw new JsonParseException(p, "unexpected end of input");
        }
    }

    /**
     * {@return whether the payload starts with an object's brace and cannot be taken for UTF-16 or
     * UTF-32 by Jackson's encoding detection (no zero byte among the first four)}
     */
    static boolean startsAsUtf8Object(byte[] b, int off, int len) {
        if (len < 2 || b[off] != '{') return false;
        for (int k = 1; k < Math.min(4, len); k++) {
            if (b[off + k] == 0) return false;
        }
        return true;
    }

    /** {@return whether {@code b[from, end)} is well-formed UTF-8 (Unicode's table 3-7), so that any decoder reads it alike} */
    static boolean wellFormedUtf8(byte[] b, int from, int end) {
        int i = from;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2 || c > 0xF4) return false;
            int n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (end - i < n) return false;
            int b1 = b[i + 1] & 0xFF;
            int low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
            int high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            if (b1 < low || b1 > high) return false;
            for (int k = 2; k < n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) return false;
            }
            i += n;
        }
        return true;
    }
}
