package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a tool call, sent in a user message: a string ({@link #of(String, String)}) or
 * blocks of text, images and documents ({@link #of(String, List)}), optionally marked as an error.
 *
 * @param toolUseId the id of the {@link ToolUseBlock} this answers
 * @param text the result as a string, or null when {@code blocks} is given
 * @param blocks the result as blocks, or null when {@code text} is given
 * @param isError whether the tool failed
 * @param cacheControl the {@code cache_control} object, or null
 */
public record ToolResultParam(
        String toolUseId,
        @Nullable String text,
        @Nullable List<ContentBlockParam> blocks,
        boolean isError,
        @Nullable Map<String, Object> cacheControl)
        implements ContentBlockParam {
    /**
     * @throws NullPointerException if {@code toolUseId} is null
     * @throws IllegalArgumentException if {@code toolUseId} is blank, if not exactly one of
     *     {@code text} and {@code blocks} is given, or if a block is not text, image or document
     */
    public ToolResultParam {
        Objects.requireNonNull(toolUseId, "toolUseId");
        if (toolUseId.isBlank()) throw new IllegalArgumentException("toolUseId must not be blank");
        if ((text == null) == (blocks == null)) {
            throw new IllegalArgumentException("give exactly one of text and blocks for the result of " + toolUseId);
        }
        if (blocks != null) {
            blocks = List.copyOf(blocks);
            for (ContentBlockParam b : blocks) {
                if (!(b instanceof TextParam || b instanceof ImageParam || b instanceof DocumentParam)) {
                    throw new IllegalArgumentException(
                            "a tool result may contain text, image and document blocks, not " + b.type());
                }
            }
        }
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
    }

    /** {@return a successful result given as a string} */
    public static ToolResultParam of(String toolUseId, String text) {
        return new ToolResultParam(toolUseId, Objects.requireNonNull(text, "text"), null, false, null);
    }

    /** {@return a successful result given as text, image and document blocks} */
    public static ToolResultParam of(String toolUseId, List<? extends ContentBlockParam> blocks) {
        return new ToolResultParam(toolUseId, null, List.copyOf(Objects.requireNonNull(blocks, "blocks")), false, null);
    }

    /** {@return a failed result: the message tells the model what went wrong} */
    public static ToolResultParam error(String toolUseId, String message) {
        return new ToolResultParam(toolUseId, Objects.requireNonNull(message, "message"), null, true, null);
    }

    /** {@return this result with the given {@code cache_control} object} */
    public ToolResultParam withCacheControl(Map<String, ?> cacheControl) {
        return new ToolResultParam(
                toolUseId, text, blocks, isError, JsonValues.copyObject(cacheControl, "cacheControl"));
    }

    @Override
    public String type() {
        return "tool_result";
    }
}
