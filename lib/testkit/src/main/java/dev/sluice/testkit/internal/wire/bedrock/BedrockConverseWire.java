package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.ClaudeRules;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.ModelRules;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.spi.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map.Entry;
import org.jspecify.annotations.Nullable;

/**
 * Amazon Bedrock's Converse API, streaming: {@code POST /model/{modelId}/converse-stream} with
 * {@code {messages:[{role, content:[{text}|{toolUse}|{toolResult}|{reasoningContent}...]}], system,
 * inferenceConfig:{maxTokens, stopSequences,...}, toolConfig:{tools:[{toolSpec:{name, description,
 * inputSchema:{json}}}], toolChoice}, additionalModelRequestFields}}, answered as an AWS event stream
 * of {@code messageStart}, {@code contentBlockStart} (tool use only), {@code contentBlockDelta}
 * ({@code text}, {@code toolUse.input}, {@code reasoningContent.text} then its {@code signature}),
 * {@code contentBlockStop}, {@code messageStop} ({@code stopReason}) and {@code metadata} (usage,
 * latency), each payload padded with {@code "p"} as AWS does. Thinking is asked for as Anthropic's
 * models take it on Bedrock, {@code additionalModelRequestFields.thinking} (or
 * {@code reasoning_config}) {@code {"type":"enabled","budget_tokens":N}}; a Claude model refuses what
 * its row of the model table says it refuses, as on the Messages API ({@link ClaudeRules}: the
 * thinking form and effort in {@code additionalModelRequestFields}, a temperature or {@code topP}, a
 * forced {@code toolChoice}, a last assistant message). A refusal ends with
 * {@code content_filtered}. Structured output asked for with {@code outputConfig.textFormat} (a JSON schema
 * as JSON text) comes as the message's text, as Bedrock sends it. Authentication and errors: {@link BedrockWire}.
 */
public final class BedrockConverseWire extends BedrockWire {
    static final String SUFFIX = "/converse-stream";
    private static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    String suffix() {
        return SUFFIX;
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        return FakeRequest.lenient(model(path), body, true, true);
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        String model = model(path);
        if (body == null || !body.isObject())
            throw ApiError.invalid("Malformed input request, please reformat your input and try again.");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid(
                    "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must not be null");
        }
        String prompt = "";
        String lastAssistant = "";
        String lastRole = null;
        boolean answersToolResult = false;
        List<String> toolResults = List.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.required(i);
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw ApiError.invalid(
                        "1 validation error detected: Value '" + role + "' at 'messages." + (i + 1)
                                + ".member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]");
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isArray() || content.isEmpty()) {
                throw ApiError.invalid("The content field in the Message object at messages." + i
                        + " is empty. Add a ContentBlock" + " object to the content field and try again.");
            }
            StringBuilder text = new StringBuilder();
            List<String> results = new ArrayList<>();
            for (JsonNode block : content) {
                if (block.path("text").isTextual())
                    text.append(block.required("text").textValue());
                if (block.has("toolResult")) results.add(toolResultText(block.required("toolResult")));
                if (block.has("toolUse") && !block.path("toolUse").path("name").isTextual()) {
                    throw ApiError.invalid("The toolUse block at messages." + i + " has no name.");
                }
            }
            if (role.equals("user")) {
                if (!text.isEmpty() || results.isEmpty()) prompt = text.toString();
                answersToolResult = !results.isEmpty();
                toolResults = results;
            } else {
                lastAssistant = text.toString();
            }
            lastRole = role;
        }
        if (!messages.required(0).path("role").asText().equals("user")) {
            throw ApiError.invalid(
                    "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
        }
        JsonNode config = body.path("inferenceConfig");
        int maxTokens = DEFAULT_MAX_TOKENS;
        if (config.has("maxTokens")) {
            JsonNode n = config.required("maxTokens");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
                throw ApiError.invalid(
                        "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint:"
                                + " Member must have value greater than or equal to 1");
            }
            maxTokens = n.intValue();
        }
        List<String> stops = new ArrayList<>();
        for (JsonNode s : config.path("stopSequences"))
            if (s.isTextual() && !s.text().isEmpty()) stops.add(s.textValue());
        List<FakeRequest.Tool> tools = tools(body);
        JsonNode extra = body.path("additionalModelRequestFields");
        JsonNode thinking =
                extra.path("thinking").isObject() ? extra.required("thinking") : extra.path("reasoning_config");
        int budget = 0;
        if ("enabled".equals(thinking.path("type").asText())) {
            budget = thinking.path("budget_tokens").asInt(1024);
            if (budget < 1024)
                throw ApiError.invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
            if (maxTokens <= budget)
                throw ApiError.invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
        }
        checkRequestSettings(body);
        FakeRequest.ToolChoice choice = toolChoice(body);
        ModelRules.checkInputs(model, body.path("messages"));
        if (ModelRules.of(model)
                .filter(r -> r.maker() == ModelRules.Maker.ANTHROPIC)
                .isPresent()) {
            // Converse hands Claude the same fields as the Messages API, and Claude refuses them alike
            if (config.has("maxTokens")) ClaudeRules.checkMaxTokens(model, maxTokens);
            ClaudeRules.checkThinking(model, extra);
            ClaudeRules.checkEffort(model, extra);
            String sampling = config.has("temperature") ? "temperature" : config.has("topP") ? "top_p" : null;
            boolean forced = choice.kind() == FakeRequest.ToolChoice.Kind.ANY
                    || choice.kind() == FakeRequest.ToolChoice.Kind.TOOL;
            boolean prefilled = "assistant".equals(lastRole);
            for (JsonNode block : messages.required(messages.size() - 1).path("content"))
                prefilled &= block.has("text"); // a turn sent back with its reasoning or tool use is no prefill
            ClaudeRules.checkRow(model, sampling, forced, prefilled);
        }
        if (choice.kind() == FakeRequest.ToolChoice.Kind.TOOL
                && tools.stream().noneMatch(t -> t.name().equals(choice.name()))) {
            throw ApiError.invalid(
                    "The tool " + choice.name() + " in toolChoice is not one of the tools of toolConfig.");
        }
        String prefill = "assistant".equals(lastRole) ? lastAssistant : "";
        return FakeRequest.builder(model)
                .maxTokens(maxTokens)
                .prompt(prompt)
                .promptChars(body.toString().length())
                .answersToolResult(answersToolResult)
                .tools(tools)
                .thinkingBudget(budget)
                .stream(true)
                .stopSequences(stops)
                .streamUsage(true)
                .toolResults(toolResults)
                .prefill(prefill)
                .turns(turns(body))
                .build()
                .withOutput(choice, checkFormat(body));
    }

    /**
     * The request-wide settings ConverseStream validates before the model sees anything, with AWS's
     * validation texts: {@code performanceConfig.latency} and {@code serviceTier.type} from their enum
     * value sets, {@code requestMetadata}'s keys and values from their pattern.
     */
    private static void checkRequestSettings(JsonNode body) throws ApiError {
        JsonNode latency = body.path("performanceConfig").path("latency");
        if (!latency.isMissingNode() && !List.of("standard", "optimized").contains(latency.asText())) {
            throw ApiError.invalid("1 validation error detected: Value '" + latency.asText()
                    + "' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value"
                    + " set: [standard, optimized]");
        }
        JsonNode tier = body.path("serviceTier").path("type");
        if (!tier.isMissingNode()
                && !List.of("priority", "default", "flex", "reserved").contains(tier.asText())) {
            throw ApiError.invalid("1 validation error detected: Value '" + tier.asText()
                    + "' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [priority, default, flex, reserved]");
        }
        if (body.path("requestMetadata") instanceof ObjectNode metadata) {
            for (Entry<String, JsonNode> pair : metadata.properties()) {
                String key = pair.getKey();
                JsonNode value = pair.getValue();
                if (!key.matches("[a-zA-Z0-9\\s._:/=+$@-]{1,256}")
                        || !value.isTextual()
                        || !value.text().matches("[a-zA-Z0-9\\s._:/=+$@-]{0,256}")) {
                    throw ApiError.invalid("1 validation error detected: Value at 'requestMetadata' failed to satisfy"
                            + " constraint: Map keys and values must satisfy the pattern [a-zA-Z0-9\\s._:/=+$@-]");
                }
            }
        }
    }

    private static String toolResultText(JsonNode result) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : result.path("content")) {
            if (c.path("text").isTextual()) sb.append(c.required("text").textValue());
            else if (c.has("json")) sb.append(Json.write(c.required("json")));
        }
        return "error".equals(result.path("status").asText()) ? "error: " + sb : sb.toString();
    }

    @Override
    public List<FakeRequest.Tool> tools(JsonNode body) {
        List<FakeRequest.Tool> tools = new ArrayList<>();
        for (JsonNode t : body.path("toolConfig").path("tools")) {
            JsonNode spec = t.path("toolSpec");
            if (!spec.path("name").isTextual()) continue;
            JsonNode schema = spec.path("inputSchema").path("json");
            tools.add(new FakeRequest.Tool(spec.required("name").text(), schema.isObject() ? schema : Json.object()));
        }
        return tools;
    }

    @Override
    public List<Turn> turns(JsonNode body) {
        return FakeRequest.turns(body.path("messages"), "role", "content");
    }

    @Override
    public FakeRequest.ToolChoice toolChoice(JsonNode body) {
        JsonNode c = body.path("toolConfig").path("toolChoice");
        if (c.has("any")) return FakeRequest.ToolChoice.ANY;
        if (c.path("tool").path("name").isTextual())
            return FakeRequest.ToolChoice.tool(c.path("tool").required("name").text());
        return FakeRequest.ToolChoice.AUTO;
    }

    /**
     * Reads {@code outputConfig.textFormat} ({@code {"type":"json_schema","structure":{"jsonSchema":
     * {"schema":"<JSON text>","name"}}}}), as Bedrock's structured outputs take it: the schema is a
     * JSON text, and the answer comes as the message's text.
     */
    @Override
    public FakeRequest.@Nullable Output format(JsonNode body) {
        JsonNode f = body.path("outputConfig").path("textFormat");
        if (!"json_schema".equals(f.path("type").asText())) return null;
        JsonNode json = f.path("structure").path("jsonSchema");
        JsonNode schema = null;
        if (json.path("schema").isTextual()) {
            try {
                schema = Json.parse(json.required("schema").text());
            } catch (Json.Malformed e) {
                schema = null; // read leniently: any JSON object
            }
        }
        return new FakeRequest.Output(
                json.path("name").isTextual() ? json.required("name").text() : "json",
                schema != null && schema.isObject() ? schema : null,
                false);
    }

    /** {@return the structured output asked for, checked as Bedrock checks it, or null} */
    private FakeRequest.@Nullable Output checkFormat(JsonNode body) throws ApiError {
        JsonNode f = body.path("outputConfig").path("textFormat");
        if (f.isMissingNode() || f.isNull()) return null;
        if (!"json_schema".equals(f.path("type").asText())) {
            throw ApiError.invalid(
                    "1 validation error detected: Value at 'outputConfig.textFormat.type' failed to satisfy constraint:"
                            + " Member must satisfy enum value set: [json_schema]");
        }
        JsonNode schema = f.path("structure").path("jsonSchema").path("schema");
        if (!schema.isTextual()) {
            throw ApiError.invalid(
                    "1 validation error detected: Value at 'outputConfig.textFormat.structure.jsonSchema.schema'"
                            + " failed to satisfy constraint: Member must not be null");
        }
        try {
            if (!Json.parse(schema.text()).isObject())
                throw ApiError.invalid("The JSON schema in outputConfig is not a JSON object.");
        } catch (Json.Malformed e) {
            throw ApiError.invalid("The JSON schema in outputConfig is not valid JSON.");
        }
        return format(body);
    }

    static String stopReason(Reply.Stop stop) {
        return switch (stop) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE, FORCED_TOOL_USE -> "tool_use";
            case REFUSAL -> "content_filtered";
        };
    }

    /** The Converse API's whole response ({@code fake-not-sse}): output message, stop reason, usage, metrics. */
    @Override
    public String message(Reply reply) {
        ObjectNode m = Json.object();
        ObjectNode message = m.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        for (Reply.Block b : reply.blocks()) {
            switch (b) {
                case Reply.Thinking t -> {
                    ObjectNode r =
                            content.addObject().putObject("reasoningContent").putObject("reasoningText");
                    r.put("text", String.join("", t.deltas()));
                    r.put("signature", t.signature());
                }
                case Reply.Text t -> content.addObject().put("text", t.text());
                case Reply.ToolUse u -> {
                    ObjectNode use = content.addObject().putObject("toolUse");
                    use.put("toolUseId", "tooluse_" + u.id());
                    use.put("name", u.name());
                    use.set("input", u.input().deepCopy());
                }
                case Reply.Refusal r -> {}
            }
        }
        m.put("stopReason", stopReason(reply.stop()));
        m.set("usage", usage(reply));
        m.putObject("metrics").put("latencyMs", 1);
        return Json.write(m);
    }

    private static ObjectNode usage(Reply reply) {
        ObjectNode u = Json.object();
        u.put("inputTokens", reply.inputTokens());
        u.put("outputTokens", reply.outputTokens());
        u.put("totalTokens", reply.inputTokens() + reply.outputTokens());
        return u;
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        long start = System.nanoTime();
        return new StreamRenderer() {
            @Override
            public List<SseEvent> begin() {
                ObjectNode e = Json.object();
                e.put("role", "assistant");
                return List.of(event("messageStart", e));
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                if (!(block instanceof Reply.ToolUse u)) return List.of();
                ObjectNode e = Json.object();
                ObjectNode use = e.putObject("start").putObject("toolUse");
                use.put("toolUseId", "tooluse_" + u.id());
                use.put("name", u.name());
                e.put("contentBlockIndex", index);
                return List.of(event("contentBlockStart", e));
            }

            @Override
            public @Nullable SseEvent delta(int index, Reply.Block block, String piece) {
                ObjectNode d = Json.object();
                switch (block) {
                    case Reply.Thinking t -> d.putObject("reasoningContent").put("text", piece);
                    case Reply.Text t -> d.put("text", piece);
                    case Reply.ToolUse u -> d.putObject("toolUse").put("input", piece);
                    case Reply.Refusal r -> {
                        return null; // a filtered answer carries no text, only its stop reason
                    }
                }
                return blockDelta(index, d);
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                if (block instanceof Reply.Refusal) return List.of();
                List<SseEvent> events = new ArrayList<>(2);
                if (block instanceof Reply.Thinking t) {
                    ObjectNode d = Json.object();
                    d.putObject("reasoningContent").put("signature", t.signature());
                    events.add(blockDelta(index, d));
                }
                ObjectNode stop = Json.object();
                stop.put("contentBlockIndex", index);
                events.add(event("contentBlockStop", stop));
                return events;
            }

            @Override
            public List<SseEvent> end() {
                ObjectNode stop = Json.object();
                stop.put("stopReason", stopReason(reply.stop()));
                ObjectNode metadata = Json.object();
                metadata.set("usage", usage(reply));
                metadata.putObject("metrics").put("latencyMs", millisSince(start));
                return List.of(event("messageStop", stop), event("metadata", metadata));
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                return modelStreamError(type, message);
            }
        };
    }

    private static SseEvent blockDelta(int index, ObjectNode delta) {
        ObjectNode e = Json.object();
        e.put("contentBlockIndex", index);
        e.set("delta", delta);
        return event("contentBlockDelta", e);
    }

    private static SseEvent event(String type, ObjectNode payload) {
        return SseEvent.of(type, padded(payload));
    }
}
