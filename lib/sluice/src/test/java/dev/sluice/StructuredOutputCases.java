package dev.sluice;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolChoice;
import java.util.List;
import java.util.Map;

/** For the structured-output tests of every provider: one format, one ordinary tool, one request. */
public final class StructuredOutputCases {
    /** A strict object schema: {@code {"title": string}}, required, no other properties. */
    public static final Map<String, Object> SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of("title", Map.of("type", "string")),
            "required",
            List.of("title"),
            "additionalProperties",
            false);
    /** The format {@code recipe} of {@link #SCHEMA}, strict. */
    public static final ResponseFormat RECIPE = new ResponseFormat("recipe", SCHEMA, true);
    /** An ordinary tool. */
    public static final Tool WEATHER = new Tool("get_weather", "Weather", Map.of("type", "object"));

    private StructuredOutputCases() {}

    /** {@return a request for this model with one user message} */
    public static ChatRequest.Builder request(String model) {
        return ChatRequest.builder().model(model).addMessage(ChatMessage.user("A soup, please"));
    }

    /** {@return the tool choice a test names: auto, none, required, or named (the {@link #WEATHER} tool)} */
    public static ToolChoice choice(String name) {
        return switch (name) {
            case "auto" -> ToolChoice.auto();
            case "none" -> ToolChoice.none();
            case "required" -> ToolChoice.required();
            case "named" -> ToolChoice.named(WEATHER.name());
            default -> throw new IllegalArgumentException("no such tool choice: " + name);
        };
    }
}
