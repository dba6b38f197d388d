package dev.sluice.relay;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.PartialJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link StartRequest} from another protocol's conversation (the Vercel AI SDK's UI
 * messages, AG-UI's messages): the text of user and assistant messages, consecutive ones of one
 * role joined by a blank line, messages without text left out, leading assistant messages dropped;
 * system text joined into the system prompt. The relay answers text conversations, so tool calls
 * and results of earlier turns reach the model only as the text around them.
 *
 * <p>Not thread-safe: one request's parse.
 */
final class Conversation {
    private static final int MAX_DEPTH = 64;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final StringBuilder system = new StringBuilder();

    /** {@return the body parsed as a JSON object} @throws RelayException INVALID_REQUEST when it is not one */
    static Map<?, ?> object(String json, String example) {
        if (StartRequest.depth(json) > MAX_DEPTH) throw invalid("the body nests deeper than " + MAX_DEPTH + " levels");
        PartialJson.Result parsed = PartialJson.parse(json);
        if (!parsed.isValid()) throw invalid("the body is not valid JSON: " + parsed.error());
        if (!(parsed.value() instanceof Map<?, ?> object)) throw invalid("the body must be a JSON object like " + example);
        return object;
    }

    void user(String text) {
        add(ChatMessage.Role.USER, text);
    }

    void assistant(String text) {
        add(ChatMessage.Role.ASSISTANT, text);
    }

    void system(String text) {
        if (text == null || text.isBlank()) return;
        if (!system.isEmpty()) system.append("\n\n");
        system.append(text);
    }

    private void add(ChatMessage.Role role, String text) {
        if (text == null || text.isBlank()) return;
        if (messages.isEmpty() && role == ChatMessage.Role.ASSISTANT) return;
        if (!messages.isEmpty() && messages.getLast().role() == role) {
            String joined = messages.getLast().text() + "\n\n" + text;
            messages.set(messages.size() - 1, role == ChatMessage.Role.USER ? ChatMessage.user(joined) : ChatMessage.assistant(joined));
        } else {
            messages.add(role == ChatMessage.Role.USER ? ChatMessage.user(text) : ChatMessage.assistant(text));
        }
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
            throw invalid("the last message with text must be the user's: the relay answers it");
        }
        system(string(options, "system"));
        Integer maxTokens = null;
        Object mt = options.get("maxTokens");
        if (mt != null) {
            if (!(mt instanceof Long n) || n < 1 || n > StartRequest.MAX_TOKENS_LIMIT) {
                throw invalid("\"maxTokens\" must be a whole number between 1 and " + StartRequest.MAX_TOKENS_LIMIT + ": " + mt);
            }
            maxTokens = n.intValue();
        }
        try {
            return new StartRequest(messages, string(options, "provider"), string(options, "model"),
                    system.isEmpty() ? null : system.toString(), maxTokens);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** {@return a string member, or null when absent} @throws RelayException INVALID_REQUEST when it is not a string */
    static String string(Map<?, ?> object, String name) {
        return string(object, name, "\"" + name + "\"");
    }

    static String string(Map<?, ?> object, String name, String shown) {
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

    static Map<?, ?> map(Object value, String shown) {
        if (value instanceof Map<?, ?> m) return m;
        throw invalid(shown + " must be an object");
    }

    static RelayException invalid(String message) {
        return new RelayException(RelayException.Kind.INVALID_REQUEST, message);
    }

    static String shorten(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
