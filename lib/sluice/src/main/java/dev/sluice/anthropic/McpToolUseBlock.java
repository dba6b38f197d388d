package dev.sluice.anthropic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code mcp_tool_use}: a call of a tool of a remote MCP server (the MCP connector,
 * {@code mcp_servers} in the request), which the API makes itself; its input follows the rules of
 * {@link ToolUseBlock}'s (streamed as {@code input_json_delta}s when it is not complete in the
 * start; a broken input reported in {@link #inputError()}, never thrown).
 *
 * <p>Equality compares the id, the name, the server's name, the input, its text and its error.
 */
public final class McpToolUseBlock extends ToolUse implements ContentBlock {
    private final String serverName;

    /**
     * A block with its input given.
     *
     * @param id the call's id, which the {@link McpToolResultBlock} refers to
     * @param name the tool's name
     * @param serverName the MCP server's name
     * @param input the input as a JSON object
     * @param inputJson the input's JSON text as it arrived
     * @param inputError why the complete input is not a valid JSON object; empty when it is
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code input} holds a value outside the value model
     */
    public McpToolUseBlock(
            String id,
            String name,
            String serverName,
            Map<String, Object> input,
            String inputJson,
            Optional<String> inputError) {
        this(
                Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(name, "name"),
                serverName,
                ToolInput.of(input, inputJson, inputError));
    }

    /** A block whose input is kept as given (a streamed one's, parsed when first read). */
    McpToolUseBlock(String id, String name, String serverName, ToolInput input) {
        super(id, name, input);
        this.serverName = Objects.requireNonNull(serverName, "serverName");
    }

    /** {@return the MCP server's name} */
    public String serverName() {
        return serverName;
    }

    @Override
    String ownFields() {
        return ", serverName=" + serverName;
    }

    @Override
    public String type() {
        return "mcp_tool_use";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return super.equals(o) && o instanceof McpToolUseBlock m && serverName.equals(m.serverName);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + serverName.hashCode();
    }
}
