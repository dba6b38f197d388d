package dev.sluice.mcp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.McpException;
import dev.sluice.stream.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MCP Tasks in the shape of the 2026-07-28 extension {@code io.modelcontextprotocol/tasks}
 * (SEP-2663), against a scripted server ({@link FakeTasksMcpServer}).
 */
class McpTasksExtensionTest {
    private FakeTasksMcpServer server;
    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private McpTool tool(boolean advertises, String name) throws Exception {
        server = new FakeTasksMcpServer(advertises);
        client = McpClient.http(server.uri());
        return client.tools().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** A listener that records the statuses, and the questions it was asked. */
    private static final class Recorder implements ProgressListener, InputHandler {
        final List<String> statuses = new CopyOnWriteArrayList<>();
        final List<InputRequest> asked = new CopyOnWriteArrayList<>();
        volatile boolean cancelled;

        @Override
        public void progress(String message, double progress, Double total) {}

        @Override
        public void status(String message) {
            statuses.add(message);
        }

        @Override
        public Optional<Map<String, Object>> answer(InputRequest request) {
            asked.add(request);
            return Optional.of(Map.of("interpretation", "programming"));
        }
    }

    @Test
    void call_extensionNegotiated_statusesInOrderTheQuestionAnsweredThroughTasksUpdateAndTheInlineResult()
            throws Exception {
        McpTool research = tool(true, "research");
        Recorder r = new Recorder();
        String result = research.call(Map.of(), r, () -> r.cancelled, r);
        assertEquals("Report on python (programming)", result);
        assertEquals(
                List.of(
                        "Gathering sources",
                        "Analyzing content",
                        "Which python?",
                        "Continuing with: programming",
                        "Report ready"),
                r.statuses);
        assertEquals(1, r.asked.size(), "the question the server repeats is asked once");
        InputRequest q = r.asked.getFirst();
        assertEquals("Which python do you mean?", q.message());
        assertEquals(List.of("interpretation"), q.fields());
        Map<?, ?> field = (Map<?, ?>) ((Map<?, ?>) q.schema().get("properties")).get("interpretation");
        assertEquals(List.of("programming", "snake"), field.get("enum"));
        assertTrue(
                server.log.stream()
                        .anyMatch(l -> l.matches("update \\S+ \\{\"clarify\":\\{\"action\":\"accept\",\"content\":"
                                + "\\{\"interpretation\":\"programming\"}}}")),
                server.log.toString());
        assertFalse(server.log.contains("tasks/result"), server.log.toString());
        assertFalse(server.log.contains("tasks/list"), server.log.toString());
        assertEquals(
                Map.of(TaskCall.EXTENSION, Map.of()),
                server.callCapabilities.getFirst().get("extensions"),
                "the call declares the extension the server advertised");
        String taskId = server.log.stream()
                .filter(l -> l.startsWith("update "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        assertTrue(server.names.stream().allMatch(n -> n.endsWith(" " + taskId)), server.names.toString());
    }

    /**
     * Polls follow the server's interval ({@code pollIntervalMs}), never closer than 100 ms (the
     * research task asks for 20 ms); without an interval they back off, doubling from 250 ms while
     * the status stays the same. Lower bounds only, with room for the requests' own latencies: a
     * loaded machine polls later, never sooner.
     */
    @Test
    void poll_followsTheServersIntervalWithAFloor_andWithoutOneBacksOffDoubling() throws Exception {
        McpTool research = tool(true, "research");
        Recorder r = new Recorder();
        research.call(Map.of(), r, () -> false, r);
        assertGapsAtLeast(List.of(100L, 100L, 100L), "the floor under the server's 20 ms");
        for (Map.Entry<String, List<Long>> tool : Map.of(
                        "hinted", List.of(300L, 300L), "unhinted", List.of(500L, 1000L))
                .entrySet()) {
            server.polls.clear();
            McpTool t = client.tools().stream()
                    .filter(x -> x.name().equals(tool.getKey()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("Report on python (null)", t.call(Map.of(), r, () -> false, r));
            assertEquals(3, server.polls.size(), tool.getKey());
            assertGapsAtLeast(tool.getValue(), tool.getKey());
        }
    }

    /**
     * The poll schedule's caps, read off the schedule itself rather than waited for: the server's
     * interval kept within 100 ms and 60 s (an hour's hint polls every minute); without one, 250 ms
     * doubling while nothing changes, never past 5 s, and 250 ms again once something changed.
     */
    @Test
    void pollDelay_theServersIntervalWithin100MsAnd60s_theBackOffDoublesTo5sAndStartsAgainOnAChange() {
        assertEquals(100, TaskCall.pollDelay(20L, 250, false));
        assertEquals(100, TaskCall.pollDelay(-5L, 250, false));
        assertEquals(300, TaskCall.pollDelay(300L, 4_000, true));
        assertEquals(60_000, TaskCall.pollDelay(60_000L, 250, false));
        assertEquals(60_000, TaskCall.pollDelay(3_600_000L, 250, false));
        assertEquals(60_000, TaskCall.pollDelay(Long.MAX_VALUE, 250, false));
        List<Long> waits = new ArrayList<>();
        long wait = 250;
        for (int i = 0; i < 8; i++) waits.add(wait = TaskCall.pollDelay(null, wait, false));
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 5_000L, 5_000L, 5_000L, 5_000L), waits);
        assertEquals(250, TaskCall.pollDelay(null, 5_000, true));
        assertEquals(250, TaskCall.pollDelay(null, 250, true));
    }

    /** Checks that the polls recorded came at least these many milliseconds apart, less 20 % for latency. */
    private void assertGapsAtLeast(List<Long> millis, String what) {
        List<Long> at = List.copyOf(server.polls);
        assertTrue(at.size() > millis.size(), what + ": " + at.size() + " polls");
        for (int i = 0; i < millis.size(); i++) {
            long gap = (at.get(i + 1) - at.get(i)) / 1_000_000;
            assertTrue(
                    gap >= millis.get(i) * 8 / 10,
                    what + ": poll " + (i + 2) + " came " + gap + " ms after the one before");
        }
    }

    /**
     * A poll's answer longer than the client reads, on an SSE stream, is not taken for a dropped
     * connection and asked again until the progress timeout: the call fails at once naming the
     * bound, the log says so, and the task is cancelled.
     */
    @Test
    void call_pollAnswerLongerThanTheClientReads_failsAtOnceSayingSoAndCancelsTheTask() throws Exception {
        server = new FakeTasksMcpServer(true);
        client = McpClient.builder()
                .http(server.uri(), Map.of())
                .maxResultChars(2000) // messages read up to 72 KiB
                .build();
        McpTool huge = client.tools().stream()
                .filter(t -> t.name().equals("huge"))
                .findFirst()
                .orElseThrow();
        Recorder r = new Recorder();
        try (LogCapture log = new LogCapture(StreamableHttp.class)) {
            McpException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(McpException.class, () -> huge.call(Map.of(), r, () -> r.cancelled, r)));
            assertTrue(
                    e.getMessage()
                            .contains("sent a response longer than the 73536 bytes this client reads of a message"
                                    + " (4 × maxResultChars + 64 KiB"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("its task was cancelled"), e.getMessage());
            assertTrue(
                    log.records.stream()
                            .anyMatch(x -> x.getLevel() == java.util.logging.Level.WARNING
                                    && x.getMessage().contains("longer than the 73536 bytes")),
                    "logged");
        }
        assertEquals(1, server.polls.size(), "not asked again");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.log.stream().anyMatch(l -> l.startsWith("cancel ")));
    }

    @Test
    void call_serverWithoutTheExtension_noExtensionDeclaredAndAPlainResult() throws Exception {
        McpTool research = tool(false, "research");
        Recorder r = new Recorder();
        assertEquals("research ran without a task", research.call(Map.of(), r, () -> false, r));
        assertFalse(server.callCapabilities.getFirst().containsKey("extensions"));
        assertTrue(r.statuses.isEmpty());
        assertFalse(server.log.stream().anyMatch(l -> l.startsWith("tasks/")), server.log.toString());
    }

    @Test
    void call_taskFails_aToolErrorWithTheServersError() throws Exception {
        McpTool fails = tool(true, "fails");
        Recorder r = new Recorder();
        McpException e = assertThrows(McpException.class, () -> fails.call(Map.of(), r, () -> false, r));
        assertEquals(McpException.Kind.TOOL_ERROR, e.kind());
        assertEquals(
                "tool 'fails' of MCP server 'fake-tasks' failed: API rate limit exceeded (code -32603)",
                e.getMessage());
    }

    @Test
    void call_serverCancelsTheTask_aToolErrorSayingSo() throws Exception {
        McpTool dropped = tool(true, "dropped");
        Recorder r = new Recorder();
        McpException e = assertThrows(McpException.class, () -> dropped.call(Map.of(), r, () -> false, r));
        assertEquals(McpException.Kind.TOOL_ERROR, e.kind());
        assertEquals(
                "the task of tool 'dropped' was cancelled by MCP server 'fake-tasks': The operator stopped it",
                e.getMessage());
    }

    @Test
    void call_cancelledWhileTheTaskWorks_tasksCancelWithinASecond() throws Exception {
        McpTool endless = tool(true, "endless");
        Recorder r = new Recorder();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                endless.call(Map.of(), r, () -> r.cancelled, r);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> r.statuses.contains("Still working"));
        long at = System.nanoTime();
        r.cancelled = true;
        await().atMost(Duration.ofSeconds(1)).until(() -> server.log.stream().anyMatch(l -> l.startsWith("cancel ")));
        assertTrue(System.nanoTime() - at < 1_000_000_000L);
        McpException e = (McpException) failure.get();
        assertEquals(McpException.Kind.CANCELLED, e.kind());
    }

    /**
     * A run cancelled while its tool works closes its MCP clients as its tool's thread is being
     * interrupted: the close sends the task's cancel itself, so that it is out before the
     * transport ends, and the call's own cancel is not sent a second time.
     */
    @Test
    void close_whileATaskWorks_tasksCancelSentOnceBeforeTheSessionEnds() throws Exception {
        McpTool endless = tool(true, "endless");
        Recorder r = new Recorder();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                endless.call(Map.of(), r, () -> r.cancelled, r);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> r.statuses.contains("Still working"));
        client.close();
        await().atMost(Duration.ofSeconds(1)).until(() -> server.log.stream().anyMatch(l -> l.startsWith("cancel ")));
        assertTrue(failure.get() instanceof McpException, String.valueOf(failure.get()));
        r.cancelled = true; // the call's own cancel, after the close's
        assertEquals(1, server.log.stream().filter(l -> l.startsWith("cancel ")).count(), server.log.toString());
    }

    @Test
    void call_questionWithNoOneToAsk_theTaskIsCancelledAndTheErrorSaysWhy() throws Exception {
        McpTool research = tool(true, "research");
        Recorder r = new Recorder();
        McpException e =
                assertThrows(McpException.class, () -> research.call(Map.of(), r, () -> false, InputHandler.NONE));
        assertEquals(McpException.Kind.TOOL_ERROR, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith("tool 'research' of MCP server 'fake-tasks' asked for input ('Which python do you"
                                + " mean?') and no one can answer it here"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; its task was cancelled"), e.getMessage());
        await().atMost(Duration.ofSeconds(1)).until(() -> server.log.stream().anyMatch(l -> l.startsWith("cancel ")));
        assertFalse(server.log.stream().anyMatch(l -> l.startsWith("update ")), server.log.toString());
    }

    /**
     * A call whose caller stops right after the task was created (a relay node that died): the
     * handle it was given is followed by another client of the server to the task's end — the
     * statuses, the question asked once, the result — with no second tools/call and no cancel.
     */
    @Test
    void follow_handleOfACallThatStopped_anotherClientFollowsTheTaskToItsResult() throws Exception {
        McpTool research = tool(true, "research");
        List<String> handles = new CopyOnWriteArrayList<>();
        ProgressListener dies = new ProgressListener() {
            @Override
            public void progress(String message, double progress, Double total) {}

            @Override
            public void task(String taskId) {
                handles.add(taskId);
                throw new IllegalStateException("the node stopped");
            }
        };
        assertThrows(IllegalStateException.class, () -> research.call(Map.of(), dies, () -> false, InputHandler.NONE));
        assertEquals(1, handles.size());
        try (McpClient other = McpClient.http(server.uri())) {
            McpTool same = other.tools().stream()
                    .filter(t -> t.name().equals("research"))
                    .findFirst()
                    .orElseThrow();
            Recorder r = new Recorder();
            assertEquals("Report on python (programming)", same.follow(handles.getFirst(), r, () -> false, r));
            assertEquals(
                    List.of("Analyzing content", "Which python?", "Continuing with: programming", "Report ready"),
                    r.statuses);
            assertEquals(1, r.asked.size());
        }
        assertEquals(1, server.log.stream().filter("tools/call"::equals).count(), server.log.toString());
        assertFalse(server.log.stream().anyMatch(l -> l.startsWith("cancel ")), server.log.toString());
    }

    @Test
    void follow_taskTheServerDoesNotKnow_unavailableSayingItCannotBeFollowedFromHere() throws Exception {
        McpTool research = tool(true, "research");
        McpException e = assertThrows(
                McpException.class,
                () -> research.follow("no-such-task", ProgressListener.NONE, () -> false, InputHandler.NONE));
        assertEquals(McpException.Kind.UNAVAILABLE, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith("the task of tool 'research' cannot be followed from here: MCP server 'fake-tasks'"
                                + " does not give it to this client (MCP server 'fake-tasks' answered"),
                e.getMessage());
        assertFalse(server.log.contains("tools/call"), server.log.toString());
    }

    @Test
    void follow_serverWithoutTasks_unavailableAndNothingSent() throws Exception {
        McpTool research = tool(false, "research");
        McpException e = assertThrows(
                McpException.class,
                () -> research.follow("t-1", ProgressListener.NONE, () -> false, InputHandler.NONE));
        assertEquals(
                "the task of tool 'research' cannot be followed from here: MCP server 'fake-tasks' runs no tasks for"
                        + " this client",
                e.getMessage());
        assertFalse(server.log.stream().anyMatch(l -> l.startsWith("tasks/")), server.log.toString());
    }
}
