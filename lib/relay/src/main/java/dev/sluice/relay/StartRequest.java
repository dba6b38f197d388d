package dev.sluice.relay;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a client asks the relay to stream, as JSON ({@link #parse}): {@code {"messages": [{"role":
 * "user" | "assistant", "content": "..."}, ...], "provider"?: "...", "model"?: "...", "system"?:
 * "...", "maxTokens"?: N}}, or {@code "prompt": "..."} instead of {@code messages} as the shorthand
 * for one user message (for {@code sluice serve}, the body of a {@code POST} or a WebSocket
 * {@code start} frame). The conversation starts with the user, alternates, and ends with the user's
 * new message; the relay sends it whole to the provider, which answers the last message. Absent
 * optional members are null; other members are ignored.
 *
 * @param messages the conversation: user and assistant messages, alternating, the first and the
 *     last from the user, none blank (text, tool calls or tool results: {@link #parse} makes text
 *     only; a protocol that carries tool calls, such as
 *     {@link dev.sluice.relay.protocol.GatewayRequest}, brings them)
 * @param provider the provider's name, or null for the relay's default
 * @param model the model, or null for the provider's default
 * @param system the system prompt, or null for none
 * @param maxTokens the most tokens to generate (1 to 1,000,000), or null for the default
 */
public record StartRequest(
        List<ChatMessage> messages,
        @Nullable String provider,
        @Nullable String model,
        @Nullable String system,
        @Nullable Integer maxTokens) {

    /** The largest {@code maxTokens} accepted. */
    public static final int MAX_TOKENS_LIMIT = 1_000_000;
    /** The {@code maxTokens} of a request that names none. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final int MAX_DEPTH = 32;

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the conversation is empty, out of order (not alternating,
     *     not starting and ending with the user), has a message with neither text (not blank), images,
     *     tool calls nor tool results, a name is blank, or maxTokens is out of range
     */
    public StartRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty())
            throw new IllegalArgumentException("\"messages\" must hold at least the user's message");
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.text().isBlank()
                    && m.toolCalls().isEmpty()
                    && m.toolResults().isEmpty()
                    && m.images().isEmpty()
                    && m.documents().isEmpty()) {
                throw new IllegalArgumentException("messages[" + i + "].content must not be blank");
            }
            ChatMessage.Role expected = i % 2 == 0 ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT;
            if (m.role() != expected) {
                throw new IllegalArgumentException("messages[" + i + "] must be from the "
                        + expected.name().toLowerCase(Locale.ROOT)
                        + ": the conversation starts with the user and alternates user, assistant, user, ...");
            }
        }
        if (messages.getLast().role() != ChatMessage.Role.USER) {
            throw new IllegalArgumentException("the last of \"messages\" must be the user's: the relay answers it");
        }
        if (provider != null && provider.isBlank())
            throw new IllegalArgumentException("\"provider\" must not be blank when given");
        if (model != null && model.isBlank())
            throw new IllegalArgumentException("\"model\" must not be blank when given");
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT)) {
            throw new IllegalArgumentException(
                    "\"maxTokens\" must be between 1 and " + MAX_TOKENS_LIMIT + ": " + maxTokens);
        }
    }

    /**
     * A request of one user message.
     *
     * @param prompt the user's message; not blank
     * @param provider the provider's name, or null for the relay's default
     * @param model the model, or null for the provider's default
     * @param system the system prompt, or null for none
     * @param maxTokens the most tokens to generate, or null for the default
     * @throws IllegalArgumentException if the prompt is missing or blank, or as the canonical constructor
     */
    public StartRequest(
            @Nullable String prompt,
            @Nullable String provider,
            @Nullable String model,
            @Nullable String system,
            @Nullable Integer maxTokens) {
        this(List.of(ChatMessage.user(requirePrompt(prompt))), provider, model, system, maxTokens);
    }

    private static String requirePrompt(@Nullable String prompt) {
        if (prompt == null || prompt.isBlank())
            throw new IllegalArgumentException(
                    "\"prompt\" is required and must not be blank (or send the conversation as \"messages\")");
        return prompt;
    }

    /** {@return the user's new message: the text of the last message} */
    public String prompt() {
        return messages.getLast().text();
    }

    /**
     * {@return the characters of every message (its text, images as URLs or base64, tool calls' names and arguments, tool
     * results and their images) and the system prompt, the size the relay's limit counts}
     */
    public long chars() {
        long n = system == null ? 0 : system.length();
        for (ChatMessage m : messages) {
            n += m.text().length();
            for (var c : m.toolCalls()) n += c.name().length() + c.arguments().length();
            for (var r : m.toolResults()) {
                n += r.content().length();
                for (var image : r.images()) n += image.asUrl().length();
            }
            for (var image : m.images()) n += image.asUrl().length(); // what goes upstream: its bytes count
            for (var d : m.documents()) n += d.data().length();
        }
        return n;
    }

    /**
     * {@return the same request with the provider and model filled in, as the relay opens it}
     *
     * @param provider the provider's name
     * @param model the model
     * @throws IllegalArgumentException if the provider or model is blank
     */
    public Resolved resolved(String provider, String model) {
        return new Resolved(this, provider, model);
    }

    /**
     * {@return the same request with another {@code maxTokens}}
     *
     * @param maxTokens the most tokens to generate, or null for the default
     */
    public StartRequest withMaxTokens(@Nullable Integer maxTokens) {
        return new StartRequest(messages, provider, model, system, maxTokens);
    }

    /**
     * Parses a request's JSON, as a client sent it.
     *
     * @param json the body
     * @return the request
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST}, with a
     *     message for the client, when the JSON is malformed, not an object, nests too deep, lacks
     *     the prompt or messages (or has both), a message's role, content or place is wrong, or a
     *     member is of the wrong type or out of range
     */
    public static StartRequest parse(String json) {
        Objects.requireNonNull(json, "json");
        if (Json.depth(json) > MAX_DEPTH)
            throw invalid("the body nests deeper than " + MAX_DEPTH + " levels; send a flat JSON object");
        PartialJson.Result parsed = PartialJson.parse(json);
        if (!parsed.isValid()) throw invalid("the body is not valid JSON: " + parsed.error());
        if (!(parsed.value() instanceof Map<?, ?> object))
            throw invalid("the body must be a JSON object like {\"prompt\": \"...\"}");
        Integer maxTokens = null;
        Object mt = object.get("maxTokens");
        if (mt != null) {
            if (!(mt instanceof Long n)) throw invalid("\"maxTokens\" must be a whole number: " + Json.shorten(mt, 40));
            if (n < 1 || n > MAX_TOKENS_LIMIT)
                throw invalid("\"maxTokens\" must be between 1 and " + MAX_TOKENS_LIMIT + ": " + n);
            maxTokens = n.intValue();
        }
        String prompt = string(object, "prompt");
        Object messages = object.get("messages");
        String provider = string(object, "provider");
        String model = string(object, "model");
        String system = string(object, "system");
        try {
            if (messages == null) return new StartRequest(prompt, provider, model, system, maxTokens);
            if (prompt != null) throw invalid("send \"messages\" or \"prompt\", not both");
            return new StartRequest(messages(messages), provider, model, system, maxTokens);
        } catch (IllegalArgumentException e) { // the components' own checks: the message names the member
            throw invalid(Objects.requireNonNull(e.getMessage(), "the components' checks say what is wrong"));
        }
    }

    private static List<ChatMessage> messages(Object value) {
        if (!(value instanceof List<?> list))
            throw invalid("\"messages\" must be an array of {\"role\", \"content\"} objects");
        List<ChatMessage> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m))
                throw invalid("messages[" + i + "] must be an object like {\"role\": \"user\", \"content\": \"...\"}");
            String content = string(m, "content", "messages[" + i + "].content");
            if (content == null || content.isBlank())
                throw invalid("messages[" + i + "].content must be a string, not blank");
            String role = string(m, "role", "messages[" + i + "].role");
            out.add(
                    switch (role == null ? "" : role) {
                        case "user" -> ChatMessage.user(content);
                        case "assistant" -> ChatMessage.assistant(content);
                        default ->
                            throw invalid("messages[" + i + "].role must be \"user\" or \"assistant\""
                                    + (role == null ? "" : ", not \"" + Json.shorten(role, 20) + "\"")
                                    + ("system".equals(role) ? " (send a system prompt as \"system\")" : ""));
                    });
        }
        return out;
    }

    private static @Nullable String string(Map<?, ?> object, String name) {
        return string(object, name, "\"" + name + "\"");
    }

    private static @Nullable String string(Map<?, ?> object, String name, String shown) {
        Object v = object.get(name);
        if (v == null || v instanceof String) return (String) v;
        throw invalid(shown + " must be a string");
    }

    private static RelayException invalid(String message) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message);
    }

    /**
     * A start request whose provider and model are known: what the relay hands to a {@link
     * Relay.SourceFactory} once it has filled in its default provider and that provider's default
     * model. Made by {@link StartRequest#resolved}.
     *
     * @param request the request, naming the same provider and model as this record
     * @param provider the provider's name
     * @param model the model
     */
    public record Resolved(StartRequest request, String provider, String model) {
        /**
         * Fills the provider and model into the request.
         *
         * @throws IllegalArgumentException if the provider or model is blank
         */
        public Resolved {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
            request = new StartRequest(request.messages, provider, model, request.system, request.maxTokens);
        }

        /**
         * {@return the request as a provider-neutral chat request}: the messages, the system prompt,
         * the model, and {@code maxTokens} ({@value StartRequest#DEFAULT_MAX_TOKENS} when not given)
         */
        public ChatRequest toChatRequest() {
            ChatRequest.Builder b = ChatRequest.builder().model(model);
            for (ChatMessage m : request.messages) b.addMessage(m);
            if (request.system != null) b.system(request.system);
            b.maxTokens(request.maxTokens == null ? DEFAULT_MAX_TOKENS : request.maxTokens);
            return b.build();
        }
    }
}
