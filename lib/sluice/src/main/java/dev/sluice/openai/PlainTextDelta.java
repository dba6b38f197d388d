package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonScan;
import dev.sluice.sse.SseEvent;
import java.util.function.Predicate;

/**
 * Tells a plain text delta of a Responses API stream from its text, without decoding it: what a
 * verbatim stream ({@link Responses#passthrough()}) asks of each event it only forwards, where the
 * rules need to know no more than that the event is content and of substance, and neither the end,
 * an error nor usage ({@link ResponsesStreamDecoding}). Nearly every event of a stream is one.
 *
 * <p>A plain text delta is an event named {@code response.output_text.delta} whose data is one JSON
 * object with a {@code type} member whose text is exactly {@code "response.output_text.delta"} and
 * a {@code delta} member holding a non-empty string, each once; any other member ({@code item_id},
 * {@code output_index}, {@code content_index}, {@code sequence_number}, {@code logprobs},
 * {@code obfuscation}) may hold any JSON value, as the decoder ({@link ResponsesJson}) reads those
 * leniently. The whole text is checked against the JSON grammar ({@link JsonScan}), and it says no to
 * anything it is not sure of: a top-level member name with an escape, data of more than
 * {@value #MAX_CHARS} characters. What it says no to is decoded, and the decoder decides (the event,
 * or the {@link dev.sluice.ProtocolException}); so what it says yes to is exactly what the decoder
 * reads without error into a {@link ResponseStreamEvent.OutputTextDelta} with text
 * ({@code PlainTextDeltaTest} checks both against the decoder).
 *
 * <p>Stateless and thread-safe (each test has its own scan).
 */
final class PlainTextDelta implements Predicate<SseEvent> {
    /** The one instance. */
    static final PlainTextDelta INSTANCE = new PlainTextDelta();

    /** The longest data scanned: a text delta is far shorter; longer data is decoded. */
    static final int MAX_CHARS = 16 * 1024;

    private static final String TYPE = "response.output_text.delta";
    private static final String QUOTED_TYPE = '"' + TYPE + '"';

    private PlainTextDelta() {}

    /** {@return whether the event is a plain text delta (see the class description)} */
    @Override
    public boolean test(SseEvent event) {
        return event.type().equals(TYPE) && isPlainTextDelta(event.data());
    }

    /** {@return whether an event's data is a plain text delta (see the class description)} */
    static boolean isPlainTextDelta(String data) {
        if (data.length() > MAX_CHARS) return false;
        JsonScan j = new JsonScan(data);
        Event e = new Event();
        return j.object(e) && j.atEnd() && e.type && e.delta;
    }

    /** The event's object: its type and its delta, once each. */
    private static final class Event implements JsonScan.Members {
        private boolean type;
        private boolean delta;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "type")) {
                if (type) return false;
                type = true;
                return j.stringIs(QUOTED_TYPE);
            }
            if (j.nameIs(from, "delta")) {
                if (delta) return false;
                delta = true;
                return j.nonEmptyString();
            }
            return j.value(1);
        }
    }
}
