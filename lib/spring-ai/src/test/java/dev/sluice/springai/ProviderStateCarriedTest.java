package dev.sluice.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.ProviderState;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The state rule through Spring AI: an answer's provider state rides in the assistant message's
 * metadata with the chain target that made it, comes back from a memory that stores it as JSON, and
 * a fallback chain gives it back to that target only.
 */
class ProviderStateCarriedTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.server().baseUrl().toString())
                .retryPolicy(dev.sluice.client.RetryPolicy.none())
                .build();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
    }

    private static SluiceChatModel model() {
        FallbackChain chain = FallbackChain.builder()
                .target("first", anthropic, "claude-sonnet-4-5")
                .target("second", anthropic, "claude-haiku-4-5")
                .build();
        return SluiceChatModel.builder()
                .provider(chain)
                .defaultOptions(SluiceChatOptions.builder()
                        .maxTokens(4096)
                        .thinkingBudget(1024)
                        .build())
                .build();
    }

    private static long thinkingBlocks(RecordedRequest r) {
        return r.body().split("\"type\":\"thinking\"", -1).length - 1L;
    }

    @Test
    void call_answerOfAChainTarget_stateWithItsRoute_backToThatTargetOnly() {
        fake.server()
                .enqueue(FakeResponse.answer().thinking("Let me ", "think.").text("Hello."));
        AssistantMessage answer =
                model().call(new Prompt(new UserMessage("Hi"))).getResult().getOutput();
        ProviderState state = (ProviderState) answer.getMetadata().get(ResponseMapping.PROVIDER_STATE);
        assertEquals(List.of("first"), state.route());
        fake.server().takeRequest();
        List<Message> history = List.of(new UserMessage("Hi"), answer, new UserMessage("And then?"));

        fake.server().enqueue(FakeResponse.answer().text("Then this."));
        model().call(new Prompt(history));
        assertEquals(1, thinkingBlocks(fake.server().takeRequest()));

        fake.server().enqueue(FakeResponse.overloaded(), FakeResponse.answer().text("Then this."));
        model().call(new Prompt(history));
        fake.server().takeRequest();
        RecordedRequest toSecond = fake.server().takeRequest();
        assertEquals("claude-haiku-4-5", toSecond.json("/model"));
        assertEquals(0, thinkingBlocks(toSecond), toSecond.body());
    }

    @Test
    void request_stateAsAJsonMemoryGivesItBack_aMap_sentWithItsRoute_anythingElseNot() {
        SluiceChatOptions options = SluiceChatOptions.builder().model("m").build();
        Map<String, Object> stored = Map.of("provider", "anthropic", "data", "[]", "route", List.of("first"));
        Prompt prompt = new Prompt(List.of(
                new UserMessage("Hi"),
                AssistantMessage.builder()
                        .content("Hello.")
                        .properties(Map.of(ResponseMapping.PROVIDER_STATE, stored))
                        .build(),
                new UserMessage("And then?")));

        ChatRequest request = PromptMapping.request(prompt, options);

        assertEquals(
                new ProviderState("anthropic", "[]", List.of("first")),
                request.messages().get(1).providerState());
        Prompt odd = new Prompt(List.of(
                new UserMessage("Hi"),
                AssistantMessage.builder()
                        .content("Hello.")
                        .properties(Map.of(
                                ResponseMapping.PROVIDER_STATE,
                                Map.of("provider", "anthropic", "data", "[]", "route", "first")))
                        .build(),
                new UserMessage("And then?")));
        assertNull(PromptMapping.request(odd, options).messages().get(1).providerState());
        assertFalse(request.messages().get(1).providerState().toString().contains("[]"));
    }
}
