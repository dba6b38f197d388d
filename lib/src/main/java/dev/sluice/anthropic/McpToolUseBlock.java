package dev.sluice.anthropic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code mcp_tool_use}: a call of a tool of a remote MCP server (the MCP connector,
 * {@code mcp_servers} in the request), which the API makes itself; its input follows the rules of
 * {@link ToolUseBlock}'s (streamed as {@code input_json_delta}s when it is not complete in the
 * start; a broken input reported in {@link #inputError()}, never thrown).
 *
 * <p>Equality compares the id, the name, the server's name, the input, its text and its error.
 */
public final class McpToolUseBlock implements ContentBlock {
    private final String id;
    private final String name;
    private final String serverName;
    private final ToolInput input;

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
    public McpToolUseBlock(String id, String name, String serverName, Map<String, Object> input, String inputJson,
                           Optional<String> inputError) {
        this(Objects.requireNonNull(id, "id"), Objects.requireNonNull(name, "name"), serverName,
                ToolInput.of(input, inputJson, inputError));
    }

    /** A block whose input is kept as given (a streamed one's, parsed when first read). */
    McpToolUseBlock(String id, String name, String serverName, ToolInput input) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.input = input;
    }

    /** {@return the id} */
    public String id() {
        return id;
    }

    /** {@return the tool's name} */
    public String name() {
        return name;
    }

    /** {@return the MCP server's name} */
    public String serverName() {
        return serverName;
    }

    /**
     * {@return the input as a JSON object of the value model; immutable} For a block that streamed,
     * parsed from {@link #inputJson()} when first read (here or by {@link #inputError()}).
     */
    public Map<String, Object> input() {
        return input.input();
    }

    /** {@return the input's JSON text as it arrived} */
    public String inputJson() {
        return input.json();
    }

    /** {@return why the complete input is not a valid JSON object; empty when it is, and while the block streams} */
    public Optional<String> inputError() {
        return input.error();
    }

    @Override
    public String type() { return "mcp_tool_use"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof McpToolUseBlock b && id.equals(b.id) && name.equals(b.name) && serverName.equals(b.serverName)
                && input.equals(b.input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, serverName, input);
    }

    /** {@return the block's fields, as a record's {@code toString()} would write them} */
    @Override
    public String toString() {
        return "McpToolUseBlock[id=" + id + ", name=" + name + ", serverName=" + serverName + ", input=" + input()
                + ", inputJson=" + inputJson() + ", inputError=" + inputError() + "]";
    }
}
