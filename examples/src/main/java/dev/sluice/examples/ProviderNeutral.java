package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider-neutral view: any {@link ChatProvider} (here the Anthropic client; OpenAI's and
 * Gemini's clients are providers too) streams {@link MessageChunk}s, and a {@link ChunkAggregator}
 * turns them into a partial response at any moment and the final one at the end.
 */
public final class ProviderNeutral {
    private ProviderNeutral() {}

    /** The partial texts seen along the way, and the final response. */
    record Result(List<String> partials, ChatResponse response) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client());
            System.out.println(r.response().text());
            System.out.println(r.response().finishReason() + ", " + r.response().usage() + ", "
                    + r.response().metadata().chunks() + " chunks");
        }
    }

    /** Streams a reply through the provider-neutral interface, aggregating it as it arrives. */
    static Result run(ChatProvider provider) {
        ChatRequest request = ChatRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .system("Answer in a few sentences.")
                .addMessage(ChatMessage.user("Why is the sky blue?"))
                .build();
        ChunkAggregator aggregator = new ChunkAggregator();
        List<String> partials = new ArrayList<>();
        try (EventStream<MessageChunk> chunks = provider.stream(request)) {
            for (MessageChunk chunk : chunks) {
                aggregator.accept(chunk);
                if (!chunk.text().isEmpty()) partials.add(aggregator.snapshot().text()); // safe from any thread, too
            }
        }
        return new Result(partials, aggregator.result());
    }
}
