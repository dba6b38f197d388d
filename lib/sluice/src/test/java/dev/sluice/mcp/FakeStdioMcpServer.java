package dev.sluice.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A fake MCP server on stdio, run as a child process of the test JVM:
 * {@code FakeStdioMcpServer modern|legacy LOG_FILE}. A modern one answers {@code server/discover};
 * a legacy one refuses it as an unknown method and expects {@code initialize}. Each request is
 * handled on a thread of its own; {@code notifications/cancelled} is written to the log file (and
 * ends a stalled call), {@code die} writes to stderr and exits with code 3. Tools of its own (called
 * by name, not listed): {@code env} (its variables' names), {@code crash} (dumps its environment to
 * stderr and exits), {@code leak} (a secret of its environment in a progress message and a result),
 * {@code bigask} (a question, {@code elicitation/create}, of {@code chars} characters; then it waits
 * for the call's cancel; the client's answers to its requests are logged as {@code answer ID}),
 * {@code big} (a result of {@code chars} characters), {@code pid}.
 */
public final class FakeStdioMcpServer {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        boolean modern = args[0].equals("modern");
        Path log = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) append(log, "argument " + args[i]); // what it was started with
        CountDownLatch cancelled = new CountDownLatch(1);
        System.err.println("fake stdio server starting");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            Map<String, Object> request = FakeMcp.parse(line);
            String method = (String) request.get("method");
            if (method == null) { // the client's answer to a request of this server's
                append(log, "answer " + request.get("id") + (request.containsKey("error") ? " error" : " result"));
                continue;
            }
            append(
                    log,
                    method.equals("notifications/cancelled")
                            ? "cancelled " + FakeMcp.map(request.get("params")).get("requestId")
                            : method);
            if (method.equals("notifications/cancelled")) cancelled.countDown();
            if (!request.containsKey("id")) continue;
            if (!modern && method.equals("server/discover")) {
                send(Map.of(
                        "jsonrpc",
                        "2.0",
                        "id",
                        request.get("id"),
                        "error",
                        Map.of("code", -32601L, "message", "Method not found")));
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    Map<String, Object> response = FakeMcp.handle(request, "fake-stdio", FakeStdioMcpServer::send);
                    if (response != null) {
                        send(response);
                        return;
                    }
                    Map<String, Object> params = FakeMcp.map(request.get("params"));
                    String tool = (String) params.get("name");
                    Map<String, Object> arguments = FakeMcp.map(params.get("arguments"));
                    switch (tool) {
                        case "env" -> { // the names of its environment's variables, one a line, and the value of the
                            // one asked for
                            String names = String.join(
                                    "\n",
                                    new java.util.TreeSet<>(System.getenv().keySet()));
                            String asked =
                                    arguments.get("show") instanceof String n ? "\n" + n + "=" + System.getenv(n) : "";
                            send(FakeMcp.result(request, Map.of("content", List.of(FakeMcp.text(names + asked)))));
                            return;
                        }
                        case "bigask" -> { // asks a question of this many characters, then waits to be cancelled
                            String json = "{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"elicitation/create\","
                                    + "\"params\":{\"message\":\""
                                    + "?".repeat(((Long) arguments.get("chars")).intValue())
                                    + "\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{}}}}";
                            synchronized (FakeStdioMcpServer.class) {
                                OUT.print(json + "\n");
                                OUT.flush();
                            }
                            cancelled.await(60, java.util.concurrent.TimeUnit.SECONDS);
                            send(FakeMcp.result(request, Map.of("content", List.of(FakeMcp.text("too late")))));
                            return;
                        }
                        case "crash" -> { // dumps its environment and a URL with credentials to stderr, and exits
                            System.getenv().forEach((k, v) -> System.err.println(k + "=" + v));
                            System.err.println("fatal: config FAKE_API_KEY=" + System.getenv("FAKE_API_KEY"));
                            System.err.println(
                                    "upstream https://admin:hunter22@mcp.internal.example:8443/v1?access_token=tok-0123456789 refused");
                            System.err.flush();
                            System.exit(3);
                        }
                        case "leak" -> { // progress and a result that name a secret of its environment and a URL with a
                            // token
                            String secret = System.getenv((String) arguments.get("variable"));
                            Map<String, Object> p = new java.util.LinkedHashMap<>();
                            p.put(
                                    "progressToken",
                                    FakeMcp.map(params.get("_meta")).get("progressToken"));
                            p.put("progress", 1L);
                            p.put("message", "using " + secret + " at https://h.example/x?access_token=tok-0123456789");
                            send(Map.of("jsonrpc", "2.0", "method", "notifications/progress", "params", p));
                            send(
                                    FakeMcp.result(
                                            request,
                                            Map.of(
                                                    "content",
                                                    List.of(
                                                            FakeMcp.text(
                                                                    "the key is " + secret
                                                                            + "; see https://user:pw123456@h.example/doc?sig=abcdef123456#frag.")))));
                            return;
                        }
                        case "big" -> { // a text result of this many characters, written as the TypeScript SDK does:
                            // result first, id last
                            String text = "x".repeat(((Long) arguments.get("chars")).intValue());
                            String json = "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text
                                    + "\"}]},\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + "}";
                            synchronized (FakeStdioMcpServer.class) {
                                OUT.print(json + "\n");
                                OUT.flush();
                            }
                            return;
                        }
                        case "noid" -> { // a response that answers nothing (no id), then the call's own
                            synchronized (FakeStdioMcpServer.class) {
                                OUT.print(
                                        "{\"jsonrpc\":\"2.0\",\"result\":{}}\n{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"x\"},\"id\":null}\n");
                                OUT.flush();
                            }
                            send(FakeMcp.result(request, Map.of("content", List.of(FakeMcp.text("answered")))));
                            return;
                        }
                        case "pid" -> {
                            send(FakeMcp.result(
                                    request,
                                    Map.of(
                                            "content",
                                            List.of(FakeMcp.text(String.valueOf(
                                                    ProcessHandle.current().pid()))))));
                            return;
                        }
                        default -> {}
                    }
                    if (tool.equals("die")) {
                        System.err.println("fatal: out of cheese");
                        System.err.flush();
                        System.exit(3);
                    }
                    cancelled.await(); // stall
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        append(log, "stdin closed");
    }

    private static synchronized void send(Map<String, Object> message) {
        OUT.print(FakeMcp.write(message) + "\n");
        OUT.flush();
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
