package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ConcurrencyLimit;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One configuration for every client: a {@link ClientOptions} value holds what the clients share
 * (retries, stream defaults, limits, observers, headers) and each provider's builder takes it, then
 * adds what is its own (the key, here the base URL). Runs against the embedded fake server, which
 * speaks every provider's API.
 */
public final class SharedOptions {
    private SharedOptions() {}

    public static void main(String[] args) {
        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(70).start()) {
            System.out.println(run(fake.baseUrl().toString(), "fake", System.out));
        }
    }

    /** Streams one reply from Anthropic and one from OpenAI, both configured by one value; {@return their texts} */
    static List<String> run(String baseUrl, String key, PrintStream out) {
        StreamObserver printModels = start -> {
            out.println("[" + start.provider() + ": " + start.model() + "]");
            return StreamObserver.Observation.NONE;
        };
        ClientOptions shared = ClientOptions.builder() // one value, any provider
                .retryPolicy(RetryPolicy.defaults().withMaxRetries(4))
                .streamOptions(StreamOptions.builder()
                        .idleTimeout(Duration.ofSeconds(30))
                        .build())
                .concurrencyLimit(ConcurrencyLimit.of(8))
                .observer(printModels)
                .build();
        try (AnthropicClient claude = AnthropicClient.builder()
                        .options(shared)
                        .apiKey(key)
                        .baseUrl(baseUrl)
                        .build();
                OpenAiClient gpt = OpenAiClient.builder()
                        .options(shared)
                        .apiKey(key)
                        .baseUrl(baseUrl)
                        .build()) {
            return List.of(text(claude, ExampleClient.MODEL), text(gpt, "gpt-6-luna"));
        }
    }

    private static String text(ChatProvider provider, String model) {
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .maxTokens(256)
                .addMessage(ChatMessage.user("Why is the sky blue?"))
                .build();
        List<String> deltas = new ArrayList<>();
        try (EventStream<MessageChunk> chunks = provider.stream(request)) {
            chunks.forEach(chunk -> deltas.add(chunk.text()));
        }
        return String.join("", deltas);
    }
}
