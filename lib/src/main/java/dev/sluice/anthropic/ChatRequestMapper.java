package dev.sluice.anthropic;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a provider-neutral {@link ChatRequest} to a Messages API {@link MessageRequest}:
 *
 * <ul>
 *   <li>the model as it is; the system prompt as the {@code system} string, left out when empty;
 *   <li>{@code max_tokens}, which the API requires: the request's, or {@value #DEFAULT_MAX_TOKENS}
 *       when it has none;
 *   <li>{@code temperature}, which the API allows from 0 to 1: a higher one is refused here,
 *       before anything is sent;
 *   <li>each message in order: a user message's tool results as {@code tool_result} blocks, then
 *       its text as a text block (the API wants the results first in the message that answers the
 *       calls); an assistant message's text as a text block, then its tool calls as
 *       {@code tool_use} blocks with their parsed arguments as input; empty text is left out;
 *   <li>each tool as a custom tool with its {@code input_schema}; an empty description is left out;
 *   <li>the stop sequences, left out when there are none.
 * </ul>
 *
 * <p>Stateless.
 */
final class ChatRequestMapper {
    /** The {@code max_tokens} sent when the {@link ChatRequest} has none. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private ChatRequestMapper() {}

    /**
     * {@return the Messages API request for the chat request}
     *
     * @throws IllegalArgumentException if the temperature is above 1, a tool call's arguments are
     *     not a valid JSON object, or a tool's name or schema is not one the API takes (a name of
     *     1 to 64 letters, digits, {@code _} or {@code -}; a schema with {@code "type": "object"})
     * @throws NullPointerException if {@code request} is null
     */
    static MessageRequest toMessageRequest(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        MessageRequest.Builder b = MessageRequest.builder()
                .model(request.model())
                .maxTokens(request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens());
        if (!request.system().isEmpty()) b.system(request.system());
        for (ChatMessage m : request.messages()) b.addMessage(message(m));
        for (Tool t : request.tools()) {
            b.addTool(CustomTool.of(t.name(), t.description().isEmpty() ? null : t.description(), t.inputSchema()));
        }
        Double temperature = request.temperature();
        if (temperature != null) {
            if (temperature > 1) {
                throw new IllegalArgumentException("temperature must be within 0..1 for Anthropic, not " + temperature);
            }
            b.temperature(temperature);
        }
        if (!request.stopSequences().isEmpty()) b.stopSequences(request.stopSequences());
        return b.build();
    }

    private static MessageParam message(ChatMessage m) {
        List<ContentBlockParam> content = new ArrayList<>();
        return switch (m.role()) {
            case USER -> {
                for (ToolResult r : m.toolResults()) {
                    content.add(r.isError() ? ToolResultParam.error(r.toolCallId(), r.content())
                            : ToolResultParam.of(r.toolCallId(), r.content()));
                }
                if (!m.text().isEmpty()) content.add(TextParam.of(m.text()));
                yield new MessageParam(MessageParam.Role.USER, content);
            }
            case ASSISTANT -> {
                if (!m.text().isEmpty()) content.add(TextParam.of(m.text()));
                for (ToolCall call : m.toolCalls()) content.add(toolUse(call));
                yield new MessageParam(MessageParam.Role.ASSISTANT, content);
            }
        };
    }

    /**
     * The call as a tool_use input: its arguments text parsed strictly (blank is {@code {}}), never
     * a best-effort value of a partial call's text, which would send values the model never wrote.
     */
    @SuppressWarnings("unchecked")
    private static ToolUseParam toolUse(ToolCall call) {
        PartialJson.Result parsed = call.arguments().isBlank()
                ? new PartialJson.Result(Map.of(), null) : PartialJson.parse(call.arguments());
        String error = call.argumentsError() != null ? call.argumentsError() : parsed.error();
        if (error != null || !(parsed.value() instanceof Map<?, ?> input)) {
            throw new IllegalArgumentException("the arguments of tool call " + call.id() + " (" + call.name()
                    + ") are not a valid JSON object, which Anthropic requires as a tool_use input: "
                    + (error != null ? error : "got " + describe(parsed.value())));
        }
        return ToolUseParam.of(call.id(), call.name(), (Map<String, Object>) input);
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
