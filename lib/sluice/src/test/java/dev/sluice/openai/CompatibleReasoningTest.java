package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reasoning of OpenAI-compatible servers (DeepSeek's {@code reasoning_content}, vLLM's and
 * Ollama's {@code reasoning}, OpenRouter's {@code reasoning_details}) as neutral thinking and as
 * provider state, and that state written back by the request mapper only in tool-call turns and
 * only to the same provider.
 */
class CompatibleReasoningTest {

    private static ChatResponse neutral(String fixture, int readSize, String provider) {
        OpenAiChunks mapper = new OpenAiChunks(Clock.systemUTC(), System::nanoTime, System.nanoTime(), provider);
        ChunkAggregator agg = new ChunkAggregator();
        for (ChatCompletionEvent e : OpenAiFixtures.events(OpenAiFixtures.sse(fixture), readSize)) {
            mapper.map(e).ifPresent(agg::accept);
        }
        return agg.snapshot();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expectedMessage(String fixture) {
        Map<String, Object> fc =
                (Map<String, Object>) OpenAiFixtures.expected(fixture).get("final_completion");
        return (Map<String, Object>)
                ((Map<String, Object>) ((List<Object>) fc.get("choices")).getFirst()).get("message");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(ChatResponse r) {
        return (Map<String, Object>) PartialJson.parse(r.providerState().data()).value();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1, 7, 64, Integer.MAX_VALUE})
    void map_deepSeekReasoningContent_isThinkingAndStateAtAnyChunkSize(int readSize) {
        ChatResponse r = neutral("deepseek-reasoning-content-tool", readSize, "openai");
        String reasoning =
                (String) expectedMessage("deepseek-reasoning-content-tool").get("reasoning_content");
        assertEquals(reasoning, r.thinking());
        assertEquals("openai", r.providerState().provider());
        assertEquals(Map.of("reasoning_content", reasoning), state(r));
        assertEquals("get_weather", r.toolCalls().getFirst().name());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vllm-reasoning", "ollama-reasoning"})
    void map_reasoningField_isThinkingAndKeptUnderItsName(String fixture) {
        ChatResponse r = neutral(fixture, 5, "openai");
        String reasoning = (String) expectedMessage(fixture).get("reasoning");
        assertEquals(reasoning, r.thinking());
        assertEquals(Map.of("reasoning", reasoning), state(r));
        assertFalse(r.text().contains(reasoning));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1, 3, 7, 100, Integer.MAX_VALUE})
    void map_openRouterReasoningDetails_opaqueStringsIdenticalAtAnyChunkSize(int readSize) {
        for (String fixture : List.of("openrouter-reasoning-details", "openrouter-reasoning-summary-encrypted")) {
            ChatResponse r = neutral(fixture, readSize, "azure-openai");
            Map<String, Object> expected = expectedMessage(fixture);
            assertEquals(expected.get("reasoning"), r.thinking(), fixture); // once: not again from the details
            assertEquals("azure-openai", r.providerState().provider());
            Map<String, Object> state = state(r);
            assertEquals(expected.get("reasoning_details"), state.get("reasoning_details"), fixture);
            String raw = new String(OpenAiFixtures.sse(fixture), StandardCharsets.UTF_8);
            for (Object entry : (List<?>) state.get("reasoning_details")) {
                Map<?, ?> m = (Map<?, ?>) entry;
                for (String opaque : List.of("signature", "data")) {
                    if (m.get(opaque) instanceof String s)
                        assertTrue(raw.contains("\"" + opaque + "\":\"" + s + "\""), opaque + " changed");
                }
            }
        }
    }

    @Test
    void map_detailsWithoutReasoningString_thinkingFromTextAndSummaries() {
        OpenAiChunks mapper = new OpenAiChunks(Clock.systemUTC(), System::nanoTime, System.nanoTime(), "openai");
        ChatCompletionChunk.Delta d = new ChatCompletionChunk.Delta(
                null,
                null,
                null,
                List.of(),
                null,
                null,
                List.of(
                        Map.of("type", "reasoning.summary", "summary", "Sum.", "index", 0),
                        Map.of("type", "reasoning.encrypted", "data", "opaque", "index", 1),
                        Map.of("type", "reasoning.text", "text", " Text.", "index", 2)));
        MessageChunk c = mapper.map(new ChatCompletionChunk(
                        "id",
                        "chat.completion.chunk",
                        1,
                        "m",
                        null,
                        null,
                        List.of(new ChatCompletionChunk.ChunkChoice(0, d, null, null)),
                        null))
                .orElseThrow();
        assertEquals("Sum. Text.", c.thinking());
    }

    @Test
    void map_openAiOwnStream_noStateNoThinking() {
        ChatResponse r = neutral("tool-use-weather", 7, "openai");
        assertEquals("", r.thinking());
        assertNull(r.providerState());
    }

    // ------------------------------------------------------------------ the request mapper

    private static ChatMessage assistant(String text, String reasoningContent) {
        return new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                text,
                List.of(),
                List.of(),
                new ProviderState("openai", "{\"reasoning_content\":\"" + reasoningContent + "\"}"));
    }

    private static ChatRequest conversation(ChatResponse toolTurn, ChatMessage answer, String next) {
        ToolCall call = toolTurn.toolCalls().getFirst();
        List<ChatMessage> messages = new java.util.ArrayList<>(List.of(
                ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant(toolTurn),
                ChatMessage.toolResults(List.of(ToolResult.of(call.id(), "sunny")))));
        if (answer != null) messages.add(answer);
        if (next != null) messages.add(ChatMessage.user(next));
        return ChatRequest.builder()
                .model("deepseek-v4-flash")
                .messages(messages)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sent(ChatRequest request, String provider) {
        String body = RequestJson.streaming(OpenAiRequests.fromChat(request, StructuredOutputMode.AUTO, provider));
        return (List<Map<String, Object>>)
                ((Map<String, Object>) PartialJson.parse(body).value()).get("messages");
    }

    @Test
    void fromChat_toolCallTurn_sendsReasoningContentBackVerbatim() {
        ChatResponse toolTurn = neutral("deepseek-reasoning-content-tool", 9, "openai");
        List<Map<String, Object>> messages = sent(conversation(toolTurn, null, null), "openai");
        Map<String, Object> assistant = messages.get(1);
        assertEquals("assistant", assistant.get("role"));
        assertEquals(toolTurn.thinking(), assistant.get("reasoning_content"));
        assertFalse(assistant.containsKey("reasoning"));
    }

    @Test
    void fromChat_finalAnswerOfToolCallTurn_alsoCarriesItsReasoning() {
        ChatResponse toolTurn = neutral("deepseek-reasoning-content-tool", 9, "openai");
        List<Map<String, Object>> messages =
                sent(conversation(toolTurn, assistant("Sunny.", "It is sunny."), "And tomorrow?"), "openai");
        assertEquals("It is sunny.", messages.get(3).get("reasoning_content"));
    }

    @Test
    void fromChat_turnWithoutToolCalls_leavesReasoningOut() {
        ChatRequest request = ChatRequest.builder()
                .model("deepseek-v4-flash")
                .messages(
                        List.of(ChatMessage.user("Hello"), assistant("Hi.", "Greeting."), ChatMessage.user("Weather?")))
                .build();
        assertFalse(sent(request, "openai").get(1).containsKey("reasoning_content"));
    }

    @Test
    void fromChat_otherProvidersState_neverSent() {
        ChatResponse toolTurn = neutral("deepseek-reasoning-content-tool", 9, "azure-openai");
        Map<String, Object> assistant =
                sent(conversation(toolTurn, null, null), "openai").get(1);
        assertEquals(" ", assistant.get("reasoning_content"), "not the other route's: DeepSeek's stand-in for none");
        ChatResponse foreign = new ChatResponse(
                toolTurn.id(),
                toolTurn.text(),
                toolTurn.toolCalls(),
                toolTurn.thinking(),
                toolTurn.finishReason(),
                toolTurn.usage(),
                toolTurn.metadata(),
                true,
                new ProviderState("anthropic", "{\"reasoning_content\":\"not ours\"}"));
        assertEquals(
                " ", sent(conversation(foreign, null, null), "openai").get(1).get("reasoning_content"));
    }

    @Test
    void fromChat_openRouterDetails_sentBackVerbatimUnderTheirNames() {
        ChatResponse toolTurn = neutral("openrouter-reasoning-details", 11, "openai");
        Map<String, Object> assistant =
                sent(conversation(toolTurn, null, null), "openai").get(1);
        Map<String, Object> expected = expectedMessage("openrouter-reasoning-details");
        assertEquals(expected.get("reasoning"), assistant.get("reasoning"));
        assertEquals(expected.get("reasoning_details"), assistant.get("reasoning_details"));
        assertFalse(assistant.containsKey("reasoning_content"));
    }

    @Test
    void accumulator_reasoning_keptInCompletionAndItsJson() {
        OpenAiFixtures.Outcome o = OpenAiFixtures.replay(OpenAiFixtures.sse("openrouter-reasoning-details"), 13);
        ChatCompletion.Message m = o.completion().choices().getFirst().message();
        assertNotNull(m.reasoning());
        assertEquals(2, m.reasoningDetails().size());
        String json = o.completion().toJson();
        assertTrue(json.contains("\"reasoning_details\":[{\"type\":\"reasoning.text\""), json);
    }

    @Test
    void withReasoning_onUserMessage_throws() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionMessage.user("hi").withReasoning("x", null, List.of()));
    }
}
