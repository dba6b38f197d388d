package dev.sluice.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link FallbackChain}'s cooldown (a target cut mid-answer is asked last for a while) and its
 * {@link FallbackChain#continuingOnly()} view (no restarted answer that its consumer could not hand
 * on), over the testkit's server speaking Anthropic's API.
 */
class FallbackChainCooldownTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("unused")
            .addMessage(ChatMessage.user("Why is the sky blue?"))
            .maxTokens(256)
            .build();

    private AnthropicClient anthropic;
    private final AtomicInteger cuts = new AtomicInteger(); // how many answers of claude-a are still cut

    @BeforeEach
    void start() {
        anthropic = AnthropicClient.builder()
                .apiKey("sk-ant-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
        FAKE.server().setDispatcher(r -> {
            if ("claude-a".equals(r.json("/model")) && cuts.getAndDecrement() > 0)
                return FakeResponse.answer()
                        .text("The sky ", "is blue ", "because")
                        .cutAfter(2);
            return FakeResponse.answer().text("Blue, by Rayleigh scattering.");
        });
    }

    @AfterEach
    void close() {
        anthropic.close();
    }

    @Test
    void continuingOnly_cutAfterTextWhereTheNextTargetCannotContinue_failsAtOnceAndAsksNoOtherTarget() {
        cuts.set(1);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-opus-4-6") // takes no prefill (ModelCatalog): only a restart could follow
                .build()
                .continuingOnly();
        StringBuilder text = new StringBuilder();

        try (EventStream<MessageChunk> chunks = chain.stream(REQUEST)) {
            SluiceException e = assertThrows(SluiceException.class, () -> {
                for (MessageChunk c : chunks) {
                    assertEquals(null, c.failover(), "no switch after content");
                    text.append(c.text());
                }
            });
            assertTrue(e.partial(ChatResponse.class).isPresent(), e.toString());
        }

        assertEquals("The sky is blue ", text.toString());
        assertEquals(1, FAKE.server().requestCount(), "no answer started that nobody would read");
        assertEquals(0, chain.failovers());
    }

    @Test
    void continuingOnly_cutAfterTextWhereTheNextTargetContinues_continuesThere() {
        cuts.set(1);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-b-unlisted") // takes a prefill: the answer goes on there
                .build()
                .continuingOnly();
        StringBuilder text = new StringBuilder();

        try (EventStream<MessageChunk> chunks = chain.stream(REQUEST)) {
            for (MessageChunk c : chunks) text.append(c.text());
        }

        assertTrue(text.toString().startsWith("The sky is blue "), text.toString());
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void cooldown_targetCutMidAnswer_isAskedLastUntilItPasses() {
        cuts.set(1);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-opus-4-6")
                .cooldown(Duration.ofMillis(1500))
                .build();
        FallbackChain gateway = chain.continuingOnly(); // a view: the same cooldowns
        assertThrows(SluiceException.class, () -> drain(gateway));

        drain(chain); // the client's retry
        drain(gateway.continuingOnly());

        List<RecordedRequest> asked = FAKE.server().requests();
        assertEquals(
                List.of("claude-a", "claude-opus-4-6", "claude-opus-4-6"),
                asked.stream().map(r -> (String) r.json("/model")).toList());
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int before = FAKE.server().requests().size();
                    drain(chain);
                    return "claude-a"
                            .equals(FAKE.server().requests().get(before).json("/model"));
                });
    }

    @Test
    void noCooldown_targetCutMidAnswer_isAskedFirstAgain() {
        cuts.set(1);
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-a")
                .target(anthropic, "claude-opus-4-6")
                .build();
        drain(chain); // restarted on claude-opus-4-6

        drain(chain);

        assertEquals(
                List.of("claude-a", "claude-opus-4-6", "claude-a"),
                FAKE.server().requests().stream()
                        .map(r -> (String) r.json("/model"))
                        .toList());
    }

    @Test
    void cooldown_negative_refused() {
        assertThrows(
                IllegalArgumentException.class, () -> FallbackChain.builder().cooldown(Duration.ofSeconds(-1)));
    }

    private static String drain(FallbackChain chain) {
        StringBuilder text = new StringBuilder();
        try (EventStream<MessageChunk> chunks = chain.stream(REQUEST)) {
            for (MessageChunk c : chunks) {
                if (c.failover() != null && c.failover().reset()) text.setLength(0);
                text.append(c.text());
            }
        }
        return text.toString();
    }
}
