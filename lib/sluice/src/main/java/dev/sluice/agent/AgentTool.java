package dev.sluice.agent;

import dev.sluice.chat.Tool;
import java.util.Map;
import java.util.Objects;

/**
 * A tool declared once for the {@link ToolRunner}: what the model is told about it (its
 * {@link Tool} definition: name, description, JSON Schema of the input) and the handler that runs
 * when the model calls it.
 *
 * <pre>{@code
 * AgentTool weather = AgentTool.of("get_weather", "The current weather in a city",
 *         Map.of("type", "object",
 *                "properties", Map.of("city", Map.of("type", "string")),
 *                "required", List.of("city")),
 *         (arguments, context) -> lookUp((String) arguments.get("city")));
 * }</pre>
 *
 * <p>Before the handler runs, the runner checks the arguments against the schema's top level:
 * they must be a JSON object holding every property named in {@code required}. Anything deeper is
 * the handler's to check (and to report by throwing, which the model then reads).
 *
 * <p>{@code source} names where the tool comes from: the MCP server's name for a tool an MCP
 * server offers, {@code ""} for a tool written in Java. An {@link ApprovalPolicy} may select tools
 * by it ({@link ApprovalPolicy#sources}).
 *
 * @param definition the tool as the model sees it
 * @param handler what runs when the model calls it
 * @param source where the tool comes from: an MCP server's name, or {@code ""} for a Java tool
 */
public record AgentTool(Tool definition, ToolHandler handler, String source) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     */
    public AgentTool {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(source, "source");
    }

    /**
     * A tool written in Java: its {@code source} is {@code ""}.
     *
     * @param definition the tool as the model sees it
     * @param handler what runs when the model calls it
     * @throws NullPointerException if an argument is null
     */
    public AgentTool(Tool definition, ToolHandler handler) {
        this(definition, handler, "");
    }

    /**
     * Declares a tool.
     *
     * @param name the tool's name as the model will call it (providers allow letters, digits,
     *     {@code _} and {@code -})
     * @param description what the tool does and when to use it; may be empty
     * @param inputSchema the JSON Schema of the arguments, usually {@code {"type":"object",...}}
     * @param handler what runs when the model calls it
     * @return the tool
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank or the schema is not a JSON value
     */
    public static AgentTool of(String name, String description, Map<String, Object> inputSchema, ToolHandler handler) {
        return new AgentTool(new Tool(name, description, inputSchema), handler);
    }

    /** {@return the tool's name} */
    public String name() {
        return definition.name();
    }
}
