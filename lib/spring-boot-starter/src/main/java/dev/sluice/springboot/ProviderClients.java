package dev.sluice.springboot;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ConcurrencyLimit;
import dev.sluice.client.RequestRateLimit;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.TokenBudget;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.StreamOptions;
import dev.sluice.vertex.VertexAccess;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Provider clients from their {@code sluice.PROVIDER.*} properties. Each setting goes to the
 * client's own setter, which checks it; a refusal becomes an
 * {@link InvalidConfigurationPropertyValueException} naming the property (and never showing a key),
 * which Spring Boot reports as the startup failure.
 */
final class ProviderClients {
    /**
     * {@return what to set for the provider's client, by the cloud it rides: its key or base URL,
     * a cloud's own settings}
     */
    static String whatToSet(ProviderCatalog provider) {
        return switch (provider.cloud()) {
            case AWS ->
                "set sluice.bedrock.region or sluice.bedrock.base-url (with sluice.bedrock.api-key,"
                        + " or sluice.bedrock.access-key-id and secret-access-key, or AWS's credentials in the environment)";
            case GOOGLE -> "set sluice.vertex.project, sluice.vertex.location or sluice.vertex.base-url";
            case AZURE ->
                provider.cloudVariables().contains(AzureAccess.FOUNDRY_RESOURCE_ENV)
                        ? "set sluice.azure.foundry.resource or sluice.azure.foundry.base-url"
                        : "set sluice.azure.base-url (the resource's endpoint)";
            case NONE -> "set sluice." + provider.id() + ".api-key or sluice." + provider.id() + ".base-url";
        };
    }

    /** {@return the model of a cloud's second provider: its property, else the provider's default} */
    static String model(ProviderCatalog provider, @Nullable String property) {
        return property != null && !property.isBlank() ? property.strip() : provider.defaultModel();
    }

    private ProviderClients() {}

    /** {@return the model of the provider: its property, else the provider's default} */
    static String model(ProviderCatalog provider, SluiceProperties.Provider p) {
        return model(provider, p.getModel());
    }

    static AnthropicClient anthropic(SluiceProperties.Anthropic p, List<StreamObserver> observers) {
        String prefix = "sluice.anthropic.";
        AnthropicClient.Builder b = AnthropicClient.builder().options(options(prefix, p, observers));
        if (p.getResumes() != 0)
            set(prefix + "resumes", p.getResumes(), () -> b.resume(ResumePolicy.upTo(p.getResumes())));
        String version = p.getVersion();
        if (version != null) set(prefix + "version", version, () -> b.anthropicVersion(version));
        if (!p.getBetas().isEmpty())
            set(prefix + "betas", p.getBetas(), () -> b.beta(p.getBetas().toArray(String[]::new)));
        Long budget = p.getBudget().getMaxOutputTokens();
        if (budget != null)
            set(prefix + "budget.max-output-tokens", budget, () -> b.tokenBudget(TokenBudget.of(budget)));
        return build(prefix, b::build);
    }

    static OpenAiClient openai(String prefix, SluiceProperties.OpenAi p, List<StreamObserver> observers) {
        OpenAiClient.Builder b = OpenAiClient.builder().options(options(prefix, p, observers));
        String organization = p.getOrganization();
        if (organization != null) set(prefix + "organization", organization, () -> b.organization(organization));
        String project = p.getProject();
        if (project != null) set(prefix + "project", project, () -> b.project(project));
        return build(prefix, b::build);
    }

    static GeminiClient gemini(SluiceProperties.Provider p, List<StreamObserver> observers) {
        String prefix = "sluice.gemini.";
        return build(prefix, GeminiClient.builder().options(options(prefix, p, observers))::build);
    }

    /**
     * {@return how to reach Amazon Bedrock from {@code sluice.bedrock.*}} The region and the endpoint
     * ({@code base-url}); the Bedrock API key, else the access key, else the AWS SDK's default
     * credential chain over the environment (walked at the first request).
     */
    static AwsAccess awsAccess(SluiceProperties.Bedrock p) {
        String prefix = "sluice.bedrock.";
        Placeholders.refuseUnresolved(prefix + "api-key", p.getApiKey());
        Placeholders.refuseUnresolved(prefix + "access-key-id", p.getAccessKeyId());
        Placeholders.refuseUnresolved(prefix + "secret-access-key", p.getSecretAccessKey());
        Placeholders.refuseUnresolved(prefix + "session-token", p.getSessionToken());
        AwsAccess.Builder b = AwsAccess.builder();
        String region = p.getRegion();
        if (region != null && !region.isBlank()) set(prefix + "region", region, () -> b.region(region.strip()));
        String baseUrl = p.getBaseUrl();
        if (baseUrl != null && !baseUrl.isBlank()) set(prefix + "base-url", baseUrl, () -> b.endpoint(baseUrl.strip()));
        String mantle = p.getMantleBaseUrl();
        if (mantle != null && !mantle.isBlank())
            set(prefix + "mantle-base-url", mantle, () -> b.mantleEndpoint(mantle.strip()));
        String accessKeyId = p.getAccessKeyId();
        String secretAccessKey = p.getSecretAccessKey();
        boolean id = accessKeyId != null && !accessKeyId.isBlank();
        boolean secret = secretAccessKey != null && !secretAccessKey.isBlank();
        if (id != secret) {
            String missing = id ? "secret-access-key" : "access-key-id";
            throw new InvalidConfigurationPropertyValueException(
                    prefix + missing,
                    null,
                    "AWS credentials need both: set " + prefix + "access-key-id and " + prefix + "secret-access-key");
        }
        try {
            if (p.getApiKey() != null && !p.getApiKey().isBlank()) {
                b.apiKey(p.getApiKey());
            } else if (id) {
                String token =
                        p.getSessionToken() == null || p.getSessionToken().isBlank() ? null : p.getSessionToken();
                b.credentials(
                        Objects.requireNonNull(accessKeyId, "checked above").strip(),
                        Objects.requireNonNull(secretAccessKey, "checked above").strip(),
                        token);
            }
        } catch (IllegalArgumentException e) { // its message never shows a secret
            throw new InvalidConfigurationPropertyValueException(
                    prefix + (id ? "access-key-id" : "api-key"), "(hidden)", e.getMessage());
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "region",
                    null,
                    "Bedrock needs a region: set " + prefix + "region (or " + prefix + "base-url to an endpoint)");
        }
    }

    /** Amazon Bedrock's Converse client over the access, with the group's common settings. */
    static BedrockClient bedrock(SluiceProperties.Bedrock p, AwsAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        BedrockClient.Builder b = BedrockClient.builder().access(access);
        ClientOptions options = options(prefix, p, observers);
        return build(prefix, () -> b.options(options).build());
    }

    /** Claude's own API through Bedrock, over the access, with the group's common settings. */
    static AnthropicClient bedrockAnthropic(
            SluiceProperties.Bedrock p, AwsAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        return build(
                prefix,
                AnthropicClient.builder().options(options(prefix, p, observers)).bedrock(access)::build);
    }

    /** OpenAI's Chat Completions on Bedrock's runtime host ({@code bedrock-openai}), over the access, with the group's common settings. */
    static OpenAiClient bedrockOpenAi(SluiceProperties.Bedrock p, AwsAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        return build(
                prefix,
                OpenAiClient.builder().options(options(prefix, p, observers)).bedrock(access.runtime())::build);
    }

    /**
     * OpenAI's Responses API on Bedrock's mantle host ({@code bedrock-openai-responses}: its
     * {@code responses()}), under the path the catalog gives the model
     * ({@link ProviderCatalog#bedrockOpenAiPath}), over the access, with the group's common settings.
     */
    static OpenAiClient bedrockOpenAiResponses(
            SluiceProperties.Bedrock p, AwsAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        return build(
                prefix,
                OpenAiClient.builder()
                        .options(options(prefix, p, observers))
                        .bedrock(access.mantle(), ProviderCatalog::bedrockOpenAiPath)::build);
    }

    /** Claude's Messages API on Bedrock's mantle host ({@code bedrock-mantle-anthropic}), over the access, with the group's common settings. */
    static AnthropicClient bedrockMantleAnthropic(
            SluiceProperties.Bedrock p, AwsAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        return build(
                prefix,
                AnthropicClient.builder().options(options(prefix, p, observers)).bedrock(access.mantle())::build);
    }

    /**
     * {@return how to reach Vertex AI from {@code sluice.vertex.*}}: the project, the location and
     * the base URL; tokens from Application Default Credentials (found at the first request).
     */
    static VertexAccess vertexAccess(SluiceProperties.Vertex p) {
        String prefix = "sluice.vertex.";
        if (p.getApiKey() != null && !p.getApiKey().isBlank()) {
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "api-key",
                    "(hidden)",
                    "Vertex AI takes no API key: its tokens come from Application Default Credentials, or define a VertexAccess bean");
        }
        VertexAccess.Builder b = VertexAccess.builder();
        String project = p.getProject();
        if (project != null && !project.isBlank()) set(prefix + "project", project, () -> b.project(project.strip()));
        String location = p.getLocation();
        if (location != null && !location.isBlank()) {
            set(prefix + "location", location, () -> b.location(location.strip()));
        }
        String baseUrl = p.getBaseUrl();
        if (baseUrl != null && !baseUrl.isBlank()) set(prefix + "base-url", baseUrl, () -> b.endpoint(baseUrl.strip()));
        return b.build();
    }

    /** Gemini on Vertex AI over the access, with the group's common settings. */
    static GeminiClient vertexGemini(SluiceProperties.Vertex p, VertexAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.vertex.";
        return build(
                prefix,
                GeminiClient.builder().options(options(prefix, p, observers)).vertex(access)::build);
    }

    /** Claude on Vertex AI over the access, with the group's common settings. */
    static AnthropicClient vertexAnthropic(
            SluiceProperties.Vertex p, VertexAccess access, List<StreamObserver> observers) {
        String prefix = "sluice.vertex.";
        return build(
                prefix,
                AnthropicClient.builder().options(options(prefix, p, observers)).vertex(access)::build);
    }

    /** Azure OpenAI's v1 API: the endpoint ({@code base-url}), the key, else Microsoft Entra ID. */
    static OpenAiClient azureOpenAi(SluiceProperties.Azure p, List<StreamObserver> observers) {
        String prefix = "sluice.azure.";
        if (p.getBaseUrl() == null || p.getBaseUrl().isBlank()) {
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "base-url",
                    null,
                    "Azure OpenAI needs its endpoint: set " + prefix
                            + "base-url to the resource's, such as https://my-resource.openai.azure.com");
        }
        String baseUrl = p.getBaseUrl().strip();
        AzureAccess.Builder endpoint = AzureAccess.builder();
        set(prefix + "base-url", baseUrl, () -> endpoint.endpoint(baseUrl));
        AzureAccess access = azureAccess(prefix, endpoint, p);
        return build(
                prefix,
                OpenAiClient.builder().options(options(prefix, p, observers)).azure(access)::build);
    }

    /** Claude on Microsoft Foundry: the base URL or the resource's, the key, else Microsoft Entra ID. */
    static AnthropicClient foundry(SluiceProperties.Foundry p, List<StreamObserver> observers) {
        String prefix = "sluice.azure.foundry.";
        String baseUrl = p.getBaseUrl();
        String name = p.getResource();
        boolean base = baseUrl != null && !baseUrl.isBlank();
        boolean resource = name != null && !name.isBlank();
        if (base && resource) {
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "resource",
                    p.getResource(),
                    "set one of " + prefix + "resource and " + prefix + "base-url, not both");
        }
        AzureAccess.Builder endpoint = AzureAccess.builder();
        if (baseUrl != null && base) {
            set(prefix + "base-url", baseUrl, () -> endpoint.endpoint(baseUrl.strip()));
        } else {
            String resourceName = Objects.requireNonNull(name, "the resource, when no base URL");
            try {
                endpoint.foundryResource(resourceName);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(
                        prefix + "resource", resourceName, "not a resource's name (letters, digits and hyphens)");
            }
        }
        AzureAccess access = azureAccess(prefix, endpoint, p);
        return build(
                prefix,
                AnthropicClient.builder().options(options(prefix, p, observers)).foundry(access)::build);
    }

    /** {@return the access of the builder with its endpoint set: the key, else Microsoft Entra ID} */
    private static AzureAccess azureAccess(String prefix, AzureAccess.Builder b, SluiceProperties.Provider p) {
        Placeholders.refuseUnresolved(prefix + "api-key", p.getApiKey());
        if (p.getApiKey() != null && !p.getApiKey().isBlank()) {
            try {
                b.apiKey(p.getApiKey());
            } catch (IllegalArgumentException e) { // its message never shows the key
                throw new InvalidConfigurationPropertyValueException(prefix + "api-key", "(hidden)", e.getMessage());
            }
        } else {
            b.defaultCredentials();
        }
        try {
            return b.build();
        } catch (IllegalStateException | IllegalArgumentException e) { // the Entra ID variables: named, never a value
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "api-key",
                    null,
                    "set " + prefix + "api-key, or Microsoft Entra ID's variables: " + e.getMessage());
        }
    }

    /** {@return the settings every client shares, each checked by its setter and named on refusal} */
    static ClientOptions options(String prefix, SluiceProperties.Provider p, List<StreamObserver> observers) {
        ClientOptions.Builder b = ClientOptions.builder();
        Placeholders.refuseUnresolved(prefix + "api-key", p.getApiKey());
        p.getHeaders().forEach((name, value) -> Placeholders.refuseUnresolved(prefix + "headers." + name, value));
        if (p.getApiKey() != null && !p.getApiKey().isBlank()) {
            try {
                b.apiKey(p.getApiKey());
            } catch (IllegalArgumentException e) { // its message never shows the key
                throw new InvalidConfigurationPropertyValueException(prefix + "api-key", "(hidden)", e.getMessage());
            }
        }
        String baseUrl = p.getBaseUrl();
        if (baseUrl != null && !baseUrl.isBlank()) set(prefix + "base-url", baseUrl, () -> b.baseUrl(baseUrl));
        set(prefix + "connect-timeout", p.getConnectTimeout(), () -> b.connectTimeout(p.getConnectTimeout()));
        StreamOptions.Builder stream = StreamOptions.builder();
        set(
                prefix + "first-token-timeout",
                p.getFirstTokenTimeout(),
                () -> stream.firstEventTimeout(p.getFirstTokenTimeout()));
        set(prefix + "idle-timeout", p.getIdleTimeout(), () -> stream.idleTimeout(p.getIdleTimeout()));
        Duration totalTimeout = p.getTotalTimeout();
        if (totalTimeout != null) set(prefix + "total-timeout", totalTimeout, () -> stream.totalTimeout(totalTimeout));
        Long maxChunks = p.getMaxChunks();
        if (maxChunks != null) set(prefix + "max-chunks", maxChunks, () -> stream.maxChunks(maxChunks));
        Long maxBytes = p.getMaxBytes();
        if (maxBytes != null) set(prefix + "max-bytes", maxBytes, () -> stream.maxBytes(maxBytes));
        b.streamOptions(stream.build());
        RetryPolicy retries = set(
                prefix + "max-retries",
                p.getMaxRetries(),
                () -> RetryPolicy.defaults().withMaxRetries(p.getMaxRetries()));
        retries = with(prefix + "initial-backoff", p.getInitialBackoff(), retries, RetryPolicy::withInitialBackoff);
        retries = with(prefix + "max-backoff", p.getMaxBackoff(), retries, RetryPolicy::withMaxBackoff);
        b.retryPolicy(retries);
        Integer maxConcurrentStreams = p.getMaxConcurrentStreams();
        if (maxConcurrentStreams != null) {
            set(
                    prefix + "max-concurrent-streams",
                    maxConcurrentStreams,
                    () -> b.concurrencyLimit(ConcurrencyLimit.of(maxConcurrentStreams)));
        }
        Integer maxStreamsPerMinute = p.getMaxStreamsPerMinute();
        if (maxStreamsPerMinute != null) {
            set(
                    prefix + "max-streams-per-minute",
                    maxStreamsPerMinute,
                    () -> b.requestRateLimit(RequestRateLimit.of(maxStreamsPerMinute, Duration.ofMinutes(1))));
        }
        Duration hold = p.getHoldWhileRateLimited();
        if (hold != null) set(prefix + "hold-while-rate-limited", hold, () -> b.holdWhileRateLimited(hold));
        if (p.isCircuitBreaker()) b.circuitBreaker(CircuitBreakerPolicy.defaults());
        set(
                prefix + "max-event-bytes",
                p.getMaxEventBytes(),
                () -> b.sseLimits(SseLimits.defaults().withMaxEventBytes(p.getMaxEventBytes())));
        set(prefix + "queue-capacity", p.getQueueCapacity(), () -> b.queueCapacity(p.getQueueCapacity()));
        set(prefix + "structured-output", p.getStructuredOutput(), () -> b.structuredOutput(p.getStructuredOutput()));
        p.getHeaders()
                .forEach((name, value) -> set(prefix + "headers." + name, "(not shown)", () -> b.header(name, value)));
        observers.forEach(b::observer);
        return b.build();
    }

    /** Builds the client; a missing key (a base URL beyond loopback without one) is named as the property to set. */
    private static <C> C build(String prefix, Supplier<C> build) {
        try {
            return build.get();
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(
                    prefix + "api-key", null, "a base URL beyond loopback needs an API key: set " + prefix + "api-key");
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "*", null, e.getMessage());
        }
    }

    private static <T> T set(String property, Object value, Supplier<T> setter) {
        try {
            return setter.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    private static RetryPolicy with(
            String property, Duration value, RetryPolicy policy, BiFunction<RetryPolicy, Duration, RetryPolicy> with) {
        return set(property, value, () -> with.apply(policy, value));
    }
}
