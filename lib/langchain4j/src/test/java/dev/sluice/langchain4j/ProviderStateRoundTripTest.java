package dev.sluice.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The state rule through LangChain4j: an answer's provider state rides in the {@link AiMessage}'s
 * attributes with the chain target that made it, survives a chat memory's JSON, and a fallback chain
 * gives it back to that target only.
 */
class ProviderStateRoundTripTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @AutoClose
    private final FakeClients clients = FakeClients.of(fake.server());

    private final AnthropicClient anthropic = clients.anthropic();

    private SluiceChatModel model() {
        FallbackChain chain = FallbackChain.builder()
                .target("first", anthropic, "claude-sonnet-4-5")
                .target("second", anthropic, "claude-haiku-4-5")
                .build();
        return SluiceChatModel.builder()
                .provider(chain)
                .thinkingBudget(1024)
                .defaultRequestParameters(dev.langchain4j.model.chat.request.ChatRequestParameters.builder()
                        .maxOutputTokens(4096)
                        .build())
                .build();
    }

    /** {@return the signatures of the thinking blocks of a recorded Anthropic request} */
    @SuppressWarnings("unchecked")
    private static List<Object> signatures(RecordedRequest r) {
        List<Object> messages = (List<Object>) r.json("/messages");
        return messages.stream()
                .flatMap(m -> ((java.util.Map<String, Object>) m).get("content") instanceof List<?> blocks
                        ? blocks.stream()
                        : java.util.stream.Stream.empty())
                .map(b -> (java.util.Map<String, Object>) b)
                .filter(b -> "thinking".equals(b.get("type")))
                .map(b -> b.get("signature"))
                .map(Object.class::cast)
                .toList();
    }

    private static List<dev.langchain4j.data.message.ChatMessage> nextTurn(AiMessage answer) {
        AiMessage remembered =
                (AiMessage) ChatMessageDeserializer.messageFromJson(ChatMessageSerializer.messageToJson(answer));
        ToolExecutionRequest call = remembered.toolExecutionRequests().getFirst();
        return List.of(
                UserMessage.from("Weather in Paris?"), remembered, ToolExecutionResultMessage.from(call, "18 degrees"));
    }

    @Test
    void chat_answerOfAChainTarget_stateWithItsRouteInTheAttributes_backToThatTargetOnly() {
        fake.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Let me ", "check.")
                        .toolCall("getWeather", "{\"city\":\"Paris\"}"));
        AiMessage answer = model().chat(ChatRequest.builder()
                        .messages(UserMessage.from("Weather in Paris?"))
                        .build())
                .aiMessage();
        assertEquals(List.of("first"), answer.attributes().get(Requests.STATE_ROUTE));
        fake.server().takeRequest();

        // the next turn: the first target answers and gets its signed thinking back, the stamp survived the memory's
        // JSON
        fake.server().enqueue(FakeResponse.answer().text("It is 18 degrees."));
        model().chat(ChatRequest.builder().messages(nextTurn(answer)).build());
        List<Object> back = signatures(fake.server().takeRequest());
        assertEquals(1, back.size());

        // the same turn when the first target is overloaded: the second gets the conversation without the first's state
        fake.server().enqueue(FakeResponse.overloaded(), FakeResponse.answer().text("It is 18 degrees."));
        model().chat(ChatRequest.builder().messages(nextTurn(answer)).build());
        fake.server().takeRequest();
        RecordedRequest toSecond = fake.server().takeRequest();
        assertEquals("claude-haiku-4-5", toSecond.json("/model"));
        assertTrue(signatures(toSecond).isEmpty(), toSecond.body());
        assertFalse(toSecond.body().contains(back.getFirst().toString()), toSecond.body());
    }
}
