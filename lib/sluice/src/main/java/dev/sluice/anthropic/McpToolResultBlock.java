package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * {@code mcp_tool_result}: what an MCP server's tool returned; complete in its
 * {@code content_block_start}. Written back exactly as it came.
 *
 * @param toolUseId the {@link McpToolUseBlock} answered
 * @param isError whether the tool reported an error
 * @param text the result's text (a string content, or its text blocks joined)
 * @param json every field of the block, {@code type} included
 */
public record McpToolResultBlock(String toolUseId, boolean isError, String text, Map<String, Object> json)
        implements ContentBlock {
    /** @throws NullPointerException if an argument is null */
    public McpToolResultBlock {
        Objects.requireNonNull(toolUseId, "toolUseId");
        Objects.requireNonNull(text, "text");
        json = JsonValues.copyObject(json, "block json");
    }

    @Override
    public String type() {
        return "mcp_tool_result";
    }
}
