package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;

/** README task 3: the whole message at the end, with its stop reason and usage. */
public final class FinalMessage {
    private FinalMessage() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client());
        }
    }

    static Message run(AnthropicClient client) {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addUserMessage("Why is the sky blue?")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            Message message = stream.result(); // reads the rest of the stream
            System.out.println(message.text());
            System.out.println(message.stopReason() + ", " + message.usage().outputTokens() + " output tokens");
            return message;
        }
    }
}
