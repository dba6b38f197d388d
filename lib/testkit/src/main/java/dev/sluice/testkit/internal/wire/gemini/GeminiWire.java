package dev.sluice.testkit.internal.wire.gemini;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.ModelRules;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.spi.Turn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Google's Gemini API, {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} (Server-Sent
 * Events: one {@code GenerateContentResponse} per event, no terminal event, the last chunk carrying
 * {@code finishReason}) and {@code :generateContent} (one JSON response). The key is required in the
 * {@code x-goog-api-key} header (a missing one is HTTP 403 {@code PERMISSION_DENIED}); errors have
 * Gemini's shape {@code {"error":{"code":..,"message":..,"status":..}}}: an overload is HTTP 503
 * {@code UNAVAILABLE}, the rate limit HTTP 429 {@code RESOURCE_EXHAUSTED}, a mid-stream error such
 * an error object as an event. The streaming path is always answered as Server-Sent Events (the
 * handler sees no query string, so {@code alt=sse} is assumed).
 *
 * <p>Gemini sends a function call whole, in one part, so a tool call's argument fragments are not
 * shown: while they would stream, each paced step is a chunk carrying only the running
 * {@code usageMetadata}, and the last one carries the whole {@code functionCall}. On Vertex AI, a
 * request with {@code toolConfig.functionCallingConfig.streamFunctionCallArguments: true} gets them
 * streamed instead: a part {@code {"functionCall":{"name":N,"willContinue":true}}}, then parts of
 * {@code partialArgs} (one per leaf value, its {@code jsonPath}, a typed value, strings in two pieces
 * joined by {@code willContinue}), then {@code {"functionCall":{}}}; Gemini's own API refuses the
 * field as unknown. Thinking is asked
 * for with {@code generationConfig.thinkingConfig.includeThoughts: true} and streamed as
 * {@code thought: true} parts (a non-zero {@code thinkingBudget} below 1024, or none, counts as 1024).
 *
 * <p>Thought signatures: a reply that thinks, or any reply of a Gemini 3 model ({@code gemini-3...},
 * not its image model), carries one on its first function call and one on the empty text part that
 * ends a stream; each is an HMAC with this server's own key, so the fake knows its own. A request
 * sending back a signature that is not one it issued for that kind of part (altered, made up, or
 * another server's or API's; Google's documented stand-ins for calls the model did not produce,
 * {@code skip_thought_signature_validator} and {@code context_engineering_is_the_way_to_go}, are
 * accepted) is HTTP 400 {@code Corrupted thought signature.}, counted in
 * {@link dev.sluice.testkit.FakeLlmServer#opaqueRejections()}; on a Gemini 3 model, a model turn of the current turn
 * (since the last user text) whose first function call lacks its signature is HTTP 400 with Gemini's
 * text ({@code Function call is missing a thought_signature in functionCall parts...}, or Vertex AI's
 * {@code Unable to submit request because function call ... is missing a `thought_signature`...}), as
 * is, with thinking on another model, any model turn's.
 *
 * <p>Structured output is asked for with {@code generationConfig.responseMimeType}
 * {@code application/json} and {@code responseJsonSchema} (or the OpenAPI-style {@code responseSchema};
 * neither: any JSON object), or a {@code toolConfig.functionCallingConfig} of mode {@code ANY} with
 * one name in {@code allowedFunctionNames}. A call cut off by the token limit is not sent. A refused
 * answer ends with a candidate without content, {@code finishReason} {@code SAFETY}, a blocked
 * safety rating and the refusal's text as {@code finishMessage}.
 *
 * <p>A request naming a {@code cachedContent} (any name: the fake keeps no caches) that also sets
 * {@code systemInstruction}, {@code tools} or {@code toolConfig} is HTTP 400 with the API's text, as
 * those belong in the cache.
 *
 * <p>Why this file is long: one API's whole wire format, its request read and checked as the API checks it
 * and its answers and errors written, as each {@link WireFormat} is; Gemini's function calls,
 * thoughts and Vertex AI's streamed arguments make it the longest.
 */
public final class GeminiWire implements WireFormat {
    public static final String PREFIX = "/v1beta/models/";
    /** The stable API version's path, which the official Java SDK (google-genai 2.0) calls. */
    static final String V1_PREFIX = "/v1/models/";

    static final String STREAM = ":streamGenerateContent";
    static final String UNARY = ":generateContent";
    /** The answer's budget when the request names none. */
    private static final int DEFAULT_MAX_TOKENS = 8192;
    /** Gemini 3 models (but its image model), which refuse a function call turn without its thought signature. */
    private static final Pattern GEMINI_3 = Pattern.compile("(models/)?gemini-3([.-].*)?");

    /**
     * The signatures Google documents for history the model did not produce (another model's
     * calls, calls written by hand): accepted in place of a signature, never counted as foreign.
     */
    static final Set<String> UNSIGNED =
            Set.of("skip_thought_signature_validator", "context_engineering_is_the_way_to_go");

    private final boolean vertex;
    private final OpaqueSigner signer =
            new OpaqueSigner(); // this wire's own key: a signature of another server or API is foreign

    /** Gemini's own API. */
    public GeminiWire() {
        this(false);
    }

    /**
     * @param vertex whether this is the API carried by Vertex AI (its error texts, and streamed
     *     function-call arguments taken) rather than Gemini's own
     */
    public GeminiWire(boolean vertex) {
        this.vertex = vertex;
    }

    @Override
    public boolean serves(String path) {
        return (path.startsWith(PREFIX) || path.startsWith(V1_PREFIX))
                && (path.endsWith(STREAM) || path.endsWith(UNARY));
    }

    /** {@return the model named by a served path: after /v1beta/models/ or /v1/models/ (google-genai 2.0 uses v1)} */
    private static String modelOf(String path, boolean stream) {
        int start = path.startsWith(PREFIX) ? PREFIX.length() : V1_PREFIX.length();
        return path.substring(start, path.length() - (stream ? STREAM : UNARY).length());
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        String key = headers.getFirst("x-goog-api-key");
        if (key == null || key.isBlank()) {
            throw new ApiError(
                    ApiError.Kind.AUTHENTICATION,
                    "Method doesn't allow unregistered callers (callers without"
                            + " established identity). Please use API Key or other form of API consumer identity to call this API.");
        }
    }

    /** The model and whether to stream come from the path. */
    @Override
    public FakeRequest peek(String path, JsonNode body) {
        boolean stream = path.endsWith(STREAM);
        String model = serves(path) ? modelOf(path, stream) : "";
        return FakeRequest.lenient(model, body, stream, true);
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        boolean stream = path.endsWith(STREAM);
        String model = modelOf(path, stream);
        if (model.isBlank()) throw new ApiError(ApiError.Kind.NOT_FOUND, "models/ is not found for API version v1beta");
        if (body == null || !body.isObject())
            throw ApiError.invalid("Invalid JSON payload received. Expected an object.");
        JsonNode contents = body.get("contents");
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            throw ApiError.invalid("* GenerateContentRequest.contents: contents is not specified");
        }
        int chars = 0;
        String prompt = "";
        boolean answersToolResult = false;
        for (int i = 0; i < contents.size(); i++) {
            String where = "contents[" + i + "]";
            JsonNode c = contents.required(i);
            if (!c.isObject()) throw ApiError.invalid("Invalid value at '" + where + "': expected an object");
            String role = c.path("role").isTextual() ? c.required("role").text() : "user";
            if (!role.equals("user") && !role.equals("model")) {
                throw ApiError.invalid("Please use a valid role: user, model. (" + where + ".role: " + role + ")");
            }
            JsonNode parts = c.get("parts");
            if (parts == null || !parts.isArray() || parts.isEmpty()) {
                throw ApiError.invalid(
                        "* GenerateContentRequest." + where + ".parts: contents.parts must not be empty.");
            }
            StringBuilder text = new StringBuilder();
            boolean responses = false;
            for (JsonNode p : parts) {
                if (!p.isObject()) throw ApiError.invalid("Invalid value at '" + where + ".parts': expected objects");
                if (p.has("text")) {
                    if (!p.required("text").isTextual())
                        throw ApiError.invalid("Invalid value at '" + where + ".parts[].text': expected a string");
                    text.append(p.required("text").text());
                } else if (p.has("functionResponse")) {
                    if (!p.path("functionResponse").path("name").isTextual()) {
                        throw ApiError.invalid("* GenerateContentRequest." + where
                                + ".parts[].function_response.name: Name cannot be empty.");
                    }
                    responses = true;
                } else if (p.has("functionCall")) {
                    if (!p.path("functionCall").path("name").isTextual()) {
                        throw ApiError.invalid("* GenerateContentRequest." + where
                                + ".parts[].function_call.name: Name cannot be empty.");
                    }
                }
                chars += p.toString().length();
            }
            if (role.equals("user")) {
                if (!text.isEmpty()) prompt = text.toString();
                answersToolResult = responses;
            }
        }
        ModelRules.checkInputs(model, contents);
        if ("model".equals(contents.required(contents.size() - 1).path("role").asText())
                && ModelRules.of(model)
                        .filter(r -> r.maker() == ModelRules.Maker.GOOGLE && !r.prefill())
                        .isPresent()) {
            // Vertex AI's words for gemini-3.7-flash (envoyproxy/ai-gateway#2686); the table's prefill column
            throw ApiError.invalid("Requests ending with a model turn are not supported.");
        }
        JsonNode system = body.get("systemInstruction");
        if (body.path("cachedContent").isTextual()
                && ((system != null && !system.isNull())
                        || !body.path("tools").isMissingNode()
                        || !body.path("toolConfig").isMissingNode())) {
            // the cache holds them (https://ai.google.dev/gemini-api/docs/caching); the API's words
            throw ApiError.invalid(
                    "Tool config, tools and system instruction should not be set in the request when using cached content.");
        }
        if (system != null && !system.isNull()) {
            if (!system.isObject() || !system.path("parts").isArray()) {
                throw ApiError.invalid("Invalid value at 'system_instruction': expected a Content with parts");
            }
            chars += system.toString().length();
        }
        List<FakeRequest.Tool> tools = new ArrayList<>();
        JsonNode toolsNode = body.get("tools");
        if (toolsNode != null && !toolsNode.isNull()) {
            if (!toolsNode.isArray()) throw ApiError.invalid("Invalid value at 'tools': expected an array");
            for (JsonNode t : toolsNode) {
                JsonNode declarations = t.get("functionDeclarations");
                if (declarations == null || declarations.isNull()) continue;
                if (!declarations.isArray())
                    throw ApiError.invalid("Invalid value at 'tools[].function_declarations': expected an array");
                for (JsonNode d : declarations) {
                    JsonNode name = d.get("name");
                    if (name == null || !name.isTextual() || !name.text().matches("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}")) {
                        throw ApiError.invalid(
                                "* GenerateContentRequest.tools[].function_declarations[].name: Invalid function"
                                        + " name. Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or contain"
                                        + " underscores, dots, colons and dashes, with a maximum length of 64.");
                    }
                    JsonNode schema = d.get("parameters");
                    JsonNode jsonSchema = d.get("parametersJsonSchema");
                    if (schema != null && !schema.isNull() && jsonSchema != null && !jsonSchema.isNull()) {
                        throw ApiError.invalid(
                                "* GenerateContentRequest.tools[].function_declarations[]: parameters and"
                                        + " parameters_json_schema are mutually exclusive");
                    }
                    if (schema == null || schema.isNull()) schema = jsonSchema;
                    if (schema != null && !schema.isNull() && !schema.isObject()) {
                        throw ApiError.invalid(
                                "Invalid value at 'tools[].function_declarations[].parameters': expected an object");
                    }
                    tools.add(new FakeRequest.Tool(
                            name.text(), schema == null || schema.isNull() ? Json.object() : schema));
                }
            }
            chars += toolsNode.toString().length();
        }
        int maxTokens = DEFAULT_MAX_TOKENS;
        int thinkingBudget = 0;
        List<String> stops = new ArrayList<>();
        JsonNode config = body.get("generationConfig");
        if (config != null && !config.isNull()) {
            if (!config.isObject()) throw ApiError.invalid("Invalid value at 'generation_config': expected an object");
            JsonNode max = config.get("maxOutputTokens");
            if (max != null && !max.isNull()) {
                if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
                    throw ApiError.invalid(
                            "* GenerateContentRequest.generation_config.max_output_tokens: must be a positive integer");
                }
                maxTokens = max.intValue();
                int limit = ModelRules.of(model)
                        .filter(r -> r.maker() == ModelRules.Maker.GOOGLE)
                        .map(ModelRules::maxOutput)
                        .orElse(0);
                if (limit > 0 && maxTokens > limit) { // Vertex AI's words (stackblitz-labs/bolt.diy#955)
                    throw ApiError.invalid("Unable to submit request because it has a maxOutputTokens value of "
                            + maxTokens + " but the supported range is from 1 (inclusive) to " + (limit + 1)
                            + " (exclusive). Update the value and try again.");
                }
            }
            JsonNode stop = config.get("stopSequences");
            if (stop != null && !stop.isNull()) {
                if (!stop.isArray() || stop.size() > 5) {
                    throw ApiError.invalid(
                            "* GenerateContentRequest.generation_config.stop_sequences: at most 5 strings");
                }
                for (JsonNode s : stop) {
                    if (!s.isTextual() || s.text().isEmpty()) {
                        throw ApiError.invalid(
                                "* GenerateContentRequest.generation_config.stop_sequences: non-empty strings");
                    }
                    stops.add(s.textValue());
                }
            }
            JsonNode thinking = config.get("thinkingConfig");
            if (thinking != null && !thinking.isNull()) checkThinking(model, thinking);
            JsonNode media = config.path("mediaResolution");
            if (!media.isMissingNode()
                    && !List.of(
                                    "MEDIA_RESOLUTION_UNSPECIFIED",
                                    "MEDIA_RESOLUTION_LOW",
                                    "MEDIA_RESOLUTION_MEDIUM",
                                    "MEDIA_RESOLUTION_HIGH")
                            .contains(media.asText())) {
                throw ApiError.invalid("Invalid value at 'generation_config.media_resolution'"
                        + " (type.googleapis.com/google.ai.generativelanguage.v1beta.MediaResolution), \""
                        + media.asText() + "\"");
            }
            if (thinking != null
                    && !thinking.isNull()
                    && thinking.path("includeThoughts").asBoolean(false)) {
                int budget = thinking.path("thinkingBudget").asInt(-1);
                if (budget != 0) thinkingBudget = Math.max(1024, budget);
            }
        }
        checkSignatures(contents, model, thinkingBudget);
        List<String> toolResults = checkToolExchange(contents);
        FakeRequest.ToolChoice choice = checkToolChoice(body, tools);
        boolean streamArguments = checkStreamArguments(body);
        FakeRequest.Output output = checkFormat(config);
        chars += output == null || output.schema() == null
                ? 0
                : output.schema().toString().length();
        return FakeRequest.builder(model)
                .maxTokens(maxTokens)
                .prompt(prompt)
                .promptChars(chars)
                .answersToolResult(answersToolResult)
                .tools(tools)
                .thinkingBudget(thinkingBudget)
                .stream(stream)
                .stopSequences(stops)
                .streamUsage(true)
                .toolResults(toolResults)
                .turns(turns(body))
                .streamToolArguments(streamArguments)
                .build()
                .withOutput(choice, output);
    }

    /**
     * {@return whether the request asks for streamed function-call arguments} Vertex AI takes
     * {@code streamFunctionCallArguments}; Gemini's own API does not know the field.
     */
    private boolean checkStreamArguments(JsonNode body) throws ApiError {
        JsonNode flag = body.path("toolConfig").path("functionCallingConfig").get("streamFunctionCallArguments");
        if (flag == null || flag.isNull()) return false;
        if (!vertex) {
            throw ApiError.invalid("Invalid JSON payload received. Unknown name \"streamFunctionCallArguments\" at"
                    + " 'tool_config.function_calling_config': Cannot find field.");
        }
        if (!flag.isBoolean()) {
            throw ApiError.invalid(
                    "Invalid value at 'tool_config.function_calling_config.stream_function_call_arguments'"
                            + " (TYPE_BOOL), " + flag);
        }
        return flag.booleanValue();
    }

    /** {@return whether the model is a Gemini 3 model that checks thought signatures (its image model does not)} */
    static boolean checksSignatures(String model) {
        return GEMINI_3.matcher(model).matches() && !model.contains("image");
    }

    /**
     * Checks the thought signatures sent back, as Gemini does: every one must be a signature this
     * server issued for that kind of part (a function call's for its function, a text's for a text
     * part), else {@code Corrupted thought signature.} (counted in the server's opaque rejections);
     * on a Gemini 3 model, the first function call of each model turn of the current turn (since
     * the last user message with text) must carry one; with thinking on another model, the same
     * (the current turn only: a past turn answered before a failover has none to give back).
     */
    private void checkSignatures(JsonNode contents, String model, int thinkingBudget) throws ApiError {
        int currentTurn = 0;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode c = contents.required(i);
            boolean model_ = "model".equals(c.path("role").asText("user"));
            for (JsonNode p : c.required("parts")) {
                if (!model_ && p.has("text")) currentTurn = i;
                JsonNode signature = p.get("thoughtSignature");
                if (signature == null
                        || signature.isNull()
                        || (signature.isTextual() && UNSIGNED.contains(signature.textValue()))) continue;
                if (!signature.isTextual() || !signatureMatches(partKind(p), signature.text())) {
                    throw ApiError.opaqueRejected("Corrupted thought signature.", null);
                }
            }
        }
        boolean gemini3 = checksSignatures(model);
        if (!gemini3 && thinkingBudget == 0) return;
        for (int i = currentTurn; i < contents.size(); i++) { // past turns are not checked, as the API does not
            JsonNode c = contents.required(i);
            if (!"model".equals(c.path("role").asText("user"))) continue;
            for (JsonNode p : c.required("parts")) {
                if (!p.has("functionCall")) continue;
                if (!p.has("thoughtSignature"))
                    throw missingSignature(p.path("functionCall").path("name").asText(), i);
                break; // the first call carries the step's signature
            }
        }
    }

    private ApiError missingSignature(String function, int content) {
        if (vertex) {
            return ApiError.invalid(
                    "Unable to submit request because function call `" + function + "` in the " + (content + 1)
                            + ". content block is missing a `thought_signature`. Learn more:"
                            + " https://docs.cloud.google.com/vertex-ai/generative-ai/docs/thought-signatures");
        }
        return ApiError.invalid(
                "Function call is missing a thought_signature in functionCall parts. This is required for"
                        + " tools to work correctly, and missing thought_signature may lead to degraded model performance."
                        + " Additional data, function call `default_api:" + function + "` , position " + (content + 1)
                        + "."
                        + " Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
    }

    /** {@return what a part's signature is bound to: a function call's function, or any text} */
    private static String partKind(JsonNode part) {
        return part.has("functionCall")
                ? "functionCall:" + part.path("functionCall").path("name").asText()
                : "text";
    }

    /**
     * {@return a thought signature of this server for a kind of part} 16 bytes of nonce (from
     * {@code seed}) and an HMAC-SHA256 with this wire's key over the nonce and the kind, base64: a
     * signature altered, made up, or issued by another server or API does not match.
     */
    String signature(String kind, String seed) {
        byte[] nonce = Arrays.copyOf(sha256(seed), 16);
        byte[] mac = hmac(nonce, kind);
        byte[] out = Arrays.copyOf(nonce, nonce.length + mac.length);
        System.arraycopy(mac, 0, out, nonce.length, mac.length);
        return Base64.getEncoder().encodeToString(out);
    }

    /** {@return whether a signature is one {@link #signature} gave for this kind of part} */
    boolean signatureMatches(String kind, String signature) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (bytes.length != 48) return false;
        byte[] mac = hmac(Arrays.copyOf(bytes, 16), kind);
        return MessageDigest.isEqual(mac, Arrays.copyOfRange(bytes, 16, 48));
    }

    private byte[] hmac(byte[] nonce, String kind) {
        return signer.mac(kind, nonce);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private FakeRequest.ToolChoice checkToolChoice(JsonNode body, List<FakeRequest.Tool> tools) throws ApiError {
        JsonNode config = body.path("toolConfig").path("functionCallingConfig");
        if (config.isMissingNode() || config.isNull()) return FakeRequest.ToolChoice.AUTO;
        String mode = config.path("mode").asText("AUTO");
        if (!List.of("AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED").contains(mode)) {
            throw ApiError.invalid("Invalid value at 'tool_config.function_calling_config.mode'"
                    + " (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"" + mode
                    + "\"");
        }
        for (JsonNode name : config.path("allowedFunctionNames")) {
            if (tools.stream().noneMatch(t -> t.name().equals(name.asText()))) {
                throw ApiError.invalid(
                        "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: function '"
                                + name.asText() + "' is not among the function declarations");
            }
        }
        return toolChoice(body);
    }

    private FakeRequest.@Nullable Output checkFormat(@Nullable JsonNode config) throws ApiError {
        if (config == null || !config.isObject()) return null;
        boolean json = "application/json".equals(config.path("responseMimeType").asText());
        for (String field : List.of("responseJsonSchema", "responseSchema")) {
            JsonNode schema = config.get(field);
            if (schema == null || schema.isNull()) continue;
            if (!schema.isObject())
                throw ApiError.invalid("Invalid value at 'generation_config." + field + "': expected an object");
            if (!json) {
                throw ApiError.invalid("* GenerateContentRequest.generation_config." + field + ": only supported when"
                        + " response_mime_type is application/json");
            }
        }
        return json ? format(config) : null;
    }

    @Override
    public List<FakeRequest.Tool> tools(JsonNode body) {
        List<JsonNode> declarations = new ArrayList<>();
        for (JsonNode t : body.path("tools")) t.path("functionDeclarations").forEach(declarations::add);
        return FakeRequest.Tool.of(declarations, "parameters", "parametersJsonSchema");
    }

    @Override
    public List<Turn> turns(JsonNode body) {
        return FakeRequest.turns(body.path("contents"), "role", "parts");
    }

    @Override
    public FakeRequest.ToolChoice toolChoice(JsonNode body) {
        JsonNode config = body.path("toolConfig").path("functionCallingConfig");
        return switch (config.path("mode").asText("AUTO")) {
            case "NONE" -> FakeRequest.ToolChoice.NONE;
            case "ANY" ->
                config.path("allowedFunctionNames").size() == 1
                        ? FakeRequest.ToolChoice.tool(
                                config.path("allowedFunctionNames").required(0).asText())
                        : FakeRequest.ToolChoice.ANY;
            default -> FakeRequest.ToolChoice.AUTO;
        };
    }

    /**
     * The thinking configuration against the model's row of the shared table: {@code thinkingLevel}
     * and {@code thinkingBudget} together, a level on a model that thinks by budget (Gemini 2.5), a
     * level the model lacks (Gemini 3 Pro: low and high), and a budget of 0 on a model that cannot
     * turn thinking off. 400 {@code INVALID_ARGUMENT}, as the API answers; the texts are the fake's
     * own (the API's exact wording was not in the sources read). Unknown models: only the first.
     */
    private static void checkThinking(String model, JsonNode thinking) throws ApiError {
        JsonNode level = thinking.path("thinkingLevel");
        JsonNode budget = thinking.path("thinkingBudget");
        boolean hasLevel = !level.isMissingNode() && !level.isNull();
        boolean hasBudget = !budget.isMissingNode() && !budget.isNull();
        if (hasLevel && hasBudget) {
            throw ApiError.invalid("thinking_budget and thinking_level cannot be set together: set one of them");
        }
        ModelRules rules = ModelRules.of(model).orElse(null);
        if (rules == null || rules.maker() != ModelRules.Maker.GOOGLE) return;
        if (hasLevel) {
            String name = level.asText().toLowerCase(Locale.ROOT);
            if (!rules.thinking().equals("level")) {
                throw ApiError.invalid("thinking_level is not supported by this model: set thinking_budget instead");
            }
            if (!rules.efforts().contains(name)) {
                throw ApiError.invalid(
                        "thinking_level " + level.asText() + " is not supported by this model." + " Supported levels: "
                                + String.join(", ", rules.efforts()).toUpperCase(Locale.ROOT));
            }
        }
        if (hasBudget && budget.asInt(-1) == 0 && !rules.canTurnOff()) {
            throw ApiError.invalid("This model only works in thinking mode: thinking_budget 0 is not supported.");
        }
    }

    /** Reads a body or its {@code generationConfig}. */
    @Override
    public FakeRequest.@Nullable Output format(JsonNode body) {
        JsonNode config = body.has("generationConfig") ? body.path("generationConfig") : body;
        if (!"application/json".equals(config.path("responseMimeType").asText())) return null;
        JsonNode schema = config.path("responseJsonSchema").isObject()
                ? config.required("responseJsonSchema")
                : config.path("responseSchema");
        return new FakeRequest.Output("json", schema.isObject() ? schema : null, false);
    }

    // ------------------------------------------------------------------ rendering

    static String finishReason(Reply.Stop stop) {
        return switch (stop) {
            case MAX_TOKENS -> "MAX_TOKENS";
            case REFUSAL -> "SAFETY";
            default -> "STOP";
        };
    }

    /** {@return the candidate of a refused answer: no content, blocked by a safety rating, the refusal as its finish message} */
    private static ObjectNode refusedCandidate(Reply reply) {
        ObjectNode candidate = Json.object();
        candidate.put("finishReason", finishReason(reply.stop()));
        String text = reply.refusal();
        if (text != null && !text.isEmpty()) candidate.put("finishMessage", text);
        candidate.put("index", 0);
        ObjectNode rating = candidate.putArray("safetyRatings").addObject();
        rating.put("category", "HARM_CATEGORY_DANGEROUS_CONTENT");
        rating.put("probability", "HIGH");
        rating.put("blocked", true);
        return candidate;
    }

    @Override
    public String message(Reply reply) {
        ObjectNode response = Json.object();
        if (reply.stop() == Reply.Stop.REFUSAL) {
            response.putArray("candidates").add(refusedCandidate(reply));
        } else {
            ObjectNode candidate = response.putArray("candidates").addObject();
            ObjectNode content = candidate.putObject("content");
            ArrayNode parts = content.putArray("parts");
            for (Reply.Block b : reply.blocks()) {
                switch (b) {
                    case Reply.Thinking t ->
                        parts.addObject()
                                .put("text", String.join("", t.deltas()))
                                .put("thought", true);
                    case Reply.Text t -> parts.addObject().put("text", t.text());
                    case Reply.ToolUse u -> {
                        if (!u.cut()) parts.add(functionCall(u, reply));
                    }
                    case Reply.Refusal r -> {}
                }
            }
            content.put("role", "model");
            candidate.put("finishReason", finishReason(reply.stop()));
            candidate.put("index", 0);
        }
        response.set("usageMetadata", usage(reply, reply.outputTokens()));
        response.put("modelVersion", reply.model());
        response.put("responseId", reply.id());
        return Json.write(response);
    }

    @Override
    public Rendered error(ApiError e, String requestId) {
        record Shape(int code, String status) {}
        Shape shape = switch (e.kind()) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> new Shape(400, "INVALID_ARGUMENT");
            case AUTHENTICATION -> new Shape(403, "PERMISSION_DENIED");
            case NOT_FOUND -> new Shape(404, "NOT_FOUND");
            case METHOD_NOT_ALLOWED -> new Shape(405, "UNIMPLEMENTED");
            case RATE_LIMITED -> new Shape(429, "RESOURCE_EXHAUSTED");
            case OVERLOADED -> new Shape(503, "UNAVAILABLE");
            case OTHER -> new Shape(e.status(), e.otherType());
        };
        String message = e.kind() == ApiError.Kind.OVERLOADED
                ? "The model is overloaded. Please try again later."
                : e.getMessage();
        return new Rendered(shape.code(), errorBody(shape.code(), message, shape.status()));
    }

    /** The HTTP codes of Google's canonical statuses, for a scripted in-stream error's {@code code}. */
    private static final Map<String, Integer> STATUS_CODES = Map.of(
            "INVALID_ARGUMENT",
            400,
            "PERMISSION_DENIED",
            403,
            "NOT_FOUND",
            404,
            "RESOURCE_EXHAUSTED",
            429,
            "INTERNAL",
            500,
            "UNAVAILABLE",
            503,
            "DEADLINE_EXCEEDED",
            504);

    /** {@return Google's error body {@code {"error":{"code","message","status"}}}, Gemini's and Vertex AI's alike} */
    public static String errorBody(int code, @Nullable String message, String status) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        return Json.write(body);
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        return new StreamRenderer() {
            private int tokens;
            private int toolPieces;

            @Override
            public List<SseEvent> begin() {
                return List.of();
            }

            private List<ObjectNode> pieces = List.of(); // a streamed call's partialArgs, not yet sent
            private int sent;

            /* Whether this call's arguments stream: asked for, and the call not cut off. */
            private boolean streamsArguments(Reply.Block block) {
                return request.streamToolArguments() && block instanceof Reply.ToolUse u && !u.cut();
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                toolPieces = 0;
                if (!streamsArguments(block)) return List.of();
                Reply.ToolUse u = (Reply.ToolUse) block;
                pieces = partialArgs(u.input());
                sent = 0;
                ObjectNode part = Json.object();
                part.putObject("functionCall").put("name", u.name()).put("willContinue", true);
                @SuppressWarnings("ReferenceEquality") // identity: this block, not an equal call elsewhere in the reply
                boolean first = firstCall(reply) == u;
                if (first && signs(reply))
                    part.put("thoughtSignature", signature("functionCall:" + u.name(), reply.id()));
                return List.of(chunk(part, null));
            }

            @Override
            public @Nullable SseEvent delta(int index, Reply.Block block, String piece) {
                tokens += reply.tokens(piece);
                if (streamsArguments(block)) {
                    Reply.ToolUse u = (Reply.ToolUse) block;
                    int upTo = (int)
                            ((long) pieces.size() * ++toolPieces / u.deltas().size());
                    if (upTo <= sent) return chunk(null, null);
                    ObjectNode part = Json.object();
                    ObjectNode call = part.putObject("functionCall");
                    ArrayNode args = call.putArray("partialArgs");
                    for (; sent < upTo; sent++) args.add(pieces.get(sent));
                    call.put("willContinue", true);
                    return chunk(part, null);
                }
                return switch (block) {
                    case Reply.Thinking t ->
                        chunk(Json.object().put("text", piece).put("thought", true), null);
                    case Reply.Text t -> chunk(Json.object().put("text", piece), null);
                    case Reply.ToolUse u ->
                        ++toolPieces < u.deltas().size() || u.cut()
                                ? chunk(null, null)
                                : chunk(functionCall(u, reply), null);
                    case Reply.Refusal r -> null; // its text comes as the finish message
                };
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                if (!streamsArguments(block)) return List.of();
                ObjectNode part = Json.object();
                ObjectNode call = part.putObject("functionCall");
                if (sent < pieces.size()) { // a call paced in fewer steps than it has pieces
                    ArrayNode args = call.putArray("partialArgs");
                    for (; sent < pieces.size(); sent++) args.add(pieces.get(sent));
                }
                return List.of(chunk(part, null)); // no willContinue: the call is whole
            }

            @Override
            public List<SseEvent> end() {
                if (reply.stop() == Reply.Stop.REFUSAL) {
                    ObjectNode c = Json.object();
                    c.putArray("candidates").add(refusedCandidate(reply));
                    c.set("usageMetadata", usage(reply, tokens));
                    c.put("modelVersion", reply.model());
                    c.put("responseId", reply.id());
                    return List.of(SseEvent.of(Json.write(c)));
                }
                ObjectNode last = Json.object().put("text", "");
                // a signed reply's stream ends with its signature on an empty text part, as Gemini 3's do
                if (signs(reply)) last.put("thoughtSignature", signature("text", reply.id() + ":text"));
                return List.of(chunk(last, finishReason(reply.stop())));
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                if (type != null) return SseEvent.of(errorBody(STATUS_CODES.getOrDefault(type, 500), message, type));
                return SseEvent.of(errorBody(
                        503,
                        message != null ? message : "The model is overloaded. Please try again later.",
                        "UNAVAILABLE"));
            }

            /* A chunk with one part (or, for null, only the running usage) and maybe the finish reason. */
            private SseEvent chunk(@Nullable ObjectNode part, @Nullable String finishReason) {
                ObjectNode c = Json.object();
                if (part != null || finishReason != null) {
                    ObjectNode candidate = c.putArray("candidates").addObject();
                    ObjectNode content = candidate.putObject("content");
                    ArrayNode parts = content.putArray("parts");
                    if (part != null) parts.add(part);
                    content.put("role", "model");
                    if (finishReason != null) candidate.put("finishReason", finishReason);
                    candidate.put("index", 0);
                }
                c.set("usageMetadata", usage(reply, tokens));
                c.put("modelVersion", reply.model());
                c.put("responseId", reply.id());
                return SseEvent.of(Json.write(c));
            }
        };
    }

    /** A function call part; the reply's first call carries a thought signature when the reply is {@linkplain #signs signed}. */
    private ObjectNode functionCall(Reply.ToolUse u, Reply reply) {
        ObjectNode part = Json.object();
        ObjectNode call = part.putObject("functionCall");
        call.put("name", u.name());
        call.set("args", u.input());
        @SuppressWarnings("ReferenceEquality") // identity: this block, not an equal call elsewhere in the reply
        boolean first = firstCall(reply) == u;
        if (first && signs(reply)) part.put("thoughtSignature", signature("functionCall:" + u.name(), reply.id()));
        return part;
    }

    private static Reply.@Nullable Block firstCall(Reply reply) {
        return reply.blocks().stream()
                .filter(b -> b instanceof Reply.ToolUse)
                .findFirst()
                .orElse(null);
    }

    /** {@return whether a reply carries thought signatures: it thinks, or its model is a Gemini 3 model (which always does)} */
    private static boolean signs(Reply reply) {
        return checksSignatures(reply.model()) || reply.blocks().stream().anyMatch(b -> b instanceof Reply.Thinking);
    }

    /**
     * {@return the streamed pieces of a call's arguments, as Vertex AI sends them: one
     * {@code partialArgs} entry per leaf value, depth first, its JSON path from {@code $}; strings of
     * more than 4 characters in two pieces, the first with {@code willContinue}} Empty objects and
     * arrays have no leaf, and are not sent.
     */
    static List<ObjectNode> partialArgs(JsonNode input) {
        List<ObjectNode> out = new ArrayList<>();
        leaves(input, "$", out);
        return out;
    }

    private static void leaves(JsonNode value, String path, List<ObjectNode> out) {
        if (value.isObject()) {
            for (Entry<String, JsonNode> e : value.properties()) {
                String name = e.getKey();
                String member = name.matches("[A-Za-z_][A-Za-z0-9_]*")
                        ? path + "." + name
                        : path + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
                leaves(e.getValue(), member, out);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) leaves(value.required(i), path + "[" + i + "]", out);
        } else if (value.isTextual() && value.text().length() > 4) {
            String s = value.text();
            int cut = s.length() / 2;
            if (Character.isHighSurrogate(s.charAt(cut - 1))) cut++;
            out.add(Json.object()
                    .put("jsonPath", path)
                    .put("stringValue", s.substring(0, cut))
                    .put("willContinue", true));
            out.add(Json.object().put("jsonPath", path).put("stringValue", s.substring(cut)));
        } else {
            ObjectNode arg = Json.object().put("jsonPath", path);
            if (value.isTextual()) arg.put("stringValue", value.text());
            else if (value.isBoolean()) arg.put("boolValue", value.booleanValue());
            else if (value.isNull()) arg.put("nullValue", "NULL_VALUE");
            else arg.set("numberValue", value);
            out.add(arg);
        }
    }

    /**
     * Checks that each model turn's function calls are answered by the next user turn's function
     * responses, as many, for the same functions in the same order (and the same ids where both
     * have them).
     *
     * @return the last user turn's function responses as text, in order
     */
    private static List<String> checkToolExchange(JsonNode contents) throws ApiError {
        List<JsonNode> calls = List.of();
        List<String> results = List.of();
        for (int i = 0; i < contents.size(); i++) {
            JsonNode c = contents.required(i);
            boolean model = "model".equals(c.path("role").asText("user"));
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode p : c.required("parts")) {
                if (model && p.has("functionCall")) found.add(p);
                if (!model && p.has("functionResponse")) found.add(p.get("functionResponse"));
            }
            if (model) {
                if (!calls.isEmpty()) throw countMismatch(i);
                calls = found;
                continue;
            }
            if (calls.isEmpty() && !found.isEmpty()) {
                throw ApiError.invalid(
                        "* GenerateContentRequest.contents[" + i + "]: a function response part must answer a"
                                + " function call part of the previous model turn.");
            }
            if (!calls.isEmpty()) {
                if (found.size() != calls.size()) throw countMismatch(i);
                for (int k = 0; k < calls.size(); k++) {
                    JsonNode call = calls.get(k).required("functionCall");
                    JsonNode response = found.get(k);
                    boolean idsDiffer = call.has("id")
                            && response.has("id")
                            && !call.required("id").equals(response.get("id"));
                    if (!call.path("name").asText().equals(response.path("name").asText()) || idsDiffer) {
                        throw ApiError.invalid(
                                "* GenerateContentRequest.contents[" + i + "].parts[" + k + "]: the function"
                                        + " responses must answer the function calls in their order: expected "
                                        + call.path("name").asText() + ", got "
                                        + response.path("name").asText());
                    }
                }
                List<String> texts = new ArrayList<>();
                for (JsonNode response : found) texts.add(resultText(response.path("response")));
                results = texts;
            } else {
                results = List.of();
            }
            calls = List.of();
        }
        return results;
    }

    private static ApiError countMismatch(int i) {
        return ApiError.invalid(
                "Please ensure that the number of function response parts is equal to the number of function"
                        + " call parts of the function call turn (contents[" + i + "]).");
    }

    private static String resultText(JsonNode response) {
        if (response.size() == 1 && response.path("output").isTextual())
            return response.required("output").text();
        if (response.has("error"))
            return "error: "
                    + (response.required("error").isTextual()
                            ? response.required("error").text()
                            : Json.write(response.required("error")));
        return Json.write(response);
    }

    private static ObjectNode usage(Reply reply, int outputTokens) {
        ObjectNode u = Json.object();
        u.put("promptTokenCount", reply.inputTokens());
        u.put("candidatesTokenCount", outputTokens);
        u.put("totalTokenCount", reply.inputTokens() + outputTokens);
        return u;
    }
}
