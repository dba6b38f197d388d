package dev.sluice.cli;

import static org.awaitility.Awaitility.await;

import dev.sluice.server.suite.NodeClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official MCP reference server, {@code @modelcontextprotocol/server-everything}, as lib/server's
 * lockfile pins it ({@code npm ci} in {@link NodeClients#DIR}), run by the Node.js it pins: a
 * command line for its stdio mode, or its Streamable HTTP mode started on a free loopback port.
 */
public final class Everything {
    /** The server's entry point. */
    public static final Path SERVER =
            NodeClients.DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

    private Everything() {}

    /** {@return the command that runs the server over stdio} */
    public static List<String> stdio() {
        requireInstalled();
        return List.of(NodeClients.node().toString(), SERVER.toString(), "stdio");
    }

    /**
     * {@return {@code sluice … --mcp}'s COMMAND for the server over stdio, through a shell that copies
     * every byte sent to the server into {@code log} first: what the server was asked}
     */
    public static String stdioLogging(Path log) {
        requireInstalled();
        return "sh -c \"tee '" + log + "' | '" + NodeClients.node() + "' '" + SERVER + "' stdio\"";
    }

    /**
     * {@return the server in its Streamable HTTP mode on a free loopback port, once it listens; what
     * it prints (a line per request it receives) goes to a log file}
     */
    public static Http http() throws IOException {
        requireInstalled();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("sluice-everything-", ".log");
        ProcessBuilder pb = new ProcessBuilder(NodeClients.node().toString(), SERVER.toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PORT", String.valueOf(port));
        Http server = new Http(pb.start(), port, log);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return true;
                }
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void requireInstalled() {
        if (!Files.isRegularFile(SERVER))
            throw new IllegalStateException("run `npm ci` in " + NodeClients.DIR + ": no " + SERVER);
    }

    /** The server running over Streamable HTTP; closing it stops the process. */
    public record Http(Process process, int port, Path log) implements AutoCloseable {
        /** {@return its MCP endpoint} */
        public URI uri() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        /** {@return how many POSTs (requests and notifications) the server has received so far} */
        public long posts() throws IOException {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.equals("Received MCP POST request"))
                    .count();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS))
                    process.destroyForcibly().waitFor();
                Files.deleteIfExists(log);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }
}
