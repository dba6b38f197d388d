package dev.sluice.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.util.List;
import java.util.Map;

/**
 * Writes requests and responses in Gemini's JSON shape, compact, members in a fixed order, with
 * {@link JsonOut}. Stateless.
 */
final class GeminiJson {
    private GeminiJson() {}

    static String request(GenerateContentRequest request) {
        JsonOut out = new JsonOut();
        out.writeStartObject();
        out.writeArrayFieldStart("contents");
        for (Content c : request.contents()) content(out, c);
        out.writeEndArray();
        if (!request.systemInstruction().isEmpty()) {
            out.writeObjectFieldStart("systemInstruction");
            out.writeArrayFieldStart("parts");
            out.writeStartObject();
            out.writeStringField("text", request.systemInstruction());
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
        }
        if (!request.functionDeclarations().isEmpty() || !request.builtInTools().isEmpty()) {
            out.writeArrayFieldStart("tools");
        }
        if (!request.functionDeclarations().isEmpty()) {
            out.writeStartObject();
            out.writeArrayFieldStart("functionDeclarations");
            for (FunctionDeclaration f : request.functionDeclarations()) {
                out.writeStartObject();
                out.writeStringField("name", f.name());
                if (!f.description().isEmpty()) out.writeStringField("description", f.description());
                if (!f.parameters().isEmpty()) {
                    out.writeFieldName(f.schemaFieldName());
                    out.writeValue(f.parameters());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        for (BuiltInTool tool : request.builtInTools()) {
            out.writeStartObject();
            out.writeObjectFieldStart(tool.wireName());
            out.writeEndObject();
            out.writeEndObject();
        }
        if (!request.functionDeclarations().isEmpty() || !request.builtInTools().isEmpty()) {
            out.writeEndArray();
        }
        ToolConfig tc = request.toolConfig();
        if (tc != null) {
            out.writeObjectFieldStart("toolConfig");
            out.writeObjectFieldStart("functionCallingConfig");
            out.writeStringField("mode", tc.mode());
            if (!tc.allowedFunctionNames().isEmpty()) {
                out.writeArrayFieldStart("allowedFunctionNames");
                for (String name : tc.allowedFunctionNames()) out.writeString(name);
                out.writeEndArray();
            }
            if (tc.streamFunctionCallArguments()) out.writeBooleanField("streamFunctionCallArguments", true);
            out.writeEndObject();
            out.writeEndObject();
        }
        if (!request.safetySettings().isEmpty()) {
            out.writeArrayFieldStart("safetySettings");
            for (SafetySetting s : request.safetySettings()) {
                out.writeStartObject();
                out.writeStringField("category", s.category());
                out.writeStringField("threshold", s.threshold());
                if (s.method() != null) out.writeStringField("method", s.method());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        if (request.cachedContent() != null) out.writeStringField("cachedContent", request.cachedContent());
        GenerationConfig g = request.generationConfig();
        if (!g.isEmpty()) {
            out.writeObjectFieldStart("generationConfig");
            if (g.maxOutputTokens() != null) out.writeNumberField("maxOutputTokens", g.maxOutputTokens());
            if (g.temperature() != null) out.writeNumberField("temperature", g.temperature());
            if (g.topP() != null) out.writeNumberField("topP", g.topP());
            if (g.topK() != null) out.writeNumberField("topK", g.topK());
            if (!g.stopSequences().isEmpty()) {
                out.writeArrayFieldStart("stopSequences");
                for (String stop : g.stopSequences()) out.writeString(stop);
                out.writeEndArray();
            }
            if (g.thinkingBudget() != null || g.includeThoughts() != null || g.thinkingLevel() != null) {
                out.writeObjectFieldStart("thinkingConfig");
                if (g.thinkingBudget() != null) out.writeNumberField("thinkingBudget", g.thinkingBudget());
                if (g.thinkingLevel() != null) out.writeStringField("thinkingLevel", g.thinkingLevel());
                if (g.includeThoughts() != null) out.writeBooleanField("includeThoughts", g.includeThoughts());
                out.writeEndObject();
            }
            if (g.responseMimeType() != null) out.writeStringField("responseMimeType", g.responseMimeType());
            if (g.responseJsonSchema() != null) {
                out.writeFieldName("responseJsonSchema");
                out.writeValue(g.responseJsonSchema());
            }
            if (g.mediaResolution() != null) out.writeStringField("mediaResolution", g.mediaResolution());
            out.writeEndObject();
        }
        for (Map.Entry<String, Object> e : request.extra().entrySet()) {
            out.writeFieldName(e.getKey());
            out.writeValue(e.getValue());
        }
        out.writeEndObject();
        return out.toString();
    }

    static String response(GenerateContentResponse response) {
        JsonOut out = new JsonOut();
        out.writeStartObject();
        if (!response.candidates().isEmpty()) {
            out.writeArrayFieldStart("candidates");
            for (Candidate c : response.candidates()) candidate(out, c);
            out.writeEndArray();
        }
        PromptFeedback feedback = response.promptFeedback();
        if (feedback != null) {
            out.writeObjectFieldStart("promptFeedback");
            if (feedback.blockReason() != null) out.writeStringField("blockReason", feedback.blockReason());
            if (!feedback.safetyRatings().isEmpty()) ratings(out, feedback.safetyRatings());
            out.writeEndObject();
        }
        UsageMetadata u = response.usageMetadata();
        if (u != null) {
            out.writeObjectFieldStart("usageMetadata");
            count(out, "promptTokenCount", u.promptTokenCount());
            count(out, "candidatesTokenCount", u.candidatesTokenCount());
            count(out, "totalTokenCount", u.totalTokenCount());
            count(out, "thoughtsTokenCount", u.thoughtsTokenCount());
            count(out, "cachedContentTokenCount", u.cachedContentTokenCount());
            count(out, "toolUsePromptTokenCount", u.toolUsePromptTokenCount());
            out.writeEndObject();
        }
        if (!response.modelVersion().isEmpty()) out.writeStringField("modelVersion", response.modelVersion());
        if (!response.responseId().isEmpty()) out.writeStringField("responseId", response.responseId());
        out.writeEndObject();
        return out.toString();
    }

    private static void count(JsonOut out, String name, long count) {
        if (count == 0) return;
        out.writeFieldName(name);
        out.writeNumber(count);
    }

    private static void candidate(JsonOut out, Candidate c) {
        out.writeStartObject();
        out.writeFieldName("content");
        content(out, c.content());
        if (c.finishReason() != null) out.writeStringField("finishReason", c.finishReason());
        if (c.finishMessage() != null) out.writeStringField("finishMessage", c.finishMessage());
        out.writeNumberField("index", c.index());
        if (!c.safetyRatings().isEmpty()) ratings(out, c.safetyRatings());
        if (!c.citationSources().isEmpty()) {
            out.writeObjectFieldStart("citationMetadata");
            out.writeFieldName("citationSources");
            out.writeValue(c.citationSources());
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    /** Writes the {@code safetyRatings} member. */
    private static void ratings(JsonOut out, List<SafetyRating> ratings) {
        out.writeArrayFieldStart("safetyRatings");
        for (SafetyRating r : ratings) {
            out.writeStartObject();
            out.writeStringField("category", r.category());
            out.writeStringField("probability", r.probability());
            if (r.blocked()) out.writeBooleanField("blocked", true);
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static void content(JsonOut out, Content c) {
        out.writeStartObject();
        if (!c.role().isEmpty()) out.writeStringField("role", c.role());
        out.writeArrayFieldStart("parts");
        for (Part p : c.parts()) part(out, p);
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void part(JsonOut out, Part p) {
        switch (p) {
            case TextPart(String text, String signature) -> {
                out.writeStartObject();
                out.writeStringField("text", text);
                if (signature != null) out.writeStringField("thoughtSignature", signature);
                out.writeEndObject();
            }
            case ThoughtPart(String text, String signature) -> {
                out.writeStartObject();
                out.writeStringField("text", text);
                out.writeBooleanField("thought", true);
                if (signature != null) out.writeStringField("thoughtSignature", signature);
                out.writeEndObject();
            }
            case FunctionCallPart(String id, String name, Map<String, Object> args, String signature) -> {
                out.writeStartObject();
                out.writeObjectFieldStart("functionCall");
                if (id != null) out.writeStringField("id", id);
                out.writeStringField("name", name);
                out.writeFieldName("args");
                out.writeValue(args);
                out.writeEndObject();
                if (signature != null) out.writeStringField("thoughtSignature", signature);
                out.writeEndObject();
            }
            case PartialFunctionCallPart(
                    String id,
                    String name,
                    List<PartialArg> args,
                    boolean more,
                    String signature) -> {
                out.writeStartObject();
                out.writeObjectFieldStart("functionCall");
                if (id != null) out.writeStringField("id", id);
                if (name != null) out.writeStringField("name", name);
                if (!args.isEmpty()) {
                    out.writeArrayFieldStart("partialArgs");
                    for (PartialArg a : args) {
                        out.writeStartObject();
                        out.writeStringField("jsonPath", a.jsonPath());
                        switch (a.value()) {
                            case null -> out.writeStringField("nullValue", "NULL_VALUE");
                            case String v -> out.writeStringField("stringValue", v);
                            case Boolean v -> out.writeBooleanField("boolValue", v);
                            default -> {
                                out.writeFieldName("numberValue");
                                out.writeValue(a.value());
                            }
                        }
                        if (a.willContinue()) out.writeBooleanField("willContinue", true);
                        out.writeEndObject();
                    }
                    out.writeEndArray();
                }
                if (more) out.writeBooleanField("willContinue", true);
                out.writeEndObject();
                if (signature != null) out.writeStringField("thoughtSignature", signature);
                out.writeEndObject();
            }
            case FunctionResponsePart(String id, String name, Map<String, Object> response) -> {
                out.writeStartObject();
                out.writeObjectFieldStart("functionResponse");
                if (id != null) out.writeStringField("id", id);
                out.writeStringField("name", name);
                out.writeFieldName("response");
                out.writeValue(response);
                out.writeEndObject();
                out.writeEndObject();
            }
            case UnknownPart(String json) -> {
                Object value; // written as read: compact, duplicate members collapsed (the last wins)
                try {
                    value = Json.readValue(json);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            "an UnknownPart holds malformed JSON: " + Json.truncate(json, 100), e);
                }
                out.writeValue(value);
            }
        }
    }
}
