package dev.sluice.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A fake MCP server on stdio, run as a child process of the test JVM:
 * {@code FakeStdioMcpServer modern|legacy LOG_FILE}. A modern one answers {@code server/discover};
 * a legacy one refuses it as an unknown method and expects {@code initialize}. Each request is
 * handled on a thread of its own; {@code notifications/cancelled} is written to the log file (and
 * ends a stalled call), {@code die} writes to stderr and exits with code 3.
 */
public final class FakeStdioMcpServer {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        boolean modern = args[0].equals("modern");
        Path log = Path.of(args[1]);
        CountDownLatch cancelled = new CountDownLatch(1);
        System.err.println("fake stdio server starting");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            Map<String, Object> request = FakeMcp.parse(line);
            String method = (String) request.get("method");
            append(log, method.equals("notifications/cancelled") ? "cancelled " + FakeMcp.map(request.get("params")).get("requestId") : method);
            if (method.equals("notifications/cancelled")) cancelled.countDown();
            if (!request.containsKey("id")) continue;
            if (!modern && method.equals("server/discover")) {
                send(Map.of("jsonrpc", "2.0", "id", request.get("id"), "error", Map.of("code", -32601L, "message", "Method not found")));
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    Map<String, Object> response = FakeMcp.handle(request, "fake-stdio", FakeStdioMcpServer::send);
                    if (response != null) {
                        send(response);
                        return;
                    }
                    String tool = (String) FakeMcp.map(request.get("params")).get("name");
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
