package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;

/**
 * README, Failover: a chain of two providers; an answer that fails on the first goes on with the
 * second, as one stream. A restart says so with a reset, and the text so far is replaced.
 */
public final class FallbackAcrossProviders {
    private FallbackAcrossProviders() {}

    static String run(ChatProvider anthropic, ChatProvider openai) {
        FallbackChain chain = FallbackChain.builder()
                .target("anthropic:claude-sonnet-5-5", anthropic, "claude-sonnet-5-5")
                .target("openai:gpt-6-luna", openai, "gpt-6-luna")
                .build();
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addMessage(ChatMessage.user("Why is the sea salty?"))
                .build();
        StringBuilder answer = new StringBuilder();
        try (EventStream<MessageChunk> chunks = chain.stream(request)) {
            for (MessageChunk chunk : chunks) {
                if (chunk.failover() != null && chunk.failover().reset()) answer.setLength(0); // restarted elsewhere
                answer.append(chunk.text());
            }
        }
        return answer.toString();
    }
}
