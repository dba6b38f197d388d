package dev.sluice.testkit.internal.wire.openai;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.ModelRules;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.spi.Turn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Chat Completions API, {@code POST /v1/chat/completions}: {@code Authorization: Bearer}
 * key, the Chat Completions request body, {@code chat.completion.chunk} streams ending with
 * {@code data: [DONE]} (a usage chunk with empty {@code choices} before it when
 * {@code stream_options.include_usage} is true), {@code chat.completion} objects, and error
 * bodies {@code {"error":{"message":..,"type":..,"param":..,"code":..}}}. An overload is HTTP 503
 * {@code server_error}; a mid-stream error is an {@code {"error":...}} chunk. Structured output is
 * asked for with {@code response_format} ({@code json_schema}, held to {@link StrictSchema} when
 * strict, or {@code json_object}) or a {@code tool_choice} naming a function, whose call then ends
 * with {@code finish_reason} {@code stop}, as OpenAI's does; a refusal streams {@code delta.refusal}
 * pieces and ends with {@code stop}. Reasoning streams as OpenAI-compatible servers send it, for
 * the model names {@link CompatibleReasoning} lists (DeepSeek's {@code reasoning_content} and its
 * rule for tool-call turns, {@code reasoning}, OpenRouter's {@code reasoning_details}).
 *
 * <p>Why this file is long: one API's whole wire format, its request read and checked as the API checks it
 * (tools, strict schemas, the compatible servers' reasoning) and its chunks and errors written, as
 * each {@link WireFormat} is.
 */
public final class OpenAiWire implements WireFormat {
    public static final String PATH = "/v1/chat/completions";
    static final String DONE = "[DONE]";
    private static final String FINGERPRINT = "fp_fake";
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    /** The answer's budget when the request names none. */
    private static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public boolean serves(String path) {
        return path.equals(PATH);
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return Map.of(
                "x-ratelimit-limit-requests",
                "1000",
                "x-ratelimit-remaining-requests",
                "999",
                "x-ratelimit-reset-requests",
                "60ms");
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        String auth = headers.getFirst("authorization");
        if (auth == null
                || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
                || auth.substring(7).isBlank()) {
            throw new ApiError(
                    ApiError.Kind.AUTHENTICATION,
                    "You didn't provide an API key. You need to provide your API key"
                            + " in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }
    }

    /**
     * Checks an output limit against the model's row, with OpenAI's text ({@code max_tokens is too
     * large: 8192. This model supports at most 4096 completion tokens, whereas you provided 8192.},
     * as algorithmicsuperintelligence/optillm#4 quotes it); the Responses API's names its field and
     * "output tokens". A model the table does not know, or whose limit it does not give, passes.
     *
     * @param model the model id
     * @param field the request's field ({@code max_tokens}, {@code max_completion_tokens}, {@code
     *     max_output_tokens})
     * @param maxTokens its value
     * @param kind what the tokens are called: {@code completion} on Chat Completions, {@code output} on Responses
     * @throws ApiError a 400 with the API's text
     */
    static void checkOutputLimit(String model, String field, int maxTokens, String kind) throws ApiError {
        ModelRules rules = ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.OPENAI)
                .orElse(null);
        if (rules != null && rules.maxOutput() > 0 && maxTokens > rules.maxOutput()) {
            throw ApiError.invalid(field + " is too large: " + maxTokens + ". This model supports at most "
                    + rules.maxOutput() + " " + kind + " tokens, whereas you provided " + maxTokens + ".");
        }
    }

    /**
     * Checks a {@code json_schema} format against the model's row: a model without structured
     * outputs (gpt-4-turbo, gpt-4, gpt-3.5-turbo) is answered "{@code Invalid parameter:
     * 'response_format' of type 'json_schema' is not supported with this model.}", as OpenAI answers
     * it on Chat Completions; the Responses API names {@code text.format}.
     *
     * @param model the model id
     * @param field the format's field ({@code response_format} or {@code text.format})
     * @param format the format object
     * @throws ApiError a 400 with the API's text
     */
    static void checkNativeFormat(String model, String field, JsonNode format) throws ApiError {
        if (!"json_schema".equals(format.path("type").asText(""))) return;
        ModelRules rules = ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.OPENAI)
                .orElse(null);
        if (rules != null && !rules.nativeStructured()) {
            throw ApiError.invalid(
                    "Invalid parameter: '" + field + "' of type 'json_schema' is not supported with this model.");
        }
    }

    /**
     * What the model's row of the shared table says Chat Completions refuses, with OpenAI's texts: a
     * reasoning effort it does not take, {@code max_tokens} on a reasoning model, a temperature other
     * than 1 where only the default is supported, and function tools with a reasoning effort other
     * than none where it takes them only on {@code /v1/responses}. Unknown models: none of these.
     */
    static void checkModelRules(String model, JsonNode body, List<FakeRequest.Tool> tools) throws ApiError {
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules == null || rules.maker() != ModelRules.Maker.OPENAI) return;
        boolean reasoning = rules.thinking().equals("effort");
        JsonNode effortNode = body.get("reasoning_effort");
        String effort = effortNode == null || effortNode.isNull() ? null : effortNode.asText();
        if (effort != null && !rules.efforts().contains(effort)) {
            throw ApiError.invalid("Unsupported value: '" + effort + "' is not supported with the '" + model
                    + "' model. Supported values are: "
                    + String.join(
                            ", ",
                            rules.efforts().stream().map(e -> "'" + e + "'").toList()) + ".");
        }
        if (reasoning
                && body.get("max_tokens") != null
                && !body.get("max_tokens").isNull()) {
            throw ApiError.invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use"
                    + " 'max_completion_tokens' instead.");
        }
        JsonNode temperature = body.get("temperature");
        if (!rules.sampling()
                && temperature != null
                && !temperature.isNull()
                && !(temperature.isNumber() && new BigDecimal(temperature.asText()).compareTo(BigDecimal.ONE) == 0)) {
            throw ApiError.invalid("Unsupported value: 'temperature' does not support " + temperature.asText()
                    + " with this model. Only the default (1) value is supported.");
        }
        String sent = effort != null ? effort : rules.defaultEffort();
        if (reasoning && !tools.isEmpty() && !rules.chatToolsWithEffort() && !"none".equals(sent)) {
            throw ApiError.invalid("Function tools with reasoning_effort are not supported for " + model
                    + " in /v1/chat/completions. To use function tools, use /v1/responses or set reasoning_effort"
                    + " to 'none'.");
        }
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) throw ApiError.invalid("request body must be a JSON object");
        String model = text(body.get("model"), "model");
        int maxTokens = DEFAULT_MAX_TOKENS;
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode n = body.get(field);
            if (n == null || n.isNull()) continue;
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
                throw ApiError.invalid("Invalid '" + field + "': expected an integer of at least 1");
            }
            maxTokens = n.intValue();
            checkOutputLimit(model, field, maxTokens, "completion");
        }
        JsonNode nNode = body.get("n");
        if (nNode != null && !nNode.isNull() && !(nNode.isIntegralNumber() && nNode.intValue() == 1)) {
            throw ApiError.invalid("Invalid 'n': the fake server answers with one choice only (n = 1)");
        }

        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) throw ApiError.invalid("Missing required parameter: 'messages'.");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid("Invalid 'messages': expected a non-empty array.");
        }
        int chars = 0;
        String lastUserText = "";
        String lastRole = null;
        for (int i = 0; i < messages.size(); i++) {
            String where = "messages[" + i + "]";
            JsonNode m = messages.required(i);
            if (!m.isObject()) throw ApiError.invalid("Invalid '" + where + "': expected an object.");
            JsonNode roleNode = m.get("role");
            if (roleNode == null || !roleNode.isTextual() || !ROLES.contains(roleNode.textValue())) {
                throw ApiError.invalid("Invalid value for '" + where + ".role': expected one of " + ROLES + ".");
            }
            String role = roleNode.text();
            JsonNode content = m.get("content");
            boolean hasToolCalls =
                    m.path("tool_calls").isArray() && !m.path("tool_calls").isEmpty();
            String text;
            if (content == null || content.isNull()) {
                if (!(role.equals("assistant") && hasToolCalls)) {
                    throw ApiError.invalid("Missing required parameter: '" + where + ".content'.");
                }
                text = "";
            } else if (content.isTextual()) {
                text = content.text();
            } else if (content.isArray()) {
                text = textOfParts(content, where + ".content");
            } else {
                throw ApiError.invalid(
                        "Invalid type for '" + where + ".content': expected a string or an array of parts.");
            }
            if (role.equals("tool")) {
                JsonNode id = m.get("tool_call_id");
                if (id == null || !id.isTextual() || id.text().isEmpty()) {
                    throw ApiError.invalid("Missing required parameter: '" + where + ".tool_call_id'.");
                }
            }
            chars += text.length()
                    + (hasToolCalls ? m.required("tool_calls").toString().length() : 0);
            if (role.equals("user")) lastUserText = text;
            lastRole = role;
        }

        List<FakeRequest.Tool> tools = new ArrayList<>();
        JsonNode toolsNode = body.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) throw ApiError.invalid("Invalid type for 'tools': expected an array.");
            for (int i = 0; i < toolsNode.size(); i++) {
                String where = "tools[" + i + "]";
                JsonNode t = toolsNode.required(i);
                if (!t.isObject() || !"function".equals(t.path("type").asText())) {
                    throw ApiError.invalid("Invalid value for '" + where + ".type': expected 'function'.");
                }
                JsonNode fn = t.get("function");
                if (fn == null || !fn.isObject())
                    throw ApiError.invalid("Missing required parameter: '" + where + ".function'.");
                String name = text(fn.get("name"), where + ".function.name");
                if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw ApiError.invalid("Invalid '" + where
                            + ".function.name': string does not match pattern '^[a-zA-Z0-9_-]{1,64}$'.");
                }
                JsonNode schema = fn.get("parameters");
                if (schema != null && !schema.isNull() && !schema.isObject()) {
                    throw ApiError.invalid("Invalid type for '" + where + ".function.parameters': expected an object.");
                }
                if (fn.path("strict").asBoolean(false) && schema != null && schema.isObject()) {
                    String problem = StrictSchema.problem(schema);
                    if (problem != null)
                        throw ApiError.invalid("Invalid schema for function '" + name + "': " + problem);
                }
                tools.add(new FakeRequest.Tool(name, schema == null || schema.isNull() ? Json.object() : schema));
            }
            chars += toolsNode.toString().length();
        }

        boolean stream = false;
        JsonNode streamNode = body.get("stream");
        if (streamNode != null && !streamNode.isNull()) {
            if (!streamNode.isBoolean()) throw ApiError.invalid("Invalid type for 'stream': expected a boolean.");
            stream = streamNode.booleanValue();
        }
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!stream)
                throw ApiError.invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
            if (!options.isObject()) throw ApiError.invalid("Invalid type for 'stream_options': expected an object.");
            JsonNode include = options.get("include_usage");
            if (include != null && !include.isNull()) {
                if (!include.isBoolean())
                    throw ApiError.invalid("Invalid type for 'stream_options.include_usage': expected a boolean.");
                includeUsage = include.booleanValue();
            }
        }

        List<String> stops = new ArrayList<>();
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull()) {
            if (stop.isTextual()) {
                stops.add(stop.textValue());
            } else if (stop.isArray() && stop.size() <= 4) {
                for (JsonNode s : stop) {
                    if (!s.isTextual())
                        throw ApiError.invalid("Invalid type for 'stop': expected a string or up to 4 strings.");
                    stops.add(s.textValue());
                }
            } else {
                throw ApiError.invalid("Invalid type for 'stop': expected a string or up to 4 strings.");
            }
            if (stops.stream().anyMatch(String::isEmpty))
                throw ApiError.invalid("Invalid 'stop': a stop sequence must not be empty.");
        }
        checkModelRules(model, body, tools);
        ModelRules.checkInputs(model, body.path("messages"));
        List<String> toolResults = checkToolExchange(messages);
        CompatibleReasoning reasoning = CompatibleReasoning.of(model, body);
        reasoning.check(model, messages);
        FakeRequest.ToolChoice choice = checkToolChoice(body.get("tool_choice"), tools, false);
        FakeRequest.Output output = checkFormat(body);
        if (body.path("response_format").isObject())
            checkNativeFormat(model, "response_format", body.required("response_format"));
        chars += body.path("response_format").isObject()
                ? body.required("response_format").toString().length()
                : 0;
        if (output != null
                && output.schema() == null
                && !messages.toString().toLowerCase(Locale.ROOT).contains("json")) {
            throw ApiError.invalid(
                    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
        }
        return FakeRequest.builder(model)
                .maxTokens(maxTokens)
                .prompt(lastUserText)
                .promptChars(chars)
                .answersToolResult("tool".equals(lastRole))
                .tools(tools)
                .thinkingBudget(reasoning == CompatibleReasoning.NONE ? 0 : maxTokens)
                .stream(stream)
                .stopSequences(stops)
                .streamUsage(includeUsage)
                .toolResults(toolResults)
                .turns(turns(body))
                .build()
                .withOutput(choice, output);
    }

    /**
     * Checks a tool choice as Chat Completions and the Responses API do: {@code none}, {@code auto},
     * {@code required}, or a function named (in {@code function.name}, or, in the Responses API's flat
     * form, {@code name}) among the tools.
     */
    static FakeRequest.ToolChoice checkToolChoice(@Nullable JsonNode c, List<FakeRequest.Tool> tools, boolean flat)
            throws ApiError {
        String where = "tool_choice";
        if (c == null || c.isNull()) return FakeRequest.ToolChoice.AUTO;
        FakeRequest.ToolChoice choice = toolChoiceOf(c);
        if (c.isTextual()
                ? !List.of("none", "auto", "required").contains(c.textValue())
                : !"function".equals(c.path("type").asText())
                        && !c.path("type").asText().startsWith("allowed_tools")) {
            throw ApiError.invalid(
                    "Invalid value for '" + where + "': expected 'none', 'auto', 'required' or a function to call.");
        }
        if (choice.kind() != FakeRequest.ToolChoice.Kind.AUTO
                && choice.kind() != FakeRequest.ToolChoice.Kind.NONE
                && tools.isEmpty()) {
            throw ApiError.invalid(
                    "Invalid value for '" + where + "': '" + where + "' is only allowed when 'tools' are specified.");
        }
        if (c.isObject()
                && choice.kind() != FakeRequest.ToolChoice.Kind.TOOL
                && "function".equals(c.path("type").asText())) {
            throw ApiError.invalid(
                    "Missing required parameter: '" + where + (flat ? ".name" : ".function.name") + "'.");
        }
        if (choice.kind() == FakeRequest.ToolChoice.Kind.TOOL
                && tools.stream().noneMatch(t -> t.name().equals(choice.name()))) {
            throw ApiError.invalid("Invalid value for '" + where + "': no function named '" + choice.name()
                    + "' was specified in 'tools'.");
        }
        return choice;
    }

    /** {@return a tool choice, read leniently (Chat Completions' nested and the Responses API's flat function form)} */
    static FakeRequest.ToolChoice toolChoiceOf(JsonNode c) {
        if (c.isTextual()) {
            return switch (c.text()) {
                case "none" -> FakeRequest.ToolChoice.NONE;
                case "required" -> FakeRequest.ToolChoice.ANY;
                default -> FakeRequest.ToolChoice.AUTO;
            };
        }
        JsonNode name =
                c.path("function").path("name").isTextual() ? c.path("function").path("name") : c.path("name");
        return "function".equals(c.path("type").asText())
                        && name.isTextual()
                        && !name.text().isEmpty()
                ? FakeRequest.ToolChoice.tool(name.text())
                : FakeRequest.ToolChoice.AUTO;
    }

    private static FakeRequest.@Nullable Output checkFormat(JsonNode body) throws ApiError {
        JsonNode f = body.get("response_format");
        if (f == null || f.isNull()) return null;
        return checkFormat(f, f.path("json_schema"), "response_format", "response_format.json_schema");
    }

    /**
     * Checks a structured-output format as OpenAI does ({@code text}, {@code json_object}, or
     * {@code json_schema} with a name and, when strict, a {@link StrictSchema strict} schema).
     *
     * @param spec where the format's name, schema and strict flag are (Chat Completions nests them in
     *     {@code json_schema}, the Responses API does not)
     */
    static FakeRequest.@Nullable Output checkFormat(JsonNode f, JsonNode spec, String where, String specWhere)
            throws ApiError {
        String type = f.path("type").asText("");
        switch (type) {
            case "text" -> {
                return null;
            }
            case "json_object" -> {
                return new FakeRequest.Output("json", null, false);
            }
            case "json_schema" -> {}
            default ->
                throw ApiError.invalid("Invalid value: '" + type + "'. Supported values are: 'text', 'json_object', and"
                        + " 'json_schema'. (" + where + ".type)");
        }
        if (!spec.isObject()) throw ApiError.invalid("Missing required parameter: '" + specWhere + "'.");
        JsonNode name = spec.get("name");
        if (name == null || !name.isTextual())
            throw ApiError.invalid("Missing required parameter: '" + specWhere + ".name'.");
        if (!name.text().matches("[a-zA-Z0-9_-]{1,64}")) {
            throw ApiError.invalid(
                    "Invalid '" + specWhere + ".name': string does not match pattern. Expected a string that matches"
                            + " the pattern '^[a-zA-Z0-9_-]+$'.");
        }
        JsonNode schema = spec.get("schema");
        if (schema != null && !schema.isNull() && !schema.isObject()) {
            throw ApiError.invalid("Invalid type for '" + specWhere + ".schema': expected an object.");
        }
        boolean strict = spec.path("strict").asBoolean(false);
        if (strict && schema != null && schema.isObject()) {
            String problem = StrictSchema.problem(schema);
            if (problem != null)
                throw ApiError.invalid("Invalid schema for response_format '" + name.textValue() + "': " + problem);
        }
        return new FakeRequest.Output(name.text(), schema != null && schema.isObject() ? schema : null, false);
    }

    @Override
    public List<FakeRequest.Tool> tools(JsonNode body) {
        List<JsonNode> functions = new ArrayList<>();
        for (JsonNode t : body.path("tools"))
            functions.add(t.path("function").isObject() ? t.get("function") : t); // the Responses API's are flat
        return FakeRequest.Tool.of(functions, "parameters");
    }

    @Override
    public List<Turn> turns(JsonNode body) {
        return FakeRequest.turns(body.path("messages"), "role", "content");
    }

    @Override
    public FakeRequest.ToolChoice toolChoice(JsonNode body) {
        return toolChoiceOf(body.path("tool_choice"));
    }

    @Override
    public FakeRequest.@Nullable Output format(JsonNode body) {
        return formatOf(
                body.path("response_format"), body.path("response_format").path("json_schema"));
    }

    /** {@return a structured-output format, read leniently; {@code spec} holds its name, schema and strict flag} */
    static FakeRequest.@Nullable Output formatOf(JsonNode f, JsonNode spec) {
        return switch (f.path("type").asText("")) {
            case "json_object" -> new FakeRequest.Output("json", null, false);
            case "json_schema" ->
                new FakeRequest.Output(
                        spec.path("name").asText("json"),
                        spec.path("schema").isObject() ? spec.get("schema") : null,
                        false);
            default -> null;
        };
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        return FakeRequest.lenient(
                body.path("model").asText(""),
                body,
                body.path("stream").asBoolean(false),
                body.path("stream_options").path("include_usage").asBoolean(false));
    }

    /** OpenAI's Chat Completions streams no thinking (a scripted answer's is left out); the compatible servers' reasoning is planned per request. */
    @Override
    public boolean thinks() {
        return false;
    }

    /**
     * Checks that an assistant message's {@code tool_calls} are answered by the {@code tool}
     * messages right after it, one per call, in the calls' order, and that no tool message answers
     * nothing.
     *
     * @return the contents of the tool messages at the end of the conversation, in order
     */
    private static List<String> checkToolExchange(JsonNode messages) throws ApiError {
        List<String> calls = List.of();
        List<String> answered = new ArrayList<>();
        List<String> results = new ArrayList<>();
        int assistantAt = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            String role = m.required("role").text();
            if (role.equals("tool")) {
                String id = m.required("tool_call_id").text();
                if (!calls.contains(id) || answered.contains(id)) {
                    throw ApiError.invalid(
                            "Invalid parameter: messages with role 'tool' must be a response to a preceeding"
                                    + " message with 'tool_calls' (messages[" + i + "].tool_call_id: " + id + ").");
                }
                answered.add(id);
                JsonNode content = m.required("content");
                results.add(content.isTextual() ? content.text() : textOfParts(content, "messages[" + i + "].content"));
                continue;
            }
            if (!calls.isEmpty()) checkAnswered(assistantAt, calls, answered);
            calls = List.of();
            answered.clear();
            results.clear();
            if (role.equals("assistant") && m.path("tool_calls").isArray()) {
                List<String> ids = new ArrayList<>();
                for (JsonNode c : m.required("tool_calls")) ids.add(c.path("id").asText());
                calls = ids;
                assistantAt = i;
            }
        }
        if (!calls.isEmpty() && !answered.isEmpty()) checkAnswered(assistantAt, calls, answered);
        return results;
    }

    private static void checkAnswered(int at, List<String> calls, List<String> answered) throws ApiError {
        if (answered.equals(calls)) return;
        List<String> missing = new ArrayList<>(calls);
        missing.removeAll(answered);
        if (!missing.isEmpty()) {
            throw ApiError.invalid(
                    "An assistant message with 'tool_calls' must be followed by tool messages responding to each"
                            + " 'tool_call_id'. The following tool_call_ids did not have response messages: "
                            + String.join(", ", missing)
                            + " (messages[" + at + "])");
        }
        throw ApiError.invalid("The tool messages after messages[" + at
                + "] must answer its 'tool_calls' in their order:" + " expected " + calls + ", got " + answered);
    }

    private static String text(@Nullable JsonNode n, String where) throws ApiError {
        if (n == null || n.isNull()) throw ApiError.invalid("Missing required parameter: '" + where + "'.");
        if (!n.isTextual() || n.text().isEmpty())
            throw ApiError.invalid("Invalid '" + where + "': expected a non-empty string.");
        return n.text();
    }

    /** The text of the {@code text} parts of a content array, joined. */
    private static String textOfParts(JsonNode parts, String where) throws ApiError {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode p = parts.required(i);
            JsonNode type = p.isObject() ? p.get("type") : null;
            if (type == null || !type.isTextual())
                throw ApiError.invalid("Missing required parameter: '" + where + "[" + i + "].type'.");
            if (type.text().equals("text")) {
                if (!p.path("text").isTextual())
                    throw ApiError.invalid("Missing required parameter: '" + where + "[" + i + "].text'.");
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(p.required("text").textValue());
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ rendering

    static String finishReason(Reply.Stop stop) {
        return switch (stop) {
            case END_TURN, STOP_SEQUENCE, FORCED_TOOL_USE, REFUSAL -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
        };
    }

    @Override
    public String message(Reply reply) {
        ObjectNode c = header(reply, "chat.completion");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String text = reply.text();
        if (text.isEmpty()) message.putNull("content");
        else message.put("content", text);
        if (reply.refusal() == null) message.putNull("refusal");
        else message.put("refusal", reply.refusal());
        ArrayNode calls = null;
        CompatibleReasoning reasoning = CompatibleReasoning.rendering(reply.model());
        for (Reply.Block b : reply.blocks()) {
            if (b instanceof Reply.Thinking t) {
                String thinking = String.join("", t.deltas());
                switch (reasoning) {
                    case REASONING_CONTENT -> message.put("reasoning_content", thinking);
                    case REASONING -> message.put("reasoning", thinking);
                    case DETAILS -> {
                        message.put("reasoning", thinking);
                        ArrayNode details = message.putArray("reasoning_details");
                        detail(details.addObject(), "reasoning.text", 0)
                                .put("text", thinking)
                                .put("signature", t.signature());
                        detail(details.addObject(), "reasoning.encrypted", 1)
                                .put("data", CompatibleReasoning.encrypted(thinking));
                    }
                    case NONE -> {}
                }
            }
            if (b instanceof Reply.ToolUse u) {
                if (calls == null) calls = message.putArray("tool_calls");
                ObjectNode call = calls.addObject();
                call.put("id", "call_" + u.id());
                call.put("type", "function");
                ObjectNode fn = call.putObject("function");
                fn.put("name", u.name());
                fn.put("arguments", String.join("", u.deltas()));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply.stop()));
        c.set("usage", usage(reply));
        c.put("system_fingerprint", FINGERPRINT);
        return Json.write(c);
    }

    @Override
    public Rendered error(ApiError e, String requestId) {
        record Shape(int status, String type, @Nullable String code) {}
        Shape shape = switch (e.kind()) {
            case INVALID_REQUEST -> new Shape(400, "invalid_request_error", null);
            case AUTHENTICATION -> new Shape(401, "invalid_request_error", "invalid_api_key");
            case NOT_FOUND -> new Shape(404, "invalid_request_error", "model_not_found");
            case METHOD_NOT_ALLOWED -> new Shape(405, "invalid_request_error", null);
            case REQUEST_TOO_LARGE -> new Shape(413, "invalid_request_error", "request_too_large");
            case RATE_LIMITED -> new Shape(429, "requests", "rate_limit_exceeded");
            case OVERLOADED -> new Shape(503, "server_error", null);
            case OTHER -> new Shape(e.status(), e.otherType(), null);
        };
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", shape.type());
        error.putNull("param");
        String code = e.code() != null ? e.code() : shape.code();
        if (code == null) error.putNull("code");
        else error.put("code", code);
        return new Rendered(shape.status(), Json.write(body));
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        boolean includeUsage = request.streamUsage();
        return new StreamRenderer() {
            private int toolCalls;

            @Override
            public List<SseEvent> begin() {
                ObjectNode delta = Json.object();
                delta.put("role", "assistant");
                if (!reply.blocks().isEmpty() && reply.blocks().getFirst() instanceof Reply.Refusal) {
                    delta.putNull("content");
                    delta.put("refusal", "");
                } else {
                    delta.put("content", "");
                    delta.putNull("refusal");
                }
                return List.of(chunk(delta, null));
            }

            private final CompatibleReasoning reasoning = CompatibleReasoning.rendering(reply.model());
            private final StringBuilder thinking = new StringBuilder();

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                if (!(block instanceof Reply.ToolUse u)) return List.of();
                ObjectNode call = Json.object();
                call.put("index", toolCalls);
                call.put("id", "call_" + u.id());
                call.put("type", "function");
                ObjectNode fn = call.putObject("function");
                fn.put("name", u.name());
                fn.put("arguments", "");
                return List.of(toolCallChunk(call));
            }

            @Override
            public SseEvent delta(int index, Reply.Block block, String piece) {
                return switch (block) {
                    case Reply.Text t -> {
                        ObjectNode delta = Json.object();
                        delta.put("content", piece);
                        yield chunk(delta, null);
                    }
                    case Reply.ToolUse u -> {
                        ObjectNode call = Json.object();
                        call.put("index", toolCalls);
                        call.putObject("function").put("arguments", piece);
                        yield toolCallChunk(call);
                    }
                    case Reply.Refusal r -> {
                        ObjectNode delta = Json.object();
                        delta.put("refusal", piece);
                        yield chunk(delta, null);
                    }
                    case Reply.Thinking t -> {
                        ObjectNode delta = Json.object();
                        thinking.append(piece);
                        switch (reasoning) {
                            case REASONING_CONTENT -> delta.putNull("content").put("reasoning_content", piece);
                            case REASONING -> delta.put("content", "").put("reasoning", piece);
                            case DETAILS -> {
                                delta.put("role", "assistant")
                                        .put("content", "")
                                        .put("reasoning", piece);
                                detail(delta.putArray("reasoning_details").addObject(), "reasoning.text", 0)
                                        .put("text", piece);
                            }
                            case NONE ->
                                throw new IllegalStateException("no reasoning is streamed for " + reply.model());
                        }
                        yield chunk(delta, null);
                    }
                };
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                if (block instanceof Reply.ToolUse) toolCalls++;
                if (block instanceof Reply.Thinking t && reasoning == CompatibleReasoning.DETAILS) {
                    ObjectNode signed = Json.object()
                            .put("role", "assistant")
                            .put("content", "")
                            .put("reasoning", "");
                    detail(signed.putArray("reasoning_details").addObject(), "reasoning.text", 0)
                            .put("signature", t.signature());
                    ObjectNode encrypted =
                            Json.object().put("role", "assistant").put("content", "");
                    detail(encrypted.putArray("reasoning_details").addObject(), "reasoning.encrypted", 1)
                            .put("data", CompatibleReasoning.encrypted(thinking.toString()));
                    return List.of(chunk(signed, null), chunk(encrypted, null));
                }
                return List.of();
            }

            @Override
            public List<SseEvent> end() {
                List<SseEvent> events = new ArrayList<>(3);
                events.add(chunk(Json.object(), finishReason(reply.stop())));
                if (includeUsage) {
                    ObjectNode c = header(reply, "chat.completion.chunk");
                    c.putArray("choices");
                    c.set("usage", usage(reply));
                    events.add(SseEvent.of(Json.write(c)));
                }
                events.add(SseEvent.of(DONE));
                return events;
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                ObjectNode body = Json.object();
                ObjectNode error = body.putObject("error");
                error.put(
                        "message",
                        message != null
                                ? message
                                : "The server had an error while processing your request. Sorry about that!");
                error.put("type", type != null ? type : "server_error");
                error.putNull("param");
                error.putNull("code");
                return SseEvent.of(Json.write(body));
            }

            private SseEvent toolCallChunk(ObjectNode call) {
                ObjectNode delta = Json.object();
                delta.putArray("tool_calls").add(call);
                return chunk(delta, null);
            }

            private SseEvent chunk(ObjectNode delta, @Nullable String finishReason) {
                ObjectNode c = header(reply, "chat.completion.chunk");
                ObjectNode choice = c.putArray("choices").addObject();
                choice.put("index", 0);
                choice.set("delta", delta);
                choice.putNull("logprobs");
                if (finishReason == null) choice.putNull("finish_reason");
                else choice.put("finish_reason", finishReason);
                if (includeUsage) c.putNull("usage");
                return SseEvent.of(Json.write(c));
            }
        };
    }

    /** {@return an OpenRouter reasoning entry begun: its type, format and index (the caller adds its content)} */
    private static ObjectNode detail(ObjectNode entry, String type, int index) {
        return entry.put("type", type).put("format", CompatibleReasoning.FORMAT).put("index", index);
    }

    /** The fields every chunk and the completion begin with, in the API's order. */
    private static ObjectNode header(Reply reply, String object) {
        ObjectNode c = Json.object();
        c.put("id", "chatcmpl-" + reply.id());
        c.put("object", object);
        c.put("created", CREATED);
        c.put("model", reply.model());
        if (object.equals("chat.completion.chunk")) c.put("system_fingerprint", FINGERPRINT);
        return c;
    }

    /** One creation time per server run is enough for a fake; real chunks of one response share theirs. */
    private static final long CREATED = System.currentTimeMillis() / 1000;

    private static ObjectNode usage(Reply reply) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", reply.inputTokens());
        u.put("completion_tokens", reply.outputTokens());
        u.put("total_tokens", reply.inputTokens() + reply.outputTokens());
        return u;
    }
}
