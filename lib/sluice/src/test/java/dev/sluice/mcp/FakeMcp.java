package dev.sluice.mcp;

import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tools of the fake MCP servers (HTTP and stdio), one JSON-RPC request at a time: {@code echo},
 * {@code add} (structured content), {@code steps} (progress notifications), {@code fail}
 * ({@code isError}), {@code broken} (a JSON-RPC error), {@code media} (image, resources), and the
 * transports' own {@code stall} and {@code die}. {@code tools/list} pages two tools at a time.
 */
final class FakeMcp {
    static final String INSTRUCTIONS = "Use echo to test the connection.";
    private static final List<String> TOOLS = List.of(
            "echo", "add", "steps", "fail", "broken", "media", "stall", "die", "dotted.name", "region", "badheader");

    private FakeMcp() {}

    /** {@return whether a log record is the client's warning that it left out {@code badheader}, as it must} */
    static boolean badHeaderLeftOut(java.util.logging.LogRecord r) {
        Object[] p = r.getParameters();
        return r.getMessage().contains("left out") && p != null && p.length > 1 && "badheader".equals(p[1]);
    }

    /** A request's handling: {@code send} each notification, {@return the response, or null for the transport's own tools} */
    static Map<String, Object> handle(
            Map<String, Object> request, String serverName, Consumer<Map<String, Object>> send)
            throws InterruptedException {
        String method = (String) request.get("method");
        Map<String, Object> params = map(request.get("params"));
        return switch (method) {
            case "server/discover" ->
                result(
                        request,
                        Map.of(
                                "supportedVersions",
                                List.of(McpSession.MODERN),
                                "capabilities",
                                Map.of("tools", Map.of()),
                                "serverInfo",
                                Map.of("name", serverName, "version", "1"),
                                "instructions",
                                INSTRUCTIONS));
            case "initialize" ->
                result(
                        request,
                        Map.of(
                                "protocolVersion",
                                McpSession.LEGACY,
                                "capabilities",
                                Map.of("tools", Map.of()),
                                "serverInfo",
                                Map.of("name", serverName, "version", "1"),
                                "instructions",
                                INSTRUCTIONS));
            case "tools/list" -> {
                int from = params.get("cursor") instanceof String c ? Integer.parseInt(c) : 0;
                List<Object> page = new ArrayList<>();
                for (int i = from; i < Math.min(from + 2, TOOLS.size()); i++) page.add(tool(TOOLS.get(i)));
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("tools", page);
                if (from + 2 < TOOLS.size()) r.put("nextCursor", String.valueOf(from + 2));
                yield result(request, r);
            }
            case "tools/call" -> call(request, params, send);
            default ->
                Map.of(
                        "jsonrpc",
                        "2.0",
                        "id",
                        request.get("id"),
                        "error",
                        Map.of("code", -32601L, "message", "no method " + method));
        };
    }

    private static Map<String, Object> tool(String name) {
        if (name.equals("region")) {
            return Map.of(
                    "name",
                    name,
                    "description",
                    "runs a query in a region",
                    "inputSchema",
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "region",
                                    Map.of("type", "string", "x-mcp-header", "Region"),
                                    "query",
                                    Map.of("type", "string"))));
        }
        if (name.equals("badheader")) { // x-mcp-header inside items: an invalid tool definition over HTTP
            return Map.of(
                    "name",
                    name,
                    "description",
                    "invalid",
                    "inputSchema",
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "list",
                                    Map.of(
                                            "type",
                                            "array",
                                            "items",
                                            Map.of("type", "string", "x-mcp-header", "Item")))));
        }
        return Map.of(
                "name",
                name,
                "description",
                "the " + name + " tool",
                "inputSchema",
                Map.of("type", "object", "properties", Map.of("message", Map.of("type", "string"))));
    }

    private static Map<String, Object> call(
            Map<String, Object> request, Map<String, Object> params, Consumer<Map<String, Object>> send)
            throws InterruptedException {
        Map<String, Object> args = map(params.get("arguments"));
        Object token = map(params.get("_meta")).get("progressToken");
        return switch ((String) params.get("name")) {
            case "echo" -> result(request, Map.of("content", List.of(text("Echo: " + args.get("message")))));
            case "add" -> {
                long sum = (Long) args.get("a") + (Long) args.get("b");
                yield result(
                        request,
                        Map.of("content", List.of(text("The sum is " + sum)), "structuredContent", Map.of("sum", sum)));
            }
            case "steps" -> {
                long steps = (Long) args.get("steps");
                for (long i = 1; i <= steps; i++) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("progressToken", token);
                    p.put("progress", i);
                    p.put("total", steps);
                    p.put("message", "step " + i);
                    send.accept(Map.of("jsonrpc", "2.0", "method", "notifications/progress", "params", p));
                    if (args.get("delayMs") instanceof Long d)
                        Thread.sleep(d); // the fake's own pace, not a test's wait
                }
                yield result(request, Map.of("content", List.of(text("done after " + steps + " steps"))));
            }
            case "fail" -> result(request, Map.of("isError", true, "content", List.of(text("disk full"))));
            case "broken" ->
                Map.of(
                        "jsonrpc",
                        "2.0",
                        "id",
                        request.get("id"),
                        "error",
                        Map.of("code", -32603L, "message", "the tool crashed"));
            case "media" ->
                result(
                        request,
                        Map.of(
                                "content",
                                List.of(
                                        Map.of(
                                                "type",
                                                "image",
                                                "mimeType",
                                                "image/png",
                                                "data",
                                                Base64.getEncoder().encodeToString(new byte[10])),
                                        Map.of(
                                                "type",
                                                "resource",
                                                "resource",
                                                Map.of(
                                                        "uri",
                                                        "file:///a.txt",
                                                        "mimeType",
                                                        "text/plain",
                                                        "text",
                                                        "hello")),
                                        Map.of(
                                                "type",
                                                "resource",
                                                "resource",
                                                Map.of(
                                                        "uri",
                                                        "file:///b.bin",
                                                        "mimeType",
                                                        "application/octet-stream",
                                                        "blob",
                                                        Base64.getEncoder().encodeToString(new byte[7]))))));
            case "dotted.name" -> result(request, Map.of("content", List.of(text("dotted"))));
            case "region" -> result(request, Map.of("content", List.of(text("ran in " + args.get("region")))));
            default -> null; // stall, die: the transport's
        };
    }

    static Map<String, Object> text(String s) {
        return Map.of("type", "text", "text", s);
    }

    static Map<String, Object> result(Map<String, Object> request, Map<String, Object> result) {
        return Map.of("jsonrpc", "2.0", "id", request.get("id"), "result", result);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static Map<String, Object> parse(String json) throws IOException {
        return map(Json.readValue(json));
    }

    static String write(Map<String, Object> message) {
        return JsonOut.write(message);
    }
}
