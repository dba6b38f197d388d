package dev.sluice.relay.protocol;

import static dev.sluice.relay.protocol.MessagesParsing.invalid;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI Responses request ({@code POST /v1/responses}) mapped onto the neutral request, for a
 * target that speaks another dialect (one that speaks Responses gets the body as it came). The table
 * of what goes where is docs/serve.md's ("Translated"):
 *
 * <ul>
 * <li>Translated: {@code model}; {@code instructions} and {@code system} or {@code developer}
 *     messages (the system prompt); {@code input} as a string or items: messages' {@code input_text}
 *     and {@code output_text} parts, a user's {@code input_image} parts ({@code image_url}, an
 *     {@code http(s)} or {@code data:} URL; before the message's text; the target's client refuses
 *     what its API cannot take) and {@code input_file} parts ({@code file_data} a {@code data:} URL,
 *     with its {@code filename}; before the images), {@code function_call} items (their {@code call_id} kept) and
 *     {@code function_call_output} items (a string, or {@code input_text} and {@code input_image}
 *     parts); {@code function} tools; {@code custom} tools (freeform, such as Codex's
 *     {@code apply_patch}) as functions of the same name taking one string {@code input}, their
 *     {@code custom_tool_call} items as calls with {@code {"input": ...}} and
 *     {@code custom_tool_call_output} items as results (the model's calls of them come back as
 *     {@code custom_tool_call} items, {@link ResponsesWriter}); a {@code namespace} tool's
 *     functions as {@code NAMESPACE__NAME} (a {@code function_call} with a {@code namespace} too, and
 *     the model's calls of them come back under their own name and {@code namespace}), a namespace's
 *     {@code custom} tools likewise; the tools of {@code additional_tools} items of the input (stock
 *     Codex's way of offering its tools) like {@code tools}; {@code tool_choice};
 *     {@code max_output_tokens}; {@code temperature}; {@code text.format} ({@code json_schema},
 *     {@code json_object}, {@code text}); {@code reasoning.effort} (a thinking budget on the scale of
 *     {@link Conversation#effortBudget}); {@code prompt_cache_key} (sent on to an OpenAI target;
 *     others cache without a key); {@code stream}.</li>
 * <li>Left out, as they change nothing the caller relies on: {@code store}, {@code include},
 *     {@code metadata}, {@code client_metadata}, {@code user}, {@code safety_identifier},
 *     {@code prompt_cache_retention}, {@code service_tier},
 *     {@code parallel_tool_calls}, {@code top_p}, {@code truncation}, {@code stream_options},
 *     {@code reasoning.summary}, {@code text.verbosity}, {@code reasoning}
 *     items of the input (OpenAI's opaque state, which goes back only to the target that made it),
 *     and tools other than {@code function}, {@code custom} and {@code namespace} ({@code web_search},
 *     {@code local_shell}, ...: offered, not required, and the target cannot run them).</li>
 * <li>Refused with 400 naming the member, as dropping it would change the answer:
 *     {@code previous_response_id} and {@code conversation} (the gateway keeps no responses),
 *     {@code background}, {@code prompt}, input images and files by {@code file_id} or {@code file_url}, a {@code tool_choice} that forces
 *     a tool other than a function, and items of other types ({@code item_reference},
 *     ...).</li>
 * </ul>
 *
 * <p>Not thread-safe: one request's parse.
 */
final class ResponsesParsing {
    private static final Set<String> REFUSED = Set.of("previous_response_id", "conversation", "prompt");

    /** What joins a {@code namespace} tool's name and its function's: {@code NAMESPACE__NAME}. */
    static final String NAMESPACE_SEPARATOR = "__";

    /** The one argument of the function a {@code custom} tool goes to another dialect as. */
    static final String CUSTOM_ARGUMENT = "input";

    /** The schema of that function: one string, the tool's freeform input, verbatim. */
    private static final Map<String, Object> CUSTOM_INPUT = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    CUSTOM_ARGUMENT,
                    Map.of(
                            "type",
                            "string",
                            "description",
                            "The tool's whole input as free text, exactly in the format the tool's description gives")),
            "required",
            List.of(CUSTOM_ARGUMENT));

    private ResponsesParsing() {}

    static GatewayRequest parse(String json) {
        Map<?, ?> body = Conversation.object(json, "{\"model\", \"input\"}");
        String model = Conversation.string(body, "model", "model");
        if (model == null || model.isBlank()) throw invalid("Missing required parameter: 'model'.", "model");
        for (String name : REFUSED) {
            if (body.get(name) != null)
                throw invalid(
                        "'" + name
                                + "' cannot be carried to a target of another dialect: the gateway keeps no responses",
                        name);
        }
        if (Boolean.TRUE.equals(body.get("background")))
            throw invalid("'background' is not supported by this gateway", "background");
        StringBuilder system = new StringBuilder();
        String instructions = Conversation.string(body, "instructions", "instructions");
        if (instructions != null && !instructions.isBlank()) system.append(instructions);
        List<ChatMessage> messages = new ArrayList<>();
        Object input = body.get("input");
        if (input instanceof String s) {
            messages.add(ChatMessage.user(s));
        } else if (input instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) item(items.get(i), i, messages, system);
        } else {
            throw invalid("'input' must be a string or an array of items", "input");
        }
        if (messages.isEmpty() || messages.getFirst().role() != ChatMessage.Role.USER)
            throw invalid("'input' must start with a user message (after the system and developer ones)", "input");
        if (messages.getLast().role() != ChatMessage.Role.USER)
            throw invalid(
                    "'input' must end with a user message or a function_call_output: the model answers it", "input");
        Object offered = offered(body.get("tools"), input);
        List<Tool> tools = Conversation.named(tools(offered), 64);
        ToolChoice choice = toolChoice(body.get("tool_choice"), tools);
        if (choice instanceof ToolChoice.None) {
            tools = List.of();
            choice = null;
        }
        ResponseFormat format = textFormat(body.get("text"), tools);
        if (choice == null && format != null && format.name().equals(GatewayRequest.JSON_OBJECT) && tools.isEmpty())
            choice = ToolChoice.named(GatewayRequest.JSON_OBJECT);
        Integer maxTokens = Conversation.tokens(
                body.get("max_output_tokens"),
                () -> invalid(
                        "'max_output_tokens' must be a whole number from 1 to " + StartRequest.MAX_TOKENS_LIMIT,
                        "max_output_tokens"));
        Double temperature = Conversation.number(
                body.get("temperature"), () -> invalid("'temperature' must be a number", "temperature"));
        if (temperature != null && !(temperature >= 0 && temperature <= 2))
            throw invalid("'temperature' must be between 0 and 2", "temperature");
        Object stream = body.get("stream");
        if (stream != null && !(stream instanceof Boolean)) throw invalid("'stream' must be true or false", "stream");
        return GatewayRequest.translated(
                model,
                system.toString(),
                messages,
                tools,
                maxTokens,
                temperature,
                List.of(),
                Boolean.TRUE.equals(stream),
                format,
                choice,
                reasoning(body.get("reasoning"), maxTokens),
                promptCacheKey(body.get("prompt_cache_key")),
                customTools(offered),
                namespaces(offered));
    }

    /** {@return the {@code prompt_cache_key} as the neutral request's cache key, for a target of OpenAI's; null without one} */
    private static @Nullable PromptCache promptCacheKey(@Nullable Object key) {
        if (key == null) return null;
        if (!(key instanceof String k) || k.isBlank())
            throw invalid("'prompt_cache_key' must be a non-blank string", "prompt_cache_key");
        return new PromptCache(false, k);
    }

    /**
     * {@return the thinking budget {@code reasoning.effort} asks, on the gateway's scale
     * ({@link Conversation#effortBudget}); null without one, or for {@code none}}
     */
    private static @Nullable Integer reasoning(@Nullable Object value, @Nullable Integer maxTokens) {
        if (value == null) return null;
        Object effort = Conversation.map(value, "'reasoning'").get("effort");
        if (effort == null) return null;
        try {
            return Conversation.effortBudget(effort, maxTokens, "'reasoning.effort'");
        } catch (RelayException e) {
            throw invalid(String.valueOf(e.getMessage()), "reasoning.effort");
        }
    }

    private static void item(Object value, int i, List<ChatMessage> messages, StringBuilder system) {
        String where = "input[" + i + "]";
        Map<?, ?> item = Conversation.map(value, where);
        Object type = item.get("type");
        if (type == null || "message".equals(type)) {
            message(item, where, messages, system);
            return;
        }
        switch (String.valueOf(type)) {
            case "function_call" -> {
                String id = Conversation.required(item, "call_id", where + ".call_id");
                String name = Conversation.required(item, "name", where + ".name");
                String namespace = Conversation.string(item, "namespace", where + ".namespace");
                if (namespace != null && !namespace.isBlank()) name = namespace + NAMESPACE_SEPARATOR + name;
                String arguments = Conversation.string(item, "arguments", where + ".arguments");
                if (messages.isEmpty()) throw invalid(where + ": a function_call cannot come first", where);
                List<ToolCall> calls = List.of(ToolCall.of(0, id, name, arguments == null ? "" : arguments));
                Conversation.join(messages, new ChatMessage(ChatMessage.Role.ASSISTANT, "", calls, List.of()));
            }
            case "custom_tool_call" -> { // a freeform tool's call: the function of one string input it went up as
                String id = Conversation.required(item, "call_id", where + ".call_id");
                String name = Conversation.required(item, "name", where + ".name");
                String namespace = Conversation.string(item, "namespace", where + ".namespace");
                if (namespace != null && !namespace.isBlank()) name = namespace + NAMESPACE_SEPARATOR + name;
                String in = Conversation.string(item, "input", where + ".input");
                if (messages.isEmpty()) throw invalid(where + ": a custom_tool_call cannot come first", where);
                List<ToolCall> calls = List.of(ToolCall.of(0, id, name, customArguments(in == null ? "" : in)));
                Conversation.join(messages, new ChatMessage(ChatMessage.Role.ASSISTANT, "", calls, List.of()));
            }
            case "custom_tool_call_output", "function_call_output" -> {
                String id = Conversation.required(item, "call_id", where + ".call_id");
                List<Image> shown = new ArrayList<>();
                // a file the tool returned follows the results, as the message's document
                List<Document> files = new ArrayList<>();
                String output = text(item.get("output"), where + ".output", true, shown, files);
                Conversation.join(
                        messages,
                        new ChatMessage(
                                ChatMessage.Role.USER,
                                "",
                                List.of(),
                                List.of(ToolResult.of(id, output, shown)),
                                null,
                                List.of(),
                                files));
            }
            case "reasoning" -> {} // OpenAI's opaque state: it goes back only to the target that made it
            case "additional_tools" -> {} // tools offered like the request's own: taken by offered(...)
            default ->
                throw invalid(
                        where + ": a " + Json.shorten(type, 40)
                                + " item cannot be carried to a target of another dialect (message, function_call,"
                                + " function_call_output, custom_tool_call, custom_tool_call_output, reasoning and"
                                + " additional_tools can)",
                        where);
        }
    }

    private static void message(Map<?, ?> item, String where, List<ChatMessage> messages, StringBuilder system) {
        String role = Conversation.string(item, "role", where + ".role");
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        boolean user = "user".equals(role);
        String text =
                text(item.get("content"), where + ".content", false, user ? images : null, user ? documents : null);
        switch (role == null ? "" : role) {
            case "system", "developer" -> {
                if (!text.isBlank()) {
                    if (!system.isEmpty()) system.append("\n\n");
                    system.append(text);
                }
            }
            case "user" -> {
                if (!text.isBlank() || !images.isEmpty() || !documents.isEmpty())
                    Conversation.apart(messages, ChatMessage.user(text.isBlank() ? "" : text, images, documents));
            }
            case "assistant" -> {
                if (messages.isEmpty()) throw invalid(where + ": the input cannot start with the assistant", where);
                if (!text.isBlank()) Conversation.join(messages, ChatMessage.assistant(text));
            }
            default -> throw invalid(where + ".role must be user, assistant, system or developer", where + ".role");
        }
    }

    /**
     * {@return a message's content or a call's output: a string, or text parts joined; its
     * {@code input_image} parts (an {@code image_url}) added to {@code images}, where a user's
     * message or a call's output may hold them; its {@code input_file} parts ({@code file_data}) added to
     * {@code documents}, where a user's message may hold them}
     */
    private static String text(
            @Nullable Object content,
            String where,
            boolean output,
            @Nullable List<Image> images,
            @Nullable List<Document> documents) {
        if (content == null) return "";
        return Conversation.joined(
                content,
                output ? "" : "\n\n",
                () -> invalid(where + " must be a string or an array of parts", where),
                (part, k) -> {
                    Map<?, ?> p = Conversation.map(part, where + "[" + k + "]");
                    Object type = p.get("type");
                    if ("input_image".equals(type) && images != null) {
                        if (p.get("file_id") != null && p.get("image_url") == null)
                            throw invalid(
                                    where + "[" + k + "].file_id: a file of OpenAI's cannot be carried to a target of"
                                            + " another dialect (give image_url)",
                                    where + "[" + k + "].file_id");
                        images.add(Conversation.imageUrl(p.get("image_url"), where + "[" + k + "].image_url"));
                        return null;
                    }
                    if ("input_file".equals(type) && documents != null) {
                        documents.add(Conversation.fileData(p, where + "[" + k + "]"));
                        return null;
                    }
                    if ("input_audio".equals(type) && documents != null) {
                        String at = where + "[" + k + "].input_audio";
                        documents.add(Conversation.inputAudio(Conversation.map(p.get("input_audio"), at), at));
                        return null;
                    }
                    if (!("input_text".equals(type) || "output_text".equals(type))
                            || !(p.get("text") instanceof String t)) {
                        throw invalid(
                                where + "[" + k + "]: a " + Json.shorten(String.valueOf(type), 40)
                                        + " part cannot be carried to a target of another dialect (input_text,"
                                        + " output_text, and a user's or a tool output's input_file and input_image"
                                        + " can)",
                                where + "[" + k + "]");
                    }
                    return t;
                });
    }

    /**
     * {@return the function and custom tools, a namespace's as {@code NAMESPACE__NAME}; the others
     * (hosted tools) are left out: a tool offered is the model's option, and the target cannot run these}
     */
    private static List<Tool> tools(@Nullable Object value) {
        if (!(value instanceof List<?> list)) return definitions(value);
        List<Object> flat = new ArrayList<>(); // a namespace's functions, each as NAMESPACE__NAME
        for (Object t : list) {
            if (t instanceof Map<?, ?> m && "namespace".equals(m.get("type")) && m.get("name") instanceof String ns) {
                for (Object f : Conversation.list(m, "tools", "'tools' of namespace " + Json.shorten(ns, 40))) {
                    if (!(f instanceof Map<?, ?> fn)
                            || !("function".equals(fn.get("type")) || "custom".equals(fn.get("type")))) continue;
                    Map<Object, @Nullable Object> named = new LinkedHashMap<>(fn);
                    named.put("name", ns + NAMESPACE_SEPARATOR + fn.get("name"));
                    flat.add(named);
                }
            } else {
                flat.add(t);
            }
        }
        return definitions(flat);
    }

    /** {@return the function and custom tools of a flat {@code tools} array; the others left out} */
    private static List<Tool> definitions(@Nullable Object value) {
        return Conversation.tools(value, () -> invalid("'tools' must be an array", "tools"), (t, where) -> {
            if ("function".equals(t.get("type"))) return t;
            if (!"custom".equals(t.get("type"))) return null;
            Map<Object, @Nullable Object> definition = new LinkedHashMap<>();
            definition.put("name", t.get("name"));
            definition.put("description", t.get("description"));
            definition.put("parameters", CUSTOM_INPUT);
            return definition;
        });
    }

    /**
     * {@return the tools the request offers: its {@code tools}, and those of each
     * {@code additional_tools} item of its {@code input} (Codex sends its tools so, as
     * {@code {"type":"additional_tools","tools":[...]}} at {@code input[0]} with {@code tools} empty),
     * a definition given again as it was before taken once; {@code tools} as it came when no item adds any}
     */
    private static @Nullable Object offered(@Nullable Object tools, @Nullable Object input) {
        if (!(input instanceof List<?> items)) return tools;
        List<Object> offered = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item) || !"additional_tools".equals(item.get("type"))) continue;
            for (Object t : Conversation.list(item, "tools", "input[" + i + "].tools"))
                if (!offered.contains(t)) offered.add(t);
        }
        if (offered.isEmpty()) return tools;
        if (tools != null && !(tools instanceof List<?>)) return tools; // refused as it is
        List<Object> all = new ArrayList<>(tools == null ? List.of() : (List<?>) tools);
        for (Object t : offered) if (!all.contains(t)) all.add(t);
        return all;
    }

    /** {@return the names of the request's {@code namespace} tools} */
    static List<String> namespaces(@Nullable Object value) {
        if (!(value instanceof List<?> list)) return List.of();
        List<String> names = new ArrayList<>();
        for (Object t : list)
            if (t instanceof Map<?, ?> m && "namespace".equals(m.get("type")) && m.get("name") instanceof String n)
                names.add(n);
        return names;
    }

    /**
     * {@return the names of the request's {@code custom} tools (freeform, such as Codex's
     * {@code apply_patch}), whose calls the door writes back as {@code custom_tool_call} items}
     */
    static List<String> customTools(@Nullable Object value) {
        if (!(value instanceof List<?> list)) return List.of();
        List<String> names = new ArrayList<>();
        for (Object t : list) {
            if (t instanceof Map<?, ?> m && "custom".equals(m.get("type")) && m.get("name") instanceof String n)
                names.add(n);
            if (t instanceof Map<?, ?> m
                    && "namespace".equals(m.get("type"))
                    && m.get("name") instanceof String ns
                    && m.get("tools") instanceof List<?> inner)
                for (Object f : inner)
                    if (f instanceof Map<?, ?> fn
                            && "custom".equals(fn.get("type"))
                            && fn.get("name") instanceof String n)
                        names.add(ns + NAMESPACE_SEPARATOR + n); // the name it went up as
        }
        return names;
    }

    /** {@return a freeform tool's input as the arguments of the function it goes up as: {@code {"input": ...}}} */
    static String customArguments(String input) {
        return JsonText.write(Map.of(CUSTOM_ARGUMENT, input));
    }

    private static @Nullable ToolChoice toolChoice(@Nullable Object value, List<Tool> tools) {
        if (value == null) return null;
        if ("none".equals(value)) return ToolChoice.none();
        if ("auto".equals(value)) return tools.isEmpty() ? null : ToolChoice.auto();
        if ("required".equals(value)) {
            if (tools.isEmpty()) throw invalid("'tool_choice' \"required\" needs 'tools'", "tool_choice");
            return ToolChoice.required();
        }
        if (value instanceof Map<?, ?> m && "custom".equals(m.get("type")) && m.get("name") instanceof String name) {
            if (!Conversation.offers(tools, name))
                throw invalid(
                        "'tool_choice' names " + Json.shorten(name, 40) + ", which is not one of 'tools'",
                        "tool_choice");
            return ToolChoice.named(name);
        }
        if (value instanceof Map<?, ?> m && m.get("type") != null && !"function".equals(m.get("type"))) {
            throw invalid(
                    "'tool_choice' forces a " + Json.shorten(String.valueOf(m.get("type")), 40)
                            + " tool, which a target of another dialect cannot run",
                    "tool_choice");
        }
        if (value instanceof Map<?, ?> m && "function".equals(m.get("type")) && m.get("name") instanceof String name) {
            if (!Conversation.offers(tools, name))
                throw invalid(
                        "'tool_choice' names " + Json.shorten(name, 40) + ", which is not one of 'tools'",
                        "tool_choice");
            return ToolChoice.named(name);
        }
        throw invalid(
                "'tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"name\"}",
                "tool_choice");
    }

    private static @Nullable ResponseFormat textFormat(@Nullable Object value, List<Tool> tools) {
        if (value == null) return null;
        Map<?, ?> text = Conversation.map(value, "text");
        if (!(text.get("format") instanceof Map<?, ?> f)) {
            if (text.get("format") != null) throw invalid("'text.format' must be an object", "text.format");
            return null;
        }
        Object type = f.get("type");
        ResponseFormat format;
        if ("text".equals(type)) return null;
        if (GatewayRequest.JSON_OBJECT.equals(type)) {
            format = new ResponseFormat(
                    GatewayRequest.JSON_OBJECT, Map.of("type", "object", "additionalProperties", true), false);
        } else if ("json_schema".equals(type)
                && f.get("name") instanceof String name
                && f.get("schema") instanceof Map<?, ?> schema) {
            try {
                format = new ResponseFormat(name, Conversation.schema(schema), Boolean.TRUE.equals(f.get("strict")));
            } catch (IllegalArgumentException e) {
                throw invalid("'text.format': " + e.getMessage(), "text.format");
            }
        } else {
            throw invalid(
                    "'text.format' must be {\"type\": \"json_schema\", \"name\", \"schema\", \"strict\"?},"
                            + " {\"type\": \"json_object\"} or {\"type\": \"text\"}",
                    "text.format");
        }
        for (Tool t : tools) {
            if (t.name().equals(format.name()))
                throw invalid(
                        "'text.format' is named as one of the tools is: rename the tool or the format", "text.format");
        }
        return format;
    }
}
