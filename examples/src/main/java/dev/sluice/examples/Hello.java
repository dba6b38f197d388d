package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;

/** docs/first-project.md's first program, as a consumer project writes it (its package aside). */
public class Hello {
    public static void main(String[] args) {
        try (AnthropicClient client = AnthropicClient.fromEnv();
                MessageStream stream = client.messages().stream(MessageRequest.builder()
                        .model("claude-sonnet-5-5")
                        .maxTokens(1024)
                        .addUserMessage("Tell me how rivers shape the land.")
                        .build())) {
            stream.text().forEach(System.out::print);
            System.out.println();
        }
    }
}
