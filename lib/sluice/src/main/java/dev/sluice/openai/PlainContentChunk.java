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
 * anything it is not sure of: a member name with an escape where it reads the name (anywhere, an escaped
 * surrogate), {@code choices} or {@code content} or {@code delta} written twice, more than
 * {@value JsonScan#MAX_DEPTH} levels, a number of more than {@value JsonScan#MAX_NUMBER_CHARS} characters or
 * {@value JsonScan#MAX_EXPONENT_DIGITS} digits of exponent, data of more than {@value #MAX_CHARS} characters. What it
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
        JsonScan j = new JsonScan(data);
        Chunk chunk = new Chunk();
        return j.object(chunk) && j.atEnd() && chunk.choice.delta.content;
    }

    /** The chunk's object: {@code choices} once, an array of exactly one choice. */
    private static final class Chunk implements JsonScan.Members {
        private final Choice choice = new Choice();
        private boolean choices;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "choices")) {
                if (choices) return false;
                choices = true;
                return j.open('[') && j.object(choice) && j.close(']');
            }
            if (j.nameIs(from, "usage")) return j.literal("null");
            if (j.nameIs(from, "error")) return false;
            if (j.nameIs(from, "created")) return j.literal("null") || j.integer(18, true);
            if (j.nameIs(from, "id")
                    || j.nameIs(from, "object")
                    || j.nameIs(from, "model")
                    || j.nameIs(from, "system_fingerprint")
                    || j.nameIs(from, "service_tier")) {
                return j.stringOrNull();
            }
            return j.value(1);
        }
    }

    /** A choice object: its delta once, no end, no logprobs, no whole message. */
    private static final class Choice implements JsonScan.Members {
        private final Delta delta = new Delta();
        private boolean seen;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "delta")) {
                if (seen) return false;
                seen = true;
                return j.object(delta);
            }
            if (j.nameIs(from, "index")) return j.integer(9, false);
            if (j.nameIs(from, "finish_reason") || j.nameIs(from, "logprobs")) return j.literal("null");
            if (j.nameIs(from, "message")) return false;
            return j.value(2);
        }
    }

    /** A choice's delta object: its content, once, a non-empty string; no tool call or reasoning details. */
    private static final class Delta implements JsonScan.Members {
        private boolean content;

        @Override
        public boolean member(JsonScan j, int from) {
            if (j.nameIs(from, "content")) {
                if (content) return false;
                content = true;
                return j.nonEmptyString();
            }
            if (j.nameIs(from, "role")
                    || j.nameIs(from, "refusal")
                    || j.nameIs(from, "reasoning_content")
                    || j.nameIs(from, "reasoning")) {
                return j.stringOrNull();
            }
            if (j.nameIs(from, "tool_calls") || j.nameIs(from, "reasoning_details"))
                return j.literal("null") || (j.open('[') && j.close(']'));
            return j.value(3);
        }
    }
}
