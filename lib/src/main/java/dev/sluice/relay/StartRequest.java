package dev.sluice.relay;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import java.util.Map;
import java.util.Objects;

/**
 * What a browser asks the relay to stream: the body of {@code POST /api/streams}, or a WebSocket
 * {@code start} frame, {@code {"prompt": "...", "provider"?: "...", "model"?: "...", "system"?:
 * "...", "maxTokens"?: N}}. Absent optional members are null; other members are ignored.
 *
 * @param prompt the user's message; not blank
 * @param provider the provider's name, or null for the relay's default
 * @param model the model, or null for the provider's default
 * @param system the system prompt, or null for none
 * @param maxTokens the most tokens to generate (1 to 1,000,000), or null for the default
 */
public record StartRequest(String prompt, String provider, String model, String system, Integer maxTokens) {

    /** The largest {@code maxTokens} accepted. */
    public static final int MAX_TOKENS_LIMIT = 1_000_000;

    private static final int MAX_DEPTH = 32;

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the prompt is missing or blank, a name is blank, or
     *     maxTokens is out of range
     */
    public StartRequest {
        if (prompt == null || prompt.isBlank()) throw new IllegalArgumentException("\"prompt\" is required and must not be blank");
        if (provider != null && provider.isBlank()) throw new IllegalArgumentException("\"provider\" must not be blank when given");
        if (model != null && model.isBlank()) throw new IllegalArgumentException("\"model\" must not be blank when given");
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT)) {
            throw new IllegalArgumentException("\"maxTokens\" must be between 1 and " + MAX_TOKENS_LIMIT + ": " + maxTokens);
        }
    }

    /**
     * {@return the same request with the provider and model filled in}
     *
     * @param provider the provider's name
     * @param model the model
     */
    public StartRequest resolved(String provider, String model) {
        return new StartRequest(prompt, Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(model, "model"),
                system, maxTokens);
    }

    /**
     * Parses a request's JSON.
     *
     * @param json the body
     * @return the request
     * @throws IllegalArgumentException with a message for the client when the JSON is malformed,
     *     not an object, or a member is of the wrong type or out of range
     */
    public static StartRequest parse(String json) {
        Objects.requireNonNull(json, "json");
        if (depth(json) > MAX_DEPTH) {
            throw new IllegalArgumentException("the body nests deeper than " + MAX_DEPTH + " levels; send a flat JSON object");
        }
        PartialJson.Result parsed = PartialJson.parse(json);
        if (!parsed.isValid()) throw new IllegalArgumentException("the body is not valid JSON: " + parsed.error());
        if (!(parsed.value() instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("the body must be a JSON object like {\"prompt\": \"...\"}");
        }
        Integer maxTokens = null;
        Object mt = object.get("maxTokens");
        if (mt != null) {
            if (!(mt instanceof Long n)) throw new IllegalArgumentException("\"maxTokens\" must be a whole number: " + mt);
            if (n < 1 || n > MAX_TOKENS_LIMIT) {
                throw new IllegalArgumentException("\"maxTokens\" must be between 1 and " + MAX_TOKENS_LIMIT + ": " + n);
            }
            maxTokens = n.intValue();
        }
        return new StartRequest(string(object, "prompt"), string(object, "provider"), string(object, "model"),
                string(object, "system"), maxTokens);
    }

    /** {@return the deepest nesting of arrays and objects, outside strings} (checked before parsing: the body is untrusted) */
    private static int depth(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    private static String string(Map<?, ?> object, String name) {
        Object v = object.get(name);
        if (v == null || v instanceof String) return (String) v;
        throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }

    /**
     * {@return this request as a provider-neutral chat request}: the prompt as the one user message,
     * the system prompt, the model, and {@code maxTokens} (4096 when not given)
     *
     * @throws IllegalStateException if the model is not set yet (the relay sets the provider's
     *     default before a source opens)
     */
    public ChatRequest toChatRequest() {
        if (model == null) throw new IllegalStateException("the request has no model yet");
        ChatRequest.Builder b = ChatRequest.builder().model(model).addMessage(ChatMessage.user(prompt));
        if (system != null) b.system(system);
        b.maxTokens(maxTokens == null ? 4096 : maxTokens);
        return b.build();
    }
}
