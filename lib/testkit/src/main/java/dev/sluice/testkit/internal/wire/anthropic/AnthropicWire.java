package dev.sluice.testkit.internal.wire.anthropic;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.ClaudeRules;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.ModelRules;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.spi.Turn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Anthropic Messages API, {@code POST /v1/messages}: {@code x-api-key} and
 * {@code anthropic-version} headers, the Messages request body, {@code message_start} …
 * {@code message_stop} event streams, and error bodies
 * {@code {"type":"error","error":{"type":...,"message":...},"request_id":...}}. Structured output
 * is asked for with {@code output_config.format} ({@code {"type":"json_schema","schema":...}}; the
 * beta's top-level {@code output_format} is read too) or a {@code tool_choice} of
 * {@code {"type":"tool","name":...}}; a refusal ends with {@code stop_reason} {@code refusal} and
 * its text in {@code stop_details.explanation}.
 *
 * <p>Strict as the API is about opaque state: thinking signatures are issued by the server's
 * {@link OpaqueSigner} (an HMAC of the thinking with the server's key), and with thinking enabled
 * an assistant turn that calls tools must bring its thinking back with the signature intact: an
 * altered or foreign signature is a 400 {@code messages.I.content.K: Invalid `signature` in
 * `thinking` block}, a missing one {@code messages.I.content.K.thinking.signature: Field required},
 * as Anthropic answers. Every foreign or altered opaque field seen in an assistant turn (a thinking
 * signature, redacted thinking or a compaction's {@code encrypted_content} this server did not
 * issue) is counted ({@link dev.sluice.testkit.FakeLlmServer#opaqueRejections()}), refused or not.
 *
 * <p>Why this file is long: one API's whole wire format, its request read and checked as the API checks it
 * (signatures, prefill, structured output) and its events and errors written, as each
 * {@link WireFormat} is.
 */
public final class AnthropicWire implements WireFormat {
    public static final String PATH = "/v1/messages";
    private final OpaqueSigner opaque;

    /** @param opaque the server's issuer of opaque values, shared by every wire that carries this format */
    public AnthropicWire(OpaqueSigner opaque) {
        this.opaque = Objects.requireNonNull(opaque, "opaque");
    }

    /** {@return the signature this server gives a thinking text} */
    String signature(String thinking) {
        return opaque.sign("thinking", thinking);
    }

    private static final String PING = "{\"type\": \"ping\"}";
    private static final String OVERLOADED_EVENT =
            "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}";

    @Override
    public boolean serves(String path) {
        return path.equals(PATH);
    }

    @Override
    public String requestIdHeader() {
        return "request-id";
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return Map.of(
                "anthropic-ratelimit-requests-limit",
                "1000",
                "anthropic-ratelimit-requests-remaining",
                "999",
                "anthropic-ratelimit-requests-reset",
                Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        String key = headers.getFirst("x-api-key");
        String authorization = headers.getFirst("authorization");
        boolean bearer = authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank();
        if ((key == null || key.isBlank()) && !bearer) { // the official SDKs (anthropic-java 3.x) send a bearer token
            throw new ApiError(ApiError.Kind.AUTHENTICATION, "x-api-key header is required");
        }
        String version = headers.getFirst("anthropic-version");
        if (version == null || version.isBlank()) {
            throw ApiError.invalid("anthropic-version: header is required");
        }
    }

    /**
     * {@inheritDoc} Then, as the API reads a field by the betas named: a system message's {@code
     * output_config} without its beta in {@code anthropic-beta} ({@link ClaudeRules#checkEffortBeta});
     * for {@code count_tokens} too. A body that is not JSON is left for {@link #parse} to refuse.
     */
    @Override
    public void checkRequest(String method, String target, Headers headers, byte[] body) throws ApiError {
        checkHeaders(headers);
        if (!contains(body, OUTPUT_CONFIG)) return; // most bodies: not read twice
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (Json.Malformed e) {
            return;
        }
        ClaudeRules.checkEffortBeta(headers.getFirst("anthropic-beta"), json);
    }

    private static final byte[] OUTPUT_CONFIG = "\"output_config\"".getBytes(StandardCharsets.US_ASCII);

    /** {@return whether {@code bytes} hold {@code part}} */
    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) if (bytes[i + j] != part[j]) continue outer;
            return true;
        }
        return false;
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) throw ApiError.invalid("request body must be a JSON object");
        String model = requiredText(body, "model");
        JsonNode maxTokensNode = required(body, "max_tokens");
        if (!maxTokensNode.canConvertToInt() || !maxTokensNode.isIntegralNumber()) {
            throw ApiError.invalid("max_tokens: Input should be a valid integer");
        }
        int maxTokens = maxTokensNode.intValue();
        if (maxTokens < 1) throw ApiError.invalid("max_tokens: Input should be greater than or equal to 1");
        ClaudeRules.checkMaxTokens(model, maxTokens);

        int chars = 0;
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            if (system.isTextual()) chars += system.text().length();
            else if (system.isArray()) chars += textOfBlocks(system, "system").length();
            else throw ApiError.invalid("system: Input should be a valid string or a list of text blocks");
        }

        JsonNode messages = required(body, "messages");
        if (!messages.isArray()) throw ApiError.invalid("messages: Input should be a valid list");
        if (messages.isEmpty()) throw ApiError.invalid("messages: at least one message is required");
        String lastUserText = "";
        String lastAssistantText = "";
        boolean lastUserHasToolResult = false;
        String lastRole = null;
        for (int i = 0; i < messages.size(); i++) {
            String where = "messages." + i;
            JsonNode m = messages.required(i);
            if (!m.isObject()) throw ApiError.invalid(where + ": Input should be a valid object");
            JsonNode role = m.get("role");
            if (role == null
                    || !role.isTextual()
                    || !(role.text().equals("user")
                            || role.text().equals("assistant")
                            || role.text().equals("system"))) {
                throw ApiError.invalid(where + ".role: Input should be 'user', 'assistant' or 'system'");
            }
            if (role.text().equals("system")) { // mid-conversation instructions: GA in the SDKs since May 2026
                JsonNode content = m.get("content");
                if (content == null || content.isNull()) throw ApiError.invalid(where + ".content: Field required");
                chars += content.toString().length();
                continue;
            }
            JsonNode content = m.get("content");
            String text;
            if (content == null || content.isNull()) throw ApiError.invalid(where + ".content: Field required");
            if (content.isTextual()) text = content.text();
            else if (content.isArray()) text = textOfBlocks(content, where + ".content");
            else throw ApiError.invalid(where + ".content: Input should be a valid string or a list of content blocks");
            chars += content.isTextual() ? text.length() : content.toString().length();
            lastRole = role.text();
            if (lastRole.equals("user")) {
                lastUserText = text;
                lastUserHasToolResult = hasBlockOfType(content, "tool_result");
            } else {
                lastAssistantText = text;
            }
        }
        if (!messages.required(0).required("role").text().equals("user")) {
            throw ApiError.invalid("messages: the first message must use the \"user\" role");
        }

        List<FakeRequest.Tool> tools = new ArrayList<>();
        JsonNode toolsNode = body.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) throw ApiError.invalid("tools: Input should be a valid list");
            for (int i = 0; i < toolsNode.size(); i++) {
                JsonNode t = toolsNode.required(i);
                String where = "tools." + i;
                if (!t.isObject()) throw ApiError.invalid(where + ": Input should be a valid object");
                String name = requiredText(where + ".name", t.get("name"));
                if (!name.matches("[a-zA-Z0-9_-]{1,128}")) {
                    throw ApiError.invalid(where + ".name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
                }
                JsonNode type = t.get("type");
                boolean custom = type == null || type.isNull() || "custom".equals(type.asText());
                JsonNode schema = t.get("input_schema");
                if (custom) {
                    if (schema == null || !schema.isObject())
                        throw ApiError.invalid(where + ".input_schema: Field required");
                } else if (schema == null || !schema.isObject()) {
                    schema = Json.object();
                }
                tools.add(new FakeRequest.Tool(name, schema));
            }
            chars += toolsNode.toString().length();
        }

        int thinkingBudget = 0;
        JsonNode thinking = body.get("thinking");
        if (thinking != null && !thinking.isNull()) {
            JsonNode type = thinking.isObject() ? thinking.get("type") : null;
            if (type == null || !type.isTextual()) throw ApiError.invalid("thinking.type: Field required");
            switch (type.text()) {
                case "disabled", "between_tools" -> {}
                case "adaptive" -> {
                    JsonNode display = thinking.get("display");
                    if (display != null
                            && !display.isNull()
                            && !(display.isTextual()
                                    && (display.text().equals("summarized")
                                            || display.text().equals("updates")
                                            || display.text().equals("omitted"))))
                        throw ApiError.invalid(
                                "thinking.adaptive.display: Input should be 'summarized', 'updates' or 'omitted'");
                }
                case "enabled" -> {
                    JsonNode budget = thinking.get("budget_tokens");
                    if (budget == null || !budget.isIntegralNumber() || !budget.canConvertToInt()) {
                        throw ApiError.invalid("thinking.enabled.budget_tokens: Field required");
                    }
                    thinkingBudget = budget.intValue();
                    if (thinkingBudget < 1024) {
                        throw ApiError.invalid(
                                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
                    }
                    if (maxTokens <= thinkingBudget) {
                        throw ApiError.invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
                    }
                }
                default ->
                    throw ApiError.invalid(
                            "thinking.type: Input should be 'adaptive', 'enabled', 'disabled' or 'between_tools'");
            }
            ClaudeRules.checkThinking(model, body);
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
                JsonNode s = stopNode.required(i);
                if (!s.isTextual()) throw ApiError.invalid("stop_sequences." + i + ": Input should be a valid string");
                if (s.text().isBlank()) {
                    throw ApiError.invalid("stop_sequences: each stop sequence must contain non-whitespace");
                }
                stops.add(s.text());
            }
        }
        checkModelRules(model, body, "assistant".equals(lastRole) && textOnly(messages.required(messages.size() - 1)));
        List<String> toolResults = checkToolExchange(messages, thinkingBudget);
        String prefill = "assistant".equals(lastRole) ? lastAssistantText : "";
        if (!prefill.equals(prefill.stripTrailing())) {
            throw ApiError.invalid("messages: final assistant content cannot end with trailing whitespace");
        }
        FakeRequest.ToolChoice choice = checkToolChoice(body, tools, thinkingBudget);
        FakeRequest.Output output = checkFormat(body);
        chars += output == null || output.schema() == null
                ? 0
                : output.schema().toString().length();
        return FakeRequest.builder(model)
                .maxTokens(maxTokens)
                .prompt(lastUserText)
                .promptChars(chars)
                .answersToolResult(lastUserHasToolResult)
                .tools(tools)
                .thinkingBudget(thinkingBudget)
                .stream(stream)
                .stopSequences(stops)
                .streamUsage(true)
                .toolResults(toolResults)
                .prefill(prefill)
                .turns(turns(body))
                .answeredCalls(answeredCalls(messages))
                .build()
                .withOutput(choice, output);
    }

    /** {@return the assistant's {@code tool_use} blocks that a later {@code tool_result} answers, in order} */
    private static List<FakeRequest.Answered> answeredCalls(JsonNode messages) {
        Map<String, FakeRequest.Answered> calls = new HashMap<>();
        List<FakeRequest.Answered> answered = new ArrayList<>();
        for (JsonNode m : messages) {
            JsonNode content = m.path("content");
            if (!content.isArray()) continue;
            boolean assistant = m.path("role").asText("").equals("assistant");
            for (JsonNode b : content) {
                String type = b.path("type").asText("");
                if (assistant && type.equals("tool_use")) {
                    JsonNode input = b.path("input");
                    calls.put(
                            b.path("id").asText(""),
                            new FakeRequest.Answered(
                                    b.path("name").asText(""),
                                    input.isObject() ? Json.write(input) : Json.write(Json.object())));
                } else if (!assistant && type.equals("tool_result")) {
                    FakeRequest.Answered call = calls.get(b.path("tool_use_id").asText(""));
                    if (call != null) answered.add(call);
                }
            }
        }
        return answered;
    }

    /** {@return whether a message's content is text alone: a prefill, not a turn sent back with its blocks} */
    private static boolean textOnly(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) return true;
        for (int i = 0; i < content.size(); i++) {
            if (!content.required(i).path("type").asText().equals("text")) return false;
        }
        return true;
    }

    /**
     * What the model's row of the shared table says it refuses, with the API's status and texts
     * ({@link ClaudeRules}): {@code output_config.effort} it does not take, a per-message effort where
     * the model takes none or with {@code between_tools}, structured output it lacks, non-default sampling, a forced tool choice, an
     * assistant prefill. A model the table does not know is refused none of these.
     */
    static void checkModelRules(String model, JsonNode body, boolean prefilled) throws ApiError {
        ClaudeRules.checkEffort(model, body);
        ClaudeRules.checkEffortMidConversation(model, body);
        ModelRules.checkInputs(model, body.path("messages"));
        ClaudeRules.checkStructuredOutput(model, body);
        String sampling = null;
        for (String p : List.of("temperature", "top_p", "top_k")) {
            JsonNode v = body.get(p);
            if (v != null && !v.isNull() && sampling == null) sampling = p;
        }
        String choice = body.path("tool_choice").path("type").asText();
        ClaudeRules.checkRow(model, sampling, choice.equals("any") || choice.equals("tool"), prefilled);
    }

    private FakeRequest.ToolChoice checkToolChoice(JsonNode body, List<FakeRequest.Tool> tools, int thinkingBudget)
            throws ApiError {
        JsonNode c = body.get("tool_choice");
        if (c == null || c.isNull()) return FakeRequest.ToolChoice.AUTO;
        String type = c.path("type").asText("");
        if (!List.of("auto", "any", "tool", "none").contains(type)) {
            throw ApiError.invalid(
                    "tool_choice: Input tag '" + type + "' found using 'type' does not match any of the expected tags:"
                            + " 'auto', 'any', 'tool', 'none'");
        }
        if (type.equals("tool")
                && (!c.path("name").isTextual() || c.required("name").text().isEmpty())) {
            throw ApiError.invalid("tool_choice.tool.name: Field required");
        }
        FakeRequest.ToolChoice choice = toolChoice(body);
        boolean forces =
                choice.kind() == FakeRequest.ToolChoice.Kind.ANY || choice.kind() == FakeRequest.ToolChoice.Kind.TOOL;
        if (forces && tools.isEmpty())
            throw ApiError.invalid("tool_choice may only be specified while providing tools.");
        if (choice.kind() == FakeRequest.ToolChoice.Kind.TOOL
                && tools.stream().noneMatch(t -> t.name().equals(choice.name()))) {
            throw ApiError.invalid("tool_choice: Tool '" + choice.name() + "' not found in the tools of the request");
        }
        if (forces && thinkingBudget > 0)
            throw ApiError.invalid("Thinking may not be enabled when tool_choice forces tool use.");
        return choice;
    }

    private FakeRequest.@Nullable Output checkFormat(JsonNode body) throws ApiError {
        boolean beta = body.path("output_config").path("format").isMissingNode();
        JsonNode f =
                beta ? body.path("output_format") : body.path("output_config").path("format");
        String where = beta ? "output_format" : "output_config.format";
        if (f.isMissingNode() || f.isNull()) return null;
        if (!"json_schema".equals(f.path("type").asText())) {
            throw ApiError.invalid(where + ": Input tag '" + f.path("type").asText()
                    + "' found using 'type' does not match any of" + " the expected tags: 'json_schema'");
        }
        if (!f.path("schema").isObject()) throw ApiError.invalid(where + ".schema: Field required");
        return format(body);
    }

    @Override
    public List<FakeRequest.Tool> tools(JsonNode body) {
        return FakeRequest.Tool.of(body.path("tools"), "input_schema");
    }

    @Override
    public List<Turn> turns(JsonNode body) {
        return FakeRequest.turns(body.path("messages"), "role", "content");
    }

    @Override
    public FakeRequest.ToolChoice toolChoice(JsonNode body) {
        JsonNode c = body.path("tool_choice");
        return switch (c.path("type").asText("")) {
            case "none" -> FakeRequest.ToolChoice.NONE;
            case "any" -> FakeRequest.ToolChoice.ANY;
            case "tool" ->
                c.path("name").isTextual()
                        ? FakeRequest.ToolChoice.tool(c.required("name").text())
                        : FakeRequest.ToolChoice.AUTO;
            default -> FakeRequest.ToolChoice.AUTO;
        };
    }

    @Override
    public FakeRequest.@Nullable Output format(JsonNode body) {
        JsonNode f = body.path("output_config").path("format");
        if (f.isMissingNode()) f = body.path("output_format");
        if (!"json_schema".equals(f.path("type").asText())) return null;
        return new FakeRequest.Output("json", f.path("schema").isObject() ? f.get("schema") : null, false);
    }

    /**
     * Checks that each assistant turn's {@code tool_use} blocks are answered by {@code tool_result}
     * blocks in the next user turn, the same ids in the same order, and, with thinking enabled, that
     * an assistant turn of the turn in progress that calls tools starts with its thinking block,
     * signature intact.
     *
     * @return the contents of the last user turn's tool results, in order
     */
    private List<String> checkToolExchange(JsonNode messages, int thinkingBudget) throws ApiError {
        int currentTurn = currentTurn(messages);
        List<String> calls = List.of();
        List<String> results = List.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            JsonNode content = m.required("content");
            boolean assistant = m.required("role").text().equals("assistant");
            List<String> ids = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            if (content.isArray()) {
                for (int k = 0; k < content.size(); k++) {
                    JsonNode b = content.required(k);
                    String type = b.path("type").asText();
                    if (assistant && type.equals("tool_use"))
                        ids.add(b.path("id").asText());
                    if (!assistant && type.equals("tool_result")) {
                        String id = b.path("tool_use_id").asText();
                        if (!calls.contains(id)) {
                            throw ApiError.invalid(
                                    "messages." + i + ".content." + k + ": unexpected `tool_use_id` found in"
                                            + " `tool_result` blocks: " + id
                                            + ". Each `tool_result` block must have a corresponding"
                                            + " `tool_use` block in the previous message.");
                        }
                        ids.add(id);
                        JsonNode c = b.get("content");
                        String text = c == null || c.isNull()
                                ? ""
                                : c.isTextual()
                                        ? c.textValue()
                                        : textOfBlocks(c, "messages." + i + ".content." + k + ".content");
                        contents.add(b.path("is_error").asBoolean(false) ? "error: " + text : text);
                    }
                }
            }
            if (assistant) {
                if (content.isArray()) countForeign(content);
                if (!calls.isEmpty()) throw unanswered(i - 1, calls);
                if (!ids.isEmpty() && thinkingBudget > 0 && i > currentTurn) checkThinking(i, content);
                calls = ids;
            } else {
                if (!calls.isEmpty() && !ids.equals(calls)) {
                    List<String> missing = new ArrayList<>(calls);
                    missing.removeAll(ids);
                    if (!missing.isEmpty()) throw unanswered(i - 1, missing);
                    throw ApiError.invalid("messages." + i
                            + ": the `tool_result` blocks must answer the `tool_use` blocks of" + " messages." + (i - 1)
                            + " once each and in their order: expected " + calls + ", got " + ids);
                }
                calls = List.of();
                results = contents;
            }
        }
        return results;
    }

    /**
     * {@return the index of the last user message with content other than tool results (-1 if none)}:
     * the turn in progress starts there, and only its assistant messages must bring their thinking
     * back, as the API checks (a past turn's thinking is dropped from the context, so a past tool turn
     * without it, one answered before a failover, is accepted)
     */
    private static int currentTurn(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.required(i);
            if (!"user".equals(m.path("role").asText())) continue;
            JsonNode content = m.get("content");
            if (content == null || !content.isArray()) return i;
            for (JsonNode b : content) if (!"tool_result".equals(b.path("type").asText())) return i;
        }
        return -1;
    }

    private static ApiError unanswered(int at, List<String> ids) {
        return ApiError.invalid(
                "messages." + at + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
                        + String.join(", ", ids)
                        + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
    }

    private void checkThinking(int i, JsonNode content) throws ApiError {
        String first = content.required(0).path("type").asText();
        if (!first.equals("thinking") && !first.equals("redacted_thinking")) {
            throw ApiError.invalid(
                    "messages." + i + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + first
                            + "`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.");
        }
        for (int k = 0; k < content.size(); k++) {
            JsonNode b = content.required(k);
            if (!b.path("type").asText().equals("thinking")) continue;
            JsonNode signature = b.get("signature");
            if (signature == null || signature.isNull()) {
                throw ApiError.invalid("messages." + i + ".content." + k + ".thinking.signature: Field required");
            }
            if (!opaque.verify("thinking", b.path("thinking").asText(), signature.asText())) {
                throw ApiError.invalid("messages." + i + ".content." + k + ": Invalid `signature` in `thinking` block");
            }
        }
    }

    /** A scripted answer's request, read leniently: never refused, but its foreign opaque fields are counted. */
    @Override
    public FakeRequest peek(String path, JsonNode body) {
        countForeignTurns(body);
        return WireFormat.super.peek(path, body);
    }

    /** Counts the opaque fields this server did not issue in every assistant turn of a request body. */
    public void countForeignTurns(JsonNode body) {
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("assistant") && m.path("content").isArray())
                countForeign(m.required("content"));
        }
    }

    /** Counts the opaque fields of an assistant turn that this server did not issue. */
    private void countForeign(JsonNode content) {
        for (JsonNode b : content) {
            String type = b.path("type").asText();
            boolean foreign = switch (type) {
                case "thinking" ->
                    !opaque.verify(
                            "thinking",
                            b.path("thinking").asText(),
                            b.path("signature").textValue());
                case "redacted_thinking" ->
                    !opaque.verify("redacted_thinking", "", b.path("data").textValue());
                case "compaction" ->
                    b.path("encrypted_content").isTextual()
                            && !opaque.verify(
                                    "compaction",
                                    b.path("content").asText(""),
                                    b.path("encrypted_content").textValue());
                default -> false;
            };
            if (foreign) opaque.foreign();
        }
    }

    private static JsonNode required(JsonNode body, String field) throws ApiError {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw ApiError.invalid(field + ": Field required");
        return n;
    }

    private static String requiredText(JsonNode body, String field) throws ApiError {
        return requiredText(field, body.get(field));
    }

    private static String requiredText(String where, @Nullable JsonNode n) throws ApiError {
        if (n == null || n.isNull()) throw ApiError.invalid(where + ": Field required");
        if (!n.isTextual()) throw ApiError.invalid(where + ": Input should be a valid string");
        if (n.text().isEmpty()) throw ApiError.invalid(where + ": String should have at least 1 character");
        return n.text();
    }

    /** The text of the {@code text} blocks of a content list, joined; checks each block has a type. */
    private static String textOfBlocks(JsonNode blocks, String where) throws ApiError {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode b = blocks.required(i);
            JsonNode type = b.isObject() ? b.get("type") : null;
            if (type == null || !type.isTextual()) throw ApiError.invalid(where + "." + i + ".type: Field required");
            if (type.text().equals("text")) {
                JsonNode text = b.get("text");
                if (text == null || !text.isTextual())
                    throw ApiError.invalid(where + "." + i + ".text: Field required");
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

    // ------------------------------------------------------------------ rendering

    static String stopReason(Reply.Stop stop) {
        return switch (stop) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE, FORCED_TOOL_USE -> "tool_use";
            case REFUSAL -> "refusal";
        };
    }

    /** {@return a refusal's {@code stop_details}: no category, its text as the explanation} */
    private static ObjectNode stopDetails(Reply reply) {
        ObjectNode d = Json.object();
        d.put("type", "refusal");
        d.putNull("category");
        String text = reply.refusal();
        if (text == null || text.isEmpty()) d.putNull("explanation");
        else d.put("explanation", text);
        return d;
    }

    @Override
    public String message(Reply reply) {
        ObjectNode m = Json.object();
        m.put("id", "msg_" + reply.id());
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", reply.model());
        ArrayNode content = m.putArray("content");
        for (Reply.Block b : reply.blocks()) if (!(b instanceof Reply.Refusal)) content.add(completeBlock(b, opaque));
        m.put("stop_reason", stopReason(reply.stop()));
        m.put("stop_sequence", reply.stopSequence());
        if (reply.stop() == Reply.Stop.REFUSAL) m.set("stop_details", stopDetails(reply));
        m.set("usage", usage(reply, reply.outputTokens()));
        return Json.write(m);
    }

    @Override
    public Rendered error(ApiError e, String requestId) {
        record Shape(int status, String type) {}
        Shape shape = switch (e.kind()) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED ->
                new Shape(e.kind() == ApiError.Kind.INVALID_REQUEST ? 400 : 405, "invalid_request_error");
            case AUTHENTICATION -> new Shape(401, "authentication_error");
            case NOT_FOUND -> new Shape(404, "not_found_error");
            case REQUEST_TOO_LARGE -> new Shape(413, "request_too_large");
            case RATE_LIMITED -> new Shape(429, "rate_limit_error");
            case OVERLOADED -> new Shape(529, "overloaded_error");
            case OTHER -> new Shape(e.status(), e.otherType());
        };
        ObjectNode body = Json.object();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", shape.type());
        error.put("message", e.getMessage());
        body.put("request_id", requestId);
        return new Rendered(shape.status(), Json.write(body));
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        return new StreamRenderer() {
            @Override
            public List<SseEvent> begin() {
                ObjectNode start = Json.object();
                start.put("type", "message_start");
                start.set("message", startMessage(reply));
                return List.of(SseEvent.of("message_start", Json.write(start)));
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                if (block instanceof Reply.Refusal) return List.of();
                List<SseEvent> events = new ArrayList<>(3);
                ObjectNode blockStart = Json.object();
                blockStart.put("type", "content_block_start");
                blockStart.put("index", index);
                blockStart.set("content_block", emptyBlock(block));
                events.add(SseEvent.of("content_block_start", Json.write(blockStart)));
                if (index == 0) events.add(SseEvent.of("ping", PING));
                if (block instanceof Reply.ToolUse)
                    events.add(AnthropicWire.delta(index, "input_json_delta", "partial_json", ""));
                return events;
            }

            @Override
            public @Nullable SseEvent delta(int index, Reply.Block block, String piece) {
                return switch (block) {
                    case Reply.Thinking t -> AnthropicWire.delta(index, "thinking_delta", "thinking", piece);
                    case Reply.Text t -> AnthropicWire.delta(index, "text_delta", "text", piece);
                    case Reply.ToolUse u -> AnthropicWire.delta(index, "input_json_delta", "partial_json", piece);
                    case Reply.Refusal r -> null; // its text comes in stop_details
                };
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                if (block instanceof Reply.Refusal) return List.of();
                List<SseEvent> events = new ArrayList<>(2);
                if (block instanceof Reply.Thinking t) {
                    events.add(AnthropicWire.delta(
                            index, "signature_delta", "signature", signature(String.join("", t.deltas()))));
                }
                ObjectNode stop = Json.object();
                stop.put("type", "content_block_stop");
                stop.put("index", index);
                events.add(SseEvent.of("content_block_stop", Json.write(stop)));
                return events;
            }

            @Override
            public List<SseEvent> end() {
                ObjectNode messageDelta = Json.object();
                messageDelta.put("type", "message_delta");
                ObjectNode d = messageDelta.putObject("delta");
                d.put("stop_reason", stopReason(reply.stop()));
                d.put("stop_sequence", reply.stopSequence());
                if (reply.stop() == Reply.Stop.REFUSAL) d.set("stop_details", stopDetails(reply));
                messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
                return List.of(
                        SseEvent.of("message_delta", Json.write(messageDelta)),
                        SseEvent.of("message_stop", "{\"type\":\"message_stop\"}"));
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                if (message == null) return SseEvent.of("error", OVERLOADED_EVENT);
                ObjectNode event = Json.object();
                event.put("type", "error");
                event.putObject("error")
                        .put("type", type != null ? type : "overloaded_error")
                        .put("message", message);
                return SseEvent.of("error", Json.write(event));
            }
        };
    }

    private static SseEvent delta(int index, String type, String field, String value) {
        ObjectNode event = Json.object();
        event.put("type", "content_block_delta");
        event.put("index", index);
        ObjectNode d = event.putObject("delta");
        d.put("type", type);
        d.put(field, value);
        return SseEvent.of("content_block_delta", Json.write(event));
    }

    /** {@return the message of {@code message_start} (fields in the order the API sends them): no content, no stop reason, one output token} */
    private static ObjectNode startMessage(Reply reply) {
        ObjectNode m = Json.object();
        m.put("id", "msg_" + reply.id());
        m.put("type", "message");
        m.put("role", "assistant");
        m.putArray("content");
        m.put("model", reply.model());
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        m.set("usage", usage(reply, 1));
        return m;
    }

    /** {@return a block as {@code content_block_start} announces it: empty} */
    private static ObjectNode emptyBlock(Reply.Block b) {
        ObjectNode o = Json.object();
        switch (b) {
            case Reply.Thinking t -> {
                o.put("type", "thinking");
                o.put("thinking", "");
            }
            case Reply.Text t -> {
                o.put("type", "text");
                o.put("text", "");
            }
            case Reply.ToolUse u -> {
                o.put("type", "tool_use");
                o.put("id", "toolu_" + u.id());
                o.put("name", u.name());
                o.putObject("input");
            }
            case Reply.Refusal r -> throw new IllegalStateException("a refusal is no content block");
        }
        return o;
    }

    private static ObjectNode completeBlock(Reply.Block b, OpaqueSigner opaque) {
        ObjectNode o = Json.object();
        switch (b) {
            case Reply.Thinking t -> {
                o.put("type", "thinking");
                String thinking = String.join("", t.deltas());
                o.put("thinking", thinking);
                o.put("signature", opaque.sign("thinking", thinking));
            }
            case Reply.Text t -> {
                o.put("type", "text");
                o.put("text", t.text());
            }
            case Reply.ToolUse u -> {
                o.put("type", "tool_use");
                o.put("id", "toolu_" + u.id());
                o.put("name", u.name());
                o.set("input", u.input().deepCopy());
            }
            case Reply.Refusal r -> throw new IllegalStateException("a refusal is no content block");
        }
        return o;
    }

    private static ObjectNode usage(Reply reply, int output) {
        ObjectNode u = Json.object();
        u.put("input_tokens", reply.inputTokens());
        u.put("output_tokens", output);
        return u;
    }
}
