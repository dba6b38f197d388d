package dev.sluice.cli;

import dev.sluice.client.ClientOptions;
import dev.sluice.client.RetryPolicy;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The providers {@code sluice stream --provider} accepts. Adding one is one entry: its name, its
 * environment variables, a default model and a {@link StreamBackend.Factory} (for a
 * {@link dev.sluice.chat.ChatProvider}, {@code options -> new ChatBackend(client, client)}).
 *
 * The embedded fake server speaks all of their APIs.
 */
final class Providers {
    private Providers() {}

    /**
     * One provider.
     *
     * @param keyVariable the environment variable with the API key
     * @param baseUrlVariable the environment variable with the base URL (without the version path)
     * @param factory how to connect
     */
    record Provider(String name, String keyVariable, String baseUrlVariable, String defaultModel,
                    StreamBackend.Factory factory) {}

    /** The default provider. */
    static final String DEFAULT = "anthropic";

    private static final Map<String, Provider> ALL = table();

    private static Map<String, Provider> table() {
        Map<String, Provider> m = new LinkedHashMap<>();
        for (Provider p : new Provider[] {
                new Provider("anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "claude-sonnet-4-5",
                        AnthropicBackend::connect),
                new Provider("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL", "gpt-4o-mini",
                        Providers::openai),
                new Provider("openai-responses", "OPENAI_API_KEY", "OPENAI_BASE_URL", "gpt-5-mini",
                        Providers::openaiResponses),
                new Provider("gemini", "GEMINI_API_KEY", "GEMINI_BASE_URL", "gemini-2.5-flash",
                        Providers::gemini),
        }) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** OpenAI Chat Completions, through its client as a {@link dev.sluice.chat.ChatProvider}. */
    private static StreamBackend openai(ClientOptions options) {
        OpenAiClient client = OpenAiClient.builder().options(options).build();
        return new ChatBackend(client, client);
    }

    /** The OpenAI Responses API, through {@code client.responses()} as a {@link dev.sluice.chat.ChatProvider}. */
    private static StreamBackend openaiResponses(ClientOptions options) {
        OpenAiClient client = OpenAiClient.builder().options(options).build();
        return new ChatBackend(client.responses(), client);
    }

    /** Google Gemini, through its client as a {@link dev.sluice.chat.ChatProvider}. */
    private static StreamBackend gemini(ClientOptions options) {
        GeminiClient client = GeminiClient.builder().options(options).build();
        return new ChatBackend(client, client);
    }

    /**
     * {@return client options with the key (none when null: the client then takes only a base URL
     * on loopback, and sends it a placeholder key), the base URL (none when null: the provider's)
     * and the retries}
     *
     * @throws IllegalArgumentException for a base URL a client cannot use
     */
    static ClientOptions.Builder options(String apiKey, String baseUrl, RetryPolicy retries) {
        ClientOptions.Builder b = ClientOptions.builder().retryPolicy(retries);
        if (apiKey != null) b.apiKey(apiKey);
        if (baseUrl != null) b.baseUrl(baseUrl);
        return b;
    }

    /**
     * {@return a client of the named provider as a {@link ChatProvider} (every client is also
     * {@link AutoCloseable}), for commands on the provider-neutral layer such as {@code sluice agent}}
     *
     * @param apiKey the key, or null (a base URL on loopback then gets a placeholder)
     * @param baseUrl the base URL, or null for the provider's
     */
    static ChatProvider chatProvider(Provider provider, String apiKey, String baseUrl, RetryPolicy retries) {
        return chatProvider(provider, options(apiKey, baseUrl, retries).build());
    }

    /** As {@link #chatProvider(Provider, String, String, RetryPolicy)}, with the client options given whole. */
    static ChatProvider chatProvider(Provider provider, ClientOptions options) {
        return switch (provider.name()) {
            case "anthropic" -> AnthropicClient.builder().options(options).build();
            case "openai" -> OpenAiClient.builder().options(options).build();
            case "openai-responses" -> new ClosingProvider(OpenAiClient.builder().options(options).build());
            case "gemini" -> GeminiClient.builder().options(options).build();
            default -> throw new IllegalArgumentException("no chat client for provider " + provider.name());
        };
    }

    /** {@code client.responses()} as a provider that closes its client, as the other clients do. */
    private record ClosingProvider(OpenAiClient client) implements ChatProvider, AutoCloseable {
        @Override
        public dev.sluice.stream.EventStream<dev.sluice.chat.MessageChunk> stream(dev.sluice.chat.ChatRequest request) {
            return client.responses().stream(request);
        }

        @Override
        public dev.sluice.stream.EventStream<dev.sluice.chat.MessageChunk> stream(dev.sluice.chat.ChatRequest request,
                dev.sluice.stream.StreamController controller) {
            return client.responses().stream(request, controller);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** {@return the provider of that name, if it is one the command knows} */
    static Optional<Provider> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** {@return the names, for messages: "anthropic, openai, openai-responses, gemini"} */
    static String names() {
        return String.join(", ", ALL.keySet());
    }
}
