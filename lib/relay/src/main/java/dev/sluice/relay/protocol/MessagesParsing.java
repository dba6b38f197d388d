package dev.sluice.relay.protocol;

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
 * An Anthropic Messages request ({@code POST /v1/messages}) mapped onto the neutral request, for a
 * target that speaks another dialect (one that speaks Messages gets the body as it came). The table
 * of what goes where is docs/serve.md's ("Translated"):
 *
 * <ul>
 * <li>Translated: {@code model}; {@code system} (a string or text blocks, joined) and
 *     mid-conversation {@code system} messages (added to the system prompt, where the neutral
 *     request keeps it); {@code messages}' {@code text} blocks, a user's {@code image} blocks
 *     ({@code base64} and {@code url} sources; the target's client refuses what its API cannot take,
 *     and each message's images go before its text), a user's {@code document} blocks ({@code base64}
 *     and {@code text} sources, the {@code title} kept as the file's name; before the images; the
 *     target's client refuses a type its API cannot read), an assistant's {@code tool_use} blocks (their ids kept) and a user's
 *     {@code tool_result} blocks (text and image content, {@code is_error}; each target's client
 *     carries the images as its API can, docs/serve.md's "Images"); custom {@code tools}
 *     ({@code name}, {@code description}, {@code input_schema}); {@code tool_choice} ({@code auto},
 *     {@code any}, {@code tool}, {@code none}); {@code max_tokens}; {@code temperature};
 *     {@code stop_sequences}; {@code thinking} {@code enabled} with its {@code budget_tokens},
 *     {@code adaptive} with {@code output_config.effort} (a budget on the scale of
 *     {@link Conversation#effortBudget});
 *     {@code output_config.format} of type {@code json_schema}; {@code stream}.</li>
 * <li>Cache marks: a {@code cache_control} on a {@code system} block marks the system prompt, one on
 *     a message's block marks that message ({@link ChatMessage#cacheMark()}): a target of Anthropic's
 *     gets {@code cache_control} on the block that ends it again, Bedrock Converse a
 *     {@code cachePoint} after it, OpenAI and Gemini (which cache without marks) nothing; the
 *     {@code ttl} is not kept (the default five minutes).</li>
 * <li>Left out, as they change nothing the caller relies on: {@code cache_control} on tools,
 *     {@code context_management} (Anthropic's server-side clearing of old tool results: the target
 *     reads the whole conversation), {@code metadata}, {@code service_tier}, {@code top_p}, {@code top_k},
 *     {@code tool_choice.disable_parallel_tool_use}, {@code output_config.effort} without adaptive
 *     thinking, {@code thinking} {@code disabled} or {@code adaptive} without an effort (the
 *     target's own default), an assistant's
 *     {@code thinking} and {@code redacted_thinking} blocks (Anthropic's opaque state, which goes back
 *     only to the target that made it), and server tools ({@code web_search_*}, ...: offered, not
 *     required, and the target cannot run them).</li>
 * <li>Refused with 400 naming the member, as dropping it would change the answer:
 *     {@code document} blocks in a {@code tool_result}, documents of a {@code url} or {@code file}
 *     source, images of a {@code file} source, a
 *     {@code tool_choice} forcing a server tool, {@code container},
 *     {@code mcp_servers}, server tool blocks in the history, any other
 *     block type.</li>
 * </ul>
 *
 * <p>Not thread-safe: one request's parse.
 */
final class MessagesParsing {
    /** The name the output format's schema is given in the neutral request. */
    static final String OUTPUT_FORMAT = "output";

    private static final Set<String> REFUSED = Set.of("container", "mcp_servers");

    private MessagesParsing() {}

    static GatewayRequest parse(String json) {
        Map<?, ?> body = Conversation.object(json, "{\"model\", \"max_tokens\", \"messages\"}");
        String model = Conversation.string(body, "model", "model");
        if (model == null || model.isBlank()) throw invalid("model: Field required", "model");
        for (String name : REFUSED) {
            if (body.get(name) != null)
                throw invalid(name + ": the gateway cannot carry it to a target of another dialect", name);
        }
        StringBuilder system = new StringBuilder(system(body.get("system")));
        boolean systemMarked = marked(body.get("system"));
        List<?> list = Conversation.list(body, "messages", "messages");
        if (list.isEmpty()) throw invalid("messages: at least one message is required", "messages");
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) message(list.get(i), i, messages, system);
        if (messages.isEmpty() || messages.getFirst().role() != ChatMessage.Role.USER)
            throw invalid("messages: the first message must use the \"user\" role", "messages");
        if (messages.getLast().role() != ChatMessage.Role.USER)
            throw invalid(
                    "messages: the last message must be the user's (an assistant prefill cannot be carried to a"
                            + " target of another dialect)",
                    "messages");
        List<Tool> tools = Conversation.named(tools(body.get("tools")), 128);
        ToolChoice choice = toolChoice(body.get("tool_choice"), tools);
        if (choice instanceof ToolChoice.None) {
            tools = List.of();
            choice = null;
        }
        ResponseFormat format = outputFormat(body.get("output_config"));
        if (format != null && Conversation.offers(tools, OUTPUT_FORMAT))
            throw invalid(
                    "tools: a tool named " + OUTPUT_FORMAT
                            + " cannot go with output_config.format to a target of another"
                            + " dialect (the format may reach it as a tool of that name): rename the tool",
                    "tools");
        Integer maxTokens = integer(body, "max_tokens");
        Double temperature = number(body, "temperature");
        if (temperature != null && !(temperature >= 0 && temperature <= 1))
            throw invalid("temperature: must be between 0 and 1", "temperature");
        List<String> stop = new ArrayList<>();
        for (Object s : Conversation.list(body, "stop_sequences", "stop_sequences")) {
            if (!(s instanceof String text) || text.isEmpty())
                throw invalid("stop_sequences: each must be a non-empty string", "stop_sequences");
            stop.add(text);
        }
        Object stream = body.get("stream");
        if (stream != null && !(stream instanceof Boolean)) throw invalid("stream: must be true or false", "stream");
        return GatewayRequest.translated(
                model,
                system.toString(),
                messages,
                tools,
                maxTokens,
                temperature,
                stop,
                Boolean.TRUE.equals(stream),
                format,
                choice,
                thinking(body.get("thinking"), body.get("output_config"), maxTokens),
                systemMarked ? PromptCache.systemPrompt() : null,
                List.of(),
                List.of());
    }

    /** {@return whether one of the blocks (a {@code system} or a message's {@code content} array) has a {@code cache_control}} */
    private static boolean marked(@Nullable Object blocks) {
        if (!(blocks instanceof List<?> list)) return false;
        for (Object b : list) if (b instanceof Map<?, ?> m && m.get("cache_control") != null) return true;
        return false;
    }

    private static String system(@Nullable Object value) {
        if (value == null) return "";
        return Conversation.joined(
                value, "\n\n", () -> invalid("system: must be a string or text blocks", "system"), (block, k) -> {
                    if (!(block instanceof Map<?, ?> b)
                            || !"text".equals(b.get("type"))
                            || !(b.get("text") instanceof String t)) {
                        throw invalid(
                                "system[" + k + "]: must be a text block {\"type\": \"text\", \"text\"}", "system");
                    }
                    return t;
                });
    }

    private static void message(Object value, int i, List<ChatMessage> messages, StringBuilder system) {
        String where = "messages[" + i + "]";
        Map<?, ?> m = Conversation.map(value, where);
        String role = Conversation.string(m, "role", where + ".role");
        if ("system".equals(role)) { // a mid-conversation system message: the neutral request has one system prompt
            String text = system(m.get("content"));
            if (!text.isBlank()) {
                if (!system.isEmpty()) system.append("\n\n");
                system.append(text);
            }
            return;
        }
        boolean user = "user".equals(role);
        if (!user && !"assistant".equals(role))
            throw invalid(where + ".role: must be \"user\", \"assistant\" or \"system\"", where + ".role");
        Object content = m.get("content");
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        List<ToolResult> results = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        if (content instanceof String s) {
            text.append(s);
        } else if (content instanceof List<?> blocks) {
            for (int k = 0; k < blocks.size(); k++) {
                String at = where + ".content[" + k + "]";
                Map<?, ?> b = Conversation.map(blocks.get(k), at);
                String type = String.valueOf(b.get("type"));
                switch (type) {
                    case "text" -> {
                        String t = Conversation.string(b, "text", at + ".text");
                        if (t != null && !t.isEmpty()) {
                            if (!text.isEmpty()) text.append("\n\n");
                            text.append(t);
                        }
                    }
                    case "tool_use" -> {
                        if (user) throw invalid(at + ": tool_use belongs in an assistant message", at);
                        String id = Conversation.required(b, "id", at + ".id");
                        String name = Conversation.required(b, "name", at + ".name");
                        Object input = b.get("input");
                        calls.add(ToolCall.of(calls.size(), id, name, input == null ? "{}" : JsonText.write(input)));
                    }
                    case "tool_result" -> {
                        if (!user) throw invalid(at + ": tool_result belongs in a user message", at);
                        String id = Conversation.required(b, "tool_use_id", at + ".tool_use_id");
                        List<Image> shown = new ArrayList<>();
                        // a document a tool returned (Claude Code reading a PDF) follows the results, as the message's
                        String result = resultText(b.get("content"), at + ".content", shown, documents);
                        results.add(new ToolResult(id, result, Boolean.TRUE.equals(b.get("is_error")), shown));
                    }
                    case "image" -> {
                        if (!user) throw invalid(at + ": an image belongs in a user message", at);
                        images.add(Conversation.imageSource(b.get("source"), at + ".source"));
                    }
                    case "document" -> {
                        if (!user) throw invalid(at + ": a document belongs in a user message", at);
                        documents.add(Conversation.documentSource(b.get("source"), b.get("title"), at + ".source"));
                    }
                    case "thinking", "redacted_thinking" -> {
                        // Anthropic's opaque state: it goes back only to the target that made it
                        if (user) throw invalid(at + ": " + type + " belongs in an assistant message", at);
                    }
                    default ->
                        throw invalid(
                                at + ": a " + Json.shorten(type, 40)
                                        + " block cannot be carried to a target of another dialect (text, image,"
                                        + " document, tool_use and tool_result can)",
                                at);
                }
            }
        } else {
            throw invalid(where + ".content: must be a string or an array of blocks", where + ".content");
        }
        if (text.isEmpty() && calls.isEmpty() && results.isEmpty() && images.isEmpty() && documents.isEmpty())
            return; // only thinking: nothing to carry
        ChatMessage.Role r = user ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT;
        if (messages.isEmpty() && r == ChatMessage.Role.ASSISTANT)
            throw invalid("messages: the first message must use the \"user\" role", "messages");
        Conversation.apart(
                messages,
                new ChatMessage(r, text.toString(), calls, results, null, images, documents, marked(content)));
    }

    /**
     * {@return a tool_result's text blocks joined; its image blocks added to {@code images}, its
     * document blocks to {@code documents} (the message's: a target takes a tool's text only, or text
     * and images, and reads the documents right after the results)}
     */
    private static String resultText(
            @Nullable Object content, String where, List<Image> images, List<Document> documents) {
        if (content == null) return "";
        return Conversation.joined(
                content,
                "\n\n",
                () -> invalid(where + ": must be a string or text, image and document blocks", where),
                (part, k) -> {
                    if (part instanceof Map<?, ?> p && "image".equals(p.get("type"))) {
                        images.add(Conversation.imageSource(p.get("source"), where + "[" + k + "].source"));
                        return null;
                    }
                    if (part instanceof Map<?, ?> p && "document".equals(p.get("type"))) {
                        documents.add(Conversation.documentSource(
                                p.get("source"), p.get("title"), where + "[" + k + "].source"));
                        return null;
                    }
                    if (!(part instanceof Map<?, ?> p)
                            || !"text".equals(p.get("type"))
                            || !(p.get("text") instanceof String t))
                        throw invalid(
                                where + "[" + k + "]: only text, image and document blocks can be carried to a target"
                                        + " of another dialect",
                                where + "[" + k + "]");
                    return t;
                });
    }

    private static List<Tool> tools(@Nullable Object value) {
        return Conversation.tools(value, () -> invalid("tools: must be an array", "tools"), (t, where) -> {
            Object type = t.get("type");
            if (type != null && !"custom".equals(type))
                return null; // a server tool: offered, and no target of another dialect runs it
            if (t.get("input_schema") != null && !(t.get("input_schema") instanceof Map<?, ?>))
                throw invalid(where + ".input_schema: must be an object", where + ".input_schema");
            Map<Object, @Nullable Object> definition = new LinkedHashMap<>();
            definition.put("name", t.get("name"));
            definition.put("description", t.get("description"));
            definition.put("parameters", t.get("input_schema"));
            return definition;
        });
    }

    private static @Nullable ToolChoice toolChoice(@Nullable Object value, List<Tool> tools) {
        if (value == null) return null;
        if (!(value instanceof Map<?, ?> m)) throw invalid("tool_choice: must be an object", "tool_choice");
        Object type = m.get("type");
        if ("auto".equals(type)) return tools.isEmpty() ? null : ToolChoice.auto();
        if ("none".equals(type)) return ToolChoice.none();
        if ("any".equals(type)) {
            if (tools.isEmpty()) throw invalid("tool_choice: \"any\" needs tools to call", "tool_choice");
            return ToolChoice.required();
        }
        if ("tool".equals(type) && m.get("name") instanceof String name) {
            if (!Conversation.offers(tools, name))
                throw invalid(
                        "tool_choice: names " + Json.shorten(name, 40) + ", which is not one of tools", "tool_choice");
            return ToolChoice.named(name);
        }
        throw invalid("tool_choice: type must be auto, any, tool (with a name) or none", "tool_choice");
    }

    private static @Nullable ResponseFormat outputFormat(@Nullable Object value) {
        if (value == null) return null;
        Map<?, ?> config = Conversation.map(value, "output_config");
        Object format = config.get("format");
        if (format == null) return null;
        if (!(format instanceof Map<?, ?> f)
                || !"json_schema".equals(f.get("type"))
                || !(f.get("schema") instanceof Map<?, ?> schema)) {
            throw invalid(
                    "output_config.format: must be {\"type\": \"json_schema\", \"schema\"}", "output_config.format");
        }
        try {
            return new ResponseFormat(OUTPUT_FORMAT, Conversation.schema(schema), true);
        } catch (IllegalArgumentException e) {
            throw invalid("output_config.format.schema: " + e.getMessage(), "output_config.format");
        }
    }

    /**
     * {@return the thinking budget asked: {@code enabled}'s {@code budget_tokens}; {@code adaptive}'s
     * {@code output_config.effort} on the gateway's scale ({@link Conversation#effortBudget}); null
     * for {@code disabled}, {@code adaptive} without an effort and no {@code thinking} (the target's
     * default: an effort without thinking asks for none)}
     */
    private static @Nullable Integer thinking(
            @Nullable Object value, @Nullable Object outputConfig, @Nullable Integer maxTokens) {
        if (value == null) return null;
        Map<?, ?> t = Conversation.map(value, "thinking");
        if ("adaptive".equals(t.get("type"))) {
            Object effort = outputConfig instanceof Map<?, ?> config ? config.get("effort") : null;
            if (effort == null) return null;
            try {
                return Conversation.effortBudget(effort, maxTokens, "output_config.effort");
            } catch (RelayException e) {
                throw invalid(String.valueOf(e.getMessage()), "output_config.effort");
            }
        }
        if (!"enabled".equals(t.get("type"))) return null; // disabled: the target's default
        if (!(t.get("budget_tokens") instanceof Long n) || n < 1024 || n > StartRequest.MAX_TOKENS_LIMIT)
            throw invalid("thinking.budget_tokens: must be a whole number of at least 1024", "thinking.budget_tokens");
        return n.intValue();
    }

    private static @Nullable Integer integer(Map<?, ?> body, String name) {
        return Conversation.tokens(
                body.get(name),
                () -> invalid(name + ": must be a whole number from 1 to " + StartRequest.MAX_TOKENS_LIMIT, name));
    }

    private static @Nullable Double number(Map<?, ?> body, String name) {
        return Conversation.number(body.get(name), () -> invalid(name + ": must be a number", name));
    }

    static RelayException invalid(String message, @Nullable String param) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message, param);
    }
}
