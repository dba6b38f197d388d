package dev.sluice.chat;

/**
 * A {@link ChatProvider} that is one provider's client: it names the provider it reaches, and it
 * holds what its streams run on (an HTTP client, open streams), so whoever built it closes it.
 * Sluice's clients ({@code AnthropicClient}, {@code OpenAiClient}, {@code GeminiClient},
 * {@code BedrockClient}) are one each, and so is every client {@code ProviderCatalog} connects.
 *
 * <pre>{@code
 * try (ProviderClient client = ProviderCatalog.BEDROCK_ANTHROPIC.connect(options, System.getenv())) {
 *     ChatResponse answer = client.chat(request);
 * }
 * }</pre>
 *
 * <p>Threading: as {@link ChatProvider}; {@link #close()} is safe from any thread.
 */
public interface ProviderClient extends ChatProvider, AutoCloseable {
    /**
     * {@return the provider this client reaches, by its id in {@code ProviderCatalog} (the name
     * {@code --provider}, {@code --fallback} and {@code sluice.fallback} give it): {@code anthropic},
     * {@code bedrock-anthropic}, {@code vertex}, ...}
     */
    String providerName();

    /**
     * Cancels the client's open streams and releases what it holds. Idempotent; throws nothing
     * checked. A stream started after it fails.
     */
    @Override
    void close();
}
