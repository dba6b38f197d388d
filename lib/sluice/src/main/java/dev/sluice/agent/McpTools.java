package dev.sluice.agent;

import dev.sluice.chat.Tool;
import dev.sluice.mcp.InputHandler;
import dev.sluice.mcp.InputRequest;
import dev.sluice.mcp.McpClient;
import dev.sluice.mcp.McpTool;
import dev.sluice.mcp.ProgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tools of MCP servers as tools for one {@link ToolRunner}:
 *
 * <pre>{@code
 * ToolRunner.Builder runner = ToolRunner.builder(provider);
 * McpTools.of(files, search).forEach(runner::tool);
 * }</pre>
 *
 * <p>Each {@link McpTool} becomes an {@link AgentTool} named by its
 * {@linkplain McpTool#modelName() name for models}, with the server's description and input
 * schema, whose {@linkplain AgentTool#source() source} is the server's name. Its handler
 * {@linkplain McpTool#call calls} the tool: each progress notification of the call becomes the
 * run's progress event for that tool call ({@link ToolContext#progress(String, double, Double)}),
 * and a cancelled or timed-out call is cancelled on the server. A call the server runs as a task
 * (MCP Tasks) reports each new status message of the task as a progress event without a
 * percentage, each poll the server answers as a sign of life ({@link ToolContext#keepAlive()}), and
 * asks the server's questions of the person ({@link ToolContext#requestInput}: the run's
 * {@link AgentEvent.InputRequested}); with no one to ask, the task is cancelled and the model
 * reads why. A failure ({@link dev.sluice.McpException}, a failed or cancelled task among them) is
 * what the model reads as the failed tool's result.
 */
public final class McpTools {
    private McpTools() {}

    /**
     * {@return the tools of every client ({@link McpClient#tools()}), in the order given}
     *
     * @throws IllegalArgumentException if two servers offer a tool of the same name (the message
     *     names the tool and both servers)
     * @throws dev.sluice.McpException if a server fails to list its tools
     */
    public static List<AgentTool> of(McpClient... clients) {
        return of(List.of(clients));
    }

    /**
     * {@return the tools of every client, in the order given}
     *
     * @throws IllegalArgumentException if two servers offer a tool of the same name
     * @throws dev.sluice.McpException if a server fails to list its tools
     */
    public static List<AgentTool> of(List<McpClient> clients) {
        Objects.requireNonNull(clients, "clients");
        List<AgentTool> all = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        for (McpClient client : clients) {
            for (McpTool tool : client.tools()) {
                String other = owner.putIfAbsent(tool.modelName(), client.name());
                if (other != null) {
                    throw new IllegalArgumentException("tool '" + tool.modelName() + "' is offered by MCP servers '"
                            + other + "' and '" + client.name() + "'; connect only one of them");
                }
                all.add(tool(tool));
            }
        }
        return List.copyOf(all);
    }

    /**
     * {@return one MCP server's tool as a tool for the runner} For a tool picked from
     * {@link McpClient#tools()}; the runner refuses a second tool of the same name.
     *
     * @throws NullPointerException if the tool is null
     */
    public static AgentTool tool(McpTool tool) {
        Objects.requireNonNull(tool, "tool");
        ToolHandler handler = new ToolHandler() {
            @Override
            public String call(Map<String, Object> arguments, ToolContext context) {
                Listener l = new Listener(context);
                return tool.call(arguments, l, context::isCancelled, l);
            }

            @Override
            public String follow(String taskId, ToolContext context) {
                Listener l = new Listener(context);
                return tool.follow(taskId, l, context::isCancelled, l);
            }
        };
        return new AgentTool(
                new Tool(tool.modelName(), tool.description(), tool.inputSchema()), handler, tool.server());
    }

    /** A call's progress, statuses, signs of life, task handle and questions, told to its context. */
    private record Listener(ToolContext context) implements ProgressListener, InputHandler {
        @Override
        public void progress(String message, double progress, @Nullable Double total) {
            context.progress(message, progress, total);
        }

        @Override
        public void status(String message) {
            context.progress(message);
        }

        @Override
        public void alive() {
            context.keepAlive();
        }

        @Override
        public void task(String taskId) {
            context.task(taskId);
        }

        @Override
        public Optional<Map<String, Object>> answer(InputRequest request) throws InterruptedException {
            return context.requestInput(request.message(), request.schema());
        }
    }
}
