package dev.sluice.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.Failover;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamCaller;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FallbackChain} over real loopback sockets: the testkit's server answers each target by the
 * model asked for, with the fault each test scripts, in each provider's wire format.
 */
class FallbackChainTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("unused")
            .addMessage(ChatMessage.user("Why is the sky blue?"))
            .maxTokens(256)
            .build();
    private static final ChatRequest A_REQUEST = ChatRequest.builder()
            .model("claude-a")
            .addMessage(ChatMessage.user("Why is the sky blue?"))
            .maxTokens(256)
            .build();
    private static final StreamOptions SHORT_IDLE =
            StreamOptions.builder().idleTimeout(Duration.ofMillis(300)).build();

    private final List<AutoCloseable> clients = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) c.close();
    }

    private String base() {
        return FAKE.server().baseUrl().toString();
    }

    private AnthropicClient anthropic() {
        return anthropic(null);
    }

    private AnthropicClient anthropic(CircuitBreakerPolicy breaker) {
        AnthropicClient.Builder b = AnthropicClient.builder()
                .apiKey("sk-ant-test")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .streamOptions(SHORT_IDLE);
        if (breaker != null) b.circuitBreaker(breaker);
        AnthropicClient c = b.build();
        clients.add(c);
        return c;
    }

    private OpenAiClient openai() {
        OpenAiClient c = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .streamOptions(SHORT_IDLE)
                .build();
        clients.add(c);
        return c;
    }

    private GeminiClient gemini() {
        GeminiClient c = GeminiClient.builder()
                .apiKey("test-key")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .streamOptions(SHORT_IDLE)
                .build();
        clients.add(c);
        return c;
    }

    private static void answer(Map<String, FakeResponse> byModel) {
        answer(FAKE.server(), byModel);
    }

    /** Answers each request by its model: in the body, or in Gemini's path. Shared with the hedging tests. */
    static void answer(dev.sluice.testkit.FakeLlmServer server, Map<String, FakeResponse> byModel) {
        server.setDispatcher(r -> {
            FakeResponse f = byModel.get(model(r));
            if (f == null) throw new AssertionError("no answer scripted for " + model(r));
            return f;
        });
    }

    private static String model(RecordedRequest r) {
        if (r.path().contains("/models/")) {
            String p = r.path().substring(r.path().indexOf("/models/") + 8);
            return p.substring(0, p.indexOf(':'));
        }
        return (String) r.json("/model");
    }

    /** The stream read as a UI would: appending text, replacing it at a reset. */
    private record Read(String text, List<Failover> failovers, ChatResponse response) {}

    private static Read read(EventStream<MessageChunk> chunks) {
        StringBuilder shown = new StringBuilder();
        List<Failover> failovers = new ArrayList<>();
        ChunkAggregator aggregator = new ChunkAggregator();
        try (chunks) {
            for (MessageChunk c : chunks) {
                aggregator.accept(c);
                if (c.failover() != null) {
                    failovers.add(c.failover());
                    if (c.failover().reset()) shown.setLength(0);
                }
                shown.append(c.text());
            }
        }
        return new Read(shown.toString(), failovers, aggregator.result());
    }

    @Test
    void answer_firstTargetOverloaded_nextTargetAnswersInOneCallNotStreamed_switchSeenAndListed() {
        answer(Map.of(
                "gpt-a",
                FakeResponse.overloaded(),
                "gpt-b",
                FakeResponse.answer().text("Hel", "lo").usage(7, 2)));
        List<Failover> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FallbackChain chain = FallbackChain.builder()
                .target(openai(), "gpt-a")
                .target(openai(), "gpt-b")
                .observer(new StreamObserver() {
                    @Override
                    public Observation onStart(dev.sluice.client.StreamStart start) {
                        return Observation.NONE;
                    }

                    @Override
                    public void onFailover(Failover failover) {
                        seen.add(failover);
                    }
                })
                .build();

        ChatResponse r = chain.answer(REQUEST, dev.sluice.stream.StreamController.create(), 1 << 20);

        assertEquals("Hello", r.text());
        assertTrue(r.complete());
        assertEquals(Usage.of(7, 2), r.usage());
        assertEquals(1, seen.size(), seen.toString());
        Failover f = seen.getFirst();
        assertEquals("gpt-a", f.from());
        assertEquals("gpt-b", f.to());
        assertEquals(Failover.Reason.SERVER_ERROR, f.reason()); // OpenAI's 503 server_error
        assertFalse(f.reset());
        assertEquals(List.of(f), r.metadata().failovers());
        assertEquals(1, chain.failovers());
        List<RecordedRequest> sent = FAKE.server().requests();
        assertEquals(2, sent.size());
        // each target asked for the whole answer in one call, not streamed (the chain used to stream and gather)
        for (RecordedRequest q : sent) assertFalse(Boolean.TRUE.equals(q.json("/stream")), q.body());
        assertEquals("gpt-b", sent.get(1).json("/model"));
    }

    @Test
    void answer_badRequestOnTheFirstTarget_endsThereWithoutAskingTheNext() {
        answer(Map.of(
                "gpt-a",
                FakeResponse.apiError(400, "invalid_request_error", "bad request"),
                "gpt-b",
                FakeResponse.answer().text("never")));
        FallbackChain chain = FallbackChain.builder()
                .target(openai(), "gpt-a")
                .target(openai(), "gpt-b")
                .build();

        ApiException e = assertThrows(
                ApiException.class, () -> chain.answer(REQUEST, dev.sluice.stream.StreamController.create(), 1 << 20));

        assertEquals(400, e.statusCode());
        assertEquals(1, FAKE.server().requests().size());
        assertEquals(0, chain.failovers());
    }

    @Test
    void answer_everyTargetOverloaded_failsNamingEachTarget() {
        answer(Map.of("gpt-a", FakeResponse.overloaded(), "gpt-b", FakeResponse.overloaded()));
        FallbackChain chain = FallbackChain.builder()
                .target(openai(), "gpt-a")
                .target(openai(), "gpt-b")
                .build();

        IncompleteStreamException e = assertThrows(
                IncompleteStreamException.class,
                () -> chain.answer(REQUEST, dev.sluice.stream.StreamController.create(), 1 << 20));

        assertTrue(
                e.getMessage().contains("every target")
                        && e.getMessage().contains("gpt-a: server_error")
                        && e.getMessage().contains("gpt-b: server_error"),
                e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void answer_totalTimeoutPassesWhileTheFirstTargetSendsNothing_totalTimeoutAndTheNextTargetNotAsked() {
        answer(Map.of(
                "gpt-a",
                FakeResponse.noResponse(),
                "gpt-b",
                FakeResponse.answer().text("late")));
        FallbackChain chain = FallbackChain.builder()
                .target(openai(), "gpt-a")
                .target(openai(), "gpt-b")
                .build();

        dev.sluice.StreamTimeoutException e = assertThrows(
                dev.sluice.StreamTimeoutException.class,
                () -> chain.answer(
                        REQUEST, dev.sluice.stream.StreamController.withTotalTimeout(Duration.ofMillis(500)), 1 << 20));

        assertEquals(dev.sluice.StreamTimeoutException.Timeout.TOTAL, e.timeout());
        assertEquals(1, FAKE.server().requests().size());
        await().atMost(Duration.ofSeconds(10)).until(() -> FAKE.server().activeRequests() == 0);
    }

    @Test
    void stream_overloadedBeforeContent_answerComesFromTheFallbackAsOneStream() {
        answer(Map.of(
                "claude-a",
                FakeResponse.overloaded(),
                "gpt-b",
                FakeResponse.answer().text("Hel", "lo").usage(7, 2)));
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(openai(), "gpt-b")
                .build();

        EventStream<MessageChunk> stream = chain.stream(REQUEST);
        Read read = read(stream);

        assertEquals("Hello", read.text());
        assertEquals("Hello", read.response().text());
        Failover f = read.failovers().getFirst();
        // the failed attempt's request id on its switch, the answering target's as the stream's (was none)
        assertTrue(f.fromRequestId() != null && f.fromRequestId().startsWith("req_fake_"), f.toString());
        assertEquals(
                List.of(new Failover(
                        "claude-a",
                        "gpt-b",
                        Failover.Reason.OVERLOADED,
                        Failover.Mode.CONTINUE,
                        "",
                        0,
                        0,
                        f.fromRequestId())),
                read.failovers());
        String answered = stream.requestId().orElseThrow();
        assertTrue(answered.startsWith("req_fake_") && !answered.equals(f.fromRequestId()), answered);
        assertFalse(f.reset());
        assertEquals("gpt-b", read.response().metadata().model());
        assertEquals(List.of(f), read.response().metadata().failovers());
        assertEquals(Usage.of(7, 2), read.response().usage());
        assertEquals(1, chain.failovers());
    }

    @Test
    void stream_cutAfterDeltasOnAnthropic_continuesOnSecondAnthropicModelWithTheExactText() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer()
                        .text("The sky ", "is blue ", "because")
                        .usage(10, 3)
                        .cutAfter(2),
                "claude-b",
                FakeResponse.answer()
                        .text(" because of Rayleigh", " scattering.")
                        .usage(14, 2)));
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("The sky is blue because of Rayleigh scattering.", read.text());
        assertEquals(read.text(), read.response().text());
        Failover f = read.failovers().getFirst();
        assertEquals(Failover.Mode.CONTINUE, f.mode());
        assertEquals(Failover.Reason.CONNECTION_LOST, f.reason());
        assertEquals("The sky is blue ", f.keptText());
        assertEquals(10, f.inputTokens());
        RecordedRequest continuation = FAKE.server().requests().get(1);
        assertEquals("assistant", continuation.json("/messages/1/role"));
        assertEquals("The sky is blue", continuation.json("/messages/1/content/0/text")); // no trailing whitespace
        assertEquals("claude-b", read.response().metadata().model());
        assertEquals(new Usage(24, 3, 0, 0), read.response().usage()); // summed over the targets
    }

    @Test
    void stream_openedForACaller_theTargetItFailsOverToLaterIsOpenedForItToo() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("The sky ", "is blue ", "because").cutAfter(2),
                "claude-b",
                FakeResponse.answer().text(" because of Rayleigh", " scattering.")));
        List<StreamStart> starts = new CopyOnWriteArrayList<>();
        AnthropicClient anthropic = AnthropicClient.builder()
                .apiKey("sk-ant-test")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .observer(start -> {
                    starts.add(start);
                    return StreamObserver.Observation.NONE;
                })
                .build();
        clients.add(anthropic);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .build();

        // read after the call returned: the second target is opened later, from the stream's own thread
        Read read = read(StreamCaller.call("key_chain", () -> chain.stream(REQUEST)));

        assertEquals("The sky is blue because of Rayleigh scattering.", read.text());
        assertEquals(
                List.of("claude-a key_chain", "claude-b key_chain"),
                starts.stream().map(s -> s.model() + " " + s.caller()).toList());
    }

    @Test
    void stream_cutAfterMoreThanAContinuationCarries_restartsWithoutAPrefill() {
        String half = "word ".repeat(FallbackRun.MAX_CONTINUED_CHARS / 10 + 1); // two halves: past the bound
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text(half, half, "never sent").cutAfter(2),
                "claude-b",
                FakeResponse.answer().text("Short, from the start.")));
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .build();

        Read read = read(chain.stream(REQUEST));

        Failover f = read.failovers().getFirst();
        assertEquals(Failover.Mode.RESTART, f.mode(), f.toString());
        assertEquals("", f.keptText());
        RecordedRequest second = FAKE.server().requests().get(1);
        assertEquals(1, ((List<?>) second.json("/messages")).size(), "no prefill of the answer so far");
        assertEquals("Short, from the start.", read.response().text());
    }

    /** claude-a cuts its answer after two deltas; every other model refuses a last assistant message, as Claude 4.6+ does. */
    private static void cutOnATargetThatRefusesAPrefill() {
        FAKE.server().setDispatcher(r -> {
            if ("claude-a".equals(model(r)))
                return FakeResponse.answer()
                        .text("The sky ", "is blue ", "because")
                        .cutAfter(2);
            List<?> messages = (List<?>) r.json("/messages");
            return messages.size() > 1 // Claude 4.6 and later refuse a last assistant message
                    ? FakeResponse.apiError(
                            400, "invalid_request_error", "This model does not support assistant message prefill.")
                    : FakeResponse.answer().text("Blue, by Rayleigh scattering.");
        });
    }

    @Test
    void stream_continuationRefusedByAModelWithoutPrefill_restartsOnThatTarget() {
        cutOnATargetThatRefusesAPrefill();
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-z-unlisted") // not in the catalog: tried, refused, restarted
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("Blue, by Rayleigh scattering.", read.text());
        assertEquals(read.text(), read.response().text());
        assertEquals(1, read.failovers().size());
        assertTrue(read.failovers().getFirst().reset());
        assertEquals(3, FAKE.server().requestCount());
    }

    @Test
    void stream_targetTheCatalogKnowsTakesNoPrefill_restartsWithoutTryingToContinue() {
        cutOnATargetThatRefusesAPrefill();
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-opus-4-6") // Claude 4.6 and later refuse a prefill (ModelCatalog)
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("Blue, by Rayleigh scattering.", read.text());
        assertTrue(read.failovers().getFirst().reset());
        assertEquals(2, FAKE.server().requestCount()); // no continuation was sent
    }

    static Stream<Arguments> restartTargets() {
        return Stream.of(
                Arguments.of("openai", (Function<FallbackChainTest, ChatProvider>) FallbackChainTest::openai),
                Arguments.of("openai-responses", (Function<FallbackChainTest, ChatProvider>)
                        t -> t.openai().responses()),
                Arguments.of("gemini", (Function<FallbackChainTest, ChatProvider>) FallbackChainTest::gemini));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restartTargets")
    void stream_stallHalfwayThenProviderThatCannotContinue_restartsWithResetAndTheFallbacksTextAlone(
            String name, Function<FallbackChainTest, ChatProvider> fallback) {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(2),
                "other-b",
                FakeResponse.answer().text("A fresh ", "answer.")));
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(fallback.apply(this), "other-b")
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("A fresh answer.", read.text());
        assertEquals("A fresh answer.", read.response().text());
        Failover f = read.failovers().getFirst();
        assertTrue(f.reset());
        assertEquals(Failover.Reason.TIMEOUT, f.reason());
        assertEquals("", f.keptText());
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_cutInsideToolCall_restartsTheTurnEvenOnAProviderThatCanContinue() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer()
                        .text("Let me look.")
                        .toolCall("get_weather", "{\"city\":", "\"Par")
                        .cutAfter(2),
                "claude-b",
                FakeResponse.answer().toolCall("get_weather", "{\"city\":", "\"Paris\"}")));
        AnthropicClient anthropic = anthropic();
        ChatRequest request = ChatRequest.builder()
                .model("unused")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(new Tool("get_weather", "the weather", Map.of("type", "object")))
                .build();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .build();

        Read read = read(chain.stream(request));

        assertTrue(read.failovers().getFirst().reset());
        assertEquals("", read.response().text());
        assertEquals(1, read.response().toolCalls().size());
        assertEquals(
                Map.of("city", "Paris"), read.response().toolCalls().getFirst().parsedArguments());
        assertEquals(1, ((List<?>) FAKE.server().requests().get(1).json("/messages")).size()); // no prefill
    }

    @Test
    void stream_badRequest_failsWithoutFailingOver() {
        answer(Map.of(
                "claude-a",
                FakeResponse.apiError(400, "invalid_request_error", "max_tokens: too large"),
                "gpt-b",
                FakeResponse.answer().text("never")));
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(openai(), "gpt-b")
                .build();

        ApiException e =
                assertThrows(ApiException.class, () -> chain.stream(REQUEST).close());

        assertEquals(400, e.statusCode());
        assertEquals(1, FAKE.server().requestCount());
        assertEquals(0, chain.failovers());
    }

    @Test
    void stream_everyTargetFails_errorNamesEachTargetAndReasonWithThePartial() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("Part", "ial ", "answer").cutAfter(2),
                "claude-b",
                FakeResponse.overloaded(),
                "gpt-c",
                FakeResponse.status(503)));
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .target(openai(), "gpt-c")
                .build();
        StringBuilder shown = new StringBuilder();

        IncompleteStreamException e = assertThrows(IncompleteStreamException.class, () -> {
            try (EventStream<MessageChunk> chunks = chain.stream(REQUEST)) {
                for (MessageChunk c : chunks) shown.append(c.text());
            }
        });

        assertTrue(
                e.getMessage().contains("claude-a: connection_lost, claude-b: overloaded, gpt-c: server_error"),
                e.getMessage());
        assertEquals(3, e.getSuppressed().length);
        assertEquals("Partial ", shown.toString());
        // the answer was restarted for gpt-c (it cannot continue), so nothing of it is kept
        assertEquals("", e.partial(ChatResponse.class).orElseThrow().text());
        assertEquals(
                2,
                e.partial(ChatResponse.class)
                        .orElseThrow()
                        .metadata()
                        .failovers()
                        .size()); // two switches among three targets
    }

    @Test
    void stream_everyTargetFailsInContinueMode_partialKeepsTheText() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("Part", "ial ", "answer").cutAfter(2),
                "claude-b",
                FakeResponse.overloaded()));
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .build();

        IncompleteStreamException e = assertThrows(IncompleteStreamException.class, () -> read(chain.stream(REQUEST)));

        assertEquals("Partial ", e.partial(ChatResponse.class).orElseThrow().text());
    }

    @Test
    void stream_breakerOpenTarget_isSkippedWithoutARequest() {
        AnthropicClient tripped =
                anthropic(new CircuitBreakerPolicy(50, 2, 2, Duration.ofMinutes(5), 1, java.time.Clock.systemUTC()));
        answer(Map.of(
                "claude-a",
                FakeResponse.overloaded(),
                "gpt-b",
                FakeResponse.answer().text("Fine.")));
        for (int i = 0; i < 2; i++)
            assertThrows(ApiException.class, () -> tripped.stream(A_REQUEST).close());
        assertThrows(CircuitOpenException.class, () -> tripped.stream(A_REQUEST).close());
        int before = FAKE.server().requestCount();
        FallbackChain chain = FallbackChain.builder()
                .target(tripped, "claude-a")
                .target(openai(), "gpt-b")
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("Fine.", read.text());
        assertEquals(Failover.Reason.BREAKER_OPEN, read.failovers().getFirst().reason());
        assertEquals(before + 1, FAKE.server().requestCount());
        assertEquals("/v1/chat/completions", FAKE.server().requests().getLast().path());
    }

    @Test
    void stream_restartMode_restartsEvenWhereTheNextTargetCouldContinue() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("One ", "two ", "three").cutAfter(2),
                "claude-b",
                FakeResponse.answer().text("Uno.")));
        AnthropicClient anthropic = anthropic();
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b")
                .mode(Failover.Mode.RESTART)
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("Uno.", read.text());
        assertTrue(read.failovers().getFirst().reset());
    }

    @Test
    void stream_noFailure_chunksPassAsTheProviderMadeThem() {
        answer(Map.of("claude-a", FakeResponse.answer().text("Just ", "fine.").usage(3, 2)));
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(openai(), "gpt-b")
                .build();

        Read read = read(chain.stream(REQUEST));

        assertEquals("Just fine.", read.text());
        assertEquals(List.of(), read.failovers());
        assertEquals(List.of(), read.response().metadata().failovers());
        assertEquals(Usage.of(3, 2), read.response().usage());
        assertEquals(1, FAKE.server().requestCount());
    }

    @Test
    void stream_switch_isToldToObserversAndFlightRecorder(@TempDir Path dir) throws Exception {
        answer(Map.of(
                "claude-a",
                FakeResponse.overloaded(),
                "gpt-b",
                FakeResponse.answer().text("ok")));
        List<Failover> seen = new CopyOnWriteArrayList<>();
        StreamObserver observer = new StreamObserver() {
            @Override
            public Observation onStart(dev.sluice.client.StreamStart start) {
                return Observation.NONE;
            }

            @Override
            public void onFailover(Failover failover) {
                seen.add(failover);
            }
        };
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(openai(), "gpt-b")
                .observer(observer)
                .build();
        Path file = dir.resolve("failover.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.sluice.Failover");
            recording.start();
            read(chain.stream(REQUEST));
            recording.stop();
            recording.dump(file);
        }

        assertEquals(1, seen.size());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.sluice.Failover"))
                .toList();
        assertEquals(1, events.size());
        assertEquals("claude-a", events.getFirst().getString("from"));
        assertEquals("gpt-b", events.getFirst().getString("to"));
        assertEquals("overloaded", events.getFirst().getString("reason"));
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void stream_closedWhileTheFallbackStreams_cancelsItsAttempt() {
        answer(Map.of(
                "claude-a",
                FakeResponse.overloaded(),
                "gpt-b",
                FakeResponse.answer().text("a", "b", "c").stallAfter(1)));
        OpenAiClient openai = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .build();
        clients.add(openai);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic(), "claude-a")
                .target(openai, "gpt-b")
                .build();

        EventStream<MessageChunk> chunks = chain.stream(REQUEST);
        var it = chunks.iterator();
        String first = "";
        while (first.isEmpty()) first = it.next().text();
        chunks.close();

        assertEquals("a", first);
        assertEquals(dev.sluice.stream.EndReason.CANCELLED, chunks.endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 0);
    }

    @Test
    void stream_controllerWithItsOwnIdleTimeout_eachAttemptRunsUnderItAndTheStallMovesOn() {
        answer(Map.of(
                "claude-a",
                FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(2),
                "gpt-b",
                FakeResponse.answer().text("Whole.")));
        AnthropicClient patient = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .build();
        clients.add(patient); // its own idle timeout is a minute
        FallbackChain chain = FallbackChain.builder()
                .target(patient, "claude-a")
                .target(openai(), "gpt-b")
                .build();
        dev.sluice.stream.StreamController controller = dev.sluice.stream.StreamController.of(SHORT_IDLE);

        Read read = read(chain.stream(REQUEST, controller));

        assertEquals("Whole.", read.text());
        assertEquals(Failover.Reason.TIMEOUT, read.failovers().getFirst().reason());
        assertThrows(IllegalStateException.class, () -> chain.stream(REQUEST, controller));
    }

    @Test
    void chat_failover_returnsTheFinishingTargetsAnswer() {
        answer(Map.of(
                "claude-a",
                FakeResponse.status(500),
                "gemini-b",
                FakeResponse.answer().text("Done.")));
        FallbackChain chain = FallbackChain.builder()
                .target("anthropic:claude-a", anthropic(), "claude-a")
                .target("gemini:gemini-b", gemini(), "gemini-b")
                .build();

        ChatResponse r = chain.chat(REQUEST);

        assertEquals("Done.", r.text());
        assertEquals("gemini:gemini-b", r.metadata().failovers().getLast().to());
        assertEquals(
                Failover.Reason.SERVER_ERROR, r.metadata().failovers().getLast().reason());
    }

    @Test
    void builder_checksEachArgument() {
        FallbackChain.Builder b = FallbackChain.builder();
        assertThrows(IllegalStateException.class, b::build);
        ChatProvider p = anthropic();
        assertThrows(IllegalArgumentException.class, () -> b.target(p, " "));
        b.target(p, "m");
        assertThrows(IllegalArgumentException.class, () -> b.target(p, "m"));
        FallbackChain chain = b.build();
        assertThrows(
                IllegalArgumentException.class, () -> FallbackChain.builder().target(chain, "x"));
        assertThrows(NullPointerException.class, () -> b.mode(null));
        assertNull(FallbackRun.reasonOf(new ApiException(401, "authentication_error", "bad key", false, null)));
        assertInstanceOf(SluiceException.class, new IncompleteStreamException("x"));
    }
}
