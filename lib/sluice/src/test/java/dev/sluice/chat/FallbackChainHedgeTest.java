package dev.sluice.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.Hedge;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hedging {@link FallbackChain} over real loopback sockets, on each provider's wire format: the
 * testkit's server answers each target by the model asked for. Time is a fake clock handed to the
 * stream's options, moved by the test: nothing hedges until the test moves it.
 */
@Timeout(30)
class FallbackChainHedgeTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("unused")
            .addMessage(ChatMessage.user("Why is the sky blue?"))
            .maxTokens(256)
            .build();
    private static final Duration THRESHOLD = Duration.ofMillis(800);
    /** A first event a minute away: the server waits for it watching the connection, so it sees the client leave. */
    private static final Duration NEVER = Duration.ofSeconds(60);

    private final List<AutoCloseable> clients = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final AtomicLong clockReads = new AtomicLong();
    private final StreamOptions options = StreamOptions.builder()
            .nanoTime(() -> {
                clockReads.incrementAndGet();
                return now.get();
            })
            .build();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) c.close();
    }

    static Stream<Arguments> providers() {
        return Stream.of(
                Arguments.of("anthropic", (Function<FallbackChainHedgeTest, ChatProvider>)
                        FallbackChainHedgeTest::anthropic),
                Arguments.of("openai", (Function<FallbackChainHedgeTest, ChatProvider>) FallbackChainHedgeTest::openai),
                Arguments.of("openai-responses", (Function<FallbackChainHedgeTest, ChatProvider>)
                        t -> t.openai().responses()),
                Arguments.of(
                        "gemini", (Function<FallbackChainHedgeTest, ChatProvider>) FallbackChainHedgeTest::gemini));
    }

    private String base() {
        return FAKE.server().baseUrl().toString();
    }

    private AnthropicClient anthropic() {
        return anthropic(null);
    }

    private AnthropicClient anthropic(CircuitBreakerPolicy breaker) {
        AnthropicClient.Builder b =
                AnthropicClient.builder().apiKey("sk-ant-test").baseUrl(base()).retryPolicy(RetryPolicy.none());
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
                .build();
        clients.add(c);
        return c;
    }

    private GeminiClient gemini() {
        GeminiClient c = GeminiClient.builder()
                .apiKey("test-key")
                .baseUrl(base())
                .retryPolicy(RetryPolicy.none())
                .build();
        clients.add(c);
        return c;
    }

    private static void answer(Map<String, FakeResponse> byModel) {
        FallbackChainTest.answer(FAKE.server(), byModel);
    }

    private static FallbackChain chain(ChatProvider provider, Hedging hedging, StreamObserver... observers) {
        FallbackChain.Builder b = FallbackChain.builder()
                .target("slow-a", provider, "slow-a")
                .target("fast-b", provider, "fast-b")
                .hedging(hedging);
        for (StreamObserver o : observers) b.observer(o);
        return b.build();
    }

    /** Everything the consumer saw, and the aggregate. */
    private record Read(String text, String thinking, List<MessageChunk> chunks, ChatResponse response) {}

    private static Read read(EventStream<MessageChunk> chunks) {
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        List<MessageChunk> all = new ArrayList<>();
        ChunkAggregator aggregator = new ChunkAggregator();
        try (chunks) {
            for (MessageChunk c : chunks) {
                all.add(c);
                aggregator.accept(c);
                text.append(c.text());
                thinking.append(c.thinking());
            }
        }
        return new Read(text.toString(), thinking.toString(), all, aggregator.result());
    }

    /** Waits until the chain's race has read the clock a few times more: it has seen the time now set. */
    private void awaitClockSeen() {
        long seen = clockReads.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> clockReads.get() > seen + 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void stream_noContentAtTheThreshold_nextTargetAnswersAndTheSlowOneIsClosed(
            String name, Function<FallbackChainHedgeTest, ChatProvider> provider) {
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("SLOW ", "TEXT").usage(11, 5).paced(NEVER, Duration.ZERO),
                "fast-b",
                FakeResponse.answer().text("Fast ", "answer.").usage(7, 2)));
        FallbackChain chain = chain(provider.apply(this), Hedging.after(THRESHOLD));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        assertEquals(1, FAKE.server().requestCount()); // the clock stands at 0: no hedge yet
        now.set(THRESHOLD.toNanos());
        Read read = read(chunks);

        assertEquals("Fast answer.", read.text());
        assertFalse(read.chunks().stream().anyMatch(c -> c.text().contains("SLOW")));
        Hedge h = read.response().metadata().hedge();
        assertEquals(new Hedge("slow-a", "fast-b", "fast-b", THRESHOLD, 0, 0), h);
        assertTrue(h.won());
        assertEquals("fast-b", read.response().metadata().model());
        assertEquals(List.of(), read.response().metadata().failovers());
        assertEquals(2, FAKE.server().requestCount());
        // the slow target's request ends as soon as its client closes the connection, not in a minute
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 0);
        assertEquals(new FallbackChain.HedgeCounts(1, 1, 0), chain.hedgeCounts().get("fast-b"));
        assertEquals(new FallbackChain.HedgeCounts(0, 0, 0), chain.hedgeCounts().get("slow-a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void stream_firstTargetAnswersAfterTheHedgeStarted_hedgeIsCancelledAndNothingOfItShows(
            String name, Function<FallbackChainHedgeTest, ChatProvider> provider) {
        CountDownLatch release = new CountDownLatch(1);
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("First ", "wins.").pauseAfter(0, release),
                "fast-b",
                FakeResponse.answer().text("HEDGE ", "TEXT").usage(9, 4).paced(NEVER, Duration.ZERO)));
        FallbackChain chain = chain(provider.apply(this), Hedging.after(THRESHOLD));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        now.set(THRESHOLD.toNanos());
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().requestCount() == 2);
        release.countDown();
        Read read = read(chunks);

        assertEquals("First wins.", read.text());
        Hedge h = read.response().metadata().hedge();
        assertEquals("slow-a", h.winner());
        assertFalse(h.won());
        assertEquals("fast-b", h.loser());
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 0);
        assertEquals(new FallbackChain.HedgeCounts(1, 0, 1), chain.hedgeCounts().get("fast-b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void stream_clockPastTheThresholdAfterFirstContent_neverHedges(
            String name, Function<FallbackChainHedgeTest, ChatProvider> provider) {
        CountDownLatch release = new CountDownLatch(1);
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("Hel", "lo ", "there.").pauseAfter(1, release),
                "fast-b",
                FakeResponse.answer().text("never")));
        FallbackChain chain = chain(provider.apply(this), Hedging.after(THRESHOLD));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        var it = chunks.iterator();
        String first = "";
        while (first.isEmpty()) first = it.next().text();
        now.set(Duration.ofSeconds(30).toNanos());
        awaitClockSeen();
        release.countDown();
        StringBuilder rest = new StringBuilder(first);
        while (it.hasNext()) rest.append(it.next().text());
        chunks.close();

        assertEquals("Hello there.", rest.toString());
        assertEquals(1, FAKE.server().requestCount());
        assertEquals(new FallbackChain.HedgeCounts(0, 0, 0), chain.hedgeCounts().get("fast-b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void stream_cancelledWhileBothRace_closesBoth(
            String name, Function<FallbackChainHedgeTest, ChatProvider> provider) {
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("a").paced(NEVER, Duration.ZERO),
                "fast-b",
                FakeResponse.answer().text("b").paced(NEVER, Duration.ZERO)));
        FallbackChain chain = chain(provider.apply(this), Hedging.after(THRESHOLD));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        now.set(THRESHOLD.toNanos());
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 2);
        chunks.controller().cancel("the user left");

        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 0);
        assertFalse(chunks.iterator().hasNext());
        assertEquals(EndReason.CANCELLED, chunks.endReason().orElseThrow());
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_capReached_theNextSlowStreamIsNotHedged() {
        CountDownLatch release = new CountDownLatch(1);
        FAKE.server()
                .enqueue(
                        FakeResponse.answer().text("slow").paced(NEVER, Duration.ZERO), // stream 1, first target
                        FakeResponse.answer().text("Hedged."), // stream 1, hedge
                        FakeResponse.answer().text("Waited.").pauseAfter(0, release)); // stream 2, first target
        FallbackChain chain = chain(anthropic(), Hedging.after(THRESHOLD).withCap(0.5, 2)); // one hedge in two streams

        EventStream<MessageChunk> one = chain.stream(REQUEST, options);
        now.set(THRESHOLD.toNanos());
        assertEquals("Hedged.", read(one).text());
        EventStream<MessageChunk> two = chain.stream(REQUEST, options);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        awaitClockSeen();
        release.countDown();
        Read read = read(two);

        assertEquals("Waited.", read.text());
        assertNull(read.response().metadata().hedge());
        assertEquals(3, FAKE.server().requestCount());
        assertEquals(1, chain.hedgeCounts().get("fast-b").started());
    }

    @Test
    void stream_nextTargetsBreakerOpen_noHedge() {
        AnthropicClient tripped =
                anthropic(new CircuitBreakerPolicy(50, 2, 2, Duration.ofMinutes(5), 1, java.time.Clock.systemUTC()));
        FAKE.server().setDispatcher(r -> FakeResponse.overloaded());
        ChatRequest b = ChatRequest.builder()
                .model("fast-b")
                .addMessage(ChatMessage.user("hi"))
                .build();
        for (int i = 0; i < 2; i++)
            assertThrows(ApiException.class, () -> tripped.stream(b).close());
        assertTrue(tripped.refusesNewStreams());
        CountDownLatch release = new CountDownLatch(1);
        answer(Map.of("slow-a", FakeResponse.answer().text("Waited.").pauseAfter(0, release)));
        FallbackChain chain = FallbackChain.builder()
                .target("slow-a", anthropic(), "slow-a")
                .target("fast-b", tripped, "fast-b")
                .hedging(Hedging.after(THRESHOLD))
                .build();
        int before = FAKE.server().requestCount();

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        now.set(Duration.ofSeconds(10).toNanos());
        awaitClockSeen();
        release.countDown();
        Read read = read(chunks);

        assertEquals("Waited.", read.text());
        assertEquals(before + 1, FAKE.server().requestCount());
        assertEquals(0, chain.hedgeCounts().get("fast-b").started());
    }

    @Test
    void stream_nextTargetsRateLimitExhausted_noHedge() {
        AnthropicClient limited = anthropic();
        String reset = java.time.Instant.now().plus(Duration.ofMinutes(10)).toString();
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .text("ok")
                        .header("anthropic-ratelimit-requests-limit", "50")
                        .header("anthropic-ratelimit-requests-remaining", "0")
                        .header("anthropic-ratelimit-requests-reset", reset));
        read(limited.stream(ChatRequest.builder()
                .model("fast-b")
                .addMessage(ChatMessage.user("hi"))
                .build()));
        assertTrue(limited.rateLimits().orElseThrow().exhaustedUntil().isPresent());
        CountDownLatch release = new CountDownLatch(1);
        answer(Map.of("slow-a", FakeResponse.answer().text("Waited.").pauseAfter(0, release)));
        FallbackChain chain = FallbackChain.builder()
                .target("slow-a", anthropic(), "slow-a")
                .target("fast-b", limited, "fast-b")
                .hedging(Hedging.after(THRESHOLD))
                .build();

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        now.set(Duration.ofSeconds(10).toNanos());
        awaitClockSeen();
        release.countDown();

        assertEquals("Waited.", read(chunks).text());
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_thinkingAtTheThresholdByDefault_countsAsContentAndIsNotHedged() {
        CountDownLatch release = new CountDownLatch(1);
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().thinking("Let me think.").text("Blue.").pauseAfter(1, release),
                "fast-b",
                FakeResponse.answer().text("never")));
        FallbackChain chain = chain(anthropic(), Hedging.after(THRESHOLD));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        var it = chunks.iterator();
        String thought = "";
        while (thought.isEmpty()) thought = it.next().thinking();
        now.set(Duration.ofSeconds(10).toNanos());
        awaitClockSeen();
        release.countDown();
        StringBuilder text = new StringBuilder();
        while (it.hasNext()) text.append(it.next().text());

        assertEquals("Let me think.", thought);
        assertEquals("Blue.", text.toString());
        assertEquals(1, FAKE.server().requestCount());
    }

    @Test
    void stream_thinkingNotContent_slowThinkerIsHedgedAndItsThinkingNeverShows() {
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().thinking("SECRET THOUGHT").text("SLOW").stallAfter(1),
                "fast-b",
                FakeResponse.answer().thinking("Quick thought.").text("Blue.")));
        FallbackChain chain = chain(anthropic(), Hedging.after(THRESHOLD).withThinkingAsContent(false));

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        await().atMost(Duration.ofSeconds(5)).until(() -> clockReads.get() > 20); // the race is under way
        now.set(THRESHOLD.toNanos());
        Read read = read(chunks);

        assertEquals("Blue.", read.text());
        assertEquals("Quick thought.", read.thinking());
        assertEquals("fast-b", read.response().metadata().hedge().winner());
        await().atMost(Duration.ofSeconds(5)).until(() -> FAKE.server().activeRequests() == 0);
    }

    @Test
    void stream_percentile_hedgesAfterTheTargetsOwnRecentTimeNotBeforeNorTheFloor() {
        FallbackChain chain = chain(anthropic(), Hedging.percentile(90, Duration.ofMillis(100)));
        answer(Map.of("slow-a", FakeResponse.answer().text("ok")));
        for (int i = 0; i < Hedging.MIN_SAMPLES; i++) { // each takes 2 s to its first content on the fake clock
            EventStream<MessageChunk> s = chain.stream(REQUEST, options);
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            read(s);
        }
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("SLOW").paced(NEVER, Duration.ZERO),
                "fast-b",
                FakeResponse.answer().text("Hedged.")));
        int before = FAKE.server().requestCount();

        EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
        now.addAndGet(Duration.ofMillis(1900).toNanos()); // past the floor, short of the target's p90
        awaitClockSeen();
        assertEquals(before + 1, FAKE.server().requestCount());
        now.addAndGet(Duration.ofMillis(100).toNanos());
        Read read = read(chunks);

        assertEquals("Hedged.", read.text());
        assertEquals(Duration.ofSeconds(2), read.response().metadata().hedge().after());
    }

    @Test
    void stream_hedge_isToldToObserversAndFlightRecorder(@TempDir Path dir) throws Exception {
        answer(Map.of(
                "slow-a",
                FakeResponse.answer().text("SLOW").paced(NEVER, Duration.ZERO),
                "fast-b",
                FakeResponse.answer().text("ok")));
        List<Hedge> seen = new CopyOnWriteArrayList<>();
        StreamObserver observer = new StreamObserver() {
            @Override
            public Observation onStart(dev.sluice.client.StreamStart start) {
                return Observation.NONE;
            }

            @Override
            public void onHedge(Hedge hedge) {
                seen.add(hedge);
            }
        };
        FallbackChain chain = chain(anthropic(), Hedging.after(THRESHOLD), observer);
        Path file = dir.resolve("hedge.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.sluice.Hedge");
            recording.start();
            EventStream<MessageChunk> chunks = chain.stream(REQUEST, options);
            now.set(THRESHOLD.toNanos());
            read(chunks);
            recording.stop();
            recording.dump(file);
        }

        assertEquals(1, seen.size());
        assertEquals("fast-b", seen.getFirst().winner());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.sluice.Hedge"))
                .toList();
        assertEquals(1, events.size());
        assertEquals("slow-a", events.getFirst().getString("from"));
        assertEquals("fast-b", events.getFirst().getString("winner"));
        assertEquals(THRESHOLD, events.getFirst().getDuration("after"));
    }

    @Test
    void hedging_checksEachArgument() {
        assertThrows(IllegalArgumentException.class, () -> Hedging.after(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Hedging.percentile(100, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> Hedging.percentile(0, Duration.ofMillis(1)));
        assertThrows(
                IllegalArgumentException.class, () -> Hedging.after(THRESHOLD).withCap(0, 10));
        assertThrows(
                IllegalArgumentException.class, () -> Hedging.after(THRESHOLD).withCap(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Hedge("a", "b", "c", THRESHOLD, 0, 0));
        assertEquals(5, Hedging.after(THRESHOLD).allowedInWindow());
        assertTrue(Hedging.after(THRESHOLD).thinkingAsContent());
        assertEquals(
                "Hedging[after 800ms, thinking is content, at most 5% of 100 streams]",
                Hedging.after(THRESHOLD).toString());
    }
}
