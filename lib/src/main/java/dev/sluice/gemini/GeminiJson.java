package dev.sluice.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.internal.json.Json;
import dev.sluice.internal.json.JsonTrees;
import java.util.Map;

/** Writes requests and responses in Gemini's JSON shape. Stateless. */
final class GeminiJson {
    private GeminiJson() {}

    static String request(GenerateContentRequest request) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        ArrayNode contents = root.putArray("contents");
        for (Content c : request.contents()) contents.add(content(c));
        if (!request.systemInstruction().isEmpty()) {
            root.putObject("systemInstruction").putArray("parts").addObject().put("text", request.systemInstruction());
        }
        if (!request.functionDeclarations().isEmpty()) {
            ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
            for (FunctionDeclaration f : request.functionDeclarations()) {
                ObjectNode d = declarations.addObject();
                d.put("name", f.name());
                if (!f.description().isEmpty()) d.put("description", f.description());
                if (!f.parameters().isEmpty()) d.set(f.schemaFieldName(), value(f.parameters()));
            }
        }
        GenerationConfig g = request.generationConfig();
        if (!g.isEmpty()) {
            ObjectNode config = root.putObject("generationConfig");
            if (g.maxOutputTokens() != null) config.put("maxOutputTokens", g.maxOutputTokens());
            if (g.temperature() != null) config.put("temperature", g.temperature());
            if (g.topP() != null) config.put("topP", g.topP());
            if (g.topK() != null) config.put("topK", g.topK());
            if (!g.stopSequences().isEmpty()) {
                ArrayNode stops = config.putArray("stopSequences");
                g.stopSequences().forEach(stops::add);
            }
            if (g.thinkingBudget() != null || g.includeThoughts() != null) {
                ObjectNode thinking = config.putObject("thinkingConfig");
                if (g.thinkingBudget() != null) thinking.put("thinkingBudget", g.thinkingBudget());
                if (g.includeThoughts() != null) thinking.put("includeThoughts", g.includeThoughts());
            }
        }
        return root.toString();
    }

    static String response(GenerateContentResponse response) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        if (!response.candidates().isEmpty()) {
            ArrayNode candidates = root.putArray("candidates");
            for (Candidate c : response.candidates()) candidates.add(candidate(c));
        }
        if (response.promptFeedback() != null) {
            ObjectNode f = root.putObject("promptFeedback");
            if (response.promptFeedback().blockReason() != null) f.put("blockReason", response.promptFeedback().blockReason());
            if (!response.promptFeedback().safetyRatings().isEmpty()) {
                f.set("safetyRatings", ratings(response.promptFeedback().safetyRatings()));
            }
        }
        UsageMetadata u = response.usageMetadata();
        if (u != null) {
            ObjectNode usage = root.putObject("usageMetadata");
            putCount(usage, "promptTokenCount", u.promptTokenCount());
            putCount(usage, "candidatesTokenCount", u.candidatesTokenCount());
            putCount(usage, "totalTokenCount", u.totalTokenCount());
            putCount(usage, "thoughtsTokenCount", u.thoughtsTokenCount());
            putCount(usage, "cachedContentTokenCount", u.cachedContentTokenCount());
            putCount(usage, "toolUsePromptTokenCount", u.toolUsePromptTokenCount());
        }
        if (!response.modelVersion().isEmpty()) root.put("modelVersion", response.modelVersion());
        if (!response.responseId().isEmpty()) root.put("responseId", response.responseId());
        return root.toString();
    }

    private static void putCount(ObjectNode node, String name, long count) {
        if (count != 0) node.put(name, count);
    }

    private static ObjectNode candidate(Candidate c) {
        ObjectNode node = JsonTrees.MAPPER.createObjectNode();
        node.set("content", content(c.content()));
        if (c.finishReason() != null) node.put("finishReason", c.finishReason());
        if (c.finishMessage() != null) node.put("finishMessage", c.finishMessage());
        node.put("index", c.index());
        if (!c.safetyRatings().isEmpty()) node.set("safetyRatings", ratings(c.safetyRatings()));
        if (!c.citationSources().isEmpty()) node.putObject("citationMetadata").set("citationSources", value(c.citationSources()));
        return node;
    }

    private static ArrayNode ratings(java.util.List<SafetyRating> ratings) {
        ArrayNode array = JsonTrees.arrayNode();
        for (SafetyRating r : ratings) {
            ObjectNode o = array.addObject();
            o.put("category", r.category());
            o.put("probability", r.probability());
            if (r.blocked()) o.put("blocked", true);
        }
        return array;
    }

    static ObjectNode content(Content c) {
        ObjectNode node = JsonTrees.MAPPER.createObjectNode();
        if (!c.role().isEmpty()) node.put("role", c.role());
        ArrayNode parts = node.putArray("parts");
        for (Part p : c.parts()) parts.add(part(p));
        return node;
    }

    static JsonNode part(Part p) {
        ObjectNode node = JsonTrees.MAPPER.createObjectNode();
        switch (p) {
            case TextPart(String text, String signature) -> {
                node.put("text", text);
                if (signature != null) node.put("thoughtSignature", signature);
            }
            case ThoughtPart(String text, String signature) -> {
                node.put("text", text);
                node.put("thought", true);
                if (signature != null) node.put("thoughtSignature", signature);
            }
            case FunctionCallPart(String id, String name, Map<String, Object> args, String signature) -> {
                ObjectNode call = node.putObject("functionCall");
                if (id != null) call.put("id", id);
                call.put("name", name);
                call.set("args", value(args));
                if (signature != null) node.put("thoughtSignature", signature);
            }
            case FunctionResponsePart(String id, String name, Map<String, Object> response) -> {
                ObjectNode r = node.putObject("functionResponse");
                if (id != null) r.put("id", id);
                r.put("name", name);
                r.set("response", value(response));
            }
            case UnknownPart(String json) -> {
                try {
                    return JsonTrees.readTree(json);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException("an UnknownPart holds malformed JSON: " + Json.truncate(json, 100), e);
                }
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        try {
            return JsonTrees.readTree(Json.write(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the value model wrote malformed JSON", e);
        }
    }
}
