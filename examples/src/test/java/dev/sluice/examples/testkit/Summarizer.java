package dev.sluice.examples.testkit;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;

/** Your code: a class that streams a summary with Sluice. */
final class Summarizer {
    private final AnthropicClient client;

    Summarizer(AnthropicClient client) {
        this.client = client;
    }

    String summarize(String text) {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(300)
                .addUserMessage("Summarize: " + text)
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            return stream.result().text();
        }
    }
}
