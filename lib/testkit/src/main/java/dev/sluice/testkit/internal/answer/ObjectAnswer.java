package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Ids;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.spi.Voice;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The fake model's answer to a structured-output request, planned or scripted: JSON valid against
 * the request's schema ({@link SchemaSample} filled by the {@link Voice}; JSON mode, without a
 * schema, gets one that fits the prompt), keys in the schema's order, cut into fragments of two to
 * ten characters anywhere (inside strings, numbers and escapes), sent as the message's text or, when
 * the request forced a tool, as that tool call's arguments. Within the token budget, else cut mid-way
 * with the limit as the ending. Stop sequences do not apply. A {@link Script} changes it: other JSON,
 * cut after some characters, refused, made invalid or given a value of the wrong type.
 */
public final class ObjectAnswer {
    private ObjectAnswer() {}

    /**
     * What a scripted structured answer changes; every part optional.
     *
     * @param pieces the JSON text's deltas as given, or null for the generated answer
     * @param cutAt the characters after which it is cut off with the token limit as the ending, or -1
     * @param refusal the refusal's text, or null
     * @param invalid whether the JSON is broken at its end (its last character replaced by {@code ,]})
     * @param wrongTypeAt a JSON Pointer into the generated value whose value gets another JSON type, or null
     */
    public record Script(
            @Nullable List<String> pieces,
            int cutAt,
            @Nullable String refusal,
            boolean invalid,
            @Nullable String wrongTypeAt) {
        public static final Script GENERATED = new Script(null, -1, null, false, null);

        public Script {
            if (pieces != null) pieces = List.copyOf(pieces);
        }

        public Script withPieces(List<String> p) {
            return new Script(p, cutAt, refusal, invalid, wrongTypeAt);
        }

        public Script withCutAt(int n) {
            return new Script(pieces, n, refusal, invalid, wrongTypeAt);
        }

        public Script withRefusal(String text) {
            return new Script(pieces, cutAt, text, invalid, wrongTypeAt);
        }

        public Script withInvalid() {
            return new Script(pieces, cutAt, refusal, true, wrongTypeAt);
        }

        public Script withWrongTypeAt(String pointer) {
            return new Script(pieces, cutAt, refusal, invalid, pointer);
        }
    }

    /** A structured answer's blocks, how it ends, and its estimated output tokens. */
    public record Planned(List<Reply.Block> blocks, Reply.Stop stop, int tokens) {}

    /** {@return the generated value for a request: an object for a forced tool call, as its input must be} */
    public static JsonNode value(FakeRequest request, long seed) {
        FakeRequest.Output out = request.output();
        JsonNode schema = out == null ? null : out.schema();
        Voice.Fill fill = Voices.current().fill(request.prompt(), seed, schema);
        JsonNode value = SchemaSample.of(schema != null ? schema : fill.schemaForJsonMode(), fill);
        return out != null && out.viaTool() && !value.isObject() ? Json.object() : value;
    }

    /**
     * {@return the structured answer to a request, within {@code budget} tokens}
     *
     * @throws ApiError when {@code wrongTypeAt} points at nothing in the generated value
     */
    public static Planned plan(FakeRequest request, Script script, long seed, Random random, int budget)
            throws ApiError {
        if (script.refusal() != null) {
            List<String> deltas = Deltas.chunks(script.refusal(), random);
            return new Planned(List.of(new Reply.Refusal(deltas)), Reply.Stop.REFUSAL, ReplyPlanner.tokens(deltas));
        }
        JsonNode value = null;
        String text;
        if (script.pieces() != null) {
            text = String.join("", script.pieces());
        } else {
            value = value(request, seed);
            if (script.wrongTypeAt() != null) value = withWrongType(value, script.wrongTypeAt());
            text = Json.write(value);
        }
        if (script.invalid()) text = text.isEmpty() ? "{,]" : text.substring(0, text.length() - 1) + ",]";
        List<String> deltas =
                script.pieces() != null && !script.invalid() ? script.pieces() : Deltas.fragments(text, random);
        boolean cut = false;
        if (script.cutAt() >= 0) {
            deltas = cutAfter(deltas, script.cutAt());
            cut = true;
        } else if (ReplyPlanner.tokens(deltas) > budget) {
            deltas = ReplyPlanner.fit(deltas, budget);
            cut = true;
        }
        FakeRequest.Output out = request.output();
        Reply.Block block;
        Reply.Stop stop;
        if (out != null && out.viaTool()) {
            ObjectNode input =
                    cut ? Json.object() : !script.invalid() && value instanceof ObjectNode o ? o : parsedObject(text);
            block = new Reply.ToolUse(Ids.neutral(), out.name(), input, deltas, cut);
            stop = cut ? Reply.Stop.MAX_TOKENS : Reply.Stop.FORCED_TOOL_USE;
        } else {
            block = new Reply.Text(deltas);
            stop = cut ? Reply.Stop.MAX_TOKENS : Reply.Stop.END_TURN;
        }
        return new Planned(List.of(block), stop, ReplyPlanner.tokens(deltas));
    }

    /** {@return the text parsed if it is a JSON object (what an API that sends objects sends), else {@code {}}} */
    private static ObjectNode parsedObject(String text) {
        try {
            return Json.parse(text) instanceof ObjectNode o ? o : Json.object();
        } catch (Json.Malformed e) {
            return Json.object();
        }
    }

    /** {@return the deltas up to {@code n} characters, the last one cut there (never between the halves of a surrogate pair)} */
    static List<String> cutAfter(List<String> deltas, int n) {
        List<String> out = new ArrayList<>();
        int left = n;
        for (String d : deltas) {
            if (left <= 0) break;
            if (d.length() <= left) {
                out.add(d);
                left -= d.length();
                continue;
            }
            int end = left;
            if (Character.isHighSurrogate(d.charAt(end - 1))) end--;
            if (end > 0) out.add(d.substring(0, end));
            break;
        }
        return out;
    }

    /**
     * {@return the value with the one at a JSON Pointer replaced by one of another JSON type: a
     * string by a number, a number by a string, a boolean by a string, null by an array, an array
     * or an object by a string}
     *
     * @throws ApiError when the pointer points at nothing in the value (a 500 naming both)
     */
    public static JsonNode withWrongType(JsonNode value, String pointer) throws ApiError {
        Objects.requireNonNull(pointer, "pointer");
        if (pointer.isEmpty()) return wrongType(value);
        JsonNode root = value.deepCopy();
        String[] tokens = pointer.substring(1).split("/", -1);
        JsonNode parent = root;
        for (int i = 0; i < tokens.length; i++) {
            String key = tokens[i].replace("~1", "/").replace("~0", "~");
            boolean last = i == tokens.length - 1;
            if (parent instanceof ObjectNode o && o.has(key)) {
                if (last) o.set(key, wrongType(o.required(key)));
                else parent = o.get(key);
            } else if (parent instanceof ArrayNode a && key.matches("\\d{1,9}") && Integer.parseInt(key) < a.size()) {
                int at = Integer.parseInt(key);
                if (last) a.set(at, wrongType(a.required(at)));
                else parent = a.get(at);
            } else {
                throw ApiError.other(
                        500,
                        "api_error",
                        "fake server: wrongTypeAt(\"" + pointer + "\") points at nothing in the" + " generated answer "
                                + Json.write(value));
            }
        }
        return root;
    }

    private static JsonNode wrongType(JsonNode v) {
        if (v.isTextual()) return Json.number(12345);
        if (v.isNumber()) return Json.text("not a number");
        if (v.isBoolean()) return Json.text("not a boolean");
        if (v.isNull()) return Json.array();
        return Json.text(v.isArray() ? "not an array" : "not an object");
    }
}
