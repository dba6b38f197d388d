package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code thinking.display} as the test kit's strict Messages server takes it, and the neutral request's shown thinking. */
class ThinkingDisplayTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static AnthropicClient client() {
        return AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build();
    }

    @Test
    void typedRequest_displayUpdates_acceptedAsTheApiTakesIt() {
        FAKE.server().enqueue(FakeResponse.answer().thinking("Working.").text("Done."));
        try (AnthropicClient client = client();
                MessageStream s = client.messages().stream(MessageRequest.builder()
                        .model("claude-opus-5-5")
                        .maxTokens(4000)
                        .thinking(ThinkingConfig.adaptive("updates"))
                        .addUserMessage("Go")
                        .build())) {
            s.result();
        }
        assertEquals("updates", FAKE.server().takeRequest().json("/thinking/display"));
    }

    @Test
    void neutralRequest_showThinking_summarizedSentAndTheThinkingStreamsAsChunks() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Seven ", "times eleven.")
                        .text("77"));
        StringBuilder thinking = new StringBuilder();
        try (AnthropicClient client = client();
                EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                        .model("claude-opus-4-7")
                        .maxTokens(4000)
                        .showThinking(true)
                        .addMessage(ChatMessage.user("7*11?"))
                        .build())) {
            s.forEach(c -> thinking.append(c.thinking()));
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("summarized", q.json("/thinking/display"), q.body());
        assertEquals("Seven times eleven.", thinking.toString());
    }
}
