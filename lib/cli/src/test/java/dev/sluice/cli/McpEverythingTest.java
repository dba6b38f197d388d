package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.McpException;
import dev.sluice.mcp.McpClient;
import dev.sluice.mcp.McpTool;
import dev.sluice.mcp.ProgressListener;
import java.util.List;
import java.util.Map;
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
        try (Everything.Http server = Everything.http();
                McpClient client = McpClient.http(server.uri())) {
            exercise(client);
        }
    }

    private static void exercise(McpClient client) throws Exception {
        assertTrue(client.name().contains("everything"), client.name());
        List<McpTool> tools = client.tools();
        List<String> reports = new CopyOnWriteArrayList<>(); // "PROGRESS/TOTAL": the server sends no message
        ProgressListener progress = (message, done, total) -> reports.add((message.isEmpty() ? "" : message + " ")
                + Math.round(done) + "/" + (total == null ? "?" : Math.round(total)));
        String done = tool(tools, "trigger-long-running-operation").call(Map.of("duration", 1L, "steps", 4L), progress);
        assertEquals("Long running operation completed. Duration: 1 seconds, Steps: 4.", done);
        assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), reports, reports.toString());
        assertEquals("Echo: hello", tool(tools, "echo").call(Map.of("message", "hello"), ProgressListener.NONE));
        String sum = tool(tools, "get-sum").call(Map.of("a", 2L, "b", 3L), ProgressListener.NONE);
        assertTrue(sum.contains("5"), sum);
        String image = tool(tools, "get-tiny-image").call(Map.of(), ProgressListener.NONE);
        assertTrue(
                Pattern.compile("(?s)Here's the image you requested:\n\\[image: image/png, [1-9]\\d* bytes]\n.+")
                        .matcher(image)
                        .matches(),
                image);
        String text = tool(tools, "get-resource-reference")
                .call(Map.of("resourceType", "Text", "resourceId", 1L), ProgressListener.NONE);
        assertTrue(
                Pattern.compile(
                                "Returning resource reference for Resource 1:\nResource 1: This is a plaintext resource created at .+\n"
                                        + "You can access this resource using the URI: \\S+")
                        .matcher(text)
                        .matches(),
                text);
        String blob = tool(tools, "get-resource-reference")
                .call(Map.of("resourceType", "Blob", "resourceId", 2L), ProgressListener.NONE);
        assertTrue(
                Pattern.compile("(?s).*\n\\[resource: \\S+, text/plain, [1-9]\\d* bytes]\n.*")
                        .matcher(blob)
                        .matches(),
                blob);
        String links = tool(tools, "get-resource-links").call(Map.of("count", 2L), ProgressListener.NONE);
        assertEquals(
                2,
                Pattern.compile("(?m)^\\[resource link: \\S+ \\(.+\\)]")
                        .matcher(links)
                        .results()
                        .count(),
                links);
        String weather =
                tool(tools, "get-structured-content").call(Map.of("location", "Chicago"), ProgressListener.NONE);
        assertEquals(
                1,
                Pattern.compile("\"temperature\"").matcher(weather).results().count(),
                "the JSON once, not again as structuredContent: " + weather);
        assertTrue(weather.contains("Light rain / drizzle"), weather);
        McpException failed = assertThrows(
                McpException.class,
                () -> tool(tools, "get-resource-reference")
                        .call(Map.of("resourceType", "Text", "resourceId", 0L), ProgressListener.NONE));
        assertTrue(failed.getMessage().contains("Invalid resourceId: 0"), failed.getMessage());
        assertFalse(tools.stream().anyMatch(t -> !t.modelName().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")));
    }

    private static McpTool tool(List<McpTool> tools, String name) {
        return tools.stream()
                .filter(t -> t.modelName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name + " in "
                        + tools.stream().map(McpTool::modelName).toList()));
    }
}
