package dev.sluice.chat;

import java.util.List;
import java.util.Objects;

/**
 * The result of running a tool, sent back to the model in a {@link ChatMessage} of role USER: its
 * text, and the images it returned (a screenshot, a chart, an image file read). Each provider's
 * client sends the images its own way: inside the result where its API takes them (Anthropic's and
 * Bedrock Converse's tool result, the Responses API's {@code function_call_output}, Gemini's
 * {@code functionResponse.parts}), else (Chat Completions, whose {@code tool} messages take text
 * only) in a user message right after the results that names the call; and refuses
 * ({@link IllegalArgumentException}, before sending anything) what its API cannot take, as for a
 * user's {@link Image}.
 *
 * @param toolCallId the {@link ToolCall#id()} this answers
 * @param content what the tool returned, as text (JSON text is fine); may be empty beside images
 * @param isError true when the tool failed and content describes the failure
 * @param images the images the tool returned, in order; possibly empty
 */
public record ToolResult(String toolCallId, String content, boolean isError, List<Image> images) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if toolCallId is blank
     */
    public ToolResult {
        Objects.requireNonNull(toolCallId, "toolCallId");
        if (toolCallId.isBlank()) throw new IllegalArgumentException("toolCallId must not be blank");
        Objects.requireNonNull(content, "content");
        images = List.copyOf(Objects.requireNonNull(images, "images"));
    }

    /**
     * A result without images.
     *
     * @param toolCallId the call answered
     * @param content the tool's output
     * @param isError whether the tool failed
     * @throws NullPointerException if toolCallId or content is null
     * @throws IllegalArgumentException if toolCallId is blank
     */
    public ToolResult(String toolCallId, String content, boolean isError) {
        this(toolCallId, content, isError, List.of());
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
     * {@return a successful result with the images the tool returned}
     *
     * @param toolCallId the call answered
     * @param content the tool's text output, possibly empty
     * @param images the images, in order
     */
    public static ToolResult of(String toolCallId, String content, List<Image> images) {
        return new ToolResult(toolCallId, content, false, images);
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
