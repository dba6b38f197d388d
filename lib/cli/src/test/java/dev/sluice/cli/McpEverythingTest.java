package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.mcp.McpClient;
import dev.sluice.mcp.McpTool;
import dev.sluice.mcp.ProgressListener;
import dev.sluice.server.suite.NodeClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The MCP client against the reference server, {@code @modelcontextprotocol/server-everything}
 * as lib/server's lockfile pins it, run by the Node.js it pins: over stdio and over Streamable HTTP
 * (its {@code streamableHttp} mode, which speaks the 2025-11-25 session form). Its long-running
 * operation reports progress at each step; {@code echo} and {@code get-sum} answer.
 */
class McpEverythingTest {
    private static final Path SERVER = NodeClients.DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

    @Test
    void stdio_everythingServer_progressAndResults() throws Exception {
        try (McpClient client = McpClient.stdio(List.of(NodeClients.node().toString(), SERVER.toString(), "stdio"))) {
            exercise(client);
        }
    }

    @Test
    void streamableHttp_everythingServer_progressAndResults() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(NodeClients.node().toString(), SERVER.toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", String.valueOf(port));
        Process server = pb.start();
        try {
            int p = port;
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Socket ignored = new Socket("127.0.0.1", p)) {
                    return true;
                }
            });
            try (McpClient client = McpClient.http(URI.create("http://127.0.0.1:" + port + "/mcp"))) {
                exercise(client);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    private static void exercise(McpClient client) throws Exception {
        assertTrue(client.name().contains("everything"), client.name());
        List<McpTool> tools = client.tools();
        List<String> reports = new CopyOnWriteArrayList<>(); // "PROGRESS/TOTAL": the server sends no message
        ProgressListener progress = (message, done, total) ->
                reports.add((message.isEmpty() ? "" : message + " ") + Math.round(done) + "/" + (total == null ? "?" : Math.round(total)));
        String done = tool(tools, "trigger-long-running-operation").call(Map.of("duration", 1L, "steps", 4L), progress);
        assertEquals("Long running operation completed. Duration: 1 seconds, Steps: 4.", done);
        assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), reports, reports.toString());
        assertEquals("Echo: hello", tool(tools, "echo").call(Map.of("message", "hello"), ProgressListener.NONE));
        String sum = tool(tools, "get-sum").call(Map.of("a", 2L, "b", 3L), ProgressListener.NONE);
        assertTrue(sum.contains("5"), sum);
        assertFalse(tools.stream().anyMatch(t -> !t.modelName().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")));
    }

    private static McpTool tool(List<McpTool> tools, String name) {
        return tools.stream().filter(t -> t.modelName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name + " in " + tools.stream().map(McpTool::modelName).toList()));
    }
}
