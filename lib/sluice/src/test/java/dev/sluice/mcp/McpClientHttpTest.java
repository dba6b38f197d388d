package dev.sluice.mcp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.McpException;
import dev.sluice.mcp.FakeHttpMcpServer.Mode;
import dev.sluice.stream.LogCapture;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpClientHttpTest {
    private FakeHttpMcpServer server;
    private McpClient client;
    /** The fake's invalid tool is left out with a warning at every listing: captured, and nothing else may be warned of. */
    private final LogCapture log = new LogCapture(McpClient.class);

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        log.close();
        assertTrue(
                log.records.stream().allMatch(FakeMcp::badHeaderLeftOut),
                "unexpected warnings: "
                        + log.records.stream()
                                .map(r -> r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()))
                                .toList());
    }

    private McpClient connect(Mode mode, McpClient.Builder builder) throws Exception {
        server = new FakeHttpMcpServer(mode, "fake-http");
        client = builder.http(server.uri(), Map.of("Authorization", "Bearer secret-token"))
                .build();
        return client;
    }

    private McpClient connect(Mode mode) throws Exception {
        return connect(mode, McpClient.builder());
    }

    private static McpTool tool(McpClient client, String name) {
        return client.tools().stream()
                .filter(t -> t.modelName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String call(McpClient client, String name, Map<String, Object> arguments, RecordingProgress context)
            throws Exception {
        return context.call(tool(client, name), arguments);
    }

    @Test
    void http_statelessServer_connectsWithDiscoverAndNoSession() throws Exception {
        connect(Mode.STATELESS);
        assertTrue(client.modern());
        assertEquals("fake-http", client.name());
        assertEquals(FakeMcp.INSTRUCTIONS, client.instructions().orElseThrow());
        assertEquals(List.of("server/discover"), server.log);
        Map<String, List<String>> h = server.headers.get(0);
        assertEquals(List.of("2026-07-28"), h.get("Mcp-protocol-version"));
        assertEquals(List.of("server/discover"), h.get("Mcp-method"));
        assertEquals(List.of("Bearer secret-token"), h.get("Authorization"));
    }

    @Test
    void tools_pagedList_allToolsWithMappedNames() throws Exception {
        connect(Mode.STATELESS);
        List<String> names = client.tools().stream().map(McpTool::modelName).toList();
        assertEquals(
                List.of("echo", "add", "steps", "fail", "broken", "media", "stall", "die", "dotted_name", "region"),
                names);
        assertEquals(6, server.log.stream().filter("tools/list"::equals).count());
        assertEquals("the echo tool", tool(client, "echo").description());
        assertEquals("object", tool(client, "echo").inputSchema().get("type"));
        assertEquals("dotted", call(client, "dotted_name", Map.of(), new RecordingProgress()));
        assertEquals("fake-http", tool(client, "echo").server());
        assertEquals("dotted.name", tool(client, "dotted_name").name());
    }

    @Test
    void call_serverClosesTheConnectionWithoutAByteOfAnAnswer_sentOnceMoreAndAnswered() throws Exception {
        connect(Mode.STATELESS);
        server.unanswered.set(1); // as a kept-alive connection the server closed just as the request went out
        assertEquals("Echo: hi", call(client, "echo", Map.of("message", "hi"), new RecordingProgress()));
        assertEquals(List.of("unanswered", "tools/call"), server.log.subList(server.log.size() - 2, server.log.size()));
        server.unanswered.set(2); // twice: the client does not go on trying
        McpException e = assertThrows(
                McpException.class, () -> call(client, "echo", Map.of("message", "hi"), new RecordingProgress()));
        assertTrue(e.getMessage().contains("closed the connection without answering"), e.getMessage());
    }

    @Test
    void call_xMcpHeaderParameter_mirroredIntoItsHeader() throws Exception {
        connect(Mode.STATELESS);
        assertEquals(
                "ran in Zürich",
                call(client, "region", Map.of("region", "Zürich", "query", "q"), new RecordingProgress()));
        Map<String, List<String>> last = server.headers.get(server.headers.size() - 1);
        assertEquals(List.of("=?base64?WsO8cmljaA==?="), last.get("Mcp-param-region"));
    }

    @Test
    void call_textAndStructuredContent_mappedToText() throws Exception {
        connect(Mode.STATELESS);
        assertEquals("Echo: hi", call(client, "echo", Map.of("message", "hi"), new RecordingProgress()));
        assertEquals(
                "The sum is 5\n{\"sum\":5}", call(client, "add", Map.of("a", 2L, "b", 3L), new RecordingProgress()));
        assertEquals(
                "[image: image/png, 10 bytes]\nhello\n[resource: file:///b.bin, application/octet-stream, 7 bytes]",
                call(client, "media", Map.of(), new RecordingProgress()));
        Map<String, List<String>> last = server.headers.get(server.headers.size() - 1);
        assertEquals(List.of("tools/call"), last.get("Mcp-method"));
        assertEquals(List.of("media"), last.get("Mcp-name"));
    }

    @Test
    void call_progressNotifications_reachTheListenerWithTotal() throws Exception {
        connect(Mode.STATELESS);
        RecordingProgress context = new RecordingProgress();
        assertEquals("done after 3 steps", call(client, "steps", Map.of("steps", 3L), context));
        assertEquals(List.of("step 1 1/3", "step 2 2/3", "step 3 3/3"), context.reports);
    }

    @Test
    void call_progressResetsTheProgressTimeout_callOutlivesIt() throws Exception {
        connect(Mode.STATELESS, McpClient.builder().progressTimeout(Duration.ofMillis(600)));
        RecordingProgress context = new RecordingProgress();
        assertEquals("done after 6 steps", call(client, "steps", Map.of("steps", 6L, "delayMs", 200L), context));
        assertEquals(6, context.reports.size());
    }

    @Test
    void call_pastCallTimeout_failsWithTimeoutDespiteProgress() throws Exception {
        connect(
                Mode.STATELESS,
                McpClient.builder().progressTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofMillis(500)));
        McpException e = assertThrows(
                McpException.class,
                () -> call(client, "steps", Map.of("steps", 50L, "delayMs", 100L), new RecordingProgress()));
        assertEquals(McpException.Kind.TIMEOUT, e.kind());
        assertEquals(
                "tool 'steps' of MCP server 'fake-http' did not finish within 500 ms; the call was cancelled",
                e.getMessage());
    }

    @Test
    void call_stalledTool_timesOutAndClosesTheStream() throws Exception {
        connect(Mode.STATELESS, McpClient.builder().progressTimeout(Duration.ofMillis(300)));
        McpException e =
                assertThrows(McpException.class, () -> call(client, "stall", Map.of(), new RecordingProgress()));
        assertEquals(McpException.Kind.TIMEOUT, e.kind());
        assertEquals(
                "tool 'stall' of MCP server 'fake-http' sent no progress and no result for 300 ms; the call was cancelled",
                e.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.contains("stream closed"));
        assertFalse(server.log.stream().anyMatch(l -> l.startsWith("cancelled")), server.log.toString());
    }

    @Test
    void call_cancelSignal_closesTheStream() throws Exception {
        connect(Mode.STATELESS);
        RecordingProgress context = new RecordingProgress();
        McpTool stall = tool(client, "stall");
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            try {
                return context.call(stall, Map.of());
            } catch (Exception e) {
                return e.getMessage();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.contains("tools/call"));
        context.cancelled = true;
        assertEquals("the call of tool 'stall' of MCP server 'fake-http' was cancelled", call.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.contains("stream closed"));
    }

    @Test
    void call_isErrorAndJsonRpcError_throwWithServerAndTool() throws Exception {
        connect(Mode.STATELESS);
        McpException fail =
                assertThrows(McpException.class, () -> call(client, "fail", Map.of(), new RecordingProgress()));
        assertEquals(McpException.Kind.TOOL_ERROR, fail.kind());
        assertEquals("tool 'fail' of MCP server 'fake-http' failed: disk full", fail.getMessage());
        McpException broken =
                assertThrows(McpException.class, () -> call(client, "broken", Map.of(), new RecordingProgress()));
        assertEquals(McpException.Kind.ERROR, broken.kind());
        assertEquals(
                "MCP server 'fake-http' answered the call of tool 'broken' with an error: the tool crashed (code -32603)",
                broken.getMessage());
        assertEquals("broken", broken.tool().orElseThrow());
    }

    @Test
    void call_serverDropsTheStreamMidCall_failsAsUnavailable() throws Exception {
        connect(Mode.STATELESS);
        RecordingProgress context = new RecordingProgress();
        McpException e = assertThrows(McpException.class, () -> call(client, "die", Map.of(), context));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(
                e.getMessage().startsWith("MCP server 'fake-http' failed during the call of tool 'die': "),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret-token"));
    }

    @Test
    void http_sessionOnlyServer_fallsBackToInitializeAndSession() throws Exception {
        connect(Mode.SESSION);
        assertFalse(client.modern());
        assertEquals(FakeMcp.INSTRUCTIONS, client.instructions().orElseThrow());
        assertEquals(List.of("server/discover", "initialize", "notifications/initialized"), server.log);
        assertEquals(List.of("session-1"), server.headers.get(2).get("Mcp-session-id"));
        RecordingProgress context = new RecordingProgress();
        assertEquals("done after 2 steps", call(client, "steps", Map.of("steps", 2L), context));
        assertEquals(List.of("step 1 1/2", "step 2 2/2"), context.reports);
        assertEquals(
                List.of("2025-11-25"),
                server.headers.get(server.headers.size() - 1).get("Mcp-protocol-version"));
    }

    @Test
    void http_sessionExpired_reinitializesAndRetries() throws Exception {
        connect(Mode.SESSION);
        List<McpTool> tools = client.tools();
        server.expireSession();
        assertEquals("Echo: again", new RecordingProgress().call(tools.get(0), Map.of("message", "again")));
        assertEquals(
                List.of("session-2"),
                server.headers.get(server.headers.size() - 1).get("Mcp-session-id"));
        server.expireSession();
        assertEquals(11, client.tools().size()); // a legacy session mirrors no parameters: none left out
        assertEquals(3, server.log.stream().filter("initialize"::equals).count());
    }

    @Test
    void http_sessionServer_cancelSendsNotificationAndCloseDeletesTheSession() throws Exception {
        connect(Mode.SESSION, McpClient.builder().progressTimeout(Duration.ofMillis(300)));
        McpException e =
                assertThrows(McpException.class, () -> call(client, "stall", Map.of(), new RecordingProgress()));
        assertEquals(McpException.Kind.TIMEOUT, e.kind());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.log.stream().anyMatch(l -> l.startsWith("cancelled ")));
        client.close();
        assertTrue(server.log.contains("delete"), server.log.toString());
    }

    @Test
    void call_sseEventLongerThanTheClientReads_failsSayingSoAndTheClientGoesOn() throws Exception {
        connect(Mode.STATELESS, McpClient.builder().maxResultChars(1024)); // messages read up to 68 KiB
        McpException e = assertThrows(
                McpException.class,
                () -> call(client, "echo", Map.of("message", "z".repeat(100_000)), new RecordingProgress()));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(
                e.getMessage()
                        .contains("sent a response longer than the 69632 bytes this client reads of a message"
                                + " (4 × maxResultChars + 64 KiB: a larger maxResultChars"),
                e.getMessage());
        assertEquals("Echo: short", call(client, "echo", Map.of("message", "short"), new RecordingProgress()));
    }

    /**
     * A question longer than the client reads, on the call's own SSE stream, is not dropped in
     * silence: the server gets an error for it, the call fails at once naming the bound (not after
     * its cap), the log says so, and the person is not asked.
     */
    @Test
    void call_questionOnTheStreamLongerThanTheClientReads_refusedLoggedAndTheCallFailsAtOnce() throws Exception {
        connect(Mode.STATELESS, McpClient.builder().maxResultChars(2000)); // messages read up to 72 KiB
        AtomicLong asked = new AtomicLong();
        McpTool bigask =
                new McpTool(client, "bigask", "bigask", "", Map.of("type", "object"), ParamHeaders.NONE, false);
        try (LogCapture transport = new LogCapture(StreamableHttp.class)) {
            McpException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(
                            McpException.class,
                            () -> bigask.call(
                                    Map.of("chars", 200_000L), ProgressListener.NONE, () -> false, request -> {
                                        asked.incrementAndGet();
                                        return Optional.of(Map.<String, Object>of());
                                    })));
            assertTrue(
                    e.getMessage()
                            .contains("sent a request (elicitation/create) longer than the 73536 bytes this client"
                                    + " reads of a message (4 × maxResultChars + 64 KiB"),
                    e.getMessage());
            assertEquals(0, asked.get());
            assertTrue(
                    transport.records.stream()
                            .anyMatch(r -> r.getLevel() == java.util.logging.Level.WARNING
                                    && r.getMessage().contains("longer than the 73536 bytes")
                                    && r.getMessage().contains("it was refused")),
                    "logged");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.log.contains("answer 900 error"));
    }

    /**
     * A question longer than the client reads on the session's GET stream, the task it concerns
     * not in the part read: refused, logged, and the task's call (every call watching that stream)
     * fails at once naming the bound rather than waiting out its cap; its task is cancelled.
     */
    @Test
    void task_questionOnTheGetStreamLongerThanTheClientReads_refusedLoggedAndTheCallFailsAtOnce() throws Exception {
        connect(Mode.SESSION, McpClient.builder().maxResultChars(2000)); // messages read up to 72 KiB
        McpTool bigtask =
                new McpTool(client, "bigtask", "bigtask", "", Map.of("type", "object"), ParamHeaders.NONE, true);
        try (LogCapture transport = new LogCapture(StreamableHttp.class)) {
            McpException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(
                            McpException.class,
                            () -> bigtask.call(Map.of(), ProgressListener.NONE, () -> false, InputHandler.NONE)));
            assertTrue(
                    e.getMessage()
                            .contains("sent a request (elicitation/create) longer than the 73536 bytes this client"
                                    + " reads of a message (4 × maxResultChars + 64 KiB"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("its task was cancelled"), e.getMessage());
            assertTrue(
                    transport.records.stream()
                            .anyMatch(r -> r.getLevel() == java.util.logging.Level.WARNING
                                    && r.getMessage().contains("longer than the 73536 bytes")
                                    && r.getMessage().contains("GET stream: 1 call(s) waiting on it failed")),
                    "logged");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.log.contains("answer 901 error") && server.log.contains("task cancelled task-1"));
    }

    @Test
    void http_nothingListening_failsAsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        McpException e = assertThrows(
                McpException.class,
                () -> McpClient.http(
                        URI.create("http://admin:hunter22@127.0.0.1:" + port + "/mcp?access_token=tok-0123456789#x")));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertEquals(
                "MCP server '127.0.0.1:" + port + "' is unavailable: could not connect to 127.0.0.1:" + port
                        + " (connection refused) (http://127.0.0.1:" + port + "/mcp?…)",
                e.getMessage());
    }

    @Test
    void builder_badArguments_refusedWithTheirNames() {
        assertThrows(IllegalArgumentException.class, () -> McpClient.builder().http(URI.create("ftp://x/mcp")));
        IllegalArgumentException h = assertThrows(
                IllegalArgumentException.class,
                () -> McpClient.builder().http(URI.create("http://x/mcp"), Map.of("Mcp-Session-Id", "s")));
        assertEquals("header 'Mcp-Session-Id' is set by the client itself; leave it out", h.getMessage());
        assertThrows(IllegalArgumentException.class, () -> McpClient.builder().progressTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> McpClient.builder().stdio(List.of()));
        assertEquals(
                "no server given: call http(URI) or stdio(List) first",
                assertThrows(
                                IllegalStateException.class,
                                () -> McpClient.builder().build())
                        .getMessage());
    }
}
