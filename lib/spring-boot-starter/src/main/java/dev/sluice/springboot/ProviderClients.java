package dev.sluice.springboot;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ResumePolicy;
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
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Provider clients from their {@code sluice.PROVIDER.*} properties. Each setting goes to the
 * client's own setter, which checks it; a refusal becomes an
 * {@link InvalidConfigurationPropertyValueException} naming the property (and never showing a key),
 * which Spring Boot reports as the startup failure.
 */
final class ProviderClients {
    /** The provider names, in the order the page lists them, and each one's model when none is set. */
    static final Map<String, String> DEFAULT_MODELS = Map.of("anthropic", "claude-sonnet-4-5", "openai", "gpt-4o-mini",
            "openai-responses", "gpt-5-mini", "gemini", "gemini-2.5-flash", "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    static final List<String> NAMES = List.of("anthropic", "openai", "openai-responses", "gemini", "bedrock");

    /** Each provider's group ({@code bedrock-anthropic} shares {@code sluice.bedrock.*}). */
    static String group(String name) {
        return name;
    }

    /** {@return what to set for the provider's client: its key or base URL, a cloud's own settings too} */
    static String whatToSet(String name) {
        String g = "sluice." + group(name) + ".";
        return switch (name) {
            case "bedrock" -> "set " + g + "region (with " + g + "api-key, a Bedrock API key, or " + g + "access-key-id and " + g
                    + "secret-access-key) or " + g + "base-url";
            default -> "set " + g + "api-key or " + g + "base-url";
        };
    }

    private ProviderClients() {}

    /** {@return the model of the provider named: its property, else the provider's default} */
    static String model(String name, SluiceProperties.Provider p) {
        return p.getModel() != null && !p.getModel().isBlank() ? p.getModel().strip() : DEFAULT_MODELS.get(name);
    }

    static AnthropicClient anthropic(SluiceProperties.Anthropic p, List<StreamObserver> observers) {
        String prefix = "sluice.anthropic.";
        AnthropicClient.Builder b = AnthropicClient.builder().options(options(prefix, p, observers));
        if (p.getResumes() != 0) set(prefix + "resumes", p.getResumes(), () -> b.resume(ResumePolicy.upTo(p.getResumes())));
        if (p.getVersion() != null) set(prefix + "version", p.getVersion(), () -> b.anthropicVersion(p.getVersion()));
        if (!p.getBetas().isEmpty()) set(prefix + "betas", p.getBetas(), () -> b.beta(p.getBetas().toArray(String[]::new)));
        Long budget = p.getBudget().getMaxOutputTokens();
        if (budget != null) set(prefix + "budget.max-output-tokens", budget, () -> b.tokenBudget(TokenBudget.of(budget)));
        return build(prefix, b::build);
    }

    static OpenAiClient openai(String prefix, SluiceProperties.OpenAi p, List<StreamObserver> observers) {
        OpenAiClient.Builder b = OpenAiClient.builder().options(options(prefix, p, observers));
        if (p.getOrganization() != null) set(prefix + "organization", p.getOrganization(), () -> b.organization(p.getOrganization()));
        if (p.getProject() != null) set(prefix + "project", p.getProject(), () -> b.project(p.getProject()));
        return build(prefix, b::build);
    }

    static GeminiClient gemini(SluiceProperties.Provider p, List<StreamObserver> observers) {
        String prefix = "sluice.gemini.";
        return build(prefix, GeminiClient.builder().options(options(prefix, p, observers))::build);
    }

    /**
     * Amazon Bedrock's Converse client: the region (its endpoint, unless {@code base-url} gives
     * another), the common settings with the Bedrock API key, else the access key that signs.
     */
    static BedrockClient bedrock(SluiceProperties.Bedrock p, List<StreamObserver> observers) {
        String prefix = "sluice.bedrock.";
        BedrockClient.Builder b = BedrockClient.builder();
        if (p.getRegion() != null && !p.getRegion().isBlank()) set(prefix + "region", p.getRegion(), () -> b.region(p.getRegion().strip()));
        b.options(options(prefix, p, observers)); // after the region: a base URL given replaces the region's endpoint
        Placeholders.refuseUnresolved(prefix + "access-key-id", p.getAccessKeyId());
        Placeholders.refuseUnresolved(prefix + "secret-access-key", p.getSecretAccessKey());
        Placeholders.refuseUnresolved(prefix + "session-token", p.getSessionToken());
        boolean id = p.getAccessKeyId() != null && !p.getAccessKeyId().isBlank();
        boolean secret = p.getSecretAccessKey() != null && !p.getSecretAccessKey().isBlank();
        if (id != secret) {
            String missing = id ? "secret-access-key" : "access-key-id";
            throw new InvalidConfigurationPropertyValueException(prefix + missing, null,
                    "AWS credentials need both: set " + prefix + "access-key-id and " + prefix + "secret-access-key");
        }
        if (id) {
            String token = p.getSessionToken() == null || p.getSessionToken().isBlank() ? null : p.getSessionToken();
            try {
                b.credentials(p.getAccessKeyId().strip(), p.getSecretAccessKey().strip(), token);
            } catch (IllegalArgumentException e) { // its message never shows a secret
                throw new InvalidConfigurationPropertyValueException(prefix + "access-key-id", "(hidden)", e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "api-key", null,
                    "Bedrock needs credentials: set " + prefix + "api-key (a Bedrock API key), or " + prefix + "access-key-id and "
                    + prefix + "secret-access-key (an endpoint on loopback, such as a fake's, needs none)");
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "*", null, e.getMessage());
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
        if (p.getBaseUrl() != null && !p.getBaseUrl().isBlank()) set(prefix + "base-url", p.getBaseUrl(), () -> b.baseUrl(p.getBaseUrl()));
        set(prefix + "connect-timeout", p.getConnectTimeout(), () -> b.connectTimeout(p.getConnectTimeout()));
        StreamOptions.Builder stream = StreamOptions.builder();
        set(prefix + "first-token-timeout", p.getFirstTokenTimeout(), () -> stream.firstEventTimeout(p.getFirstTokenTimeout()));
        set(prefix + "idle-timeout", p.getIdleTimeout(), () -> stream.idleTimeout(p.getIdleTimeout()));
        if (p.getTotalTimeout() != null) set(prefix + "total-timeout", p.getTotalTimeout(), () -> stream.totalTimeout(p.getTotalTimeout()));
        if (p.getMaxChunks() != null) set(prefix + "max-chunks", p.getMaxChunks(), () -> stream.maxChunks(p.getMaxChunks()));
        if (p.getMaxBytes() != null) set(prefix + "max-bytes", p.getMaxBytes(), () -> stream.maxBytes(p.getMaxBytes()));
        b.streamOptions(stream.build());
        RetryPolicy retries = set(prefix + "max-retries", p.getMaxRetries(), () -> RetryPolicy.defaults().withMaxRetries(p.getMaxRetries()));
        retries = with(prefix + "initial-backoff", p.getInitialBackoff(), retries, RetryPolicy::withInitialBackoff);
        retries = with(prefix + "max-backoff", p.getMaxBackoff(), retries, RetryPolicy::withMaxBackoff);
        b.retryPolicy(retries);
        if (p.getMaxConcurrentStreams() != null) {
            set(prefix + "max-concurrent-streams", p.getMaxConcurrentStreams(),
                    () -> b.concurrencyLimit(ConcurrencyLimit.of(p.getMaxConcurrentStreams())));
        }
        if (p.getMaxStreamsPerMinute() != null) {
            set(prefix + "max-streams-per-minute", p.getMaxStreamsPerMinute(),
                    () -> b.requestRateLimit(RequestRateLimit.of(p.getMaxStreamsPerMinute(), Duration.ofMinutes(1))));
        }
        if (p.getHoldWhileRateLimited() != null) {
            set(prefix + "hold-while-rate-limited", p.getHoldWhileRateLimited(), () -> b.holdWhileRateLimited(p.getHoldWhileRateLimited()));
        }
        if (p.isCircuitBreaker()) b.circuitBreaker(CircuitBreakerPolicy.defaults());
        set(prefix + "max-event-bytes", p.getMaxEventBytes(), () -> b.sseLimits(SseLimits.defaults().withMaxEventBytes(p.getMaxEventBytes())));
        set(prefix + "queue-capacity", p.getQueueCapacity(), () -> b.queueCapacity(p.getQueueCapacity()));
        set(prefix + "structured-output", p.getStructuredOutput(), () -> b.structuredOutput(p.getStructuredOutput()));
        p.getHeaders().forEach((name, value) -> set(prefix + "headers." + name, "(not shown)", () -> b.header(name, value)));
        observers.forEach(b::observer);
        return b.build();
    }

    /** Builds the client; a missing key (a base URL beyond loopback without one) is named as the property to set. */
    private static <C> C build(String prefix, Supplier<C> build) {
        try {
            return build.get();
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(prefix + "api-key", null,
                    "a base URL beyond loopback needs an API key: set " + prefix + "api-key");
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

    private static RetryPolicy with(String property, Duration value, RetryPolicy policy,
                                    BiFunction<RetryPolicy, Duration, RetryPolicy> with) {
        return set(property, value, () -> with.apply(policy, value));
    }
}
