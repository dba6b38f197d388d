package dev.sluice.agent;

import static dev.sluice.agent.ScriptedProvider.args;
import static dev.sluice.agent.ScriptedProvider.call;
import static dev.sluice.agent.ScriptedProvider.steps;
import static dev.sluice.agent.ScriptedProvider.stop;
import static dev.sluice.agent.ScriptedProvider.text;
import static dev.sluice.agent.ScriptedProvider.toolCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.mcp.FakeHttpMcpServer;
import dev.sluice.mcp.McpClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An MCP server's tools in a run: progress with its totals, results, failures the model reads. */
class McpToolRunnerTest {
    /** The fake's invalid tool is left out with a warning at every listing: captured, and nothing else may be warned of. */
    private final LogCapture log = new LogCapture(McpClient.class);

    @AfterEach
    void onlyTheExpectedWarnings() {
        log.close();
        assertTrue(
                log.records.stream()
                        .allMatch(r -> r.getParameters() != null
                                && r.getParameters().length > 1
                                && "badheader".equals(r.getParameters()[1])),
                "unexpected warnings: "
                        + log.records.stream().map(r -> r.getMessage()).toList());
    }

    @Test
    void run_mcpTools_progressResultAndFailureReachTheRun() throws Exception {
        try (FakeHttpMcpServer server = new FakeHttpMcpServer(FakeHttpMcpServer.Mode.STATELESS, "fake-http");
                McpClient client = McpClient.http(server.uri())) {
            ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                    ? steps(
                            call(0, "c1", "steps", "{\"steps\":"),
                            args(0, "2}"),
                            call(1, "c2", "fail", "{}"),
                            toolCalls())
                    : steps(text("Done."), stop()));
            ToolRunner.Builder builder = ToolRunner.builder(provider);
            McpTools.of(client).forEach(builder::tool);
            List<AgentEvent> events = new ArrayList<>();
            try (EventStream<AgentEvent> run = builder.build()
                    .run(ChatRequest.builder()
                            .model("m")
                            .addMessage(ChatMessage.user("go"))
                            .build())) {
                for (AgentEvent e : run) events.add(e);
            }
            List<AgentEvent.ToolProgress> progress = events.stream()
                    .filter(AgentEvent.ToolProgress.class::isInstance)
                    .map(AgentEvent.ToolProgress.class::cast)
                    .toList();
            assertEquals(
                    List.of(
                            new AgentEvent.ToolProgress(1, "c1", "steps", "step 1", 50.0, 1.0, 2.0),
                            new AgentEvent.ToolProgress(1, "c1", "steps", "step 2", 100.0, 2.0, 2.0)),
                    progress);
            assertTrue(
                    events.stream()
                            .anyMatch(e -> e instanceof AgentEvent.ToolCompleted c
                                    && c.result().equals("done after 2 steps")),
                    events.toString());
            AgentEvent.ToolFailed failed = events.stream()
                    .filter(AgentEvent.ToolFailed.class::isInstance)
                    .map(AgentEvent.ToolFailed.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertEquals("tool 'fail' of MCP server 'fake-http' failed: disk full", failed.error());
            assertEquals("fake-http", McpTools.of(client).getFirst().source());
        }
    }

    @Test
    void mcpTools_sameToolOnTwoServers_refusedNamingBoth() throws Exception {
        try (FakeHttpMcpServer one = new FakeHttpMcpServer(FakeHttpMcpServer.Mode.STATELESS, "x");
                FakeHttpMcpServer other = new FakeHttpMcpServer(FakeHttpMcpServer.Mode.STATELESS, "y");
                McpClient first =
                        McpClient.builder().name("first").http(one.uri()).build();
                McpClient second =
                        McpClient.builder().name("second").http(other.uri()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> McpTools.of(first, second));
            assertEquals(
                    "tool 'echo' is offered by MCP servers 'first' and 'second'; connect only one of them",
                    e.getMessage());
            List<AgentTool> tools = McpTools.of(first);
            assertEquals(10, tools.size());
            AgentTool dotted = tools.stream()
                    .filter(t -> t.name().equals("dotted_name"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("first", dotted.source());
        }
    }
}
