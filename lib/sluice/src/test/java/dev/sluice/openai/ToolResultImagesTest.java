package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The images a tool returned, on both OpenAI APIs: in the Responses API's output, after the tool messages on Chat Completions. */
class ToolResultImagesTest {
    private static final Image PNG = Image.base64("image/png", "iVBORw0KGgo=");
    private static final Image REMOTE = Image.url("https://example.com/a.jpg");

    private static ChatRequest loop(String model, List<ToolResult> results) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("Show me the charts"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "",
                        List.of(ToolCall.of(0, "call_1", "chart", "{}"), ToolCall.of(1, "call_2", "chart", "{}")),
                        List.of()))
                .addMessage(new ChatMessage(ChatMessage.Role.USER, "Which is larger?", List.of(), results))
                .build();
    }

    private static List<?> items(String json, String member) {
        return (List<?>) ((Map<?, ?>) PartialJson.parse(json).value()).get(member);
    }

    @Test
    void responses_toolResultWithImages_functionCallOutputOfInputImagesThenItsText() {
        String json = ResponsesChat.request(
                        loop(
                                "gpt-5.5",
                                List.of(
                                        ToolResult.of("call_1", "Sales", List.of(PNG, REMOTE)),
                                        ToolResult.of("call_2", "no chart"))),
                        StructuredOutputMode.AUTO,
                        "openai")
                .streamingJson();
        List<?> input = items(json, "input");
        assertEquals(
                Map.of(
                        "type",
                        "function_call_output",
                        "call_id",
                        "call_1",
                        "output",
                        List.of(
                                Map.of(
                                        "type",
                                        "input_image",
                                        "image_url",
                                        "data:image/png;base64,iVBORw0KGgo=",
                                        "detail",
                                        "auto"),
                                Map.of(
                                        "type",
                                        "input_image",
                                        "image_url",
                                        "https://example.com/a.jpg",
                                        "detail",
                                        "auto"),
                                Map.of("type", "input_text", "text", "Sales"))),
                input.stream()
                        .filter(i -> "call_1".equals(((Map<?, ?>) i).get("call_id"))
                                && "function_call_output".equals(((Map<?, ?>) i).get("type")))
                        .findFirst()
                        .orElseThrow(),
                json);
        assertTrue(
                input.stream()
                        .anyMatch(i -> "call_2".equals(((Map<?, ?>) i).get("call_id"))
                                && "no chart".equals(((Map<?, ?>) i).get("output"))),
                "a result without images keeps its string output: " + json);
    }

    @Test
    void chatCompletions_toolResultWithImages_toolMessagesThenAUserMessageOfTheImagesNamingTheCall() {
        String json = RequestJson.streaming(OpenAiRequests.fromChat(
                loop(
                        "gpt-5.5",
                        List.of(
                                ToolResult.of("call_1", "", List.of(PNG, REMOTE)),
                                ToolResult.of("call_2", "no chart"))),
                StructuredOutputMode.AUTO,
                "openai"));
        List<?> messages = items(json, "messages");
        assertEquals(
                List.of(
                        Map.of(
                                "role",
                                "tool",
                                "content",
                                "(the tool returned images: they follow the results)",
                                "tool_call_id",
                                "call_1"),
                        Map.of("role", "tool", "content", "no chart", "tool_call_id", "call_2"),
                        Map.of(
                                "role",
                                "user",
                                "content",
                                List.of(
                                        Map.of(
                                                "type",
                                                "image_url",
                                                "image_url",
                                                Map.of("url", "data:image/png;base64,iVBORw0KGgo=")),
                                        Map.of(
                                                "type",
                                                "image_url",
                                                "image_url",
                                                Map.of("url", "https://example.com/a.jpg")),
                                        Map.of(
                                                "type",
                                                "text",
                                                "text",
                                                "The images above are what the tool call call_1 returned."))),
                        Map.of("role", "user", "content", "Which is larger?")),
                messages.subList(2, messages.size()),
                json);
    }
}
