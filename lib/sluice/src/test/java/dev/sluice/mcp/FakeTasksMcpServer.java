package dev.sluice.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A scripted MCP server of the 2026-07-28 protocol with the tasks extension
 * ({@code io.modelcontextprotocol/tasks}, SEP-2663) on stateless Streamable HTTP: it advertises the
 * extension in {@code server/discover} and answers a {@code tools/call} of {@code research} with a
 * task only when the request declared the extension. Each {@code tasks/get} moves the task one step
 * on: {@code working} "Gathering sources", "Analyzing content", {@code input_required} with an
 * elicitation under the key {@code clarify} (asked again on each poll until {@code tasks/update}
 * answers it), {@code working} "Continuing with: ANSWER", {@code completed} with the report inline.
 * {@code fails} ends {@code failed} with a JSON-RPC error, {@code dropped} ends {@code cancelled},
 * {@code endless} works until {@code tasks/cancel}; {@code hinted} (a poll interval of 300 ms) and
 * {@code unhinted} (none) keep their first status until the third {@code tasks/get} completes them;
 * {@code huge} answers its {@code tasks/get} on an SSE stream with a status message of 200,000
 * characters; the others ask for a poll every 20 ms. It knows no {@code tasks/result} or
 * {@code tasks/list} ({@code -32601}, as the extension says).
 */
final class FakeTasksMcpServer implements AutoCloseable {
    private final HttpServer server;
    private final boolean advertises;
    /** What the server saw, in order: each request's method, and "cancel TASK" / "update TASK {json}". */
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Each request's Mcp-Name header, by method ("tasks/get" ...), in order. */
    final List<String> names = new CopyOnWriteArrayList<>();
    /** When each tasks/get arrived ({@link System#nanoTime()}), in order. */
    final List<Long> polls = new CopyOnWriteArrayList<>();
    /** The client capabilities each tools/call declared. */
    final List<Map<String, Object>> callCapabilities = new CopyOnWriteArrayList<>();

    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    private static final class Task {
        final String tool;
        int step;
        String status = "working";
        String message = "Gathering sources";
        volatile boolean cancelled;
        String answer;

        Task(String tool) {
            this.tool = tool;
        }
    }

    FakeTasksMcpServer(boolean advertises) throws IOException {
        this.advertises = advertises;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Map<String, Object> request =
                    FakeMcp.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String method = (String) request.get("method");
            Map<String, Object> params = FakeMcp.map(request.get("params"));
            log.add(method);
            if (method.startsWith("tasks/"))
                names.add(method + " " + x.getRequestHeaders().getFirst("Mcp-Name"));
            if (!request.containsKey("id")) {
                x.sendResponseHeaders(202, -1);
                return;
            }
            Map<String, Object> result = switch (method) {
                case "server/discover" ->
                    Map.of(
                            "supportedVersions",
                            List.of(McpSession.MODERN),
                            "capabilities",
                            advertises
                                    ? Map.of("tools", Map.of(), "extensions", Map.of(TaskCall.EXTENSION, Map.of()))
                                    : Map.of("tools", Map.of()),
                            "serverInfo",
                            Map.of("name", "fake-tasks", "version", "1"));
                case "tools/list" ->
                    Map.of(
                            "tools",
                            List.of("research", "fails", "dropped", "endless", "hinted", "unhinted", "huge").stream()
                                    .map(n -> Map.of(
                                            "name",
                                            n,
                                            "description",
                                            "the " + n + " tool",
                                            "inputSchema",
                                            Map.of("type", "object")))
                                    .toList());
                case "tools/call" -> call(params);
                case "tasks/get" -> {
                    polls.add(System.nanoTime());
                    yield get((String) params.get("taskId"));
                }
                case "tasks/update" -> {
                    Task t = tasks.get((String) params.get("taskId"));
                    log.add("update " + params.get("taskId") + " "
                            + FakeMcp.write(FakeMcp.map(params.get("inputResponses"))));
                    Map<String, Object> clarify = FakeMcp.map(
                            FakeMcp.map(params.get("inputResponses")).get("clarify"));
                    if (t != null && "accept".equals(clarify.get("action"))) {
                        synchronized (t) {
                            t.answer = String.valueOf(
                                    FakeMcp.map(clarify.get("content")).get("interpretation"));
                        }
                    }
                    yield Map.of("resultType", "complete");
                }
                case "tasks/cancel" -> {
                    Task t = tasks.get((String) params.get("taskId"));
                    log.add("cancel " + params.get("taskId"));
                    if (t != null) t.cancelled = true;
                    yield Map.of("resultType", "complete");
                }
                default -> null;
            };
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", "2.0");
            response.put("id", request.get("id"));
            if (result != null) response.put("result", result);
            else response.put("error", Map.of("code", -32601L, "message", "Method not found: " + method));
            if (method.equals("tasks/get")
                    && result != null
                    && result.get("statusMessage") instanceof String m
                    && m.length() > 100_000) { // huge's answer, on an SSE stream
                x.getResponseHeaders().add("Content-Type", "text/event-stream");
                x.sendResponseHeaders(200, 0);
                x.getResponseBody()
                        .write(("event: message\ndata: " + FakeMcp.write(response) + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = FakeMcp.write(response).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
        }
    }

    private Map<String, Object> call(Map<String, Object> params) {
        Map<String, Object> capabilities =
                FakeMcp.map(FakeMcp.map(params.get("_meta")).get("io.modelcontextprotocol/clientCapabilities"));
        callCapabilities.add(capabilities);
        boolean declared = FakeMcp.map(capabilities.get("extensions")).containsKey(TaskCall.EXTENSION);
        String tool = (String) params.get("name");
        if (!declared) return Map.of("content", List.of(FakeMcp.text(tool + " ran without a task")));
        String id = UUID.randomUUID().toString();
        Task t = new Task(tool);
        tasks.put(id, t);
        Map<String, Object> created = state(id, t);
        created.put("resultType", "task");
        return created;
    }

    private Map<String, Object> get(String id) {
        Task t = tasks.get(id);
        if (t == null) return null;
        synchronized (t) {
            if (t.cancelled) {
                t.status = "cancelled";
                t.message = "Cancelled at the client's request";
            } else if (!isTerminal(t.status)) {
                step(t);
            }
            Map<String, Object> state = state(id, t);
            state.put("resultType", "complete");
            return state;
        }
    }

    private static boolean isTerminal(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    private static void step(Task t) {
        switch (t.tool) {
            case "endless" -> t.message = "Still working";
            case "huge" -> t.message = "?".repeat(200_000);
            case "hinted", "unhinted" -> { // the same status until the third poll completes it
                if (++t.step == 3) {
                    t.status = "completed";
                    t.message = "Report ready";
                }
            }
            case "fails" -> {
                t.status = "failed";
                t.message = "Tool execution failed: API rate limit exceeded";
            }
            case "dropped" -> {
                t.status = "cancelled";
                t.message = "The operator stopped it";
            }
            default -> {
                t.step++;
                switch (t.step) {
                    case 1 -> t.message = "Analyzing content";
                    case 2 -> {
                        t.status = "input_required";
                        t.message = "Which python?";
                    }
                    default -> {
                        if (t.answer == null) {
                            t.step = 2; // still waiting: the same question again
                        } else if (t.status.equals("input_required")) {
                            t.status = "working";
                            t.message = "Continuing with: " + t.answer;
                        } else {
                            t.status = "completed";
                            t.message = "Report ready";
                        }
                    }
                }
            }
        }
    }

    private static Map<String, Object> state(String id, Task t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("taskId", id);
        s.put("status", t.status);
        s.put("statusMessage", t.message);
        s.put("createdAt", "2026-08-01T10:00:00Z");
        s.put("lastUpdatedAt", Instant.now().toString());
        s.put("ttlMs", 60000L);
        if (t.tool.equals("hinted")) s.put("pollIntervalMs", 300L);
        else if (!t.tool.equals("unhinted")) s.put("pollIntervalMs", 20L);
        switch (t.status) {
            case "input_required" ->
                s.put(
                        "inputRequests",
                        Map.of(
                                "clarify",
                                Map.of(
                                        "method",
                                        "elicitation/create",
                                        "params",
                                        Map.of(
                                                "mode",
                                                "form",
                                                "message",
                                                "Which python do you mean?",
                                                "requestedSchema",
                                                Map.of(
                                                        "type",
                                                        "object",
                                                        "properties",
                                                        Map.of(
                                                                "interpretation",
                                                                Map.of(
                                                                        "type",
                                                                        "string",
                                                                        "title",
                                                                        "Clarification",
                                                                        "enum",
                                                                        List.of("programming", "snake"))),
                                                        "required",
                                                        List.of("interpretation"))))));
            case "completed" ->
                s.put(
                        "result",
                        Map.of(
                                "content",
                                List.of(FakeMcp.text("Report on python (" + t.answer + ")")),
                                "isError",
                                false));
            case "failed" -> s.put("error", Map.of("code", -32603L, "message", "API rate limit exceeded"));
            default -> {}
        }
        return s;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
