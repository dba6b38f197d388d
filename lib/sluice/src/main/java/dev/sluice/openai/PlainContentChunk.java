package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonScan;
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
 * {@code delta} written twice, more than {@value JsonScan#MAX_DEPTH} levels, a number of more than
 * {@value JsonScan#MAX_NUMBER_CHARS} characters, data of more than {@value #MAX_CHARS} characters. What it
 * says no to is decoded by {@link OpenAiEventDecoder}, which then decides (the event, or the
 * {@link dev.sluice.ProtocolException}); so what it says yes to is exactly what that decoder reads
 * without error into a {@link ChatCompletionChunk} the rules call content and substance, with no
 * usage ({@code PlainContentChunkTest} checks both against the decoder).
 *
 * <p>The scan is {@link JsonScan}'s. Stateless and thread-safe (each test has its own scan).
 */
final class PlainContentChunk implements Predicate<SseEvent> {
    /** The one instance. */
    static final PlainContentChunk INSTANCE = new PlainContentChunk();

    /** The longest data scanned: a content chunk is far shorter; longer data is decoded. */
    static final int MAX_CHARS = 16 * 1024;

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

    /** One scan of one text: what a plain content chunk holds, over {@link JsonScan}. */
    private static final class Scan {
        private final JsonScan j;
        private boolean content;

        Scan(String s) {
            this.j = new JsonScan(s);
        }

        /** The top-level object. */
        boolean chunk() {
            if (!j.open('{')) return false;
            boolean choices = false;
            if (!j.close('}')) {
                do {
                    int from = j.name();
                    if (from < 0 || !j.colon()) return false;
                    boolean ok;
                    if (j.nameIs(from, "choices")) {
                        if (choices) return false;
                        choices = true;
                        ok = choices();
                    } else if (j.nameIs(from, "usage")) {
                        ok = j.literal("null");
                    } else if (j.nameIs(from, "error")) {
                        return false;
                    } else if (j.nameIs(from, "created")) {
                        ok = j.literal("null") || j.integer(18, true);
                    } else if (j.nameIs(from, "id")
                            || j.nameIs(from, "object")
                            || j.nameIs(from, "model")
                            || j.nameIs(from, "system_fingerprint")
                            || j.nameIs(from, "service_tier")) {
                        ok = j.stringOrNull();
                    } else {
                        ok = j.value(1);
                    }
                    if (!ok) return false;
                } while (j.comma());
                if (!j.close('}')) return false;
            }
            return j.atEnd() && choices && content;
        }

        /** {@code choices}: an array of exactly one choice. */
        private boolean choices() {
            return j.open('[') && choice() && j.close(']');
        }

        /** A choice object. */
        private boolean choice() {
            if (!j.open('{')) return false;
            boolean delta = false;
            if (j.close('}')) return false; // no delta
            do {
                int from = j.name();
                if (from < 0 || !j.colon()) return false;
                boolean ok;
                if (j.nameIs(from, "delta")) {
                    if (delta) return false;
                    delta = true;
                    ok = delta();
                } else if (j.nameIs(from, "index")) {
                    ok = j.integer(9, false);
                } else if (j.nameIs(from, "finish_reason") || j.nameIs(from, "logprobs")) {
                    ok = j.literal("null");
                } else if (j.nameIs(from, "message")) {
                    return false;
                } else {
                    ok = j.value(2);
                }
                if (!ok) return false;
            } while (j.comma());
            return j.close('}');
        }

        /** A choice's delta object: its content, once, a non-empty string. */
        private boolean delta() {
            if (!j.open('{') || j.close('}')) return false;
            do {
                int from = j.name();
                if (from < 0 || !j.colon()) return false;
                boolean ok;
                if (j.nameIs(from, "content")) {
                    if (content) return false;
                    ok = j.nonEmptyString();
                    content = true;
                } else if (j.nameIs(from, "role")
                        || j.nameIs(from, "refusal")
                        || j.nameIs(from, "reasoning_content")
                        || j.nameIs(from, "reasoning")) {
                    ok = j.stringOrNull();
                } else if (j.nameIs(from, "tool_calls") || j.nameIs(from, "reasoning_details")) {
                    ok = j.literal("null") || (j.open('[') && j.close(']'));
                } else {
                    ok = j.value(3);
                }
                if (!ok) return false;
            } while (j.comma());
            return j.close('}');
        }
    }
}
