package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ObjectException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.objects.Recipes.Ingredient;
import dev.sluice.objects.Recipes.Recipe;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Object streams over real loopback sockets, on all four wire formats (the testkit's server
 * answering with the JSON scripted here, in small deltas): as text, and as the arguments of the
 * forced tool call; the partials, the elements, the record at the end, and each failure.
 */
class ObjectStreamLoopbackTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("any-model")
            .maxTokens(1024)
            .addMessage(ChatMessage.user("A pancake recipe, please"))
            .build();

    /** One wire format: how to connect a provider to a base URL, and what closes it. */
    record Wire(String name, Function<String, Connected> connect) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Connected(ChatProvider provider, AutoCloseable client) {}

    static Stream<Arguments> wires() {
        return Stream.of(
                Arguments.of(new Wire("anthropic", base -> {
                    AnthropicClient c = AnthropicClient.builder()
                            .apiKey("sk-ant-test")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    return new Connected(c, c);
                })),
                Arguments.of(new Wire("openai-chat", base -> {
                    OpenAiClient c = OpenAiClient.builder()
                            .apiKey("sk-test")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    return new Connected(c, c);
                })),
                Arguments.of(new Wire("openai-responses", base -> {
                    OpenAiClient c = OpenAiClient.builder()
                            .apiKey("sk-test")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    return new Connected(c.responses(), c);
                })),
                Arguments.of(new Wire("gemini", base -> {
                    GeminiClient c = GeminiClient.builder()
                            .apiKey("test-key")
                            .baseUrl(base)
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    return new Connected(c, c);
                })));
    }

    private static Connected connect(Wire wire) {
        return wire.connect().apply(FAKE.server().baseUrl().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void textDeltas_fillTheRecordIn_andEndValidated(Wire wire) throws Exception {
        FAKE.server().enqueue(FakeResponse.answer().text(Recipes.pieces(Recipes.JSON, 7)));
        Connected c = connect(wire);
        try (AutoCloseable client = c.client();
                ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            for (Partial<Recipe> p : s) seen.add(p);
            assertEquals(Recipes.RECIPE, s.result());
            assertTrue(seen.size() > 20, seen.size() + " partials");
            assertTrue(
                    seen.stream().anyMatch(p -> p.get("title", String.class).equals(Optional.of("Pan"))),
                    "the title grew");
            assertTrue(
                    seen.stream()
                            .anyMatch(
                                    p -> p.list("ingredients", Ingredient.class).size() == 1
                                            && p.state("ingredients") == Partial.State.STREAMING),
                    "the first ingredient before the list was complete");
            assertTrue(s.requestId().orElseThrow().startsWith("req_fake_"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void forcedToolCall_argumentsAreTheObject(Wire wire) throws Exception {
        FAKE.server().enqueue(FakeResponse.answer().toolCall("Recipe", Recipes.pieces(Recipes.JSON, 11)));
        Connected c = connect(wire);
        try (AutoCloseable client = c.client();
                ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
            List<Element<String>> steps = new ArrayList<>();
            s.elements("steps", String.class).forEach(steps::add);
            assertEquals(
                    List.of(new Element<>(0, "Whisk everything.", 0), new Element<>(1, "Fry in a hot pan.", 0)), steps);
            assertEquals(Recipes.RECIPE, s.result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void truncated_failsWithWhatArrived(Wire wire) throws Exception {
        String cut = Recipes.JSON.substring(0, Recipes.JSON.indexOf("\"steps\""));
        FAKE.server().enqueue(FakeResponse.answer().text(Recipes.pieces(cut, 9)).truncated());
        Connected c = connect(wire);
        try (AutoCloseable client = c.client();
                ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
            ObjectException e = assertThrows(ObjectException.class, () -> s.forEach(p -> {}));
            assertEquals(ObjectException.Kind.TRUNCATED, e.kind());
            assertEquals(cut, e.text());
            Partial<?> last = assertInstanceOf(Partial.class, e.partial().orElseThrow());
            assertEquals(2, last.list("ingredients", Ingredient.class).size());
            assertEquals(s.requestId(), e.requestId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void schemaMismatchAndInvalidJson_nameWhatIsWrong(Wire wire) throws Exception {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .text(Recipes.pieces(Recipes.JSON.replace("\"EASY\"", "\"TRIVIAL\""), 13)));
        FAKE.server().enqueue(FakeResponse.answer().text("{\"title\": \"Pancakes\"", "]"));
        Connected c = connect(wire);
        try (AutoCloseable client = c.client()) {
            try (ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
                ObjectException e = assertThrows(ObjectException.class, s::result);
                assertEquals(
                        "/difficulty: expected one of \"EASY\", \"MEDIUM\", \"HARD\", got \"TRIVIAL\"", e.getMessage());
            }
            try (ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
                ObjectException e = assertThrows(ObjectException.class, s::result);
                assertEquals(ObjectException.Kind.INVALID_JSON, e.kind());
            }
        }
    }

    @Test
    void refusal_onAnthropic_isRefused() throws Exception {
        FAKE.server().enqueue(FakeResponse.sse("""
                event: message_start
                data: {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "m", "stop_reason": null, "usage": {"input_tokens": 10, "output_tokens": 1}}}

                event: content_block_start
                data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

                event: content_block_delta
                data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "{\\"title\\": \\"How to"}}

                event: content_block_stop
                data: {"type": "content_block_stop", "index": 0}

                event: message_delta
                data: {"type": "message_delta", "delta": {"stop_reason": "refusal", "stop_sequence": null}, "usage": {"output_tokens": 5}}

                event: message_stop
                data: {"type": "message_stop"}

                """));
        Connected c = connect((Wire) wires().findFirst().orElseThrow().get()[0]);
        try (AutoCloseable client = c.client();
                ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
            ObjectException e = assertThrows(ObjectException.class, s::result);
            assertEquals(ObjectException.Kind.REFUSED, e.kind());
            assertEquals("{\"title\": \"How to", e.text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void apiErrorMidStream_isThrownAsItIs_andLatestKeepsThePartial(Wire wire) throws Exception {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .text(Recipes.pieces(Recipes.JSON, 20))
                        .errorAfter(3));
        Connected c = connect(wire);
        try (AutoCloseable client = c.client();
                ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class)) {
            dev.sluice.ApiException e = assertThrows(dev.sluice.ApiException.class, () -> s.forEach(p -> {}));
            assertTrue(e.partial(dev.sluice.chat.ChatResponse.class)
                    .orElseThrow()
                    .text()
                    .startsWith("{\"title\""));
            assertEquals(Optional.of("Pancakes"), s.latest().get("title", String.class));
            assertEquals(Optional.of(e), s.failure());
        }
    }

    @Test
    void fallbackChain_hedged_thePartialsAreTheWinnersAloneWithoutReset() throws Exception {
        FAKE.server()
                .setDispatcher(r -> r.path().contains("/v1/messages")
                        ? FakeResponse.answer()
                                .text("{\"title\": \"SLOW\"")
                                .paced(java.time.Duration.ofSeconds(60), java.time.Duration.ZERO)
                        : FakeResponse.answer().text(Recipes.pieces(Recipes.JSON, 20)));
        AnthropicClient anthropic = AnthropicClient.builder()
                .apiKey("sk-ant-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        OpenAiClient openai = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(openai, "gpt-b")
                .hedging(dev.sluice.chat.Hedging.after(java.time.Duration.ofMillis(100)))
                .build();
        try (anthropic;
                openai;
                ObjectStream<Recipe> s =
                        ObjectStream.of(chain, REQUEST, ObjectSchema.of(Recipe.class), StreamController.create())) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            s.forEach(seen::add);
            assertEquals(Recipes.RECIPE, s.result());
            assertTrue(seen.stream().noneMatch(Partial::isReset));
            assertTrue(seen.stream().allMatch(p -> p.attempt() == 0));
        }
    }

    @Test
    void fallbackChain_restartOnAnotherProvider_resetsThePartial() throws Exception {
        FAKE.server()
                .setDispatcher(r -> r.path().contains("/v1/messages")
                        ? FakeResponse.answer()
                                .text(Recipes.pieces(Recipes.JSON, 20))
                                .errorAfter(3)
                        : FakeResponse.answer().text(Recipes.pieces(Recipes.JSON, 20)));
        AnthropicClient anthropic = AnthropicClient.builder()
                .apiKey("sk-ant-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        OpenAiClient openai = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(openai, "gpt-b")
                .build();
        try (anthropic;
                openai;
                ObjectStream<Recipe> s =
                        ObjectStream.of(chain, REQUEST, ObjectSchema.of(Recipe.class), StreamController.create())) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            s.forEach(seen::add);
            assertEquals(Recipes.RECIPE, s.result());
            assertTrue(seen.getFirst().get("title", String.class).isPresent(), "the first answer showed something");
            Partial<Recipe> reset =
                    seen.stream().filter(Partial::isReset).findFirst().orElseThrow();
            assertEquals(null, reset.value());
            assertEquals(1, seen.getLast().attempt());
        }
    }

    @Test
    void stream_closedMidway_letsTheConnectionGo() throws Exception {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .text(Recipes.pieces(Recipes.JSON, 5))
                        .stallAfter(10));
        Connected c = connect((Wire) wires().findFirst().orElseThrow().get()[0]);
        try (AutoCloseable client = c.client()) {
            ObjectStream<Recipe> s = ObjectStream.of(c.provider(), REQUEST, Recipe.class);
            EventStream<Partial<Recipe>> asEvents = s;
            var it = asEvents.iterator();
            it.next();
            s.close();
            org.awaitility.Awaitility.await().until(() -> FAKE.server().activeRequests() == 0);
            assertThrows(dev.sluice.IncompleteStreamException.class, s::result);
        }
    }
}
