package dev.sluice.examples.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code POST /v1/messages} body: what the fake server needs to plan an answer.
 *
 * @param prompt the text of the last user message (text blocks joined), for choosing the answer
 * @param promptChars the characters of the system prompt, the messages and the tool definitions,
 *     for the input-token estimate
 * @param answersToolResult whether the last user message carries a {@code tool_result} block
 * @param tools the tools offered, in order
 * @param thinkingBudget the thinking budget, or 0 when thinking is not enabled
 */
record FakeRequest(String model, int maxTokens, String prompt, int promptChars, boolean answersToolResult,
        List<Tool> tools, int thinkingBudget, boolean stream, List<String> stopSequences) {

    /** A tool offered by the request: its name and its input schema (an empty object when absent). */
    record Tool(String name, JsonNode inputSchema) {
        Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(inputSchema, "inputSchema");
        }
    }

    FakeRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        tools = List.copyOf(tools);
        stopSequences = List.copyOf(stopSequences);
    }

    /**
     * Validates a request body the way the API does, as far as it is useful.
     *
     * @throws ApiError a 400 {@code invalid_request_error} naming the first bad field
     */
    static FakeRequest from(JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) throw ApiError.invalid("request body must be a JSON object");
        String model = requiredText(body, "model");
        JsonNode maxTokensNode = required(body, "max_tokens");
        if (!maxTokensNode.canConvertToInt() || !maxTokensNode.isIntegralNumber()) {
            throw ApiError.invalid("max_tokens: Input should be a valid integer");
        }
        int maxTokens = maxTokensNode.intValue();
        if (maxTokens < 1) throw ApiError.invalid("max_tokens: Input should be greater than or equal to 1");

        int chars = 0;
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            if (system.isTextual()) chars += system.textValue().length();
            else if (system.isArray()) chars += textOfBlocks(system, "system").length();
            else throw ApiError.invalid("system: Input should be a valid string or a list of text blocks");
        }

        JsonNode messages = required(body, "messages");
        if (!messages.isArray()) throw ApiError.invalid("messages: Input should be a valid list");
        if (messages.isEmpty()) throw ApiError.invalid("messages: at least one message is required");
        String lastUserText = "";
        boolean lastUserHasToolResult = false;
        String lastRole = null;
        for (int i = 0; i < messages.size(); i++) {
            String where = "messages." + i;
            JsonNode m = messages.get(i);
            if (!m.isObject()) throw ApiError.invalid(where + ": Input should be a valid object");
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()
                    || !(role.textValue().equals("user") || role.textValue().equals("assistant"))) {
                throw ApiError.invalid(where + ".role: Input should be 'user' or 'assistant'");
            }
            JsonNode content = m.get("content");
            String text;
            if (content == null || content.isNull()) throw ApiError.invalid(where + ".content: Field required");
            if (content.isTextual()) text = content.textValue();
            else if (content.isArray()) text = textOfBlocks(content, where + ".content");
            else throw ApiError.invalid(where + ".content: Input should be a valid string or a list of content blocks");
            chars += content.isTextual() ? text.length() : content.toString().length();
            lastRole = role.textValue();
            if (lastRole.equals("user")) {
                lastUserText = text;
                lastUserHasToolResult = hasBlockOfType(content, "tool_result");
            }
        }
        if (!messages.get(0).get("role").textValue().equals("user")) {
            throw ApiError.invalid("messages: the first message must use the \"user\" role");
        }

        List<Tool> tools = new ArrayList<>();
        JsonNode toolsNode = body.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) throw ApiError.invalid("tools: Input should be a valid list");
            for (int i = 0; i < toolsNode.size(); i++) {
                JsonNode t = toolsNode.get(i);
                String where = "tools." + i;
                if (!t.isObject()) throw ApiError.invalid(where + ": Input should be a valid object");
                String name = requiredText(t, where + ".name", t.get("name"));
                if (!name.matches("[a-zA-Z0-9_-]{1,128}")) {
                    throw ApiError.invalid(where + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
                }
                JsonNode type = t.get("type");
                boolean custom = type == null || type.isNull() || "custom".equals(type.asText());
                JsonNode schema = t.get("input_schema");
                if (custom) {
                    if (schema == null || !schema.isObject()) throw ApiError.invalid(where + ".input_schema: Field required");
                } else if (schema == null || !schema.isObject()) {
                    schema = Json.MAPPER.createObjectNode();
                }
                tools.add(new Tool(name, schema));
            }
            chars += toolsNode.toString().length();
        }

        int thinkingBudget = 0;
        JsonNode thinking = body.get("thinking");
        if (thinking != null && !thinking.isNull()) {
            JsonNode type = thinking.isObject() ? thinking.get("type") : null;
            if (type == null || !type.isTextual()) throw ApiError.invalid("thinking.type: Field required");
            switch (type.textValue()) {
                case "disabled" -> { }
                case "enabled" -> {
                    JsonNode budget = thinking.get("budget_tokens");
                    if (budget == null || !budget.isIntegralNumber() || !budget.canConvertToInt()) {
                        throw ApiError.invalid("thinking.enabled.budget_tokens: Field required");
                    }
                    thinkingBudget = budget.intValue();
                    if (thinkingBudget < 1024) {
                        throw ApiError.invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
                    }
                    if (maxTokens <= thinkingBudget) {
                        throw ApiError.invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
                    }
                }
                default -> throw ApiError.invalid("thinking.type: Input should be 'enabled' or 'disabled'");
            }
        }

        boolean stream = false;
        JsonNode streamNode = body.get("stream");
        if (streamNode != null && !streamNode.isNull()) {
            if (!streamNode.isBoolean()) throw ApiError.invalid("stream: Input should be a valid boolean");
            stream = streamNode.booleanValue();
        }

        List<String> stops = new ArrayList<>();
        JsonNode stopNode = body.get("stop_sequences");
        if (stopNode != null && !stopNode.isNull()) {
            if (!stopNode.isArray()) throw ApiError.invalid("stop_sequences: Input should be a valid list");
            for (int i = 0; i < stopNode.size(); i++) {
                JsonNode s = stopNode.get(i);
                if (!s.isTextual()) throw ApiError.invalid("stop_sequences." + i + ": Input should be a valid string");
                if (s.textValue().isBlank()) {
                    throw ApiError.invalid("stop_sequences: each stop sequence must contain non-whitespace");
                }
                stops.add(s.textValue());
            }
        }
        return new FakeRequest(model, maxTokens, lastUserText, chars, lastUserHasToolResult, tools,
                thinkingBudget, stream, stops);
    }

    private static JsonNode required(JsonNode body, String field) throws ApiError {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw ApiError.invalid(field + ": Field required");
        return n;
    }

    private static String requiredText(JsonNode body, String field) throws ApiError {
        return requiredText(body, field, body.get(field));
    }

    private static String requiredText(JsonNode body, String where, JsonNode n) throws ApiError {
        if (n == null || n.isNull()) throw ApiError.invalid(where + ": Field required");
        if (!n.isTextual()) throw ApiError.invalid(where + ": Input should be a valid string");
        if (n.textValue().isEmpty()) throw ApiError.invalid(where + ": String should have at least 1 character");
        return n.textValue();
    }

    /** The text of the {@code text} blocks of a content list, joined; checks each block has a type. */
    private static String textOfBlocks(JsonNode blocks, String where) throws ApiError {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.get(i);
            JsonNode type = b.isObject() ? b.get("type") : null;
            if (type == null || !type.isTextual()) throw ApiError.invalid(where + "." + i + ".type: Field required");
            if (type.textValue().equals("text")) {
                JsonNode text = b.get("text");
                if (text == null || !text.isTextual()) throw ApiError.invalid(where + "." + i + ".text: Field required");
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(text.textValue());
            }
        }
        return sb.toString();
    }

    private static boolean hasBlockOfType(JsonNode content, String type) {
        if (!content.isArray()) return false;
        for (JsonNode b : content) {
            if (type.equals(b.path("type").asText())) return true;
        }
        return false;
    }
}
