package dev.sluice.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import dev.sluice.sse.SseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the data of one Server-Sent Event of a Gemini stream (a {@code GenerateContentResponse}
 * as JSON) into a {@link GenerateContentResponse}, read into the value model with
 * {@link Json#readValue(String)} (maps, lists, strings, numbers) and checked member by member. Unknown
 * fields are ignored; parts of an unknown kind become {@link UnknownPart}s. An object with a
 * top-level {@code error} (Gemini's error shape {@code {"error":{"code","message","status"}}}) is a
 * {@link GeminiEvent.Error} carrying the {@code status} string. Malformed JSON, or JSON of a shape
 * the API does not allow, is a {@link ProtocolException} naming the event and showing the data,
 * truncated.
 *
 * <p>Stateless and thread-safe.
 */
final class GeminiDecoder {
    static final int SHOWN_DATA_CHARS = 200;

    /**
     * {@return the chunk, or the error object, received at the given time}
     *
     * @throws ProtocolException for malformed JSON or an impossible shape
     */
    GeminiEvent decode(SseEvent event, Instant receivedAt, long receivedNanos) {
        String data = event.data();
        Object value;
        try {
            value = Json.readValue(data);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    "malformed JSON in Gemini '" + event.type() + "' event (" + e.getOriginalMessage() + "); data: "
                            + Json.truncate(data, SHOWN_DATA_CHARS),
                    e);
        }
        if (!(value instanceof Map<?, ?> root)) throw invalid(event, "the data is not a JSON object");
        Object error = root.get("error");
        if (error != null) return new GeminiEvent.Failure(error(error), receivedAt, receivedNanos);
        try {
            return new GeminiEvent.Chunk(response(root), receivedAt, receivedNanos);
        } catch (Malformed e) {
            throw invalid(event, e.getMessage());
        }
    }

    private static GeminiEvent.Error error(Object error) {
        String type = "unknown";
        String message = "";
        if (error instanceof Map<?, ?> e) {
            if (e.get("status") instanceof String status && !status.isBlank()) type = status;
            if (e.get("message") instanceof String m) message = m;
        } else if (error instanceof String s) {
            message = s;
        }
        return new GeminiEvent.Error(type, message);
    }

    static GenerateContentResponse response(Map<?, ?> root) throws Malformed {
        List<Candidate> candidates = new ArrayList<>();
        for (Object c : array(root, "candidates")) candidates.add(candidate(c));
        PromptFeedback feedback = null;
        Object feedbackValue = root.get("promptFeedback");
        if (feedbackValue != null) {
            Map<?, ?> f = requireObject(feedbackValue, "promptFeedback");
            feedback = new PromptFeedback(string(f, "blockReason", "promptFeedback"), ratings(f, "promptFeedback"));
        }
        UsageMetadata usage = null;
        Object usageValue = root.get("usageMetadata");
        if (usageValue != null) {
            Map<?, ?> u = requireObject(usageValue, "usageMetadata");
            usage = new UsageMetadata(
                    count(u, "promptTokenCount"),
                    count(u, "candidatesTokenCount"),
                    count(u, "totalTokenCount"),
                    count(u, "thoughtsTokenCount"),
                    count(u, "cachedContentTokenCount"),
                    count(u, "toolUsePromptTokenCount"));
        }
        String modelVersion = string(root, "modelVersion", "response");
        String responseId = string(root, "responseId", "response");
        return new GenerateContentResponse(
                candidates,
                feedback,
                usage,
                modelVersion == null ? "" : modelVersion,
                responseId == null ? "" : responseId);
    }

    private static Candidate candidate(Object candidate) throws Malformed {
        Map<?, ?> c = requireObject(candidate, "a candidate");
        int index = 0;
        Object i = c.get("index");
        if (i != null) {
            if (!(i instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw new Malformed("candidate index is not a non-negative int: " + Json.write(i));
            }
            index = (int) (long) l;
        }
        Content content = new Content("", List.of());
        Object n = c.get("content");
        if (n != null) content = content(n);
        String finishReason = string(c, "finishReason", "candidate");
        if (finishReason != null && finishReason.isBlank()) finishReason = null;
        List<Map<String, Object>> citations = new ArrayList<>();
        Object citationMetadata = c.get("citationMetadata");
        if (citationMetadata != null) {
            Map<?, ?> cm = requireObject(citationMetadata, "citationMetadata");
            for (Object s : array(cm, "citationSources")) citations.add(object(requireObject(s, "a citation source")));
        }
        return new Candidate(
                index,
                content,
                finishReason,
                string(c, "finishMessage", "candidate"),
                ratings(c, "candidate"),
                citations);
    }

    private static Content content(Object content) throws Malformed {
        Map<?, ?> n = requireObject(content, "content");
        String role = string(n, "role", "content");
        List<Part> parts = new ArrayList<>();
        for (Object p : array(n, "parts")) parts.add(part(p));
        return new Content(role == null ? "" : role, parts);
    }

    private static Part part(Object part) throws Malformed {
        Map<?, ?> p = requireObject(part, "a part");
        String signature = string(p, "thoughtSignature", "part");
        Object functionCall = p.get("functionCall");
        if (functionCall != null) {
            Map<?, ?> call = requireObject(functionCall, "functionCall");
            String name = string(call, "name", "functionCall");
            String id = string(call, "id", "functionCall");
            Object willContinue = call.get("willContinue");
            if (willContinue != null && !(willContinue instanceof Boolean))
                throw new Malformed("functionCall.willContinue is not a boolean");
            if (call.get("partialArgs") != null
                    || Boolean.TRUE.equals(willContinue)
                    || (name == null && call.get("args") == null)) {
                return partialCall(call, id, name, Boolean.TRUE.equals(willContinue), signature);
            }
            if (name == null || name.isBlank()) throw new Malformed("functionCall.name is missing");
            Object args = call.get("args");
            Map<String, Object> values = Map.of();
            if (args != null) values = object(requireObject(args, "functionCall.args"));
            return new FunctionCallPart(id == null || id.isBlank() ? null : id, name, values, signature);
        }
        Object functionResponse = p.get("functionResponse");
        if (functionResponse != null) {
            Map<?, ?> response = requireObject(functionResponse, "functionResponse");
            String name = string(response, "name", "functionResponse");
            if (name == null || name.isBlank()) throw new Malformed("functionResponse.name is missing");
            String id = string(response, "id", "functionResponse");
            Object r = response.get("response");
            Map<String, Object> values = Map.of();
            if (r != null) values = object(requireObject(r, "functionResponse.response"));
            return new FunctionResponsePart(id == null || id.isBlank() ? null : id, name, values);
        }
        Object text = p.get("text");
        boolean isThought = Boolean.TRUE.equals(p.get("thought"));
        if (text != null) {
            if (!(text instanceof String s)) throw new Malformed("part.text is not a string");
            return isThought ? new ThoughtPart(s, signature) : new TextPart(s, signature);
        }
        if (isThought) return new ThoughtPart("", signature);
        if (signature != null && p.size() == 1) return new TextPart("", signature);
        return new UnknownPart(Json.write(p));
    }

    /** A piece of a call whose arguments stream: {@code partialArgs}, {@code willContinue}, or neither name nor args (the end). */
    private static Part partialCall(
            Map<?, ?> call,
            @Nullable String id,
            @Nullable String name,
            boolean willContinue,
            @Nullable String signature)
            throws Malformed {
        if (name != null && name.isBlank()) throw new Malformed("functionCall.name is blank");
        if ((call.get("args") instanceof Map<?, ?> a && !a.isEmpty())
                || (call.get("args") != null && !(call.get("args") instanceof Map<?, ?>))) {
            throw new Malformed("functionCall has both args and streamed partialArgs or willContinue");
        }
        List<PartialArg> args = new ArrayList<>();
        for (Object a : array(call, "partialArgs")) {
            Map<?, ?> arg = requireObject(a, "functionCall.partialArgs[]");
            String path = string(arg, "jsonPath", "functionCall.partialArgs[]");
            if (path == null || !path.startsWith("$"))
                throw new Malformed("functionCall.partialArgs[].jsonPath is not a JSON path");
            Object more = arg.get("willContinue");
            if (more != null && !(more instanceof Boolean))
                throw new Malformed("functionCall.partialArgs[].willContinue is not a boolean");
            int kinds = 0;
            Object value = null;
            for (String field : List.of("stringValue", "numberValue", "boolValue", "nullValue")) {
                Object v = arg.get(field);
                if (v == null) continue;
                kinds++;
                boolean fits = switch (field) {
                    case "stringValue" -> v instanceof String;
                    case "numberValue" -> v instanceof Number;
                    case "boolValue" -> v instanceof Boolean;
                    default -> "NULL_VALUE".equals(v) || Long.valueOf(0).equals(v);
                };
                if (!fits) throw new Malformed("functionCall.partialArgs[]." + field + " is not of its type");
                value = field.equals("nullValue") ? null : v;
            }
            if (kinds != 1) {
                throw new Malformed("functionCall.partialArgs[] has " + (kinds == 0 ? "no" : "more than one")
                        + " of stringValue, numberValue, boolValue and nullValue");
            }
            args.add(new PartialArg(path, value, Boolean.TRUE.equals(more)));
        }
        return new PartialFunctionCallPart(id == null || id.isBlank() ? null : id, name, args, willContinue, signature);
    }

    private static List<SafetyRating> ratings(Map<?, ?> owner, String where) throws Malformed {
        List<SafetyRating> ratings = new ArrayList<>();
        for (Object rating : array(owner, "safetyRatings")) {
            Map<?, ?> r = requireObject(rating, where + ".safetyRatings[]");
            String category = string(r, "category", "safety rating");
            String probability = string(r, "probability", "safety rating");
            ratings.add(new SafetyRating(
                    category == null ? "" : category,
                    probability == null ? "" : probability,
                    Boolean.TRUE.equals(r.get("blocked"))));
        }
        return ratings;
    }

    private static List<?> array(Map<?, ?> owner, String field) throws Malformed {
        Object a = owner.get(field);
        if (a == null) return List.of();
        if (!(a instanceof List<?> list)) throw new Malformed(field + " is not an array");
        return list;
    }

    private static @Nullable String string(Map<?, ?> owner, String field, String where) throws Malformed {
        Object v = owner.get(field);
        if (v == null) return null;
        if (!(v instanceof String s)) throw new Malformed(where + "." + field + " is not a string");
        return s;
    }

    /** A non-negative integer in long range (a BigInteger is beyond it); absent or null is 0. */
    private static long count(Map<?, ?> owner, String field) throws Malformed {
        Object v = owner.get(field);
        if (v == null) return 0;
        if (!(v instanceof Long l) || l < 0) {
            throw new Malformed("usageMetadata." + field + " is not a non-negative integer");
        }
        return l;
    }

    private static Map<?, ?> requireObject(Object n, String what) throws Malformed {
        if (!(n instanceof Map<?, ?> m)) throw new Malformed(what + " is not a JSON object");
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> m) {
        return (Map<String, Object>) m; // the value model's maps: unmodifiable, insertion-ordered, String keys
    }

    private static ProtocolException invalid(SseEvent event, @Nullable String what) {
        return new ProtocolException(
                "Gemini '" + event.type() + "' event of an unexpected shape: " + what + "; data: "
                        + Json.truncate(event.data(), SHOWN_DATA_CHARS),
                null);
    }

    /** A shape the API does not allow; becomes a ProtocolException naming the event. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
