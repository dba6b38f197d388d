package dev.sluice.chat;

import java.util.Objects;

/**
 * The result of running a tool, sent back to the model in a {@link ChatMessage} of role USER.
 *
 * @param toolCallId the {@link ToolCall#id()} this answers
 * @param content what the tool returned, as text (JSON text is fine)
 * @param isError true when the tool failed and content describes the failure
 */
public record ToolResult(String toolCallId, String content, boolean isError) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if toolCallId or content is null
     * @throws IllegalArgumentException if toolCallId is blank
     */
    public ToolResult {
        Objects.requireNonNull(toolCallId, "toolCallId");
        if (toolCallId.isBlank()) throw new IllegalArgumentException("toolCallId must not be blank");
        Objects.requireNonNull(content, "content");
    }

    /**
     * {@return a successful result}
     *
     * @param toolCallId the call answered
     * @param content the tool's output
     */
    public static ToolResult of(String toolCallId, String content) {
        return new ToolResult(toolCallId, content, false);
    }

    /**
     * {@return a failed result}
     *
     * @param toolCallId the call answered
     * @param message what went wrong
     */
    public static ToolResult error(String toolCallId, String message) {
        return new ToolResult(toolCallId, message, true);
    }
}
