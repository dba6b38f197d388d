package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Equivalent captured streams of every provider — text, then one {@code get_weather} call — streamed
 * through each provider's client over a real loopback socket (the test kit's server, in small HTTP
 * chunks), aggregate to the
 * same provider-neutral response: text, tool calls (name and parsed arguments), finish reason kind.
 * Ids and usage may differ. To add a provider: one {@link Case} in {@link #providers()}.
 */
class CrossProviderTest {
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("any-model")
            .addMessage(ChatMessage.user("What's the weather in San Francisco?"))
            .addTool(new Tool(
                    "get_weather",
                    "Get the current weather in a given location",
                    Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")))))
            .maxTokens(1024)
            .build();

    /** What must be equal across providers. */
    record Neutral(String text, List<Call> toolCalls, FinishReason.Kind finish) {}

    record Call(String name, Object arguments) {}

    /**
     * One provider: its capture, the path its client posts to, and how its client streams a
     * request from a base URL into the neutral comparison form.
     */
    record Case(String provider, String capture, String path, Function<String, Neutral> stream) {
        @Override
        public String toString() {
            return provider;
        }
    }

    private static final Neutral EXPECTED = new Neutral(
            "Okay, let's check the weather for San Francisco, CA:",
            List.of(new Call("get_weather", Map.of("location", "San Francisco, CA", "unit", "fahrenheit"))),
            FinishReason.Kind.TOOL_CALLS);

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    static Stream<Arguments> providers() {
        return Stream.of(
                Arguments.of(new Case(
                        "anthropic",
                        "anthropic/tool-use-weather.sse",
                        "/v1/messages",
                        base -> viaChatProvider(AnthropicClient.builder()
                                .apiKey("sk-ant-test")
                                .baseUrl(base)
                                .build()))),
                Arguments.of(new Case(
                        "openai",
                        "openai/tool-use-weather.sse",
                        "/v1/chat/completions",
                        base -> viaChatProvider(OpenAiClient.builder()
                                .apiKey("sk-test")
                                .baseUrl(base)
                                .build()))),
                Arguments.of(new Case(
                        "gemini",
                        "gemini/tool-use-weather.sse",
                        "/v1beta/models/any-model:streamGenerateContent?alt=sse",
                        base -> viaChatProvider(GeminiClient.builder()
                                .apiKey("test-key")
                                .baseUrl(base)
                                .build()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void equivalentCaptures_streamedThroughEachClient_aggregateToTheSameNeutralResponse(Case c) {
        byte[] capture = resource(c.capture());
        FAKE.server().enqueue(FakeResponse.sse(capture).inChunksOf(Math.max(1, capture.length / 30)));
        assertEquals(EXPECTED, c.stream().apply(FAKE.server().baseUrl().toString()));
        RecordedRequest sent = FAKE.server().takeRequest();
        assertEquals("POST " + c.path(), sent.method() + " " + sent.target());
        assertEquals(1, FAKE.server().requestCount());
    }

    /** The provider-neutral path: the client as a {@link ChatProvider}, chunks through a {@link ChunkAggregator}. */
    private static Neutral viaChatProvider(ChatProvider provider) {
        try (AutoCloseable closing = provider instanceof AutoCloseable a ? a : () -> {}) {
            ChatResponse r = provider.chat(REQUEST);
            List<Call> calls = new ArrayList<>();
            for (ToolCall t : r.toolCalls()) {
                assertEquals(null, t.argumentsError(), "arguments of " + t.name());
                calls.add(new Call(t.name(), t.parsedArguments()));
            }
            return new Neutral(r.text(), calls, r.finishReason().kind());
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /** {@return a test resource's bytes} Also for {@link ChatTruncationTest}. */
    static byte[] resource(String path) {
        try (InputStream in = CrossProviderTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
