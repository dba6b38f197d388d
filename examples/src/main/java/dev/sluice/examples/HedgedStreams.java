package dev.sluice.examples;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import java.time.Duration;

/** docs/failover.md, Hedging: a chain that races the second target beside a slow first token. */
public final class HedgedStreams {
    private HedgedStreams() {}

    static FallbackChain chain(ChatProvider anthropic, ChatProvider openai) {
        FallbackChain chain = FallbackChain.builder()
                .target("anthropic:claude-sonnet-5-5", anthropic, "claude-sonnet-5-5")
                .target("openai:gpt-6-luna", openai, "gpt-6-luna")
                .hedging(Hedging.after(Duration.ofMillis(800))) // or Hedging.percentile(95, Duration.ofMillis(300))
                .build();
        return chain;
    }
}
