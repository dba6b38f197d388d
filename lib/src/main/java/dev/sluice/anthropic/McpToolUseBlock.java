package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code mcp_tool_use}: a call of a tool of a remote MCP server (the MCP connector,
 * {@code mcp_servers} in the request), which the API makes itself; its input follows the rules of
 * {@link ToolUseBlock}'s (streamed as {@code input_json_delta}s when it is not complete in the
 * start; a broken input reported in {@link #inputError()}, never thrown).
 *
 * @param id the call's id, which the {@link McpToolResultBlock} refers to
 * @param name the tool's name
 * @param serverName the MCP server's name
 * @param input the input as a JSON object
 * @param inputJson the input's JSON text as it arrived
 * @param inputError why the complete input is not a valid JSON object; empty when it is
 */
public record McpToolUseBlock(String id, String name, String serverName, Map<String, Object> input, String inputJson,
                              Optional<String> inputError) implements ContentBlock {
    /** @throws NullPointerException if an argument is null */
    public McpToolUseBlock {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serverName, "serverName");
        input = JsonValues.copyObject(input, "input");
        Objects.requireNonNull(inputJson, "inputJson");
        Objects.requireNonNull(inputError, "inputError");
    }

    @Override
    public String type() { return "mcp_tool_use"; }
}
