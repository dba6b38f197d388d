package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A content block kept whole, exactly as it came: a block type this version does not know (server
 * tool results, MCP blocks and container uploads are typed: {@link ServerToolResultBlock},
 * {@link McpToolUseBlock}, {@link McpToolResultBlock}, {@link ContainerUploadBlock}). Deltas for
 * such a block are ignored.
 *
 * @param type the block's {@code type}
 * @param json every field of the block, {@code type} included, in arrival order
 */
public record OtherBlock(String type, Map<String, Object> json) implements ContentBlock {
    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code json} is not a JSON object of the value model
     */
    public OtherBlock {
        Objects.requireNonNull(type, "type");
        json = JsonValues.copyObject(json, "block json");
    }
}
