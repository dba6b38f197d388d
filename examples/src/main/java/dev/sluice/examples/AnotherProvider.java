package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;

/**
 * README task 5: the same code for any provider, through the neutral {@link ChatProvider} that
 * {@code AnthropicClient}, {@code OpenAiClient} (both APIs) and {@code GeminiClient} all are.
 */
public final class AnotherProvider {
    private AnotherProvider() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client(), ExampleClient.MODEL);
        }
    }

    static void run(ChatProvider provider, String model) {
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .maxTokens(1024)
                .addMessage(ChatMessage.user("What makes bread rise?"))
                .build();
        try (EventStream<MessageChunk> chunks = provider.stream(request)) {
            for (MessageChunk chunk : chunks) System.out.print(chunk.text());
        }
    }
}
