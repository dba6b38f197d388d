package dev.sluice.mcp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.McpException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpClientStdioTest {
    @TempDir
    Path dir;
    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) client.close();
    }

    /** {@return the command that runs the fake stdio server with the test JVM's java} */
    private List<String> command(String era) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(FakeStdioMcpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(McpClient.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(JsonFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ArrayList<>(List.of(java, "-cp", classes, FakeStdioMcpServer.class.getName(), era, log().toString()));
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    private List<String> logged() throws Exception {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    private McpTool tool(String name) {
        return client.tools().stream().filter(t -> t.modelName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void stdio_modernServer_discoversAndCallsWithProgress() throws Exception {
        client = McpClient.stdio(command("modern"));
        assertTrue(client.modern());
        assertEquals("fake-stdio", client.name());
        assertEquals(FakeMcp.INSTRUCTIONS, client.instructions().orElseThrow());
        RecordingProgress context = new RecordingProgress();
        assertEquals("done after 4 steps", context.call(tool("steps"), Map.of("steps", 4L)));
        assertEquals(List.of("step 1 1/4", "step 2 2/4", "step 3 3/4", "step 4 4/4"), context.reports);
        assertEquals("Echo: hé", new RecordingProgress().call(tool("echo"), Map.of("message", "hé")));
        assertFalse(logged().contains("initialize"));
    }

    @Test
    void stdio_legacyServer_fallsBackToInitialize() throws Exception {
        client = McpClient.builder().name("legacy").stdio(command("legacy")).build();
        assertFalse(client.modern());
        assertEquals("legacy", client.name());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> logged().equals(List.of("server/discover", "initialize", "notifications/initialized")));
        assertEquals("Echo: x", new RecordingProgress().call(tool("echo"), Map.of("message", "x")));
    }

    @Test
    void call_serverExitsMidCall_failsWithExitCodeAndStderr() throws Exception {
        client = McpClient.builder().name("dying").stdio(command("modern")).build();
        McpException e = assertThrows(McpException.class, () -> new RecordingProgress().call(tool("die"), Map.of()));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("MCP server 'dying' failed during the call of tool 'die': the server process exited with code 3"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("its stderr ends: fake stdio server starting\nfatal: out of cheese"), e.getMessage());
    }

    @Test
    void call_cancelled_sendsNotificationsCancelled() throws Exception {
        client = McpClient.stdio(command("modern"));
        RecordingProgress context = new RecordingProgress();
        McpTool stall = tool("stall");
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            try {
                return context.call(stall, Map.of());
            } catch (Exception e) {
                return e.getMessage();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("tools/call"));
        context.cancelled = true;
        assertEquals("the call of tool 'stall' of MCP server 'fake-stdio' was cancelled", call.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_callerInterrupted_cancelsAndKeepsTheInterrupt() throws Exception {
        client = McpClient.stdio(command("modern"));
        McpTool stall = tool("stall");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(stall.call(Map.of(), ProgressListener.NONE));
            } catch (McpException e) {
                outcome.complete(e.kind() + " " + e.getMessage() + " interrupted=" + Thread.currentThread().isInterrupted());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> logged().contains("tools/call"));
        caller.interrupt();
        assertEquals("CANCELLED the call of tool 'stall' of MCP server 'fake-stdio' was cancelled interrupted=true", outcome.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_listenerThrows_theFailureReachesTheCallerAndTheCallIsCancelled() throws Exception {
        client = McpClient.stdio(command("modern"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tool("steps").call(Map.of("steps", 4L, "delayMs", 2000L),
                (message, progress, total) -> {
                    throw new IllegalStateException("listener failed at " + message);
                }));
        assertEquals("listener failed at step 1", e.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void call_stalled_timesOutAndNotifies() throws Exception {
        client = McpClient.builder().stdio(command("legacy")).progressTimeout(Duration.ofMillis(400)).build();
        McpException e = assertThrows(McpException.class, () -> new RecordingProgress().call(tool("stall"), Map.of()));
        assertEquals(McpException.Kind.TIMEOUT, e.kind());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(l -> l.startsWith("cancelled ")));
    }

    @Test
    void close_endsTheProcess() throws Exception {
        client = McpClient.stdio(command("modern"));
        Process process = ((StdioProcess) transport(client)).process();
        client.close();
        assertFalse(process.isAlive());
        assertTrue(logged().contains("stdin closed"), logged().toString());
        McpException e = assertThrows(McpException.class, () -> client.tools());
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void stdio_noSuchProgram_failsAsUnavailable() {
        McpException e = assertThrows(McpException.class, () -> McpClient.stdio(List.of(dir.resolve("no-such-server").toString())));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("MCP server 'no-such-server' could not be started"), e.getMessage());
    }

    private static Transport transport(McpClient client) throws Exception {
        var f = McpClient.class.getDeclaredField("session");
        f.setAccessible(true);
        var s = f.get(client);
        var t = McpSession.class.getDeclaredField("transport");
        t.setAccessible(true);
        return (Transport) t.get(s);
    }
}
