package dev.sluice.relay.protocol;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request of the OpenAI Chat Completions API ({@code POST /v1/chat/completions}), as the
 * OpenAI-compatible gateway takes it ({@link #parse}), mapped onto the neutral layer: the
 * {@code system} and {@code developer} messages become the system prompt (joined by a blank line);
 * {@code user} text, {@code image_url} parts (an {@code http(s)} or {@code data:} URL) and
 * {@code file} parts ({@code file_data} a {@code data:} URL, with its {@code filename}; a
 * {@code file_id} is refused: only OpenAI knows it) — the target's client refuses what its API cannot take, {@code assistant} text and {@code tool_calls}, and {@code "tool"} results become
 * the conversation (consecutive messages of one side joined into one, tool results before the
 * text, but a user's consecutive messages kept apart: {@link Conversation#apart}); {@code tools} of type {@code function} the tools; {@code tool_choice} the tool choice;
 * {@code response_format} the response format; {@code max_completion_tokens} (else
 * {@code max_tokens}), {@code temperature} and {@code stop} the settings. Tools are the caller's:
 * the model's calls go back to the caller, who runs them and sends the results in the next
 * request. Members that change nothing a caller relies on are ignored, as OpenAI's own servers
 * ignore what they do not know ({@code top_p}, {@code frequency_penalty}, {@code presence_penalty},
 * {@code seed}, {@code user}, {@code metadata}, {@code store}, {@code parallel_tool_calls},
 * {@code reasoning_effort}, {@code service_tier}, ...); members whose meaning the gateway cannot
 * keep are refused: {@code n} above 1, {@code logprobs}, audio output, content parts other than
 * text and a user's images. Chat Completions has no thinking: a model's thinking is not sent.
 *
 * <p>{@code response_format}: {@code {"type": "json_schema", "json_schema": {"name", "schema",
 * "strict"?, "description"?}}} becomes a {@link ResponseFormat} of that name, schema (an object
 * schema; the description, when given, as its top-level {@code description} unless it has one) and
 * strictness, which each provider's client sends its own way; {@code {"type": "json_object"}} a
 * format named {@value #JSON_OBJECT} whose schema is any object ({@code {"type": "object",
 * "additionalProperties": true}}), not strict, sent as a forced call of that tool when the caller
 * has no tools of its own (not every provider's native structured output takes a schema without
 * properties, while a tool's input is an object on every provider); {@code {"type": "text"}} nothing. {@code tool_choice}: {@code "auto"},
 * {@code "required"} and {@code {"type": "function", "function": {"name"}}} (naming one of the
 * {@code tools}) become the {@link ToolChoice}; {@code "none"} leaves the tools out.
 *
 * @param model the model as the caller named it: {@code provider/model}, or a bare model name
 * @param system the system prompt; empty for none
 * @param messages the conversation in the neutral shape, first and last the user's, alternating but
 *     for a user's consecutive messages, which are kept apart (each target's client joins them into
 *     one turn where its API needs alternation)
 * @param tools the caller's tools; empty for none (also with {@code tool_choice: "none"})
 * @param maxTokens the most tokens to generate, or null for the server's default
 * @param temperature the sampling temperature (0 to 2), or null for the provider's default
 * @param stop texts that end generation (at most 4)
 * @param stream whether the answer is streamed as {@code chat.completion.chunk}s
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 * @param responseFormat the schema the answer must match ({@code response_format}), or null for text
 * @param toolChoice whether and which tool the model must call, or null for the provider's default
 * @param thinkingBudget the most tokens the model may think for (the Messages API's
 *     {@code thinking.budget_tokens}), or null for the provider's default; Chat Completions has none
 * @param promptCache the system prompt's cache mark (a Messages {@code system} block's
 *     {@code cache_control}) and the {@code prompt_cache_key}, or null for none; the messages carry
 *     their own marks ({@link ChatMessage#cacheMark()})
 * @param customTools the names of the tools that came as Responses {@code custom} (freeform) tools,
 *     which go up as functions of one string {@code input} and whose calls the Responses door writes
 *     back as {@code custom_tool_call} items; empty for none
 * @param namespaces the names of the Responses "namespace" tools, whose functions go up as
 *     {@code NAMESPACE__NAME} and whose calls the Responses door writes back under their own name
 *     and "namespace"; empty for none
 *
 * <p>Why this file is long: a record of 15 components keeps the constructors earlier releases offered
 * beside its canonical one, and the Chat Completions parser, whose parts the other two doors'
 * parsers share, lives with it.
 */
public record GatewayRequest(
        String model,
        String system,
        List<ChatMessage> messages,
        List<Tool> tools,
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        List<String> stop,
        boolean stream,
        boolean includeUsage,
        @Nullable ResponseFormat responseFormat,
        @Nullable ToolChoice toolChoice,
        @Nullable Integer thinkingBudget,
        @Nullable PromptCache promptCache,
        List<String> customTools,
        List<String> namespaces) {
    /** The name of the response format {@code {"type": "json_object"}} becomes, and of the tool that carries it. */
    public static final String JSON_OBJECT = "json_object";
    /** The schema of {@code {"type": "json_object"}}: any JSON object. */
    private static final Map<String, Object> ANY_OBJECT = Map.of("type", "object", "additionalProperties", true);

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component other than maxTokens or temperature is null
     * @throws IllegalArgumentException if the model is blank or the conversation empty
     */
    public GatewayRequest {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        Objects.requireNonNull(system, "system");
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) throw new IllegalArgumentException("messages must not be empty");
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
        customTools = List.copyOf(Objects.requireNonNull(customTools, "customTools"));
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
    }

    /**
     * A request without custom tools.
     *
     * @throws NullPointerException if a component other than maxTokens, temperature, responseFormat,
     *     toolChoice, thinkingBudget or promptCache is null
     * @throws IllegalArgumentException if the model is blank or the conversation empty
     */
    public GatewayRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stop,
            boolean stream,
            boolean includeUsage,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice,
            @Nullable Integer thinkingBudget,
            @Nullable PromptCache promptCache) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stop,
                stream,
                includeUsage,
                responseFormat,
                toolChoice,
                thinkingBudget,
                promptCache,
                List.of(),
                List.of());
    }

    /**
     * A request without prompt cache settings.
     *
     * @throws NullPointerException if a component other than maxTokens, temperature, responseFormat,
     *     toolChoice or thinkingBudget is null
     * @throws IllegalArgumentException if the model is blank or the conversation empty
     */
    public GatewayRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stop,
            boolean stream,
            boolean includeUsage,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice,
            @Nullable Integer thinkingBudget) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stop,
                stream,
                includeUsage,
                responseFormat,
                toolChoice,
                thinkingBudget,
                null);
    }

    /**
     * A request with the provider's default thinking.
     *
     * @throws NullPointerException if a component other than maxTokens, temperature, responseFormat
     *     or toolChoice is null
     * @throws IllegalArgumentException if the model is blank or the conversation empty
     */
    public GatewayRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stop,
            boolean stream,
            boolean includeUsage,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stop,
                stream,
                includeUsage,
                responseFormat,
                toolChoice,
                null);
    }

    /**
     * A request for text, with the provider's default tool choice.
     *
     * @throws NullPointerException if a component other than maxTokens or temperature is null
     * @throws IllegalArgumentException if the model is blank or the conversation empty
     */
    public GatewayRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stop,
            boolean stream,
            boolean includeUsage) {
        this(model, system, messages, tools, maxTokens, temperature, stop, stream, includeUsage, null, null, null);
    }

    /**
     * Parses a request body.
     *
     * @param json the body
     * @return the request
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST}, with a
     *     message naming the member, when the JSON is malformed or nests too deep, {@code model} or
     *     {@code messages} is missing, a message or tool is malformed, the conversation is out of
     *     order (it must start and end with the user or tool results, and alternate once joined),
     *     a setting is out of range, or a member asks for what the gateway cannot do (above); a
     *     malformed {@code response_format} or {@code tool_choice} is refused with that member as
     *     the exception's {@link RelayException#param() param}
     */
    public static GatewayRequest parse(String json) {
        Objects.requireNonNull(json, "json");
        if (Json.depth(json) > 64) throw invalid("the body nests deeper than 64 levels");
        PartialJson.Result parsed = PartialJson.parse(json);
        if (!parsed.isValid()) throw invalid("the body is not valid JSON: " + parsed.error());
        if (!(parsed.value() instanceof Map<?, ?> body)) throw invalid("the body must be a JSON object");
        String model = string(body, "model");
        if (model == null || model.isBlank()) throw invalid("you must provide a model parameter");
        if (!(body.get("messages") instanceof List<?> list) || list.isEmpty()) {
            throw invalid("'messages' must be a non-empty array of messages");
        }
        StringBuilder system = new StringBuilder();
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) throw invalid("messages[" + i + "] must be an object");
            String role = string(m, "role", "messages[" + i + "].role");
            switch (role == null ? "" : role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) system.append("\n\n");
                    system.append(content(m, i, false));
                }
                case "user" -> Conversation.apart(messages, user(m, i));
                case "assistant" -> Conversation.join(messages, assistant(m, i));
                case "tool" -> {
                    String id = string(m, "tool_call_id", "messages[" + i + "].tool_call_id");
                    if (id == null || id.isBlank())
                        throw invalid("messages[" + i + "].tool_call_id is required for a tool message");
                    Conversation.join(
                            messages, ChatMessage.toolResults(List.of(ToolResult.of(id, content(m, i, true)))));
                }
                default ->
                    throw invalid("messages[" + i + "].role must be system, developer, user, assistant or tool"
                            + (role == null ? "" : ", not '" + Json.shorten(role, 40) + "'"));
            }
        }
        if (messages.isEmpty()) throw invalid("'messages' must hold a user message besides the system prompt");
        if (messages.getFirst().role() != ChatMessage.Role.USER)
            throw invalid("the first message after the system prompt must be the user's");
        if (messages.getLast().role() != ChatMessage.Role.USER) {
            throw invalid("the last message must be the user's or a tool result: the model answers it");
        }
        List<Tool> tools = "none".equals(body.get("tool_choice")) ? List.of() : tools(body.get("tools"));
        ResponseFormat format = responseFormat(body.get("response_format"), tools);
        ToolChoice choice = toolChoice(body.get("tool_choice"), tools);
        if (choice == null && format != null && format.name().equals(JSON_OBJECT) && tools.isEmpty())
            choice = ToolChoice.named(JSON_OBJECT);
        Integer maxTokens = integer(body, "max_completion_tokens");
        if (maxTokens == null) maxTokens = integer(body, "max_tokens");
        Double temperature = number(body, "temperature");
        if (temperature != null && !(temperature >= 0 && temperature <= 2))
            throw invalid("'temperature' must be between 0 and 2: " + temperature);
        Integer n = integer(body, "n");
        if (n != null && n != 1) throw invalid("'n' must be 1: this gateway streams one choice");
        if (Boolean.TRUE.equals(body.get("logprobs"))) throw invalid("'logprobs' is not supported by this gateway");
        if (body.get("audio") != null) throw invalid("'audio' output is not supported by this gateway");
        boolean stream = bool(body, "stream");
        boolean includeUsage =
                body.get("stream_options") instanceof Map<?, ?> so && Boolean.TRUE.equals(so.get("include_usage"));
        try {
            return new GatewayRequest(
                    model,
                    system.toString(),
                    messages,
                    tools,
                    maxTokens,
                    temperature,
                    stop(body.get("stop")),
                    stream,
                    includeUsage,
                    format,
                    choice);
        } catch (IllegalArgumentException e) {
            throw invalid(Objects.requireNonNull(e.getMessage(), "the components' checks say what is wrong"));
        }
    }

    /**
     * {@return the relay's view of this request: the conversation, the system prompt and the most
     * tokens, for the relay's limits, a server's admission and its access log}
     *
     * @param provider the relay's name of the provider serving the model
     * @param providerModel the model as that provider knows it (without the {@code provider/} prefix)
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST} if
     *     {@code maxTokens} is beyond the relay's limit
     */
    public StartRequest toStartRequest(String provider, String providerModel) {
        try {
            // the relay's start request alternates; the target gets the messages as they came (toChatRequest)
            return new StartRequest(
                    Conversation.alternating(messages),
                    provider,
                    providerModel,
                    system.isEmpty() ? null : system,
                    maxTokens);
        } catch (IllegalArgumentException e) {
            throw invalid(Objects.requireNonNull(e.getMessage(), "the components' checks say what is wrong"));
        }
    }

    /**
     * {@return the provider's request: the admitted start request's model, conversation, system
     * prompt and most tokens (the relay's default when it names none), with this request's tools,
     * temperature, stop sequences, response format, tool choice, thinking budget and prompt cache settings}
     *
     * @param admitted the start request as the server admitted it (its model resolved)
     */
    public ChatRequest toChatRequest(StartRequest.Resolved admitted) {
        return Conversation.chatRequest(
                        admitted, tools, temperature, stop, responseFormat, toolChoice, thinkingBudget, promptCache)
                .withMessages(messages); // a user's consecutive messages kept apart (Conversation#apart)
    }

    /**
     * Parses an Anthropic Messages request body ({@code POST /v1/messages}) for a target of another
     * dialect: see {@link MessagesParsing} for what is translated, what is left out and what is refused.
     *
     * @param json the body
     * @return the request
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST}, naming the
     *     member at fault as its {@link RelayException#param() param}, when the body is malformed or
     *     asks for what has no counterpart in the neutral request and would change the answer if dropped
     */
    public static GatewayRequest parseMessages(String json) {
        return MessagesParsing.parse(json);
    }

    /**
     * Parses an OpenAI Responses request body ({@code POST /v1/responses}) for a target of another
     * dialect: see {@link ResponsesParsing} for what is translated, what is left out and what is refused.
     *
     * @param json the body
     * @return the request
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST}, naming the
     *     member at fault as its {@link RelayException#param() param}, when the body is malformed or
     *     asks for what has no counterpart in the neutral request and would change the answer if dropped
     */
    public static GatewayRequest parseResponses(String json) {
        return ResponsesParsing.parse(json);
    }

    /**
     * {@return a request translated from another dialect's body, its usage always reported}
     *
     * @throws RelayException INVALID_REQUEST with the components' checks' message
     */
    static GatewayRequest translated(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stop,
            boolean stream,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice,
            @Nullable Integer thinkingBudget,
            @Nullable PromptCache promptCache,
            List<String> customTools,
            List<String> namespaces) {
        try {
            return new GatewayRequest(
                    model,
                    system,
                    messages,
                    tools,
                    maxTokens,
                    temperature,
                    stop,
                    stream,
                    true,
                    responseFormat,
                    toolChoice,
                    thinkingBudget,
                    promptCache,
                    customTools,
                    namespaces);
        } catch (IllegalArgumentException e) {
            throw invalid(String.valueOf(e.getMessage()), null);
        }
    }

    private static ChatMessage assistant(Map<?, ?> m, int i) {
        String text = m.get("content") == null ? "" : content(m, i, true);
        List<ToolCall> calls = new ArrayList<>();
        if (m.get("tool_calls") instanceof List<?> list) {
            for (int k = 0; k < list.size(); k++)
                calls.add(Conversation.toolCall(list.get(k), k, "messages[" + i + "].tool_calls[" + k + "]"));
        } else if (m.get("tool_calls") != null) {
            throw invalid("messages[" + i + "].tool_calls must be an array");
        }
        if (text.isEmpty() && calls.isEmpty())
            throw invalid("messages[" + i + "] (assistant) needs content or tool_calls");
        return new ChatMessage(ChatMessage.Role.ASSISTANT, text, calls, List.of());
    }

    /** {@return a user's message: its text, its {@code image_url} parts' images and its {@code file} parts' documents} */
    private static ChatMessage user(Map<?, ?> m, int i) {
        if (!(m.get("content") instanceof List<?> parts)) return ChatMessage.user(content(m, i, false));
        List<Object> text = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            if (parts.get(k) instanceof Map<?, ?> part && "image_url".equals(part.get("type"))) {
                String where = "messages[" + i + "].content[" + k + "].image_url";
                Object url = part.get("image_url") instanceof Map<?, ?> u ? u.get("url") : null;
                images.add(Conversation.imageUrl(url, where + ".url"));
            } else if (parts.get(k) instanceof Map<?, ?> part && "file".equals(part.get("type"))) {
                String where = "messages[" + i + "].content[" + k + "].file";
                documents.add(Conversation.fileData(Conversation.map(part.get("file"), where), where));
            } else if (parts.get(k) instanceof Map<?, ?> part && "input_audio".equals(part.get("type"))) {
                String where = "messages[" + i + "].content[" + k + "].input_audio";
                documents.add(Conversation.inputAudio(Conversation.map(part.get("input_audio"), where), where));
            } else {
                text.add(parts.get(k));
            }
        }
        if (images.isEmpty() && documents.isEmpty()) return ChatMessage.user(content(m, i, false));
        String joined = content(Map.of("content", text), i, true);
        return ChatMessage.user(joined, images, documents);
    }

    /** {@return a message's content: a string, or an array of text parts joined} */
    private static String content(Map<?, ?> m, int i, boolean mayBeEmpty) {
        String text = Conversation.joined(
                m.get("content"),
                "",
                () -> invalid("messages[" + i + "].content must be a string or an array of text parts"),
                (p, k) -> {
                    if (!(p instanceof Map<?, ?> part)
                            || !"text".equals(part.get("type"))
                            || !(part.get("text") instanceof String t)) {
                        throw invalid("messages[" + i + "].content[" + k
                                + "] must be a text part {\"type\": \"text\", \"text\"} (or, in a user's message, an"
                                + " image_url, file or input_audio part)");
                    }
                    return t;
                });
        if (!mayBeEmpty && text.isBlank()) throw invalid("messages[" + i + "].content must not be empty");
        return text;
    }

    private static List<Tool> tools(@Nullable Object value) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw invalid("'tools' must be an array");
        List<Tool> tools = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            if (!(list.get(k) instanceof Map<?, ?> t)
                    || !"function".equals(t.get("type"))
                    || !(t.get("function") instanceof Map<?, ?> f)) {
                throw invalid(
                        "tools[" + k
                                + "] must be {\"type\": \"function\", \"function\": {\"name\", \"description\"?, \"parameters\"?}}");
            }
            tools.add(Conversation.tool(f, "tools[" + k + "].function", tools));
        }
        return Conversation.named(tools, 64);
    }

    /**
     * {@return the response format of {@code response_format}: null for none or {@code text}}
     *
     * @param tools the caller's tools, whose names the format's must not take
     */
    private static @Nullable ResponseFormat responseFormat(@Nullable Object value, List<Tool> tools) {
        if (value == null) return null;
        String shape =
                " {\"type\": \"json_schema\", \"json_schema\": {\"name\", \"schema\", \"strict\"?, \"description\"?}},"
                        + " {\"type\": \"json_object\"} or {\"type\": \"text\"}";
        if (!(value instanceof Map<?, ?> rf)) throw invalidFormat("'response_format' must be an object:" + shape);
        Object type = rf.get("type");
        if ("text".equals(type)) return null;
        if (JSON_OBJECT.equals(type)) return format(JSON_OBJECT, ANY_OBJECT, false, tools);
        if (!"json_schema".equals(type)) {
            throw invalidFormat("'response_format.type' must be json_schema, json_object or text, not "
                    + Json.shorten(String.valueOf(type), 40));
        }
        if (!(rf.get("json_schema") instanceof Map<?, ?> js)) {
            throw invalidFormat(
                    "'response_format.json_schema' must be an object {\"name\", \"schema\", \"strict\"?, \"description\"?}");
        }
        if (!(js.get("name") instanceof String name)) {
            throw invalidFormat("'response_format.json_schema.name' is required: 1 to 64 letters, digits, '_' or '-'");
        }
        if (!(js.get("schema") instanceof Map<?, ?> schema)) {
            throw invalidFormat(
                    "'response_format.json_schema.schema' is required: the JSON Schema of the answer, an object schema"
                            + " ({\"type\": \"object\", ...})");
        }
        Object strict = js.get("strict");
        if (strict != null && !(strict instanceof Boolean))
            throw invalidFormat("'response_format.json_schema.strict' must be true or false");
        Object description = js.get("description");
        if (description != null && !(description instanceof String)) {
            throw invalidFormat("'response_format.json_schema.description' must be a string");
        }
        Map<String, Object> withDescription = Conversation.schema(schema);
        if (description instanceof String d && !d.isBlank()) withDescription.putIfAbsent("description", d);
        return format(name, withDescription, Boolean.TRUE.equals(strict), tools);
    }

    private static ResponseFormat format(String name, Map<String, Object> schema, boolean strict, List<Tool> tools) {
        for (Tool t : tools) {
            if (t.name().equals(name)) {
                throw invalidFormat("'response_format' is named " + Json.shorten(name, 40)
                        + " as one of the tools is: rename the tool"
                        + (name.equals(JSON_OBJECT)
                                ? " (json_object's answer comes through a tool of that name)"
                                : " or the format"));
            }
        }
        try {
            return new ResponseFormat(name, schema, strict);
        } catch (IllegalArgumentException e) {
            throw invalidFormat("'response_format.json_schema': " + e.getMessage());
        }
    }

    /**
     * {@return the tool choice of {@code tool_choice}: null for none, for {@code "none"} (the tools
     * are left out) and for an {@code "auto"} without tools}
     */
    private static @Nullable ToolChoice toolChoice(@Nullable Object value, List<Tool> tools) {
        if (value == null || "none".equals(value)) return null;
        if ("auto".equals(value)) return tools.isEmpty() ? null : ToolChoice.auto();
        if ("required".equals(value)) {
            if (tools.isEmpty()) {
                throw invalid(
                        "'tool_choice' \"required\" needs 'tools' to call: add them, or leave tool_choice out",
                        "tool_choice");
            }
            return ToolChoice.required();
        }
        if (value instanceof Map<?, ?> m
                && "function".equals(m.get("type"))
                && m.get("function") instanceof Map<?, ?> f
                && f.get("name") instanceof String name) {
            if (!Conversation.offers(tools, name)) {
                throw invalid(
                        "'tool_choice' names the function " + Json.shorten(name, 40) + ", which is not one of 'tools' "
                                + Json.shorten(tools.stream().map(Tool::name).toList(), 120),
                        "tool_choice");
            }
            return ToolChoice.named(name);
        }
        throw invalid(
                "'tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\"}}",
                "tool_choice");
    }

    private static List<String> stop(@Nullable Object value) {
        if (value == null) return List.of();
        List<?> list = value instanceof List<?> l ? l : List.of(value);
        if (list.size() > 4) throw invalid("'stop' holds at most 4 sequences");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty())
                throw invalid("'stop' must be a string or an array of non-empty strings");
            out.add(s);
        }
        return out;
    }

    private static @Nullable Integer integer(Map<?, ?> body, String name) {
        Object v = body.get(name);
        return Conversation.tokens(
                v,
                () -> invalid("'" + name + "' must be a whole number from 1 to " + StartRequest.MAX_TOKENS_LIMIT + ": "
                        + Json.shorten(v, 40)));
    }

    private static @Nullable Double number(Map<?, ?> body, String name) {
        return Conversation.number(body.get(name), () -> invalid("'" + name + "' must be a number"));
    }

    private static boolean bool(Map<?, ?> body, String name) {
        Object v = body.get(name);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        throw invalid("'" + name + "' must be true or false");
    }

    private static @Nullable String string(Map<?, ?> object, String name) {
        return string(object, name, "'" + name + "'");
    }

    private static @Nullable String string(Map<?, ?> object, String name, String shown) {
        Object v = object.get(name);
        if (v == null || v instanceof String) return (String) v;
        throw invalid(shown + " must be a string");
    }

    private static RelayException invalid(String message) {
        return invalid(message, null);
    }

    private static RelayException invalid(String message, @Nullable String param) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message, param);
    }

    private static RelayException invalidFormat(String message) {
        return invalid(message, "response_format");
    }
}
