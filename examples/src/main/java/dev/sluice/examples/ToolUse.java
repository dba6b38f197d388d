package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlock;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.CustomTool;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.ToolUseBlock;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool with an input schema: the model's call arrives as {@code input_json_delta} pieces; the
 * snapshot shows the input parsed as far as it has come, and the final message the whole call.
 */
public final class ToolUse {
    private ToolUse() {}

    /** The partial inputs seen while the call streamed, and the final call. */
    record Result(List<Map<String, Object>> partialInputs, ToolUseBlock call) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client(), System.out);
            System.out.println("call " + r.call().name() + " " + r.call().input());
        }
    }

    static Result run(AnthropicClient client, PrintStream out) {
        CustomTool weather = CustomTool.of(
                "get_weather",
                "The current weather in a city",
                Map.of(
                        "type", "object",
                        "properties",
                                Map.of(
                                        "city", Map.of("type", "string", "description", "The city, e.g. Paris"),
                                        "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"))),
                        "required", List.of("city")));
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addTool(weather)
                .addUserMessage("What's the weather in Paris?")
                .build();
        List<Map<String, Object>> partials = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(request)) {
            for (StreamEvent event : stream) {
                if (event instanceof ContentBlockDelta(int index, InputJsonDelta piece)) {
                    ContentBlock block = stream.snapshot().content().get(index);
                    if (block instanceof ToolUseBlock call) {
                        out.println("input so far: " + call.input());
                        partials.add(call.input());
                    }
                }
            }
            Message message = stream.result();
            ToolUseBlock call = message.content().stream()
                    .filter(ToolUseBlock.class::isInstance)
                    .map(ToolUseBlock.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no tool call: " + message.stopReason()));
            return new Result(partials, call);
        }
    }
}
