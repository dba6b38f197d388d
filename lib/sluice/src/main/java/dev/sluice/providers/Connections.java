package dev.sluice.providers;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Passthrough;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RateLimits;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.vertex.VertexAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How {@link ProviderCatalog}'s constants connect: each cloud's access read from an environment map
 * as the cloud's SDK reads it, the client options' key and base URL over the map's.
 */
final class Connections {
    private Connections() {}

    /**
     * How to reach Amazon Bedrock, at the host whose endpoint variable comes first among the
     * provider's ({@link ProviderCatalog#baseUrlVariables(Map)}: the runtime host's, or the mantle
     * host's, giving {@link AwsAccess#mantle()}): with none of its variables set, the options'
     * endpoint and key alone (a fake's, a job's); else the environment read as the AWS SDK reads it,
     * the options' key (a Bedrock API key) and base URL (that host's endpoint) over the environment's.
     *
     * @throws IllegalArgumentException naming the setting whose value is refused
     * @throws IllegalStateException saying what to set, when no region is found or the access key is half set
     */
    static AwsAccess aws(ProviderCatalog provider, ClientOptions options, Map<String, String> env) {
        String endpointVariable = provider.baseUrlVariables(env).getFirst();
        boolean mantle = endpointVariable.equals(AwsAccess.MANTLE_ENDPOINT_ENV);
        if (!provider.configured(env)
                && options.apiKey().isPresent()
                && options.baseUrl().isPresent()) {
            AwsAccess.Builder b = AwsAccess.builder().apiKey(options.apiKey().get());
            String url = options.baseUrl().get().toString();
            return mantle
                    ? b.mantleEndpoint(url).build().mantle()
                    : b.endpoint(url).build();
        }
        if (options.apiKey().isEmpty()
                && nonBlank(env.get(AwsAccess.BEARER_TOKEN_ENV)) == null
                && nonBlank(env.get("AWS_ACCESS_KEY_ID")) != null
                && nonBlank(env.get("AWS_SECRET_ACCESS_KEY")) == null) {
            throw new IllegalStateException(
                    "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both (and AWS_SESSION_TOKEN"
                            + " for temporary credentials)");
        }
        Map<String, String> settings = new HashMap<>(env);
        options.apiKey().ifPresent(k -> settings.put(AwsAccess.BEARER_TOKEN_ENV, k));
        options.baseUrl().ifPresent(u -> settings.put(endpointVariable, u.toString()));
        AwsAccess access = AwsAccess.fromEnv(settings);
        return mantle ? access.mantle() : access;
    }

    /**
     * Vertex AI: the environment read as google-genai reads it ({@link VertexAccess#fromEnv(Map)}),
     * the options' base URL over the environment's, the options' key used as an access token.
     */
    static VertexAccess vertex(ClientOptions options, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        options.baseUrl().ifPresent(u -> settings.put(VertexAccess.BASE_URL_ENV, u.toString()));
        VertexAccess.Builder b = VertexAccess.builder().fromEnv(settings);
        options.apiKey()
                .ifPresent(token -> b.tokenProvider(
                        () -> new AccessTokenProvider.Token(token, Instant.now().plus(Duration.ofHours(1)))));
        return b.build();
    }

    /**
     * Azure OpenAI's v1 API: the endpoint from the options, the options' key, else the environment's
     * Microsoft Entra ID credentials.
     *
     * @throws IllegalStateException saying to set the endpoint
     */
    static OpenAiClient azureOpenAi(ClientOptions options, Map<String, String> env) {
        String endpoint = options.baseUrl()
                .map(Object::toString)
                .orElseThrow(() -> new IllegalStateException("Azure OpenAI needs its endpoint: set "
                        + AzureAccess.OPENAI_ENDPOINT_ENV
                        + " to the resource's, such as https://my-resource.openai.azure.com"));
        Map<String, String> settings = new HashMap<>(env);
        settings.put(AzureAccess.OPENAI_ENDPOINT_ENV, endpoint);
        options.apiKey().ifPresent(k -> settings.put(AzureAccess.OPENAI_API_KEY_ENV, k));
        return OpenAiClient.builder()
                .options(options)
                .azure(AzureAccess.fromEnv(settings))
                .build();
    }

    /**
     * Claude on Microsoft Foundry: the options' base URL, else the environment's resource (as
     * {@link AzureAccess#foundryFromEnv(Map)} reads it); the options' key, else Entra ID's credentials.
     *
     * @throws IllegalStateException saying what to set
     */
    static ProviderClient foundry(ClientOptions options, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        options.baseUrl().ifPresent(u -> {
            settings.remove(AzureAccess.FOUNDRY_RESOURCE_ENV);
            settings.put(AzureAccess.FOUNDRY_BASE_URL_ENV, u.toString());
        });
        if (nonBlank(settings.get(AzureAccess.FOUNDRY_RESOURCE_ENV)) == null
                && nonBlank(settings.get(AzureAccess.FOUNDRY_BASE_URL_ENV)) == null) {
            throw new IllegalStateException("Claude on Foundry needs its resource: set "
                    + AzureAccess.FOUNDRY_RESOURCE_ENV + " (the resource's name) or " + AzureAccess.FOUNDRY_BASE_URL_ENV
                    + " (such as https://my-resource.services.ai.azure.com/anthropic)");
        }
        options.apiKey().ifPresent(k -> settings.put(AzureAccess.FOUNDRY_API_KEY_ENV, k));
        return AnthropicClient.builder()
                .options(options)
                .foundry(AzureAccess.foundryFromEnv(settings))
                .build();
    }

    static @Nullable String nonBlank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** How a constant builds its client. */
    @FunctionalInterface
    interface Connector {
        ProviderClient connect(ProviderCatalog provider, ClientOptions options, Map<String, String> env);
    }

    /** {@code client.responses()} as a client that closes its client, as the other clients do. */
    record ResponsesClient(OpenAiClient client) implements ProviderClient {
        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return client.responses().stream(request, controller);
        }

        @Override
        public String providerName() {
            return client.responses().providerName();
        }

        @Override
        public Optional<RateLimits> rateLimits() {
            return client.responses().rateLimits();
        }

        @Override
        public boolean refusesNewStreams() {
            return client.responses().refusesNewStreams();
        }

        /** {@return the Responses API's passthrough, both its calls: streamed and answered whole} */
        @Override
        public Optional<Passthrough> passthrough() {
            return client.responses().passthrough();
        }

        @Override
        public void close() {
            client.close();
        }

        @Override
        public String toString() {
            return "ResponsesClient[" + client + "]";
        }
    }
}
