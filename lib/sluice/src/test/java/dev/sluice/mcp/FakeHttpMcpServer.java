package dev.sluice.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake MCP server on the JDK's HTTP server, on loopback: stateless (2026-07-28: each request
 * checked for its protocol version header and metadata, no session) or session-only (2025-11-25:
 * initialize first, then {@code Mcp-Session-Id}; anything else refused as the TypeScript SDK
 * refuses it). Tool calls answer on an SSE stream; {@code stall} writes keep-alive comments until
 * the client closes the stream, {@code die} drops the connection after one progress event,
 * {@code bigask} (not listed) asks a question ({@code elicitation/create}, id 900) of {@code chars}
 * characters and then waits as {@code stall} does; the client's answers to its requests are logged
 * as {@code answer ID error} or {@code answer ID result}. In session mode it declares 2025-11-25
 * task-augmented {@code tools/call}: a call of {@code bigtask} (not listed) with {@code task} starts
 * a task that works until it is cancelled ({@code tasks/get} answers {@code working}, polls 5 s
 * apart), and the session's GET stream asks a question ({@code elicitation/create}, id 901) of
 * 200,000 characters, the task it concerns named only after it; then the stream stays open.
 */
public final class FakeHttpMcpServer implements AutoCloseable {
    public enum Mode {
        STATELESS,
        SESSION
    }

    private final HttpServer server;
    private final Mode mode;
    private final String name;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** What the server saw, in order: each request's method, "cancelled N", "stream closed", "delete", "unanswered". */
    public final List<String> log = new CopyOnWriteArrayList<>();
    /** How many of the next tools/call requests the server closes the connection on without answering. */
    public final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    /** Each request's headers. */
    final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

    private volatile String session;
    private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();

    /** Ends the session as a restarted server would: its id is then answered with 404. */
    void expireSession() {
        session = "expired";
    }

    public FakeHttpMcpServer(Mode mode, String name) throws IOException {
        this.mode = mode;
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            headers.add(Map.copyOf(x.getRequestHeaders()));
            if (x.getRequestMethod().equals("GET")) {
                log.add("get");
                getStream(x);
                return;
            }
            if (x.getRequestMethod().equals("DELETE")) {
                log.add("delete");
                respond(x, mode == Mode.SESSION ? 200 : 405, null);
                return;
            }
            Map<String, Object> request =
                    FakeMcp.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String method = (String) request.get("method");
            if (method == null) { // the client's answer to a request of this server's
                log.add("answer " + request.get("id") + (request.containsKey("error") ? " error" : " result"));
                respond(x, 202, null);
                return;
            }
            log.add(
                    method.equals("notifications/cancelled")
                            ? "cancelled " + FakeMcp.map(request.get("params")).get("requestId")
                            : method);
            String refusal = mode == Mode.STATELESS ? checkModern(x, request) : checkSession(x, request);
            if (refusal != null) {
                if (refusal.equals("404")) respond(x, 404, null);
                else respond(x, 400, refusal);
                return;
            }
            if (!request.containsKey("id")) {
                respond(x, 202, null);
                return;
            }
            if (method.equals("initialize")) {
                session = "session-" + sessions.incrementAndGet();
                x.getResponseHeaders().add("Mcp-Session-Id", session);
            }
            if (method.equals("tools/call") && unanswered.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add("unanswered");
                throw new IOException(
                        "the fake closes the connection without a byte of an answer"); // as a kept-alive one closed
                // under a request
            }
            if (method.equals("initialize")) { // declares task-augmented tools/call and tasks/cancel
                Map<String, Object> response = FakeMcp.handle(request, name, m -> {});
                Map<String, Object> result = new java.util.LinkedHashMap<>(FakeMcp.map(response.get("result")));
                result.put(
                        "capabilities",
                        Map.of(
                                "tools",
                                Map.of(),
                                "tasks",
                                Map.of("cancel", Map.of(), "requests", Map.of("tools", Map.of("call", Map.of())))));
                respond(x, 200, FakeMcp.write(Map.of("jsonrpc", "2.0", "id", request.get("id"), "result", result)));
                return;
            }
            Map<String, Object> params = FakeMcp.map(request.get("params"));
            if (method.equals("tasks/get")
                    || method.equals("tasks/cancel")
                    || (method.equals("tools/call") && "bigtask".equals(params.get("name")))) {
                if (method.equals("tasks/cancel")) log.add("task cancelled " + params.get("taskId"));
                Map<String, Object> task = Map.of(
                        "taskId",
                        "task-1",
                        "status",
                        method.equals("tasks/cancel") ? "cancelled" : "working",
                        "pollInterval",
                        5000L);
                respond(
                        x,
                        200,
                        FakeMcp.write(Map.of(
                                "jsonrpc",
                                "2.0",
                                "id",
                                request.get("id"),
                                "result",
                                method.equals("tools/call") ? Map.of("task", task) : task)));
                return;
            }
            if (!method.equals("tools/call")) {
                respond(x, 200, FakeMcp.write(FakeMcp.handle(request, name, m -> {})));
                return;
            }
            stream(x, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(HttpExchange x, Map<String, Object> request) throws IOException, InterruptedException {
        x.getResponseHeaders().add("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        IOException[] failed = new IOException[1];
        Map<String, Object> response = FakeMcp.handle(request, name, m -> {
            try {
                event(out, FakeMcp.write(m));
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        String tool = (String) FakeMcp.map(request.get("params")).get("name");
        if (tool.equals("bigask")) {
            long chars = (Long) FakeMcp.map(FakeMcp.map(request.get("params")).get("arguments"))
                    .get("chars");
            event(
                    out,
                    "{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"elicitation/create\",\"params\":{\"message\":\""
                            + "?".repeat((int) chars)
                            + "\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{}}}}");
            tool = "stall";
        }
        if (response != null && !tool.equals("stall")) {
            event(out, FakeMcp.write(response));
        } else if (tool.equals("stall")) {
            try {
                while (!stopped.await(50, TimeUnit.MILLISECONDS)) {
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                log.add("stream closed");
            }
        } else if (tool.equals("die")) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put(
                    "progressToken",
                    FakeMcp.map(FakeMcp.map(request.get("params")).get("_meta")).get("progressToken"));
            p.put("progress", 1L);
            event(out, FakeMcp.write(Map.of("jsonrpc", "2.0", "method", "notifications/progress", "params", p)));
            throw new IOException("the fake dies mid-call"); // the exchange ends without the chunked body's end
        }
    }

    /** The session's GET stream: a question too long for the client, then keep-alive comments until closed. */
    private void getStream(HttpExchange x) throws IOException {
        if (mode != Mode.SESSION) {
            respond(x, 405, null);
            return;
        }
        x.getResponseHeaders().add("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        event(
                out,
                "{\"jsonrpc\":\"2.0\",\"id\":901,\"method\":\"elicitation/create\",\"params\":{\"message\":\""
                        + "?".repeat(200_000)
                        + "\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{}},"
                        + "\"_meta\":{\"io.modelcontextprotocol/related-task\":{\"taskId\":\"task-1\"}}}}");
        try {
            while (!stopped.await(50, TimeUnit.MILLISECONDS)) {
                out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client closed the stream
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("event: message\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** 2026-07-28: the version header matching the body's metadata, and the method header. */
    private static String checkModern(HttpExchange x, Map<String, Object> request) {
        String version = x.getRequestHeaders().getFirst("MCP-Protocol-Version");
        Object bodyVersion = FakeMcp.map(FakeMcp.map(request.get("params")).get("_meta"))
                .get("io.modelcontextprotocol/protocolVersion");
        if (!McpSession.MODERN.equals(version) || !version.equals(bodyVersion)) {
            return error(
                    -32022,
                    "Unsupported protocol version",
                    Map.of("supported", List.of(McpSession.MODERN), "requested", String.valueOf(version)));
        }
        if (!request.get("method").equals(x.getRequestHeaders().getFirst("Mcp-Method"))) {
            return error(-32020, "Header mismatch: Mcp-Method", null);
        }
        return null;
    }

    /** 2025-11-25 as the TypeScript SDK serves it: initialize opens the session, everything else needs it. */
    private String checkSession(HttpExchange x, Map<String, Object> request) {
        if (request.get("method").equals("initialize")) return null;
        String id = x.getRequestHeaders().getFirst("Mcp-Session-Id");
        if (id == null) return error(-32000, "Bad Request: No valid session ID provided", null);
        if (!id.equals(session)) return "404";
        if (!McpSession.LEGACY.equals(x.getRequestHeaders().getFirst("MCP-Protocol-Version"))) {
            return error(-32000, "Bad Request: Unsupported protocol version", null);
        }
        return null;
    }

    private static String error(long code, String message, Object data) {
        Map<String, Object> error = data == null
                ? Map.of("code", code, "message", message)
                : Map.of("code", code, "message", message, "data", data);
        return FakeMcp.write(Map.of("jsonrpc", "2.0", "error", error));
    }

    private static void respond(HttpExchange x, int status, String json) throws IOException {
        if (json == null) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
    }
}
