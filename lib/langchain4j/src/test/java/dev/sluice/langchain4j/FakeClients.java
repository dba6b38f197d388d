package dev.sluice.langchain4j;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmServer;

/** An Anthropic and an OpenAI client of one fake server, without retries, closed together. */
record FakeClients(AnthropicClient anthropic, OpenAiClient openai) implements AutoCloseable {
    static FakeClients of(FakeLlmServer server) {
        String url = server.baseUrl().toString();
        return new FakeClients(
                AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(url)
                        .retryPolicy(RetryPolicy.none())
                        .build(),
                OpenAiClient.builder()
                        .apiKey("test")
                        .baseUrl(url)
                        .retryPolicy(RetryPolicy.none())
                        .build());
    }

    @Override
    public void close() {
        anthropic.close();
        openai.close();
    }
}
