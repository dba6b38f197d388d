package dev.sluice.anthropic;

/**
 * A tool the model may use: a {@link CustomTool} that your code runs, or a {@link ServerTool}
 * (web search, code execution, ...) that the API runs, given as its JSON object.
 */
public sealed interface ToolParam permits CustomTool, ServerTool {

    /** {@return the tool's name, unique within a request} */
    String name();
}
