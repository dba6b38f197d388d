package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderState;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tool loop over the Responses API with reasoning on, against the test kit's strict fake. */
class ResponsesStrictFakeTest {
    private FakeLlmServer server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        client = OpenAiClient.builder()
                .apiKey("sk-test-strict")
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ChatRequest request(List<ChatMessage> messages, boolean tools) {
        ChatRequest.Builder b =
                ChatRequest.builder().model("gpt-5.2").messages(messages).thinkingBudget(2048);
        if (tools) b.addTool(new dev.sluice.chat.Tool("get_weather", "The weather", Map.of("type", "object")));
        return b.build();
    }

    private AgentEvent.RunFinished run(List<ChatMessage> conversation) {
        ToolRunner runner = ToolRunner.builder(client.responses())
                .tool(AgentTool.of(
                        "get_weather",
                        "The weather",
                        Map.of("type", "object"),
                        (args, ctx) -> "18C in " + args.get("city")))
                .build();
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request(conversation, false))) {
            for (AgentEvent e : events) if (e instanceof AgentEvent.RunFinished f) finished = f;
        }
        assertNotNull(finished);
        return finished;
    }

    @Test
    void toolRunner_threeTurnsWithReasoning_encryptedReasoningBackVerbatimNoRejection() {
        AgentEvent.RunFinished first = run(List.of(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}")));
        List<ChatMessage> conversation = new ArrayList<>(first.conversation());
        conversation.add(ChatMessage.user("call get_weather with {\"city\":\"Rome\"}"));
        AgentEvent.RunFinished second = run(conversation);
        assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, second.reason());
        assertEquals(0, server.opaqueRejections());
        assertEquals(4, server.requests().size());
        // every turn after the first gives back the reasoning that came with the call, exactly
        String firstAnswer = server.requests().getFirst().body();
        assertTrue(firstAnswer.contains("reasoning.encrypted_content"), firstAnswer);
        Map<?, ?> last = (Map<?, ?>)
                PartialJson.parse(server.requests().getLast().body()).value();
        long reasoningItems = ((List<?>) last.get("input"))
                .stream()
                        .filter(i -> i instanceof Map<?, ?> m
                                && "reasoning".equals(m.get("type"))
                                && m.get("encrypted_content") != null)
                        .count();
        assertTrue(reasoningItems >= 2, "the reasoning of each turn that called a tool: " + last.get("input"));
    }

    @Test
    void chat_alteredEncryptedReasoning_400AsOpenAiAnswers() {
        ChatResponse first = client.responses()
                .chat(request(List.of(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}")), true));
        ProviderState state = first.providerState();
        assertNotNull(state);
        int at = state.data().indexOf("gAAAAB") + 20;
        String altered = state.data().substring(0, at)
                + (state.data().charAt(at) == 'x' ? 'y' : 'x')
                + state.data().substring(at + 1);
        ChatMessage assistant = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                first.text(),
                first.toolCalls(),
                List.of(),
                new ProviderState(state.provider(), altered));
        ChatRequest next = request(
                List.of(
                        ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"),
                        assistant,
                        ChatMessage.toolResults(List.of(dev.sluice.chat.ToolResult.of(
                                first.toolCalls().getFirst().id(), "18C")))),
                true);
        ApiException e =
                assertThrows(ApiException.class, () -> client.responses().chat(next));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("could not be verified"), e.getMessage());
        assertEquals(1, server.opaqueRejections());
    }
}
