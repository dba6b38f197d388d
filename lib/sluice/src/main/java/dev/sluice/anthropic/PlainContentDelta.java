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
        Event e = new Event();
        return j.object(e) && j.atEnd() && e.type && e.index && e.delta;
    }

    /** The event's object: its type, its index and its delta, once each. */
    private static final class Event implements JsonScan.Members {
        private boolean type;
        private boolean index;
        private boolean delta;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "type")) {
                if (type) return false;
                type = true;
                return j.stringIs(QUOTED_TYPE);
            }
            if (j.nameIs(from, "index")) {
                if (index) return false;
                index = true;
                return j.integer(9, false);
            }
            if (j.nameIs(from, "delta")) {
                if (delta) return false;
                delta = true;
                Delta d = new Delta();
                return j.object(d) && d.hasText();
            }
            return j.value(1);
        }
    }

    /** The delta object: a text, thinking or input-JSON delta, and its text; each of those members once. */
    private static final class Delta implements JsonScan.Members {
        private @Nullable String type; // the member the delta's type names
        private boolean text;
        private boolean thinking;
        private boolean partialJson;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "type")) {
                if (type != null) return false;
                if (j.stringIs("\"text_delta\"")) type = "text";
                else if (j.stringIs("\"thinking_delta\"")) type = "thinking";
                else if (j.stringIs("\"input_json_delta\"")) type = "partial_json";
                return type != null;
            }
            if (j.nameIs(from, "text")) {
                if (text) return false;
                return text = j.nonEmptyString();
            }
            if (j.nameIs(from, "thinking")) {
                if (thinking) return false;
                return thinking = j.nonEmptyString();
            }
            if (j.nameIs(from, "partial_json")) {
                if (partialJson) return false;
                return partialJson = j.nonEmptyString();
            }
            return j.value(2);
        }

        /** {@return whether the type came, and the member it names with text} */
        boolean hasText() {
            if (type == null) return false;
            return switch (type) {
                case "text" -> text;
                case "thinking" -> thinking;
                default -> partialJson;
            };
        }
    }
}
