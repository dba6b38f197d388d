package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.McpException;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolContext;
import dev.sluice.mcp.McpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The MCP client against the reference server, {@code @modelcontextprotocol/server-everything}
 * as lib/server's lockfile pins it, run by the Node.js it pins: over stdio and over Streamable HTTP
 * (its {@code streamableHttp} mode, which speaks the 2025-11-25 session form). Its long-running
 * operation reports progress at each step; {@code echo} and {@code get-sum} answer; an image, a text
 * and a binary resource, resource links and structured content read as their notes and text; a
 * tool's error fails the call.
 */
class McpEverythingTest {
    @Test
    void stdio_everythingServer_progressAndResults() throws Exception {
        try (McpClient client = McpClient.stdio(Everything.stdio())) {
            exercise(client);
        }
    }

    @Test
    void streamableHttp_everythingServer_progressAndResults() throws Exception {
        try (Everything.Http server = Everything.http(); McpClient client = McpClient.http(server.uri())) {
            exercise(client);
        }
    }

    private static void exercise(McpClient client) throws Exception {
        assertTrue(client.name().contains("everything"), client.name());
        List<AgentTool> tools = client.tools();
        Progress context = new Progress();
        String done = tool(tools, "trigger-long-running-operation").handler().call(Map.of("duration", 1L, "steps", 4L), context);
        assertEquals("Long running operation completed. Duration: 1 seconds, Steps: 4.", done);
        assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), context.reports, context.reports.toString());
        assertEquals("Echo: hello", tool(tools, "echo").handler().call(Map.of("message", "hello"), new Progress()));
        String sum = tool(tools, "get-sum").handler().call(Map.of("a", 2L, "b", 3L), new Progress());
        assertTrue(sum.contains("5"), sum);
        String image = tool(tools, "get-tiny-image").handler().call(Map.of(), new Progress());
        assertTrue(Pattern.compile("(?s)Here's the image you requested:\n\\[image: image/png, [1-9]\\d* bytes]\n.+").matcher(image).matches(), image);
        String text = tool(tools, "get-resource-reference").handler().call(Map.of("resourceType", "Text", "resourceId", 1L), new Progress());
        assertTrue(Pattern.compile("Returning resource reference for Resource 1:\nResource 1: This is a plaintext resource created at .+\n"
                + "You can access this resource using the URI: \\S+").matcher(text).matches(), text);
        String blob = tool(tools, "get-resource-reference").handler().call(Map.of("resourceType", "Blob", "resourceId", 2L), new Progress());
        assertTrue(Pattern.compile("(?s).*\n\\[resource: \\S+, text/plain, [1-9]\\d* bytes]\n.*").matcher(blob).matches(), blob);
        String links = tool(tools, "get-resource-links").handler().call(Map.of("count", 2L), new Progress());
        assertEquals(2, Pattern.compile("(?m)^\\[resource link: \\S+ \\(.+\\)]").matcher(links).results().count(), links);
        String weather = tool(tools, "get-structured-content").handler().call(Map.of("location", "Chicago"), new Progress());
        assertEquals(1, Pattern.compile("\"temperature\"").matcher(weather).results().count(), "the JSON once, not again as structuredContent: " + weather);
        assertTrue(weather.contains("Light rain / drizzle"), weather);
        McpException failed = assertThrows(McpException.class,
                () -> tool(tools, "get-resource-reference").handler().call(Map.of("resourceType", "Text", "resourceId", 0L), new Progress()));
        assertTrue(failed.getMessage().contains("Invalid resourceId: 0"), failed.getMessage());
        assertFalse(tools.stream().anyMatch(t -> !t.name().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")));
    }

    private static AgentTool tool(List<AgentTool> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name + " in " + tools.stream().map(AgentTool::name).toList()));
    }

    /** A call's context that keeps the progress reports: "PROGRESS/TOTAL" (the server sends no message). */
    private static final class Progress implements ToolContext {
        final List<String> reports = new CopyOnWriteArrayList<>();

        @Override
        public String callId() {
            return "call";
        }

        @Override
        public String toolName() {
            return "tool";
        }

        @Override
        public void progress(String message) {
            reports.add(message + " ?");
        }

        @Override
        public void progress(String message, double percent) {
            reports.add(message + " " + Math.round(percent) + "%");
        }

        @Override
        public void progress(String message, double progress, Double total) {
            reports.add((message.isEmpty() ? "" : message + " ") + Math.round(progress) + "/" + (total == null ? "?" : Math.round(total)));
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Optional<Instant> deadline() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> remaining() {
            return Optional.empty();
        }
    }
}
