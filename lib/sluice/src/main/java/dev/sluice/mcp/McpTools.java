package dev.sluice.mcp;

import dev.sluice.agent.AgentTool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The tools of several MCP servers together, for one {@link dev.sluice.agent.ToolRunner}. */
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
            for (AgentTool tool : client.tools()) {
                String other = owner.putIfAbsent(tool.name(), client.name());
                if (other != null) {
                    throw new IllegalArgumentException("tool '" + tool.name() + "' is offered by MCP servers '" + other + "' and '"
                            + client.name() + "'; connect only one of them");
                }
                all.add(tool);
            }
        }
        return List.copyOf(all);
    }
}
