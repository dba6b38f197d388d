package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonScan;
import dev.sluice.sse.SseEvent;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Tells a plain content delta of an Anthropic Messages stream from its text, without decoding it:
 * what a verbatim stream ({@link AnthropicClient}'s passthrough) asks of each event it only
 * forwards, where the rules need to know no more than that the event is content and of substance,
 * and neither the end, an error nor usage ({@link AnthropicStreamDecoding}). Nearly every event of
 * a stream is one.
 *
 * <p>A plain content delta is an event named {@code content_block_delta} whose data is one JSON
 * object with, each once, a {@code type} member whose text is exactly {@code "content_block_delta"},
 * an {@code index} of 1 to 9 digits without a sign or a leading zero, and a {@code delta} object
 * whose {@code type} is exactly {@code "text_delta"}, {@code "thinking_delta"} or
 * {@code "input_json_delta"} and whose member that type names ({@code text}, {@code thinking},
 * {@code partial_json}) holds a non-empty string; any of those three in the delta holds one, once.
 * Any other member, at either level, may hold any JSON value, as the decoder skips it. The whole
 * text is checked against the JSON grammar ({@link JsonScan}), and it says no to anything it is not
 * sure of: a member name with an escape at either level, data of more than {@value #MAX_CHARS}
 * characters. What it says no to is decoded ({@link AnthropicEventDecoder}), which then decides
 * (the event, or the {@link dev.sluice.ProtocolException}); so what it says yes to is exactly what
 * that decoder reads without error into a {@link ContentBlockDelta} with a non-empty text, thinking
 * or input-JSON delta ({@code PlainContentDeltaTest} checks both against the decoder).
 *
 * <p>Stateless and thread-safe (each test has its own scan).
 */
final class PlainContentDelta implements Predicate<SseEvent> {
    /** The one instance. */
    static final PlainContentDelta INSTANCE = new PlainContentDelta();

    /** The longest data scanned: a delta is far shorter; longer data is decoded. */
    static final int MAX_CHARS = 16 * 1024;

    private static final String TYPE = "content_block_delta";
    private static final String QUOTED_TYPE = '"' + TYPE + '"';

    private PlainContentDelta() {}

    /** {@return whether the event is a plain content delta (see the class description)} */
    @Override
    public boolean test(SseEvent event) {
        return event.type().equals(TYPE) && isPlainContentDelta(event.data());
    }

    /** {@return whether an event's data is a plain content delta (see the class description)} */
    static boolean isPlainContentDelta(String data) {
        if (data.length() > MAX_CHARS) return false;
        JsonScan j = new JsonScan(data);
        if (!j.open('{') || j.close('}')) return false;
        boolean type = false;
        boolean index = false;
        boolean delta = false;
        do {
            int from = j.name();
            if (from < 0 || !j.colon()) return false;
            boolean ok;
            if (j.nameIs(from, "type")) {
                if (type) return false;
                type = true;
                ok = j.stringIs(QUOTED_TYPE);
            } else if (j.nameIs(from, "index")) {
                if (index) return false;
                index = true;
                ok = j.integer(9, false);
            } else if (j.nameIs(from, "delta")) {
                if (delta) return false;
                delta = true;
                ok = delta(j);
            } else {
                ok = j.value(1);
            }
            if (!ok) return false;
        } while (j.comma());
        return j.close('}') && j.atEnd() && type && index && delta;
    }

    /** The delta object: a text, thinking or input-JSON delta with its text. */
    private static boolean delta(JsonScan j) {
        if (!j.open('{') || j.close('}')) return false;
        @Nullable String type = null; // the member the delta's type names
        boolean text = false;
        boolean thinking = false;
        boolean partialJson = false;
        do {
            int from = j.name();
            if (from < 0 || !j.colon()) return false;
            boolean ok;
            if (j.nameIs(from, "type")) {
                if (type != null) return false;
                if (j.stringIs("\"text_delta\"")) type = "text";
                else if (j.stringIs("\"thinking_delta\"")) type = "thinking";
                else if (j.stringIs("\"input_json_delta\"")) type = "partial_json";
                else return false;
                ok = true;
            } else if (j.nameIs(from, "text")) {
                if (text) return false;
                ok = text = j.nonEmptyString();
            } else if (j.nameIs(from, "thinking")) {
                if (thinking) return false;
                ok = thinking = j.nonEmptyString();
            } else if (j.nameIs(from, "partial_json")) {
                if (partialJson) return false;
                ok = partialJson = j.nonEmptyString();
            } else {
                ok = j.value(2);
            }
            if (!ok) return false;
        } while (j.comma());
        if (!j.close('}') || type == null) return false;
        return switch (type) {
            case "text" -> text;
            case "thinking" -> thinking;
            default -> partialJson;
        };
    }
}
