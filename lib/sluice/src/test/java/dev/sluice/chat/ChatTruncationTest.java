package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ChatProvider#chat} never passes a truncated answer off as a whole one: a stream that
 * reaches its chunk limit, or is cancelled (its client closed), makes it throw, with the answer so
 * far ({@code complete() == false}) as the exception's partial. Each provider's client, over a real
 * loopback socket (the testkit's server replaying a captured stream).
 */
class ChatTruncationTest {
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("any-model")
            .addMessage(ChatMessage.user("What's the weather in San Francisco?"))
            .maxTokens(1024)
            .build();

    /** One provider: its capture and how to build its client from a base URL and stream defaults. */
    record Case(String provider, String capture, BiFunction<String, StreamOptions, ChatProvider> client) {
        @Override
        public String toString() {
            return provider;
        }
    }

    static Stream<Arguments> providers() {
        return Stream.of(
                Arguments.of(new Case(
                        "anthropic",
                        "anthropic/tool-use-weather.sse",
                        (base, defaults) -> AnthropicClient.builder()
                                .apiKey("sk-ant-test")
                                .baseUrl(base)
                                .streamOptions(defaults)
                                .build())),
                Arguments.of(new Case(
                        "openai",
                        "openai/tool-use-weather.sse",
                        (base, defaults) -> OpenAiClient.builder()
                                .apiKey("sk-test")
                                .baseUrl(base)
                                .streamOptions(defaults)
                                .build())),
                Arguments.of(new Case(
                        "gemini",
                        "gemini/tool-use-weather.sse",
                        (base, defaults) -> GeminiClient.builder()
                                .apiKey("test-key")
                                .baseUrl(base)
                                .streamOptions(defaults)
                                .build())));
    }

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final CountDownLatch sent = new CountDownLatch(1);

    private String base() {
        return FAKE.server().baseUrl().toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void chat_chunkLimitReached_throwsLimitExceededWithTheIncompleteAnswer(Case c) throws Exception {
        FAKE.server().setDispatcher(r -> FakeResponse.sse(CrossProviderTest.resource(c.capture())));
        ChatProvider provider =
                c.client().apply(base(), StreamOptions.builder().maxChunks(2).build());
        try (AutoCloseable closing = (AutoCloseable) provider) {
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> provider.chat(REQUEST));
            assertEquals("maxChunks", e.limit());
            assertEquals(2, e.configuredValue());
            ChatResponse partial = e.partial(ChatResponse.class).orElseThrow();
            assertFalse(partial.complete());
            assertTrue(partial.metadata().chunks() > 0, partial.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void chat_clientClosedWhileStreaming_throwsIncompleteStreamWithTheAnswerSoFar(Case c) throws Exception {
        String[] events = new String(CrossProviderTest.resource(c.capture()), StandardCharsets.UTF_8)
                .replace("\r\n", "\n")
                .split("\n\n");
        int half = events.length / 2; // no terminal event, no finish reason
        StringBuilder firstHalf = new StringBuilder();
        for (int i = 0; i < half; i++) firstHalf.append(events[i]).append("\n\n");
        // the first half, then the connection held open; the signal says it is on the wire
        FAKE.server()
                .setDispatcher(r -> FakeResponse.sse(firstHalf.toString())
                        .signalAfter(half, sent)
                        .stallAfter(half));
        ChatProvider provider = c.client().apply(base(), StreamOptions.defaults());
        CompletableFuture<ChatResponse> answer = CompletableFuture.supplyAsync(
                () -> provider.chat(REQUEST), r -> Thread.ofVirtual().start(r));
        assertTrue(sent.await(10, TimeUnit.SECONDS));
        ((AutoCloseable) provider).close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
        IncompleteStreamException cut = assertInstanceOf(IncompleteStreamException.class, e.getCause());
        assertTrue(cut.getMessage().contains("cancelled") && cut.getMessage().contains("was closed"), cut.getMessage());
        ChatResponse partial = cut.partial(ChatResponse.class).orElseThrow();
        assertFalse(partial.complete());
        assertEquals(null, partial.finishReason(), "the finish came in the half never sent");
    }
}
