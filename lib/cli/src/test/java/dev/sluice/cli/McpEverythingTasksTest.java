package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.McpException;
import dev.sluice.mcp.InputHandler;
import dev.sluice.mcp.InputRequest;
import dev.sluice.mcp.McpClient;
import dev.sluice.mcp.McpTool;
import dev.sluice.mcp.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MCP Tasks in the 2025-11-25 shape (SEP-1686) against the stock reference server,
 * {@code @modelcontextprotocol/server-everything} as lib/server's lockfile pins it: its
 * {@code simulate-research-query} is offered as a task ({@code taskSupport: required}) and runs
 * through four stages of one second each, polled at one second, telling each stage in
 * {@code notifications/tasks/status} too; an ambiguous query asks for clarification with an
 * {@code elicitation/create} it sends only while {@code tasks/result} is in flight. Over stdio and
 * over Streamable HTTP (its session form, the status notifications on the session's GET stream).
 */
class McpEverythingTasksTest {
    private static final List<String> STAGES =
            List.of("Gathering sources...", "Analyzing content...", "Synthesizing findings...", "Generating report...");

    /** Records the statuses and answers a question with {@code answer}, or has no one to ask. */
    private static final class Person implements ProgressListener, InputHandler {
        final List<String> statuses = new CopyOnWriteArrayList<>();
        final List<InputRequest> asked = new CopyOnWriteArrayList<>();
        final Map<String, Object> answer;
        volatile boolean cancelled;

        Person(Map<String, Object> answer) {
            this.answer = answer;
        }

        @Override
        public void progress(String message, double progress, Double total) {}

        @Override
        public void status(String message) {
            statuses.add(message);
        }

        @Override
        public Optional<Map<String, Object>> answer(InputRequest request) throws InterruptedException {
            asked.add(request);
            if (answer.isEmpty()) return InputHandler.NONE.answer(request);
            return Optional.of(answer);
        }
    }

    private static McpClient connect(String transport, AutoCloseable[] server) throws Exception {
        if (transport.equals("stdio")) return McpClient.stdio(Everything.stdio());
        Everything.Http http = Everything.http();
        server[0] = http;
        return McpClient.http(http.uri());
    }

    private static McpTool research(McpClient client) {
        McpTool tool = client.tools().stream()
                .filter(t -> t.name().equals("simulate-research-query"))
                .findFirst()
                .orElseThrow();
        assertTrue(tool.task(), "offered as a task");
        return tool;
    }

    private static void assertInOrder(List<String> expected, List<String> seen) {
        int last = -1;
        for (String s : expected) {
            int at = seen.indexOf(s);
            assertTrue(at > last, s + " after the one before, in " + seen);
            last = at;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void research_runsAsATask_everyStageInOrderThenTheReport(String transport) throws Exception {
        AutoCloseable[] server = new AutoCloseable[1];
        try (McpClient client = connect(transport, server)) {
            Person person = new Person(Map.of());
            String report = research(client).call(Map.of("topic", "rivers"), person, () -> false, person);
            assertTrue(report.startsWith("# Research Report: rivers"), report);
            assertInOrder(STAGES, person.statuses);
            assertEquals(person.statuses.stream().distinct().toList(), person.statuses, "none twice");
            assertTrue(person.asked.isEmpty());
        } finally {
            if (server[0] != null) server[0].close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void research_ambiguous_theClarificationReachesThePersonAndTheTaskCompletes(String transport) throws Exception {
        AutoCloseable[] server = new AutoCloseable[1];
        try (McpClient client = connect(transport, server)) {
            Person person = new Person(Map.of("interpretation", "programming"));
            String report =
                    research(client).call(Map.of("topic", "python", "ambiguous", true), person, () -> false, person);
            assertTrue(report.startsWith("# Research Report: python (programming)"), report);
            assertEquals(1, person.asked.size(), person.asked.toString());
            InputRequest q = person.asked.getFirst();
            assertTrue(q.message().contains("could have multiple interpretations"), q.message());
            assertEquals(List.of("interpretation"), q.fields());
            Map<?, ?> field = (Map<?, ?>) ((Map<?, ?>) q.schema().get("properties")).get("interpretation");
            assertEquals(
                    List.of("programming", "snake", "comedy"),
                    ((List<?>) field.get("oneOf"))
                            .stream().map(o -> ((Map<?, ?>) o).get("const")).toList());
            assertInOrder(
                    List.of(
                            "Gathering sources...",
                            "Analyzing content...",
                            "Continuing with interpretation: \"programming\"...",
                            "Generating report..."),
                    person.statuses);
        } finally {
            if (server[0] != null) server[0].close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cancelled", "no one to ask"})
    void research_cancelledOrUnanswerable_tasksCancelWithinASecond(String how) throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        try (McpClient client = McpClient.stdio(McpServers.split(Everything.stdioLogging(log)))) {
            McpTool tool = research(client);
            Person person = new Person(Map.of());
            CompletableFuture<McpException> failed = new CompletableFuture<>();
            Map<String, Object> arguments =
                    how.equals("cancelled") ? Map.of("topic", "rivers") : Map.of("topic", "python", "ambiguous", true);
            Thread.ofVirtual()
                    .start(() -> failed.complete(assertThrows(
                            McpException.class, () -> tool.call(arguments, person, () -> person.cancelled, person))));
            long at;
            if (how.equals("cancelled")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !person.statuses.isEmpty());
                at = System.nanoTime();
                person.cancelled = true;
            } else {
                await().atMost(Duration.ofSeconds(20)).until(() -> !person.asked.isEmpty());
                at = System.nanoTime();
            }
            await().atMost(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("\"tasks/cancel\""));
            assertTrue(System.nanoTime() - at < 1_000_000_000L);
            McpException e = failed.get();
            if (how.equals("cancelled")) {
                assertEquals(McpException.Kind.CANCELLED, e.kind(), e.getMessage());
            } else {
                assertEquals(McpException.Kind.TOOL_ERROR, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("asked for input ('The research query"), e.getMessage());
                assertTrue(e.getMessage().endsWith("; its task was cancelled"), e.getMessage());
            }
            assertFalse(Files.readString(log, StandardCharsets.UTF_8).contains("\"tasks/list\""));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
