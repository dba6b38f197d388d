package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider-neutral stream names the response's request id, as each provider sends it (the
 * fake server sends Anthropic's {@code request-id} and the others' {@code x-request-id}), also
 * when the stream succeeds: {@link EventStream#requestId()}.
 */
class NeutralRequestIdTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    static Stream<Arguments> providers() {
        Function<String, ChatProvider> anthropic =
                base -> AnthropicClient.builder().apiKey("k").baseUrl(base).build();
        Function<String, ChatProvider> openai =
                base -> OpenAiClient.builder().apiKey("k").baseUrl(base).build();
        Function<String, ChatProvider> responses = base -> new ClosingResponses(
                OpenAiClient.builder().apiKey("k").baseUrl(base).build());
        Function<String, ChatProvider> gemini =
                base -> GeminiClient.builder().apiKey("k").baseUrl(base).build();
        return Stream.of(
                Arguments.of("anthropic", anthropic),
                Arguments.of("openai", openai),
                Arguments.of("openai-responses", responses),
                Arguments.of("gemini", gemini));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void requestId_completedNeutralStream_isTheResponsesRequestId(String name, Function<String, ChatProvider> connect)
            throws Exception {
        ChatProvider provider = connect.apply(fake.server().baseUrl().toString());
        try (AutoCloseable closing = (AutoCloseable) provider;
                EventStream<MessageChunk> chunks = provider.stream(ChatRequest.builder()
                        .model("m")
                        .maxTokens(64)
                        .addMessage(ChatMessage.user("hi"))
                        .build())) {
            StringBuilder text = new StringBuilder();
            for (MessageChunk c : chunks) text.append(c.text());
            assertFalse(text.isEmpty());
            assertEquals(EndReason.COMPLETED, chunks.endReason().orElseThrow());
            assertTrue(
                    chunks.requestId().orElseThrow().matches("req_fake_\\w+"),
                    chunks.requestId().toString());
        }
    }

    @Test
    void requestId_streamBuiltWithoutFailureContext_isEmpty() {
        try (EventStream<String> s = EventStream.<String>builder().generate(out -> out.emit("a"))) {
            s.forEach(x -> {});
            assertTrue(s.requestId().isEmpty());
        }
    }

    /** The Responses API as a provider that closes its client. */
    private record ClosingResponses(OpenAiClient client) implements ChatProvider, AutoCloseable {
        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return client.responses().stream(request);
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, dev.sluice.stream.StreamController controller) {
            return client.responses().stream(request, controller);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
