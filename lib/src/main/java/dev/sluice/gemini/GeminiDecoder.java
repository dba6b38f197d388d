package dev.sluice.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ProtocolException;
import dev.sluice.internal.json.Json;
import dev.sluice.internal.json.JsonTrees;
import dev.sluice.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the data of one Server-Sent Event of a Gemini stream (a {@code GenerateContentResponse}
 * as JSON) into a {@link GenerateContentResponse}, read as a tree with the shared mapper. Unknown
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
    GeminiEvent decode(SseEvent event, java.time.Instant receivedAt, long receivedNanos) {
        String data = event.data();
        JsonNode root;
        try {
            root = JsonTrees.readTree(data);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON in Gemini '" + event.type() + "' event ("
                    + e.getOriginalMessage() + "); data: " + Json.truncate(data, SHOWN_DATA_CHARS), e);
        }
        if (!root.isObject()) throw invalid(event, "the data is not a JSON object");
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) return new GeminiEvent(null, error(error), receivedAt, receivedNanos);
        try {
            return new GeminiEvent(response(root), null, receivedAt, receivedNanos);
        } catch (Malformed e) {
            throw invalid(event, e.getMessage());
        }
    }

    private static GeminiEvent.Error error(JsonNode error) {
        String type = "unknown";
        String message = "";
        if (error.isObject()) {
            if (error.path("status").isTextual() && !error.get("status").textValue().isBlank()) type = error.get("status").textValue();
            if (error.path("message").isTextual()) message = error.get("message").textValue();
        } else if (error.isTextual()) {
            message = error.textValue();
        }
        return new GeminiEvent.Error(type, message);
    }

    static GenerateContentResponse response(JsonNode root) throws Malformed {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode c : array(root, "candidates")) candidates.add(candidate(c));
        PromptFeedback feedback = null;
        JsonNode f = root.get("promptFeedback");
        if (f != null && !f.isNull()) {
            requireObject(f, "promptFeedback");
            feedback = new PromptFeedback(string(f, "blockReason", "promptFeedback"), ratings(f, "promptFeedback"));
        }
        UsageMetadata usage = null;
        JsonNode u = root.get("usageMetadata");
        if (u != null && !u.isNull()) {
            requireObject(u, "usageMetadata");
            usage = new UsageMetadata(count(u, "promptTokenCount"), count(u, "candidatesTokenCount"),
                    count(u, "totalTokenCount"), count(u, "thoughtsTokenCount"), count(u, "cachedContentTokenCount"),
                    count(u, "toolUsePromptTokenCount"));
        }
        String modelVersion = string(root, "modelVersion", "response");
        String responseId = string(root, "responseId", "response");
        return new GenerateContentResponse(candidates, feedback, usage, modelVersion == null ? "" : modelVersion,
                responseId == null ? "" : responseId);
    }

    private static Candidate candidate(JsonNode c) throws Malformed {
        requireObject(c, "a candidate");
        int index = 0;
        JsonNode i = c.get("index");
        if (i != null && !i.isNull()) {
            if (!i.isIntegralNumber() || !i.canConvertToInt() || i.intValue() < 0) throw new Malformed("candidate index is not a non-negative int: " + i);
            index = i.intValue();
        }
        Content content = new Content("", List.of());
        JsonNode n = c.get("content");
        if (n != null && !n.isNull()) content = content(n);
        String finishReason = string(c, "finishReason", "candidate");
        if (finishReason != null && finishReason.isBlank()) finishReason = null;
        List<Map<String, Object>> citations = new ArrayList<>();
        JsonNode cm = c.get("citationMetadata");
        if (cm != null && !cm.isNull()) {
            requireObject(cm, "citationMetadata");
            for (JsonNode s : array(cm, "citationSources")) {
                requireObject(s, "a citation source");
                citations.add(JsonTrees.toMap(s));
            }
        }
        return new Candidate(index, content, finishReason, string(c, "finishMessage", "candidate"),
                ratings(c, "candidate"), citations);
    }

    private static Content content(JsonNode n) throws Malformed {
        requireObject(n, "content");
        String role = string(n, "role", "content");
        List<Part> parts = new ArrayList<>();
        for (JsonNode p : array(n, "parts")) parts.add(part(p));
        return new Content(role == null ? "" : role, parts);
    }

    private static Part part(JsonNode p) throws Malformed {
        requireObject(p, "a part");
        String signature = string(p, "thoughtSignature", "part");
        JsonNode call = p.get("functionCall");
        if (call != null && !call.isNull()) {
            requireObject(call, "functionCall");
            String name = string(call, "name", "functionCall");
            if (name == null || name.isBlank()) throw new Malformed("functionCall.name is missing");
            String id = string(call, "id", "functionCall");
            JsonNode args = call.get("args");
            Map<String, Object> values = Map.of();
            if (args != null && !args.isNull()) {
                requireObject(args, "functionCall.args");
                values = JsonTrees.toMap(args);
            }
            return new FunctionCallPart(id == null || id.isBlank() ? null : id, name, values, signature);
        }
        JsonNode response = p.get("functionResponse");
        if (response != null && !response.isNull()) {
            requireObject(response, "functionResponse");
            String name = string(response, "name", "functionResponse");
            if (name == null || name.isBlank()) throw new Malformed("functionResponse.name is missing");
            String id = string(response, "id", "functionResponse");
            JsonNode r = response.get("response");
            Map<String, Object> values = Map.of();
            if (r != null && !r.isNull()) {
                requireObject(r, "functionResponse.response");
                values = JsonTrees.toMap(r);
            }
            return new FunctionResponsePart(id == null || id.isBlank() ? null : id, name, values);
        }
        JsonNode text = p.get("text");
        JsonNode thought = p.get("thought");
        boolean isThought = thought != null && thought.isBoolean() && thought.booleanValue();
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) throw new Malformed("part.text is not a string");
            return isThought ? new ThoughtPart(text.textValue(), signature) : new TextPart(text.textValue(), signature);
        }
        if (isThought) return new ThoughtPart("", signature);
        if (signature != null && p.size() == 1) return new TextPart("", signature);
        return new UnknownPart(p.toString());
    }

    private static List<SafetyRating> ratings(JsonNode owner, String where) throws Malformed {
        List<SafetyRating> ratings = new ArrayList<>();
        for (JsonNode r : array(owner, "safetyRatings")) {
            requireObject(r, where + ".safetyRatings[]");
            String category = string(r, "category", "safety rating");
            String probability = string(r, "probability", "safety rating");
            JsonNode blocked = r.get("blocked");
            ratings.add(new SafetyRating(category == null ? "" : category, probability == null ? "" : probability,
                    blocked != null && blocked.isBoolean() && blocked.booleanValue()));
        }
        return ratings;
    }

    private static Iterable<JsonNode> array(JsonNode owner, String field) throws Malformed {
        JsonNode a = owner.get(field);
        if (a == null || a.isNull()) return List.of();
        if (!a.isArray()) throw new Malformed(field + " is not an array");
        return a;
    }

    private static String string(JsonNode owner, String field, String where) throws Malformed {
        JsonNode v = owner.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new Malformed(where + "." + field + " is not a string");
        return v.textValue();
    }

    private static long count(JsonNode owner, String field) throws Malformed {
        JsonNode v = owner.get(field);
        if (v == null || v.isNull()) return 0;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new Malformed("usageMetadata." + field + " is not a non-negative integer");
        }
        return v.longValue();
    }

    private static void requireObject(JsonNode n, String what) throws Malformed {
        if (!n.isObject()) throw new Malformed(what + " is not a JSON object");
    }

    private static ProtocolException invalid(SseEvent event, String what) {
        return new ProtocolException("Gemini '" + event.type() + "' event of an unexpected shape: " + what
                + "; data: " + Json.truncate(event.data(), SHOWN_DATA_CHARS), null);
    }

    /** A shape the API does not allow; becomes a ProtocolException naming the event. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
