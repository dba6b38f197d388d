package dev.sluice.examples;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.stream.EventStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The tool runner: the model asks for tools, they run (with progress) on virtual threads, their
 * results go back, and the model answers with them, all in one stream of events.
 */
public final class RunTools {
    private RunTools() {}

    /** What the run showed: the text, one line per tool event, and the final event. */
    record Result(String text, List<String> toolLines, AgentEvent.RunFinished finished) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client(), "What's the weather in Paris and Tokyo?", System.out);
            System.out.println();
            r.toolLines().forEach(System.out::println);
            System.out.println(r.finished().turns() + " turns, " + r.finished().usage());
        }
    }

    /** Runs the weather and counting tools for a prompt, printing the model's text as it comes. */
    static Result run(ChatProvider provider, String prompt, PrintStream out) {
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(weather())
                .tool(countSlowly(Duration.ofMillis(50)))
                .toolTimeout(Duration.ofSeconds(30))
                .maxTurns(5)
                .build();
        ChatRequest request = ChatRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addMessage(ChatMessage.user(prompt))
                .build();
        StringBuilder text = new StringBuilder();
        List<String> toolLines = new ArrayList<>();
        AgentEvent.@Nullable RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request)) {
            for (AgentEvent event : events) {
                switch (event) {
                    case AgentEvent.ModelChunk chunk -> {
                        out.print(chunk.text());
                        text.append(chunk.text());
                    }
                    case AgentEvent.ToolStarted started ->
                        toolLines.add(started.name() + " started " + started.arguments());
                    case AgentEvent.ToolProgress p ->
                        toolLines.add(p.name()
                                + (p.percent() == null ? " " : " " + Math.round(p.percent()) + "% ")
                                + p.message());
                    case AgentEvent.ToolCompleted done -> toolLines.add(done.name() + " done: " + done.result());
                    case AgentEvent.ToolFailed failed -> toolLines.add(failed.name() + " failed: " + failed.error());
                    case AgentEvent.RunFinished end -> finished = end;
                    default -> {} // turn boundaries, kinds added later
                }
            }
        }
        return new Result(
                text.toString(), toolLines, Objects.requireNonNull(finished, "the run ended without its RunFinished"));
    }

    /** {@code get_weather(city)}: made-up weather, the same for the same city. */
    public static AgentTool weather() {
        return AgentTool.of(
                "get_weather",
                "The current weather in a city",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")),
                        "required",
                        List.of("city")),
                (arguments, context) -> weatherIn(String.valueOf(arguments.get("city"))));
    }

    /** {@return the made-up weather of a city, as the JSON the tool returns} */
    public static String weatherIn(String city) {
        long h = Math.abs((long) city.strip().toLowerCase(Locale.ROOT).hashCode());
        return "{\"city\":\"" + city.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"condition\":\""
                + (h % 2 == 0 ? "sunny" : "cloudy") + "\",\"celsius\":" + h % 30 + ",\"wind_kmh\":" + h % 40 + "}";
    }

    /** {@code count_slowly(n)}: counts to n, a step at a time, reporting its progress after each. */
    public static AgentTool countSlowly(Duration step) {
        return AgentTool.of(
                "count_slowly",
                "Counts slowly up to n, reporting progress",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("n", Map.of("type", "integer")),
                        "required",
                        List.of("n")),
                (arguments, context) -> {
                    long n = arguments.get("n") instanceof Long l ? Math.min(Math.max(l, 1), 100) : 1;
                    for (long i = 1; i <= n; i++) {
                        Thread.sleep(step); // the work; a cancel or a timeout interrupts it here
                        context.progress("counted " + i + " of " + n, 100.0 * i / n);
                    }
                    return "{\"counted\":" + n + "}";
                });
    }
}
