package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's failover example, against the fake server: Anthropic stalls halfway, OpenAI answers. */
class FallbackAcrossProvidersTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    @Test
    void run_firstProviderStallsHalfway_answerIsTheSecondProvidersAlone() {
        FAKE.server()
                .setDispatcher(r -> r.path().equals("/v1/messages")
                        ? FakeResponse.answer()
                                .text("Rivers carry ", "minerals ", "to the sea")
                                .stallAfter(2)
                        : FakeResponse.answer().text("Salt comes from rocks, ", "washed into the sea by rivers."));
        String base = FAKE.server().baseUrl().toString();
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .streamOptions(StreamOptions.builder()
                                .idleTimeout(Duration.ofMillis(300))
                                .build())
                        .build();
                OpenAiClient openai =
                        OpenAiClient.builder().apiKey("k").baseUrl(base).build()) {
            assertEquals(
                    "Salt comes from rocks, washed into the sea by rivers.",
                    FallbackAcrossProviders.run(anthropic, openai));
        }
    }
}
