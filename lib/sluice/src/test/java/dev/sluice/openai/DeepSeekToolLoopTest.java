package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-turn tool conversation with reasoning on a DeepSeek model, through the tool runner,
 * against the test kit's strict fake: every assistant message of a tool-call turn goes back with
 * its {@code reasoning_content}, so DeepSeek's 400 never comes; without it, it does.
 */
class DeepSeekToolLoopTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private OpenAiClient client;
    private final AgentTool weather = AgentTool.of(
            "get_weather",
            "The weather in a city",
            Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("city", Map.of("type", "string")),
                    "required",
                    List.of("city")),
            (args, ctx) -> "sunny");

    @BeforeEach
    void open() {
        client = OpenAiClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private AgentEvent.RunFinished run(ToolRunner runner, List<ChatMessage> conversation) {
        try (EventStream<AgentEvent> run = runner.run(ChatRequest.builder()
                .model("deepseek-v4-flash")
                .messages(conversation)
                .build())) {
            AgentEvent.RunFinished finished = null;
            for (AgentEvent e : run) if (e instanceof AgentEvent.RunFinished f) finished = f;
            return finished;
        }
    }

    @Test
    void toolRunner_threeTurnsWithReasoning_reasoningContentGoesBackAndTheFakeNeverRefuses() {
        ToolRunner runner = ToolRunner.builder(client).tool(weather).build();
        long rejectionsBefore = FAKE.server().opaqueRejections();
        int requestsBefore = FAKE.server().requests().size();
        List<ChatMessage> conversation = new ArrayList<>();
        for (String city : List.of("Paris", "Oslo", "Lima")) {
            conversation.add(ChatMessage.user("What is the weather in " + city + "? Use the get_weather tool."));
            AgentEvent.RunFinished finished = run(runner, conversation);
            assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, finished.reason());
            assertFalse(finished.lastResponse().thinking().isEmpty(), "the answer after the tool reasons too");
            conversation = new ArrayList<>(finished.conversation());
        }
        assertEquals(12, conversation.size()); // three times: user, assistant call, tool result, answer
        assertEquals(rejectionsBefore, FAKE.server().opaqueRejections());

        List<RecordedRequest> sent = FAKE.server()
                .requests()
                .subList(requestsBefore, FAKE.server().requests().size());
        assertEquals(6, sent.size());
        String last = sent.getLast().body();
        for (ChatMessage m : conversation) {
            if (m.role() == ChatMessage.Role.ASSISTANT && m != conversation.getLast()) {
                assertTrue(m.providerState() != null
                        && m.providerState().provider().equals("openai"));
                assertTrue(last.contains("\"reasoning_content\":"
                        + dev.sluice.internal.low.json.JsonOut.write(
                                (String) ((Map<?, ?>) dev.sluice.chat.PartialJson.parse(
                                                        m.providerState().data())
                                                .value())
                                        .get("reasoning_content"))));
            }
        }
    }

    @Test
    void toolRunner_historyWithoutReasoning_oneSpaceReasoningContentSentAndAccepted() {
        ToolRunner runner = ToolRunner.builder(client).tool(weather).build();
        List<ChatMessage> conversation =
                new ArrayList<>(List.of(ChatMessage.user("What is the weather in Paris? Use the get_weather tool.")));
        conversation = new ArrayList<>(run(runner, conversation).conversation());
        List<ChatMessage> stripped =
                new ArrayList<>(); // as after a failover: the past loop's state was another target's
        for (ChatMessage m : conversation) {
            stripped.add(
                    m.role() == ChatMessage.Role.ASSISTANT
                            ? new ChatMessage(m.role(), m.text(), m.toolCalls(), m.toolResults())
                            : m);
        }
        stripped.add(ChatMessage.user("And in Oslo? Use the get_weather tool."));
        long rejectionsBefore = FAKE.server().opaqueRejections();
        int requestsBefore = FAKE.server().requests().size();

        AgentEvent.RunFinished finished =
                run(runner, stripped); // without the stand-in: DeepSeek's 400 (FakeCompatibleReasoningTest)

        assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, finished.reason());
        assertEquals(rejectionsBefore, FAKE.server().opaqueRejections());
        RecordedRequest next = FAKE.server().requests().get(requestsBefore);
        assertEquals(" ", next.json("/messages/1/reasoning_content"), "the past call's message (empty is a 400 on V4)");
        assertEquals(" ", next.json("/messages/3/reasoning_content"), "the past answer, in the same tool-call turn");
    }
}
