package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;

/** README task 1: stream a reply and print it as it arrives. */
public final class StreamAndPrint {
    private StreamAndPrint() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client());
        }
    }

    static void run(AnthropicClient client) {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addUserMessage("How do rivers shape the land?")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.text().forEach(System.out::print); // each piece as it arrives
        }
    }
}
