package dev.sluice.anthropic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RateLimits;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate-limit headers on the stream, and holding new streams while a limit is exhausted. */
class AnthropicRateLimitTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient.Builder client() {
        return ClientTestSupport.client(FAKE.server().baseUrl().toString());
    }

    private void exhaustedThenFine(Instant reset) {
        ClientTestSupport.script(
                FAKE.server(),
                List.of(
                        ClientTestSupport.replay(ClientTestSupport.textStream("one"))
                                .header("anthropic-ratelimit-requests-limit", "5")
                                .header("anthropic-ratelimit-requests-remaining", "0")
                                .header("anthropic-ratelimit-requests-reset", reset.toString()),
                        ClientTestSupport.replay(ClientTestSupport.textStream("two"))));
    }

    @Test
    void rateLimits_responseHeaders_onTheStream() {
        Instant reset = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        exhaustedThenFine(reset);
        try (AnthropicClient c = client().build();
                MessageStream s = c.messages().stream(ClientTestSupport.request())) {
            RateLimits.Limit requests =
                    s.rateLimits().orElseThrow().get(RateLimits.Kind.REQUESTS).orElseThrow();
            assertEquals(OptionalLong.of(5), requests.limit());
            assertEquals(OptionalLong.of(0), requests.remaining());
            assertEquals(reset, requests.resetAt().orElseThrow());
            assertEquals(reset, s.rateLimits().orElseThrow().exhaustedUntil().orElseThrow());
        }
    }

    @Test
    void stream_limitExhaustedAndHoldOn_nextStreamWaitsUntilTheReset() {
        Instant reset = Instant.now().plusMillis(600);
        exhaustedThenFine(reset);
        try (AnthropicClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            try (MessageStream s = c.messages().stream(ClientTestSupport.request())) {
                assertEquals("one", s.result().text());
            }
            try (MessageStream s = c.messages().stream(ClientTestSupport.request())) {
                assertTrue(!Instant.now().isBefore(reset), "sent after the reset");
                assertEquals("two", s.result().text());
            }
        }
    }

    @Test
    void neutralStream_limitExhaustedAndHoldOn_reportedOnTheClientAndNextStreamWaits() {
        Instant reset = Instant.now().plusMillis(600);
        exhaustedThenFine(reset);
        dev.sluice.chat.ChatRequest chat = dev.sluice.chat.ChatRequest.builder()
                .model("claude-test")
                .addMessage(dev.sluice.chat.ChatMessage.user("Hi"))
                .build();
        try (AnthropicClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            assertEquals("one", c.chat(chat).text());
            assertEquals(
                    reset.truncatedTo(ChronoUnit.MILLIS),
                    c.rateLimits().orElseThrow().exhaustedUntil().orElseThrow().truncatedTo(ChronoUnit.MILLIS));
            assertEquals("two", c.chat(chat).text());
            assertTrue(!Instant.now().isBefore(reset), "sent after the reset");
        }
    }

    @Test
    void stream_resetFurtherThanTheHold_notHeld() {
        Instant reset = Instant.now().plusSeconds(60);
        exhaustedThenFine(reset);
        try (AnthropicClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            c.messages().stream(ClientTestSupport.request()).close();
            try (MessageStream s = c.messages().stream(ClientTestSupport.request())) {
                assertEquals("two", s.result().text());
                assertTrue(Instant.now().isBefore(reset));
            }
        }
    }

    @Test
    void stream_cancelWhileHeld_endsCancelledWithoutSending() throws Exception {
        exhaustedThenFine(Instant.now().plusSeconds(4));
        try (AnthropicClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            c.messages().stream(ClientTestSupport.request()).close();
            StreamController held = StreamController.create();
            AtomicReference<MessageStream> second = new AtomicReference<>();
            Thread t =
                    Thread.ofVirtual().start(() -> second.set(c.messages().stream(ClientTestSupport.request(), held)));
            await().atMost(Duration.ofSeconds(3)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
            long before = System.nanoTime();
            held.cancel("not now");
            t.join(Duration.ofSeconds(3));
            assertTrue(System.nanoTime() - before < 2_000_000_000L, "the cancel ended the hold, not the reset");
            assertEquals(EndReason.CANCELLED, second.get().endReason().orElseThrow());
            assertEquals(1, ClientTestSupport.requests(FAKE.server()));
        }
    }
}
