package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fallback chain behind the relay: each switch is a {@code switch} event, built from its kind only. */
class RelayFailoverTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @Test
    void deliver_stallRestartedOnGemini_switchEventWithRestartThenTheNewAnswerAlone() {
        FAKE.server()
                .setDispatcher(r -> r.path().equals("/v1/messages")
                        ? FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(2)
                        : FakeResponse.answer().text("Whole ", "answer."));
        String base = FAKE.server().baseUrl().toString();
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .streamOptions(StreamOptions.builder()
                                .idleTimeout(Duration.ofMillis(300))
                                .build())
                        .build();
                GeminiClient gemini = GeminiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target("anthropic:claude-a", anthropic, "claude-a")
                    .target("gemini:gemini-b", gemini, "gemini-b")
                    .build();
            ByteArrayOutputStream out = deliverOne(chain);
            Recorded r = Recorded.of(out);

            List<String> types = r.types();
            int at = types.indexOf("switch");
            assertTrue(at > 0, types.toString());
            assertEquals(List.of("delta", "delta"), types.subList(at - 2, at));
            assertEquals(
                    "{\"from\":\"anthropic:claude-a\",\"to\":\"gemini:gemini-b\",\"reason\":\"timeout\","
                            + "\"mode\":\"restart\",\"kept\":\"\"}",
                    r.events().get(at).data());
            assertEquals("done", types.getLast());
            String afterSwitch = String.join(
                    "",
                    r.events().subList(at + 1, r.events().size()).stream()
                            .filter(e -> e.type().equals("delta"))
                            .map(e -> e.data())
                            .toList());
            assertTrue(afterSwitch.contains("Whole ") && !afterSwitch.contains("Half"), afterSwitch);
            assertTrue(
                    r.events().getLast().data().contains("\"text\":\"Whole answer.\""),
                    "done's text is the fallback's answer alone: "
                            + r.events().getLast().data());
            assertFalse(r.events().get(at).data().contains("idle timeout"), "the kind only, never the failure's text");
        }
    }

    /** {@return the SSE of one stream of a relay over the chain} */
    private static ByteArrayOutputStream deliverOne(FallbackChain chain) {
        Relay relay = Relay.builder().provider("anthropic", chain, "claude-a").build();
        try {
            String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(
                    Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
            return out;
        } finally {
            relay.close();
        }
    }

    @Test
    void switchFrame_overWebSocket_carriesEveryField() {
        RelayEvent.Switch s = new RelayEvent.Switch("a", "b", "overloaded", "continue", "The sky is ");
        assertEquals(
                "{\"id\":7,\"type\":\"switch\",\"from\":\"a\",\"to\":\"b\",\"reason\":\"overloaded\",\"mode\":\"continue\","
                        + "\"kept\":\"The sky is \"}",
                s.frame(7, null));
        assertFalse(s.reset());
        assertFalse(s.terminal());
    }

    @Test
    void deliver_hedgedChain_hedgeEventThenTheWinnersAnswerAloneAndInDone() {
        FAKE.server()
                .setDispatcher(r -> r.path().equals("/v1/messages")
                        ? FakeResponse.answer().text("SLOW").paced(Duration.ofSeconds(60), Duration.ZERO)
                        : FakeResponse.answer().text("Fast ", "answer."));
        String base = FAKE.server().baseUrl().toString();
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
                GeminiClient gemini = GeminiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target("anthropic:claude-a", anthropic, "claude-a")
                    .target("gemini:gemini-b", gemini, "gemini-b")
                    .hedging(dev.sluice.chat.Hedging.after(Duration.ofMillis(100)))
                    .build();
            ByteArrayOutputStream out = deliverOne(chain);
            Recorded r = Recorded.of(out);

            List<String> types = r.types();
            int at = types.indexOf("hedge");
            assertTrue(at > 0 && at < types.indexOf("delta"), types.toString());
            assertEquals(
                    "{\"from\":\"anthropic:claude-a\",\"to\":\"gemini:gemini-b\",\"winner\":\"gemini:gemini-b\","
                            + "\"afterMs\":100,\"loserInputTokens\":0,\"loserOutputTokens\":0}",
                    r.events().get(at).data());
            assertFalse(types.contains("switch"));
            assertFalse(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("SLOW"));
            assertTrue(
                    r.events().getLast().data().contains("\"text\":\"Fast answer.\""),
                    r.events().getLast().data());
        }
    }
}
