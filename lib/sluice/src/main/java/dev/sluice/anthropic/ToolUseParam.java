package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool call the assistant made, sent back in an assistant message when continuing the
 * conversation.
 *
 * @param id the tool-use id, as received in the {@link ToolUseBlock}
 * @param name the tool's name
 * @param input the input, a JSON object of the value model
 * @param cacheControl the {@code cache_control} object, or null
 */
public record ToolUseParam(
        String id,
        String name,
        Map<String, Object> input,
        @Nullable Map<String, Object> cacheControl) implements ContentBlockParam {
    /**
     * @throws NullPointerException if {@code id}, {@code name} or {@code input} is null
     * @throws IllegalArgumentException if {@code id} or {@code name} is blank, or an object is not of
     *     the JSON value model
     */
    public ToolUseParam {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (id.isBlank()) throw new IllegalArgumentException("id must not be blank");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        input = JsonValues.copyObject(input, "input");
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
    }

    /** {@return a tool call without cache control} */
    public static ToolUseParam of(String id, String name, Map<String, ?> input) {
        return new ToolUseParam(id, name, JsonValues.copyObject(input, "input"), null);
    }

    /** {@return the request form of a tool call received in a response} */
    public static ToolUseParam of(ToolUseBlock block) {
        Objects.requireNonNull(block, "block");
        return new ToolUseParam(block.id(), block.name(), block.input(), null);
    }

    @Override
    public String type() {
        return "tool_use";
    }
}
