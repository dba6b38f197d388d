package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import java.io.PrintStream;

/** The shortest way to stream: the text deltas as a {@code Stream<String>}. */
public final class TextToStdout {
    private TextToStdout() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client(), System.out);
            System.out.println();
        }
    }

    /** Prints the reply's text to {@code out} as it arrives. */
    static void run(AnthropicClient client, PrintStream out) {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("Hello!")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.text().forEach(out::print);
        }
    }
}
