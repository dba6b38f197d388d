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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link StartRequest} from another protocol's conversation (the Vercel AI SDK's UI
 * messages, AG-UI's messages): the text of user and assistant messages, consecutive ones of one
 * role joined by a blank line, messages without text left out, leading assistant messages dropped;
 * system text joined into the system prompt. Tool calls and their results are added by protocols
 * whose callers run the tools ({@link AgUiRunInput} with frontend tools); the others answer text
 * conversations, so tool calls of earlier turns reach the model only as the text around them. The
 * static parts ({@link #join}, {@link #tool}, {@link #tools}, {@link #toolCall}, {@link #joined},
 * {@link #schema}, {@link #number}, {@link #tokens}) are the protocols' shared mapping of tool
 * definitions, calls, text parts, schemas, settings and the joining of one side's messages
 * ({@link GatewayRequest} and the Messages and Responses parsers use them too); each takes the
 * refusal in its dialect's own words.
 *
 * <p>Not thread-safe: one request's parse.
 *
 * <p>Why this file is long: it is the one mapping of message parts that every protocol and door
 * shares (text, tools, tool calls and results, images, documents and audio, schemas, settings); split,
 * each part's refusal in the dialect's own words would be told in two places.
 */
final class Conversation {
    private static final int MAX_DEPTH = 64;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final StringBuilder system = new StringBuilder();
    private final Set<String> dropped =
            new HashSet<>(); // calls of leading assistant messages, left out with their results

    /** {@return the body parsed as a JSON object} @throws RelayException INVALID_REQUEST when it is not one */
    static Map<?, ?> object(String json, String example) {
        if (Json.depth(json) > MAX_DEPTH) throw invalid("the body nests deeper than " + MAX_DEPTH + " levels");
        PartialJson.Result parsed = PartialJson.parse(json);
        if (!parsed.isValid()) throw invalid("the body is not valid JSON: " + parsed.error());
        if (!(parsed.value() instanceof Map<?, ?> object))
            throw invalid("the body must be a JSON object like " + example);
        return object;
    }

    void user(@Nullable String text) {
        if (text != null && !text.isBlank()) add(ChatMessage.user(text));
    }

    void assistant(@Nullable String text) {
        assistant(text, List.of());
    }

    /** Adds an assistant's text and tool calls; nothing when it has neither. */
    void assistant(@Nullable String text, List<ToolCall> calls) {
        String t = text == null || text.isBlank() ? "" : text;
        if (t.isEmpty() && calls.isEmpty()) return;
        add(new ChatMessage(ChatMessage.Role.ASSISTANT, t, calls, List.of()));
    }

    /** Adds a tool's result, unless its call was left out. */
    void toolResult(ToolResult result) {
        if (!dropped.contains(result.toolCallId())) add(ChatMessage.toolResults(List.of(result)));
    }

    void system(@Nullable String text) {
        if (text == null || text.isBlank()) return;
        if (!system.isEmpty()) system.append("\n\n");
        system.append(text);
    }

    private void add(ChatMessage m) {
        if (messages.isEmpty() && m.role() == ChatMessage.Role.ASSISTANT) {
            m.toolCalls().forEach(c -> dropped.add(c.id()));
            return;
        }
        join(messages, m);
    }

    /**
     * Adds a message, joined with the one before when both are the same side's: texts by a blank
     * line, tool calls renumbered after the earlier ones, tool results, images and documents after
     * the earlier ones; marked for the prompt cache when either was.
     */
    static void join(List<ChatMessage> messages, ChatMessage m) {
        if (messages.isEmpty() || messages.getLast().role() != m.role()) {
            messages.add(m);
            return;
        }
        ChatMessage prior = messages.removeLast();
        String text = prior.text().isEmpty()
                ? m.text()
                : m.text().isEmpty() ? prior.text() : prior.text() + "\n\n" + m.text();
        List<ToolCall> calls = new ArrayList<>(prior.toolCalls());
        for (ToolCall c : m.toolCalls()) calls.add(ToolCall.of(calls.size(), c.id(), c.name(), c.arguments()));
        List<ToolResult> results = new ArrayList<>(prior.toolResults());
        results.addAll(m.toolResults());
        List<Image> images = new ArrayList<>(prior.images());
        images.addAll(m.images());
        List<Document> documents = new ArrayList<>(prior.documents());
        documents.addAll(m.documents());
        messages.add(new ChatMessage(
                m.role(), text, calls, results, null, images, documents, prior.cacheMark() || m.cacheMark()));
    }

    /**
     * Adds a message as the gateway's doors keep them: a user's message that carries no tool results
     * stays apart from a user's message before it (Codex sends its environment context and its
     * question as two; a target that takes consecutive user messages gets two, and one that needs
     * alternation gets one turn of both messages' parts, each its own block — the provider's client
     * joins them), anything else is {@linkplain #join joined} with the message before of its side.
     */
    static void apart(List<ChatMessage> messages, ChatMessage m) {
        if (m.role() == ChatMessage.Role.USER
                && m.toolResults().isEmpty()
                && !messages.isEmpty()
                && messages.getLast().role() == ChatMessage.Role.USER) {
            messages.add(m);
            return;
        }
        join(messages, m);
    }

    /** {@return the messages with each side's consecutive ones {@linkplain #join joined}: alternating, as a start request takes them} */
    static List<ChatMessage> alternating(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : messages) join(out, m);
        return out;
    }

    /**
     * {@return a tool definition}: a name, an optional description and an optional JSON Schema of
     * its arguments (an empty object's when absent)
     *
     * @param definition the object holding {@code name}, {@code description} and {@code parameters}
     * @param where the definition's place, for messages ({@code tools[0]}, {@code tools[0].function})
     * @param before the tools defined before it, whose names it must not repeat
     * @throws RelayException INVALID_REQUEST when a member is missing or of the wrong type, or the name repeats
     */
    static Tool tool(Map<?, ?> definition, String where, List<Tool> before) {
        String name = string(definition, "name", where + ".name");
        if (name == null || name.isBlank()) throw invalid(where + ".name is required");
        String description = string(definition, "description", where + ".description");
        Object parameters = definition.get("parameters");
        if (parameters != null && !(parameters instanceof Map<?, ?>))
            throw invalid(where + ".parameters must be an object");
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = parameters == null
                ? Map.of("type", "object", "properties", Map.of())
                : (Map<String, Object>) parameters;
        for (Tool other : before) {
            if (other.name().equals(name))
                throw invalid(where + ": a tool named " + shorten(name) + " was given before");
        }
        try {
            return new Tool(name, description == null ? "" : description, schema);
        } catch (IllegalArgumentException e) {
            throw invalid(where + ".parameters: " + e.getMessage());
        }
    }

    /**
     * {@return the tools of a {@code tools} array, each entry's definition read by the dialect}
     *
     * @param value the array, or null for none
     * @param notArray the refusal when it is not an array
     * @param definition an entry ({@code tools[k]} as the second argument) to its definition as
     *     {@link #tool} reads it, or to null for an entry left out
     * @throws RelayException INVALID_REQUEST when an entry is not an object or its definition is malformed
     */
    static List<Tool> tools(
            @Nullable Object value,
            Supplier<RelayException> notArray,
            BiFunction<Map<?, ?>, String, @Nullable Map<?, ?>> definition) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw notArray.get();
        List<Tool> tools = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String where = "tools[" + k + "]";
            Map<?, ?> d = definition.apply(map(list.get(k), where), where);
            if (d != null) tools.add(tool(d, where, tools));
        }
        return tools;
    }

    /** A tool's name as Anthropic's and OpenAI's APIs take it: letters, digits, '_' and '-'. */
    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

    /**
     * {@return the tools, their names checked against a dialect's rule}: 1 to {@code maxLength}
     * letters, digits, {@code _} or {@code -} (Anthropic Messages 128, OpenAI's APIs 64), as the
     * dialect's own API checks them, so that a request translated to another is refused as its own
     * API would refuse it
     *
     * @param tools the tools, as parsed
     * @param maxLength the longest name the dialect takes
     * @throws RelayException INVALID_REQUEST with {@code tools} as the param, naming the first name
     *     that breaks the rule
     */
    static List<Tool> named(List<Tool> tools, int maxLength) {
        for (int k = 0; k < tools.size(); k++) {
            String name = tools.get(k).name();
            if (name.length() > maxLength || !TOOL_NAME.matcher(name).matches())
                throw invalid(
                        "tools: the name " + shorten(name) + " must be 1 to " + maxLength
                                + " letters, digits, '_' or '-' (^[a-zA-Z0-9_-]{1," + maxLength + "}$)",
                        "tools");
        }
        return tools;
    }

    /** {@return whether one of the tools has this name} */
    static boolean offers(List<Tool> tools, String name) {
        return tools.stream().anyMatch(t -> t.name().equals(name));
    }

    /**
     * {@return text parts joined}: a string as it is, else each part's text (which
     * {@code textOf} reads or refuses, given the part and its index; null for a part that is not
     * text and was taken otherwise, an image), with the separator between
     *
     * @param content a string, or an array of parts (anything else is refused)
     * @param separator what goes between two parts' texts
     * @param notParts the refusal when the content is neither
     */
    static String joined(
            @Nullable Object content,
            String separator,
            Supplier<RelayException> notParts,
            BiFunction<Object, Integer, @Nullable String> textOf) {
        if (content instanceof String s) return s;
        if (!(content instanceof List<?> parts)) throw notParts.get();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < parts.size(); k++) {
            String t = textOf.apply(parts.get(k), k);
            if (t == null) continue;
            if (!sb.isEmpty()) sb.append(separator);
            sb.append(t);
        }
        return sb.toString();
    }

    /** {@return a JSON Schema object as a response format takes it: its members in order} */
    static Map<String, Object> schema(Map<?, ?> schema) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : schema.entrySet()) copy.put(String.valueOf(e.getKey()), e.getValue());
        return copy;
    }

    /** {@return a JSON number as a double, or null when absent} @throws RelayException {@code notNumber}'s otherwise */
    static @Nullable Double number(@Nullable Object value, Supplier<RelayException> notNumber) {
        if (value == null) return null;
        if (value instanceof Long n) return n.doubleValue();
        if (value instanceof BigDecimal d) return d.doubleValue();
        throw notNumber.get();
    }

    /**
     * {@return a count of tokens from 1 to the relay's limit, or null when absent}
     *
     * @throws RelayException {@code outOfRange}'s for anything else
     */
    static @Nullable Integer tokens(@Nullable Object value, Supplier<RelayException> outOfRange) {
        if (value == null) return null;
        if (!(value instanceof Long n) || n < 1 || n > StartRequest.MAX_TOKENS_LIMIT) throw outOfRange.get();
        return n.intValue();
    }

    /**
     * {@return a tool call in OpenAI's shape (which AG-UI shares)}: {@code {"id", "type":
     * "function", "function": {"name", "arguments"}}}
     *
     * @param value the call
     * @param index its place among the message's calls
     * @param where its place, for messages
     * @throws RelayException INVALID_REQUEST when it is not that shape, or its id or name is missing
     */
    static ToolCall toolCall(Object value, int index, String where) {
        if (!(value instanceof Map<?, ?> call) || !(call.get("function") instanceof Map<?, ?> f)) {
            throw invalid(where + " must be {\"id\", \"type\": \"function\", \"function\": {\"name\", \"arguments\"}}");
        }
        String id = string(call, "id", where + ".id");
        String name = string(f, "name", where + ".function.name");
        String arguments = string(f, "arguments", where + ".function.arguments");
        if (id == null || id.isBlank() || name == null || name.isBlank())
            throw invalid(where + " needs an id and a function name");
        return ToolCall.of(index, id, name, arguments == null ? "" : arguments);
    }

    /**
     * {@return the start request}, with the provider, model, system prompt and {@code maxTokens}
     * from these members of {@code options} (a UI chat's body, AG-UI's {@code forwardedProps}),
     * the system prompt after the conversation's own system text
     *
     * @throws RelayException INVALID_REQUEST when there is no user message, the last message is not
     *     the user's, or an option is of the wrong type or out of range
     */
    StartRequest build(Map<?, ?> options) {
        if (messages.isEmpty()) throw invalid("\"messages\" holds no user message with text");
        if (messages.getLast().role() != ChatMessage.Role.USER) {
            throw invalid("the last message with text must be the user's (or a tool's result): the relay answers it");
        }
        system(string(options, "system"));
        Integer maxTokens = null;
        Object mt = options.get("maxTokens");
        if (mt != null) {
            if (!(mt instanceof Long n) || n < 1 || n > StartRequest.MAX_TOKENS_LIMIT) {
                throw invalid("\"maxTokens\" must be a whole number between 1 and " + StartRequest.MAX_TOKENS_LIMIT
                        + ": " + Json.shorten(mt, 40));
            }
            maxTokens = n.intValue();
        }
        try {
            return new StartRequest(
                    messages,
                    string(options, "provider"),
                    string(options, "model"),
                    system.isEmpty() ? null : system.toString(),
                    maxTokens);
        } catch (IllegalArgumentException e) {
            throw invalid(Objects.requireNonNull(e.getMessage(), "the components' checks say what is wrong"));
        }
    }

    /**
     * {@return the provider's request for a caller's tools}: the admitted start request's model,
     * conversation, system prompt, most tokens, thinking, response format and tool choice, with
     * these tools and settings; a response format or tool choice given here replaces the start
     * request's
     *
     * @param format the response format, or null to keep the start request's
     * @param choice the tool choice, or null to keep the start request's
     */
    @SuppressWarnings(
            "NullAway") // ChatRequest takes a null temperature for the provider's default; lib/sluice's record does not
    // say so yet
    static ChatRequest chatRequest(
            StartRequest.Resolved admitted,
            List<Tool> tools,
            @Nullable Double temperature,
            List<String> stop,
            @Nullable ResponseFormat format,
            @Nullable ToolChoice choice) {
        return chatRequest(admitted, tools, temperature, stop, format, choice, null, null);
    }

    /**
     * As {@link #chatRequest(StartRequest.Resolved, List, Double, List, ResponseFormat, ToolChoice)},
     * with a thinking budget (null: the start request's) and the prompt cache's settings (null: none).
     */
    @SuppressWarnings("NullAway") // as above
    static ChatRequest chatRequest(
            StartRequest.Resolved admitted,
            List<Tool> tools,
            @Nullable Double temperature,
            List<String> stop,
            @Nullable ResponseFormat format,
            @Nullable ToolChoice choice,
            @Nullable Integer thinkingBudget,
            @Nullable PromptCache promptCache) {
        ChatRequest base = admitted.toChatRequest();
        return new ChatRequest(
                base.model(),
                base.system(),
                base.messages(),
                tools,
                base.maxTokens(),
                temperature,
                stop,
                thinkingBudget != null ? thinkingBudget : base.thinkingBudget(),
                format != null ? format : base.responseFormat(),
                choice != null ? choice : base.toolChoice(),
                base.effort(),
                promptCache);
    }

    /**
     * {@return the thinking budget an effort asks of a target of another dialect, for the neutral
     * request's {@code thinkingBudget}, which each provider's client sends its own way (Anthropic's
     * {@code thinking.budget_tokens}, Gemini's {@code thinkingBudget}, Bedrock Converse's, the
     * Responses API's {@code reasoning.effort} by the budget's size); null for {@code none} (the
     * target's default, no thinking where it has a choice)} Anthropic's {@code output_config.effort}
     * ({@code low}, {@code medium}, {@code high}, {@code xhigh}, {@code max}) and OpenAI's
     * {@code reasoning.effort} ({@code none}, {@code minimal}, {@code low}, {@code medium},
     * {@code high}, {@code xhigh}) share one scale: 1,024, 2,048, 8,192, 24,576, 32,768 and 65,536
     * tokens. The budget is at most half the answer's limit (Anthropic's thinking must leave room for
     * the answer), the gateway's default limit ({@value StartRequest#DEFAULT_MAX_TOKENS}) when none
     * is asked (as Codex asks none), and none under 1,024 tokens (Anthropic's least).
     *
     * @param effort the effort asked
     * @param maxTokens the most tokens of the answer, or null for the gateway's default
     * @param shown the member, for a refusal
     * @throws RelayException INVALID_REQUEST naming the member for an effort neither API has
     */
    static @Nullable Integer effortBudget(Object effort, @Nullable Integer maxTokens, String shown) {
        int budget = switch (effort instanceof String e ? e : "") {
            case "none" -> 0;
            case "minimal" -> 1024;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 24_576;
            case "xhigh" -> 32_768;
            case "max" -> 65_536;
            default -> throw invalid(shown + ": must be one of none, minimal, low, medium, high, xhigh and max");
        };
        budget = Math.min(budget, (maxTokens != null ? maxTokens : StartRequest.DEFAULT_MAX_TOKENS) / 2);
        return budget < 1024 ? null : budget;
    }

    /**
     * {@return an image given as OpenAI's APIs give one: an {@code http(s)} URL the target fetches,
     * or a {@code data:image/...;base64,} URL of its bytes} (Chat Completions' {@code image_url.url},
     * the Responses API's {@code input_image.image_url})
     *
     * @param url the URL
     * @param where its place, for the refusal
     * @throws RelayException INVALID_REQUEST naming the place for another scheme or a data URL that is not a base64 image
     */
    static Image imageUrl(@Nullable Object url, String where) {
        if (!(url instanceof String u) || u.isBlank()) throw invalid(where + " must be a URL", where);
        String scheme = u.substring(0, Math.max(0, u.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("data"))
            throw invalid(where + " must be an http(s) URL or a data:image/...;base64, URL", where);
        try {
            return Image.fromUrl(u);
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage(), where);
        }
    }

    /**
     * {@return an image given as Anthropic's Messages API gives one: a {@code source} of type
     * {@code base64} ({@code media_type}, {@code data}) or {@code url}}
     *
     * @param source the block's {@code source}
     * @param where the source's place, for the refusal
     * @throws RelayException INVALID_REQUEST naming the place for another source type ({@code file}: an id
     *     only Anthropic knows) or a malformed one
     */
    static Image imageSource(@Nullable Object source, String where) {
        Map<?, ?> s = map(source, where);
        try {
            return switch (String.valueOf(s.get("type"))) {
                case "base64" ->
                    Image.base64(
                            required(s, "media_type", where + ".media_type"), required(s, "data", where + ".data"));
                case "url" -> imageUrl(s.get("url"), where + ".url");
                default ->
                    throw invalid(
                            where + ".type: an image source of type " + Json.shorten(s.get("type"), 20)
                                    + " cannot be carried to a target of another dialect (base64 and url can)",
                            where + ".type");
            };
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage(), where);
        }
    }

    /**
     * {@return a document given as Anthropic's Messages API gives one: a {@code source} of type
     * {@code base64} ({@code media_type}, {@code data}), or {@code text} (its text, as plain text)}
     *
     * @param source the block's {@code source}
     * @param title the block's {@code title}, kept as the document's filename, or null
     * @param where the source's place, for the refusal
     * @throws RelayException INVALID_REQUEST naming the place for another source type ({@code url},
     *     {@code file}: what only Anthropic fetches or knows) or a malformed one
     */
    static Document documentSource(@Nullable Object source, @Nullable Object title, String where) {
        Map<?, ?> s = map(source, where);
        String name = title instanceof String t && !t.isBlank() ? t : null;
        try {
            return switch (String.valueOf(s.get("type"))) {
                case "base64" ->
                    new Document(
                            required(s, "media_type", where + ".media_type"),
                            required(s, "data", where + ".data"),
                            name);
                case "text" ->
                    new Document(
                            "text/plain",
                            Base64.getEncoder()
                                    .encodeToString(
                                            required(s, "data", where + ".data").getBytes(StandardCharsets.UTF_8)),
                            name);
                default ->
                    throw invalid(
                            where + ".type: a document source of type " + Json.shorten(s.get("type"), 20)
                                    + " cannot be carried to a target of another dialect (base64 and text can)",
                            where + ".type");
            };
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage(), where);
        }
    }

    /**
     * {@return an audio clip given as OpenAI's APIs give one: an {@code input_audio} part's {@code
     * data} (base64) and {@code format} ({@code wav}, {@code mp3})} (Chat Completions and the Responses API)
     *
     * @param audio the {@code input_audio} object
     * @param where its place, for the refusal
     * @throws RelayException INVALID_REQUEST naming the place for a missing or malformed member
     */
    static Document inputAudio(Map<?, ?> audio, String where) {
        String data = required(audio, "data", where + ".data");
        String format = required(audio, "format", where + ".format");
        try {
            return Document.audio(format.equals("mp3") ? Document.MP3 : "audio/" + format, data, null);
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage(), where);
        }
    }

    /**
     * {@return a file given as OpenAI's APIs give one: its {@code file_data} a base64 {@code data:}
     * URL, with its {@code filename}} (Chat Completions' {@code file} part, the Responses API's
     * {@code input_file})
     *
     * @param part the object holding {@code file_data}, {@code filename}, {@code file_id}, {@code file_url}
     * @param where its place, for the refusal
     * @throws RelayException INVALID_REQUEST naming the place for a {@code file_id} or {@code file_url}
     *     (what only OpenAI knows or fetches) or malformed data
     */
    static Document fileData(Map<?, ?> part, String where) {
        if (part.get("file_data") == null && (part.get("file_id") != null || part.get("file_url") != null))
            throw invalid(
                    where + ": a file given by file_id or file_url cannot be carried to a target of another dialect"
                            + " (file_data, a data: URL of its bytes, can)",
                    where);
        String data = required(part, "file_data", where + ".file_data");
        String filename = string(part, "filename", where + ".filename");
        try {
            // Chat Completions and the Responses API take file_data as a data: URL; bare base64 is a PDF's
            return data.regionMatches(true, 0, "data:", 0, 5)
                    ? Document.fromDataUrl(data, filename == null || filename.isBlank() ? null : filename)
                    : Document.pdf(data, filename == null || filename.isBlank() ? null : filename);
        } catch (IllegalArgumentException e) {
            throw invalid(where + ".file_data: " + e.getMessage(), where + ".file_data");
        }
    }

    static RelayException invalid(String message, String param) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message, param);
    }

    /** {@return a string member, or null when absent} @throws RelayException INVALID_REQUEST when it is not a string */
    static @Nullable String string(Map<?, ?> object, String name) {
        return string(object, name, "\"" + name + "\"");
    }

    static @Nullable String string(Map<?, ?> object, String name, String shown) {
        Object v = object.get(name);
        if (v == null || v instanceof String) return (String) v;
        throw invalid(shown + " must be a string");
    }

    /** {@return a required, non-blank string member} */
    static String required(Map<?, ?> object, String name, String shown) {
        String s = string(object, name, shown);
        if (s == null || s.isBlank()) throw invalid(shown + " is required and must be a non-blank string");
        return s;
    }

    /** {@return an array member, or an empty list when absent} */
    static List<?> list(Map<?, ?> object, String name, String shown) {
        Object v = object.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l;
        throw invalid(shown + " must be an array");
    }

    static Map<?, ?> map(@Nullable Object value, String shown) {
        if (value instanceof Map<?, ?> m) return m;
        throw invalid(shown + " must be an object");
    }

    static RelayException invalid(String message) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message);
    }

    static String shorten(String s) {
        return Json.shorten(s, 20);
    }
}
