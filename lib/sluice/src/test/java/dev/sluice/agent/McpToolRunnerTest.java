package dev.sluice.agent;

import static dev.sluice.agent.ScriptedProvider.args;
import static dev.sluice.agent.ScriptedProvider.call;
import static dev.sluice.agent.ScriptedProvider.steps;
import static dev.sluice.agent.ScriptedProvider.stop;
import static dev.sluice.agent.ScriptedProvider.text;
import static dev.sluice.agent.ScriptedProvider.toolCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.mcp.FakeHttpMcpServer;
import dev.sluice.mcp.McpClient;
import dev.sluice.mcp.McpTools;
import dev.sluice.stream.EventStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An MCP server's tools in a run: progress with its totals, results, failures the model reads. */
class McpToolRunnerTest {

    @Test
    void run_mcpTools_progressResultAndFailureReachTheRun() throws Exception {
        try (FakeHttpMcpServer server = new FakeHttpMcpServer(FakeHttpMcpServer.Mode.STATELESS, "fake-http");
                McpClient client = McpClient.http(server.uri())) {
            ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                    ? steps(call(0, "c1", "steps", "{\"steps\":"), args(0, "2}"), call(1, "c2", "fail", "{}"), toolCalls())
                    : steps(text("Done."), stop()));
            ToolRunner.Builder builder = ToolRunner.builder(provider);
            McpTools.of(client).forEach(builder::tool);
            List<AgentEvent> events = new ArrayList<>();
            try (EventStream<AgentEvent> run = builder.build().run(ChatRequest.builder().model("m").addMessage(ChatMessage.user("go")).build())) {
                for (AgentEvent e : run) events.add(e);
            }
            List<AgentEvent.ToolProgress> progress = events.stream().filter(AgentEvent.ToolProgress.class::isInstance)
                    .map(AgentEvent.ToolProgress.class::cast).toList();
            assertEquals(List.of(new AgentEvent.ToolProgress(1, "c1", "steps", "step 1", 50.0, 1.0, 2.0),
                    new AgentEvent.ToolProgress(1, "c1", "steps", "step 2", 100.0, 2.0, 2.0)), progress);
            assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.ToolCompleted c && c.result().equals("done after 2 steps")),
                    events.toString());
            AgentEvent.ToolFailed failed = events.stream().filter(AgentEvent.ToolFailed.class::isInstance)
                    .map(AgentEvent.ToolFailed.class::cast).findFirst().orElseThrow();
            assertEquals("tool 'fail' of MCP server 'fake-http' failed: disk full", failed.error());
            assertEquals("fake-http", client.tools().getFirst().source());
        }
    }
}
