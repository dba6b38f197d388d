package dev.sluice.examples;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.McpTools;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.mcp.McpClient;
import dev.sluice.stream.EventStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools of an MCP server in the tool runner: a server started as a child process (stdio), its
 * tools offered to the model, each call's progress as the run's progress events.
 */
public final class McpServerTools {
    private McpServerTools() {}

    /** What the run showed: the model's text and one line per tool event. */
    record Result(String text, List<String> toolLines) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client(), List.of(args), "[[call echo {\"message\":\"hi\"}]]");
            System.out.println(r.text());
            r.toolLines().forEach(System.out::println);
        }
    }

    /** Runs the model with the tools of the MCP server that {@code command} starts. */
    static Result run(ChatProvider provider, List<String> command, String prompt) {
        try (McpClient server = McpClient.builder()
                .stdio(command) // or .http(URI.create("http://127.0.0.1:3001/mcp"))
                .progressTimeout(Duration.ofSeconds(30)) // silence allowed between two progress reports
                .callTimeout(Duration.ofMinutes(5)) // the most a call may take, progress or not
                .build()) {
            ToolRunner.Builder runner = ToolRunner.builder(provider);
            McpTools.of(server).forEach(runner::tool); // refuses a tool name two servers share
            ChatRequest.Builder request =
                    ChatRequest.builder().model(ExampleClient.MODEL).maxTokens(1024);
            server.instructions().ifPresent(request::system);
            request.addMessage(ChatMessage.user(prompt));
            StringBuilder text = new StringBuilder();
            List<String> toolLines = new ArrayList<>();
            try (EventStream<AgentEvent> events = runner.build().run(request.build())) {
                for (AgentEvent event : events) {
                    switch (event) {
                        case AgentEvent.ModelChunk chunk -> text.append(chunk.text());
                        case AgentEvent.ToolProgress p ->
                            toolLines.add(p.name() + " " + (p.progress() == null ? "?" : Math.round(p.progress())) + "/"
                                    + (p.total() == null ? "?" : Math.round(p.total())) + " " + p.message());
                        case AgentEvent.ToolCompleted done -> toolLines.add(done.name() + " done: " + done.result());
                        case AgentEvent.ToolFailed failed ->
                            toolLines.add(failed.name() + " failed: " + failed.error());
                        default -> {}
                    }
                }
            }
            return new Result(text.toString(), toolLines);
        }
    }
}
