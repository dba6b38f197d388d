package dev.sluice.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An AG-UI {@code RunAgentInput} (as {@code @ag-ui/core} 1.0 defines it, what {@code HttpAgent}
 * posts): {@code {"threadId", "runId", "messages", "tools", "context", "state"?, "forwardedProps"?}}.
 * The text of {@code user} and {@code assistant} messages is the conversation ({@code content} as a
 * string, or the text of its text parts); {@code system} and {@code developer} messages and the
 * {@code context} entries ({@code description: value}) make the system prompt; {@code tool},
 * {@code reasoning} and {@code activity} messages and assistants' tool calls are left out (the relay
 * answers text conversations: see {@link StartRequest}). {@code forwardedProps} may name
 * {@code provider}, {@code model}, {@code system} and {@code maxTokens}, as in {@link StartRequest}.
 * {@code state} is not read.
 *
 * @param threadId the thread's id
 * @param runId the run's id
 * @param tools the names of the tools the frontend declared (not offered to the model: the relay
 *     runs its own tools)
 * @param start what the relay streams
 */
public record AgUiRunInput(String threadId, String runId, List<String> tools, StartRequest start) {

    /** @throws NullPointerException if an argument is null */
    public AgUiRunInput {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        tools = List.copyOf(tools);
        Objects.requireNonNull(start, "start");
    }

    /**
     * Parses a run's input.
     *
     * @param json the body
     * @return the input
     * @throws dev.sluice.RelayException {@link dev.sluice.RelayException.Kind#INVALID_REQUEST
     *     INVALID_REQUEST}, with a message naming the member, when the JSON is malformed, the thread
     *     or run id is missing, {@code messages} is not an array of messages, a role is unknown, no
     *     user message has text, the last message with text is not the user's, or an option is wrong
     */
    public static AgUiRunInput parse(String json) {
        Objects.requireNonNull(json, "json");
        Map<?, ?> body = Conversation.object(json, "{\"threadId\": \"...\", \"runId\": \"...\", \"messages\": [...]}");
        String threadId = Conversation.required(body, "threadId", "\"threadId\"");
        String runId = Conversation.required(body, "runId", "\"runId\"");
        if (threadId.length() > 256 || runId.length() > 256) throw Conversation.invalid("\"threadId\" and \"runId\" must be at most 256 characters");
        if (body.get("messages") == null) throw Conversation.invalid("\"messages\" is required: an array of messages");
        List<?> messages = Conversation.list(body, "messages", "\"messages\"");
        Conversation conversation = new Conversation();
        for (int i = 0; i < messages.size(); i++) {
            String shown = "messages[" + i + "]";
            Map<?, ?> m = Conversation.map(messages.get(i), shown);
            String role = Conversation.string(m, "role", shown + ".role");
            switch (role == null ? "" : role) {
                case "user" -> conversation.user(content(m.get("content"), shown));
                case "assistant" -> conversation.assistant(content(m.get("content"), shown));
                case "system", "developer" -> conversation.system(content(m.get("content"), shown));
                case "tool", "reasoning", "activity" -> { }
                default -> throw Conversation.invalid(shown + ".role must be one of user, assistant, system, developer, tool,"
                        + " reasoning, activity" + (role == null ? "" : ", not \"" + Conversation.shorten(role) + "\""));
            }
        }
        for (Object c : Conversation.list(body, "context", "\"context\"")) {
            Map<?, ?> entry = Conversation.map(c, "a \"context\" entry");
            String description = Conversation.string(entry, "description", "context[].description");
            String value = Conversation.string(entry, "value", "context[].value");
            if (value != null) conversation.system(description == null || description.isBlank() ? value : description + ": " + value);
        }
        List<String> tools = new ArrayList<>();
        List<?> declared = Conversation.list(body, "tools", "\"tools\"");
        for (int i = 0; i < declared.size(); i++) {
            tools.add(Conversation.required(Conversation.map(declared.get(i), "tools[" + i + "]"), "name", "tools[" + i + "].name"));
        }
        Object props = body.get("forwardedProps");
        Map<?, ?> options = props == null ? Map.of() : Conversation.map(props, "\"forwardedProps\"");
        return new AgUiRunInput(threadId, runId, tools, conversation.build(options));
    }

    /** {@return a message's text: its content string, or the text of its text parts} */
    private static String content(Object content, String shown) {
        if (content == null || content instanceof String) return (String) content;
        if (!(content instanceof List<?> parts)) throw Conversation.invalid(shown + ".content must be a string or an array of parts");
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            Map<?, ?> part = Conversation.map(p, shown + ".content[]");
            if (!"text".equals(part.get("type"))) continue;
            String text = Conversation.string(part, "text", shown + ".content[].text");
            if (text == null || text.isBlank()) continue;
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(text);
        }
        return sb.toString();
    }
}
