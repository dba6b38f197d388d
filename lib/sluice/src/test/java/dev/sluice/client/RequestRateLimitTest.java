package dev.sluice.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RequestRateLimitException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client-side request rate limit (Resilience4j's RateLimiter), the same for every provider:
 * refused at once when the wait would be too long, waiting for the next period, cancellable, and
 * giving back the other guards' holds when it refuses. Over the test kit's server; the periods on a fake clock
 * where nothing must wait.
 */
class RequestRateLimitTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final AtomicLong fakeNanos = new AtomicLong(1_000_000_000L);

    /** A provider's client on the loopback server, its every POST answered with one captured stream. */
    record Provider(String name, String fixture, Function<RequestRateLimit, ChatProvider> client) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Provider> providers() {
        String base = FAKE.server().baseUrl().toString();
        return Stream.of(
                new Provider(
                        "anthropic",
                        "/anthropic/text-basic.sse",
                        l -> AnthropicClient.builder()
                                .apiKey("sk-ant-SECRET")
                                .baseUrl(base)
                                .requestRateLimit(l)
                                .build()),
                new Provider(
                        "openai",
                        "/openai/text-basic.sse",
                        l -> OpenAiClient.builder()
                                .apiKey("sk-SECRET")
                                .baseUrl(base)
                                .requestRateLimit(l)
                                .build()),
                new Provider(
                        "gemini",
                        "/gemini/text-basic.sse",
                        l -> GeminiClient.builder()
                                .apiKey("AIza-SECRET")
                                .baseUrl(base)
                                .requestRateLimit(l)
                                .build()));
    }

    private static void serve(String fixture) {
        FakeResponse stream = FakeResponse.sse(resource(fixture));
        FAKE.server().setDispatcher(r -> r.method().equals("POST") ? stream : FakeResponse.status(404));
    }

    private static byte[] resource(String name) {
        try (InputStream in = RequestRateLimitTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model("gemini-2.5-flash")
                .addMessage(ChatMessage.user("Hi"))
                .maxTokens(64)
                .build();
    }

    private static void drain(EventStream<MessageChunk> chunks) {
        try (chunks) {
            chunks.forEach(c -> {});
        }
    }

    private static int requests() {
        return (int) FAKE.server().requests().stream()
                .filter(r -> r.method().equals("POST"))
                .count();
    }

    private static void close(ChatProvider p) throws Exception {
        ((AutoCloseable) p).close();
    }

    @Test
    void of_badValues_refusedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestRateLimit.of(0, Duration.ofSeconds(1)))
                .getMessage()
                .contains("permits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestRateLimit.of(1, Duration.ZERO))
                .getMessage()
                .contains("period"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> RequestRateLimit.of(1, Duration.ofSeconds(1)).withMaxWait(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("maxWait"));
        assertEquals(RequestRateLimit.of(5, Duration.ofSeconds(1)), RequestRateLimit.of(5, Duration.ofSeconds(1)));
        assertEquals(
                "RequestRateLimit[5 per PT1S, maxWait=PT1M]",
                RequestRateLimit.of(5, Duration.ofSeconds(1)).toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void stream_permitsSpentAndWaitTooLong_refusedAtOnceNothingSent_thenTheNextPeriodLetsItThrough(Provider p)
            throws Exception {
        serve(p.fixture());
        ChatProvider client = p.client()
                .apply(RequestRateLimit.of(2, Duration.ofMinutes(1))
                        .withMaxWait(Duration.ofSeconds(10))
                        .withNanoTime(fakeNanos::get));
        try {
            drain(client.stream(request()));
            drain(client.stream(request()));
            long before = System.nanoTime();
            RequestRateLimitException e = assertThrows(RequestRateLimitException.class, () -> client.stream(request()));
            assertTrue(System.nanoTime() - before < 5_000_000_000L, "refused at once, not after the wait");
            assertEquals(2, e.permits());
            assertEquals(Duration.ofMinutes(1), e.period());
            assertTrue(e.getMessage().contains("request rate limit of 2 streams per 60000 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
            assertEquals(2, requests());
            fakeNanos.addAndGet(Duration.ofMinutes(1).toNanos());
            drain(client.stream(request()));
            assertEquals(3, requests());
        } finally {
            close(client);
        }
    }

    @Test
    void stream_noPermitLeft_waitsForTheNextPeriod() throws Exception {
        serve("/openai/text-basic.sse");
        try (OpenAiClient client = OpenAiClient.builder()
                .apiKey("sk-SECRET")
                .baseUrl(FAKE.server().baseUrl().toString())
                .requestRateLimit(RequestRateLimit.of(1, Duration.ofMillis(300)).withMaxWait(Duration.ofSeconds(5)))
                .build()) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) drain(client.stream(request()));
            // permits in three successive periods: the first and the third are more than a period apart
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "waited for the periods");
            assertEquals(3, requests());
            assertEquals(0, client.resilienceMetrics().refusedStreams());
        }
    }

    @Test
    void stream_cancelWhileWaitingForAPermit_endsCancelledNothingSent() throws Exception {
        serve("/anthropic/text-basic.sse");
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("sk-ant-SECRET")
                .baseUrl(FAKE.server().baseUrl().toString())
                .requestRateLimit(RequestRateLimit.of(1, Duration.ofMinutes(1))
                        .withMaxWait(Duration.ofMinutes(2))
                        .withNanoTime(fakeNanos::get))
                .build()) {
            drain(client.stream(request()));
            StreamController waiting = StreamController.create();
            AtomicReference<EventStream<MessageChunk>> second = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> second.set(client.stream(request(), waiting)));
            await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
            waiting.cancel("not now");
            assertTrue(t.join(Duration.ofSeconds(5)), "the cancel ended the wait");
            assertEquals(EndReason.CANCELLED, second.get().endReason().orElseThrow());
            assertEquals(1, requests());
        }
    }

    @Test
    void stream_refusedByTheRate_givesBackItsPlaceUnderTheConcurrencyLimit() throws Exception {
        serve("/gemini/text-basic.sse");
        try (GeminiClient client = GeminiClient.builder()
                .apiKey("AIza-SECRET")
                .baseUrl(FAKE.server().baseUrl().toString())
                .concurrencyLimit(ConcurrencyLimit.of(1).withMaxWait(Duration.ZERO))
                .requestRateLimit(RequestRateLimit.of(1, Duration.ofMinutes(1))
                        .withMaxWait(Duration.ZERO)
                        .withNanoTime(fakeNanos::get))
                .build()) {
            drain(client.stream(request()));
            // the first stream gives its place back at its end, on the thread that ends it: a moment after the drain
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.resilienceMetrics().openStreams() == 0);
            assertThrows(RequestRateLimitException.class, () -> client.stream(request()));
            assertEquals(0, client.resilienceMetrics().openStreams(), "the refused stream holds no place");
            assertEquals(1, client.resilienceMetrics().refusedStreams());
            fakeNanos.addAndGet(Duration.ofMinutes(1).toNanos());
            drain(client.stream(request())); // not refused for want of a place
            assertEquals(2, requests());
        }
    }
}
