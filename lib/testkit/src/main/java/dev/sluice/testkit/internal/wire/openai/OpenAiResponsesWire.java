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
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Responses API, {@code POST /v1/responses}: {@code Authorization: Bearer} key, a body
 * with {@code model}, {@code input} (a string, or items: messages, {@code function_call} and
 * {@code function_call_output}), {@code instructions}, function {@code tools},
 * {@code max_output_tokens} and {@code stream}; streams of named events, each with its
 * {@code sequence_number}: {@code response.created}, {@code response.in_progress}, per output item
 * {@code response.output_item.added}, then for a message {@code response.content_part.added},
 * {@code response.output_text.delta}s, {@code .done}s, for a function call
 * {@code response.function_call_arguments.delta}s and {@code .done}, for thinking a reasoning item
 * with {@code response.reasoning_summary_text.delta}s, then {@code response.output_item.done};
 * last {@code response.completed} (or {@code response.incomplete} with
 * {@code max_output_tokens}) carrying the whole response with its usage. Error bodies as Chat
 * Completions'; a mid-stream error is an {@code error} event. Structured output is asked for with
 * {@code text.format} ({@code json_schema} with its name, schema and strict flag, or
 * {@code json_object}) or a {@code tool_choice} of {@code {"type":"function","name":...}}; a
 * refusal is a message whose content part is a {@code refusal}, streamed as
 * {@code response.refusal.delta}s and {@code response.refusal.done}. A {@code reasoning} object
 * (an effort other than {@code none}) turns thinking on: a reasoning item with its summary comes
 * first, with {@code encrypted_content} when {@code include} asks for
 * {@code reasoning.encrypted_content} (an {@link OpaqueSeal} of this server's); a reasoning or
 * {@code compaction} input item whose {@code encrypted_content} does not verify (altered, or
 * another server's) is refused as OpenAI refuses it: 400 {@code invalid_request_error},
 * {@code invalid_encrypted_content}, "The encrypted content for item ... could not be verified.",
 * counted in {@link dev.sluice.testkit.FakeLlmServer#opaqueRejections()}.
 */
public final class OpenAiResponsesWire implements WireFormat {
    public static final String PATH = "/v1/responses";
    /** A request's thinking budget: reasoning asked for, and with its encrypted content included. */
    private static final int REASONING = 1, REASONING_ENCRYPTED = 2;

    private final OpaqueSeal seal = new OpaqueSeal();
    private static final int DEFAULT_MAX_TOKENS = 4096;
    private static final OpenAiWire ERRORS = new OpenAiWire(); // the account-level parts: headers, errors

    /**
     * What the model's row of the shared table says the Responses API refuses, with OpenAI's texts
     * ({@code Unsupported value: '…' does not support 'none' with this model. Supported values are:
     * …}, as Kilo-Org/cloud#3807 quotes it for {@code reasoning_effort}; here named by its Responses
     * field): a {@code reasoning.effort} the model does not take, and a temperature other than 1
     * where only the default is supported, as Chat Completions refuses them
     * ({@link OpenAiWire#checkModelRules}). Unknown models: none of these.
     */
    private static void checkModelRules(String model, @Nullable JsonNode reasoning, @Nullable JsonNode temperature)
            throws ApiError {
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules == null || rules.maker() != ModelRules.Maker.OPENAI) return;
        JsonNode effort = reasoning == null ? null : reasoning.get("effort");
        if (effort != null
                && effort.isTextual()
                && rules.efforts().isEmpty()
                && !effort.text().equals("none"))
            throw ApiError.invalid("Unsupported parameter: 'reasoning.effort' is not supported with this model.");
        if (effort != null
                && effort.isTextual()
                && !rules.efforts().isEmpty()
                && !rules.efforts().contains(effort.text())) {
            throw ApiError.invalid("Unsupported value: 'reasoning.effort' does not support '" + effort.text()
                    + "' with this model. Supported values are: "
                    + String.join(
                            ", ",
                            rules.efforts().stream().map(e -> "'" + e + "'").toList()) + ".");
        }
        if (!rules.sampling()
                && temperature != null
                && temperature.isNumber()
                && new BigDecimal(temperature.asText()).compareTo(BigDecimal.ONE) != 0) {
            throw ApiError.invalid("Unsupported value: 'temperature' does not support " + temperature.asText()
                    + " with this model. Only the default (1) value is supported.");
        }
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH);
    }

    /** OpenAI's, as for Chat Completions. */
    @Override
    public String requestIdHeader() {
        return ERRORS.requestIdHeader();
    }

    /** OpenAI's, as for Chat Completions. */
    @Override
    public Map<String, String> rateLimitHeaders() {
        return ERRORS.rateLimitHeaders();
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        ERRORS.checkHeaders(headers);
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) throw ApiError.invalid("request body must be a JSON object");
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.text().isEmpty()) {
            throw ApiError.invalid("Missing required parameter: 'model'.");
        }
        int maxTokens = DEFAULT_MAX_TOKENS;
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 16) {
                throw ApiError.invalid(
                        "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.");
            }
            maxTokens = max.intValue();
            OpenAiWire.checkOutputLimit(modelNode.text(), "max_output_tokens", maxTokens, "output");
        }
        int chars = body.path("instructions").asText("").length();
        String prompt = "";
        boolean answersTool = false;
        List<String> toolResults = new ArrayList<>();
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) throw ApiError.invalid("Missing required parameter: 'input'.");
        if (input.isTextual()) {
            prompt = input.text();
            chars += prompt.length();
        } else if (input.isArray() && !input.isEmpty()) {
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.required(i);
                String where = "input[" + i + "]";
                if (!item.isObject()) throw ApiError.invalid("Invalid '" + where + "': expected an object.");
                String type = item.path("type").asText(item.has("role") ? "message" : "");
                switch (type) {
                    case "message" -> {
                        String role = item.path("role").asText("");
                        if (!List.of("user", "assistant", "system", "developer").contains(role)) {
                            throw ApiError.invalid("Invalid value for '" + where + ".role'.");
                        }
                        String text = content(item.get("content"), where);
                        if (role.equals("user")) {
                            prompt = text;
                            toolResults.clear();
                        }
                        answersTool = false;
                        chars += text.length();
                    }
                    case "function_call" -> {
                        calls.add(item.path("call_id").asText(""));
                        chars += item.toString().length();
                    }
                    case "function_call_output" -> {
                        String id = item.path("call_id").asText("");
                        if (!calls.contains(id)) {
                            throw ApiError.invalid(
                                    "No tool call found for function call output with call_id " + id + ".");
                        }
                        if (!answersTool) toolResults.clear();
                        toolResults.add(item.path("output").asText(""));
                        answersTool = true;
                        chars += item.toString().length();
                    }
                    case "reasoning", "compaction" -> {
                        // Encrypted reasoning and compaction go back exactly as they came (the API
                        // decrypts them): altered, or made by another server, they are refused.
                        JsonNode encrypted = item.get("encrypted_content");
                        if (encrypted != null
                                && !encrypted.isNull()
                                && !seal.verifies(
                                        item.path("id").asText(""),
                                        encrypted.isTextual() ? encrypted.textValue() : null)) {
                            throw ApiError.opaqueRejected(
                                    "The encrypted content for item "
                                            + item.path("id").asText("")
                                            + " could not be verified. Reason: Encrypted content could not be decrypted or parsed.",
                                    "invalid_encrypted_content");
                        }
                    }
                    default -> {} // other items: accepted, not read
                }
            }
            List<String> unanswered = new ArrayList<>(calls);
            for (JsonNode item : input) {
                if ("function_call_output".equals(item.path("type").asText()))
                    unanswered.remove(item.path("call_id").asText());
            }
            if (!unanswered.isEmpty())
                throw ApiError.invalid("No tool output found for function call " + unanswered.getFirst() + ".");
        } else {
            throw ApiError.invalid("Invalid 'input': expected a string or a non-empty array of items.");
        }
        List<FakeRequest.Tool> tools = new ArrayList<>();
        JsonNode toolsNode = body.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) throw ApiError.invalid("Invalid type for 'tools': expected an array.");
            for (int i = 0; i < toolsNode.size(); i++) {
                JsonNode t = toolsNode.required(i);
                if (!"function".equals(t.path("type").asText())) continue; // built-in tools: offered, never called
                String name = t.path("name").asText("");
                if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw ApiError.invalid(
                            "Invalid 'tools[" + i + "].name': string does not match pattern '^[a-zA-Z0-9_-]{1,64}$'.");
                }
                JsonNode schema = t.get("parameters");
                if (t.path("strict").asBoolean(false) && schema != null && schema.isObject()) {
                    String problem = StrictSchema.problem(schema);
                    if (problem != null)
                        throw ApiError.invalid("Invalid schema for function '" + name + "': " + problem);
                }
                tools.add(new FakeRequest.Tool(name, schema == null || !schema.isObject() ? Json.object() : schema));
            }
            chars += toolsNode.toString().length();
        }
        boolean stream = body.path("stream").asBoolean(false);
        JsonNode safety = body.path("safety_identifier");
        if (!safety.isMissingNode() && !safety.isNull()) {
            if (!safety.isTextual()) throw ApiError.invalid("Invalid type for 'safety_identifier': expected a string.");
            if (safety.text().length() > 64) {
                throw ApiError.invalid("Invalid 'safety_identifier': string too long. Expected a string with maximum"
                        + " length 64, but got a string with length "
                        + safety.text().length() + " instead.");
            }
        }
        JsonNode parallel = body.path("parallel_tool_calls");
        if (!parallel.isMissingNode() && !parallel.isNull() && !parallel.isBoolean())
            throw ApiError.invalid("Invalid type for 'parallel_tool_calls': expected a boolean.");
        JsonNode reasoning = body.get("reasoning");
        checkModelRules(modelNode.text(), reasoning, body.get("temperature"));
        ModelRules.checkInputs(modelNode.text(), body.path("input"));
        int thinking = 0;
        if (reasoning != null
                && reasoning.isObject()
                && !"none".equals(reasoning.path("effort").asText(""))) {
            thinking = REASONING;
            JsonNode include = body.path("include");
            for (JsonNode i : include)
                if ("reasoning.encrypted_content".equals(i.asText())) thinking = REASONING_ENCRYPTED;
        }
        FakeRequest.ToolChoice choice = OpenAiWire.checkToolChoice(body.get("tool_choice"), tools, true);
        JsonNode f = body.path("text").path("format");
        FakeRequest.Output output = f.isObject() ? OpenAiWire.checkFormat(f, f, "text.format", "text.format") : null;
        if (f.isObject()) OpenAiWire.checkNativeFormat(modelNode.text(), "text.format", f);
        if (output != null
                && output.schema() == null
                && !input.toString().toLowerCase(Locale.ROOT).contains("json")) {
            throw ApiError.invalid(
                    "Response input messages must contain the word 'json' in some form to use 'text.format' of type"
                            + " 'json_object'.");
        }
        chars += f.isObject() ? f.toString().length() : 0;
        return FakeRequest.builder(modelNode.text())
                .maxTokens(maxTokens)
                .prompt(prompt)
                .promptChars(chars)
                .answersToolResult(answersTool)
                .tools(tools)
                .thinkingBudget(thinking)
                .stream(stream)
                .streamUsage(true)
                .toolResults(answersTool ? toolResults : List.of())
                .turns(turns(body))
                .build()
                .withOutput(choice, output);
    }

    /** The tools are OpenAI's, in the flat form. */
    @Override
    public List<FakeRequest.Tool> tools(JsonNode body) {
        return ERRORS.tools(body);
    }

    @Override
    public List<Turn> turns(JsonNode body) {
        JsonNode input = body.path("input");
        return input.isTextual() ? List.of(new Turn(true, input.text())) : FakeRequest.turns(input, "role", "content");
    }

    @Override
    public FakeRequest.ToolChoice toolChoice(JsonNode body) {
        return OpenAiWire.toolChoiceOf(body.path("tool_choice"));
    }

    @Override
    public FakeRequest.@Nullable Output format(JsonNode body) {
        JsonNode f = body.path("text").path("format");
        return OpenAiWire.formatOf(f, f);
    }

    private static String content(@Nullable JsonNode content, String where) throws ApiError {
        if (content == null || content.isNull())
            throw ApiError.invalid("Missing required parameter: '" + where + ".content'.");
        if (content.isTextual()) return content.text();
        if (!content.isArray()) throw ApiError.invalid("Invalid type for '" + where + ".content'.");
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : content)
            if (p.path("text").isTextual()) sb.append(p.required("text").textValue());
        return sb.toString();
    }

    @Override
    public String message(Reply reply) {
        return Json.write(response(reply, status(reply), true, true)); // not streamed: include is not known here
    }

    @Override
    public Rendered error(ApiError error, String requestId) {
        return ERRORS.error(error, requestId);
    }

    private static String status(Reply reply) {
        return reply.stop() == Reply.Stop.MAX_TOKENS ? "incomplete" : "completed";
    }

    /** The response object: with its output and usage when whole, empty while it is in progress. */
    private ObjectNode response(Reply reply, String status, boolean whole, boolean encrypted) {
        ObjectNode r = Json.object();
        r.put("id", "resp_" + reply.id());
        r.put("object", "response");
        r.put("created_at", CREATED);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        if (status.equals("incomplete")) r.putObject("incomplete_details").put("reason", "max_output_tokens");
        else r.putNull("incomplete_details");
        r.put("model", reply.model());
        ArrayNode output = r.putArray("output");
        if (whole) {
            for (int i = 0; i < reply.blocks().size(); i++)
                output.add(item(reply, i, reply.blocks().get(i), true, encrypted));
            ObjectNode u = r.putObject("usage");
            u.put("input_tokens", reply.inputTokens());
            u.putObject("input_tokens_details").put("cached_tokens", 0);
            u.put("output_tokens", reply.outputTokens());
            u.putObject("output_tokens_details").put("reasoning_tokens", 0);
            u.put("total_tokens", reply.inputTokens() + reply.outputTokens());
        } else {
            r.putNull("usage");
        }
        return r;
    }

    private static String itemId(Reply reply, int index, Reply.Block block) {
        String prefix = switch (block) {
            case Reply.Text t -> "msg_";
            case Reply.Refusal r -> "msg_";
            case Reply.ToolUse u -> "fc_";
            case Reply.Thinking t -> "rs_";
        };
        return prefix + reply.id() + "_" + index;
    }

    private ObjectNode item(Reply reply, int index, Reply.Block block, boolean whole, boolean encrypted) {
        ObjectNode item = Json.object();
        item.put("id", itemId(reply, index, block));
        switch (block) {
            case Reply.Text t -> message(item, whole, textPart(t.text()));
            case Reply.ToolUse u -> {
                item.put("type", "function_call");
                item.put("status", !whole ? "in_progress" : u.cut() ? "incomplete" : "completed");
                item.put("arguments", whole ? String.join("", u.deltas()) : "");
                item.put("call_id", "call_" + u.id());
                item.put("name", u.name());
            }
            case Reply.Thinking t -> {
                item.put("type", "reasoning");
                ArrayNode summary = item.putArray("summary");
                if (whole) {
                    ObjectNode s = summary.addObject();
                    s.put("type", "summary_text");
                    s.put("text", String.join("", t.deltas()));
                    if (encrypted)
                        item.put(
                                "encrypted_content",
                                seal.seal(itemId(reply, index, block), String.join("", t.deltas())));
                }
            }
            case Reply.Refusal r -> message(item, whole, refusalPart(r.text()));
        }
        return item;
    }

    /** Fills a message item: its one content part once it is whole. */
    private static void message(ObjectNode item, boolean whole, ObjectNode part) {
        item.put("type", "message");
        item.put("status", whole ? "completed" : "in_progress");
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (whole) content.add(part);
    }

    private static ObjectNode refusalPart(String refusal) {
        ObjectNode part = Json.object();
        part.put("type", "refusal");
        part.put("refusal", refusal);
        return part;
    }

    private static ObjectNode textPart(String text) {
        ObjectNode part = Json.object();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        boolean encrypted = request.thinkingBudget() == REASONING_ENCRYPTED;
        return new StreamRenderer() {
            private long sequence;

            private SseEvent event(String type, ObjectNode data) {
                ObjectNode e = Json.object();
                e.put("type", type);
                e.put("sequence_number", sequence++);
                e.setAll(data);
                return SseEvent.of(type, Json.write(e));
            }

            private ObjectNode at(int index, Reply.Block block) {
                ObjectNode o = Json.object();
                o.put("item_id", itemId(reply, index, block));
                o.put("output_index", index);
                return o;
            }

            @Override
            public List<SseEvent> begin() {
                ObjectNode created = Json.object();
                created.set("response", response(reply, "in_progress", false, encrypted));
                ObjectNode progress = Json.object();
                progress.set("response", response(reply, "in_progress", false, encrypted));
                return List.of(event("response.created", created), event("response.in_progress", progress));
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                ObjectNode added = Json.object();
                added.put("output_index", index);
                added.set("item", item(reply, index, block, false, encrypted));
                List<SseEvent> events = new ArrayList<>(List.of(event("response.output_item.added", added)));
                if (block instanceof Reply.Text || block instanceof Reply.Refusal) {
                    ObjectNode part = at(index, block);
                    part.put("content_index", 0);
                    part.set("part", block instanceof Reply.Text ? textPart("") : refusalPart(""));
                    events.add(event("response.content_part.added", part));
                } else if (block instanceof Reply.Thinking) {
                    ObjectNode part = at(index, block);
                    part.put("summary_index", 0);
                    part.putObject("part").put("type", "summary_text").put("text", "");
                    events.add(event("response.reasoning_summary_part.added", part));
                }
                return events;
            }

            @Override
            public SseEvent delta(int index, Reply.Block block, String piece) {
                ObjectNode d = at(index, block);
                return switch (block) {
                    case Reply.Text t -> {
                        d.put("content_index", 0);
                        d.put("delta", piece);
                        d.putArray("logprobs");
                        yield event("response.output_text.delta", d);
                    }
                    case Reply.ToolUse u -> {
                        d.put("delta", piece);
                        yield event("response.function_call_arguments.delta", d);
                    }
                    case Reply.Thinking t -> {
                        d.put("summary_index", 0);
                        d.put("delta", piece);
                        yield event("response.reasoning_summary_text.delta", d);
                    }
                    case Reply.Refusal r -> {
                        d.put("content_index", 0);
                        d.put("delta", piece);
                        yield event("response.refusal.delta", d);
                    }
                };
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                List<SseEvent> events = new ArrayList<>();
                String whole = String.join("", block.deltas());
                ObjectNode done = at(index, block);
                switch (block) {
                    case Reply.Text t -> {
                        done.put("content_index", 0);
                        done.put("text", whole);
                        done.putArray("logprobs");
                        events.add(event("response.output_text.done", done));
                        ObjectNode part = at(index, block);
                        part.put("content_index", 0);
                        part.set("part", textPart(whole));
                        events.add(event("response.content_part.done", part));
                    }
                    case Reply.ToolUse u -> {
                        done.put("name", u.name());
                        done.put("arguments", whole);
                        events.add(event("response.function_call_arguments.done", done));
                    }
                    case Reply.Thinking t -> {
                        done.put("summary_index", 0);
                        done.put("text", whole);
                        events.add(event("response.reasoning_summary_text.done", done));
                    }
                    case Reply.Refusal r -> {
                        done.put("content_index", 0);
                        done.put("refusal", whole);
                        events.add(event("response.refusal.done", done));
                        ObjectNode part = at(index, block);
                        part.put("content_index", 0);
                        part.set("part", refusalPart(whole));
                        events.add(event("response.content_part.done", part));
                    }
                }
                ObjectNode itemDone = Json.object();
                itemDone.put("output_index", index);
                itemDone.set("item", item(reply, index, block, true, encrypted));
                events.add(event("response.output_item.done", itemDone));
                return events;
            }

            @Override
            public List<SseEvent> end() {
                String status = status(reply);
                ObjectNode last = Json.object();
                last.set("response", response(reply, status, true, encrypted));
                return List.of(event("response." + status, last));
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                ObjectNode e = Json.object();
                e.put("code", type != null ? type : "server_error");
                e.put(
                        "message",
                        message != null
                                ? message
                                : "The server had an error while processing your request. Sorry about that!");
                e.putNull("param");
                return event("error", e);
            }
        };
    }

    /** One creation time per server run is enough for a fake. */
    private static final long CREATED = System.currentTimeMillis() / 1000;
}
