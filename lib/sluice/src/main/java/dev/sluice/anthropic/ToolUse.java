package dev.sluice.anthropic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the three tool-use blocks ({@link ToolUseBlock}, {@link ServerToolUseBlock},
 * {@link McpToolUseBlock}) share: the call's id, the tool's name and its {@link ToolInput}, with
 * their accessors, and the equality and {@code toString} a record of them would have. Each block
 * adds its type and any fields of its own ({@link #ownFields()}).
 *
 * <p>Threading: immutable; see {@link ToolInput} for the parse on first read.
 */
abstract class ToolUse {
    private final String id;
    private final String name;
    private final ToolInput input;

    ToolUse(String id, String name, ToolInput input) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.input = input;
    }

    /** {@return the call's id} */
    public String id() {
        return id;
    }

    /** {@return the tool's name} */
    public String name() {
        return name;
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

    /** The input's state, for tests in this package: whether it has been parsed yet. */
    ToolInput inputState() {
        return input;
    }

    /** {@return the block's own fields after the name, as a record's {@code toString()} writes them; none here} */
    String ownFields() {
        return "";
    }

    /** Equal: a block of the same class with equal id, name and input (text, value and error). */
    @Override
    @SuppressWarnings("EqualsGetClass") // a tool_use, a server_tool_use and an mcp_tool_use are never equal
    public boolean equals(@Nullable Object o) {
        return o != null
                && o.getClass() == getClass()
                && id.equals(((ToolUse) o).id)
                && name.equals(((ToolUse) o).name)
                && input.equals(((ToolUse) o).input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, input);
    }

    /** {@return the block's fields, as a record's {@code toString()} would write them} */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + id + ", name=" + name + ownFields() + ", input=" + input()
                + ", inputJson=" + inputJson() + ", inputError=" + inputError() + "]";
    }
}
