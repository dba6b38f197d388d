package dev.sluice.flink;

import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import dev.sluice.providers.ProviderCatalog;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which client, and how each task manager builds it, shipped with the job graph: the provider, its
 * base URL, where the API key comes from, and the task manager's concurrency limit. The DataStream
 * function's one shared client is built from it, and so is each client of a Flink SQL model (the
 * model's, and each provider's of its fallbacks, from the {@code WITH} options). Immutable
 * and serializable; equal specs share a client. The API key itself is read on the task manager
 * from the environment variable, so it does not travel in the job graph, unless
 * {@link Builder#apiKey} gives it (for a local fake server); {@link #toString()} never shows it.
 */
public final class ClientSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final @Nullable String baseUrl;
    private final @Nullable String apiKeyEnv;
    private final @Nullable String apiKey;
    private final int maxConcurrentStreams;

    private ClientSpec(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider, checked by build()");
        this.baseUrl = b.baseUrl;
        this.apiKeyEnv = b.apiKeyEnv != null ? b.apiKeyEnv : defaultKeyEnv(provider);
        this.apiKey = b.apiKey;
        this.maxConcurrentStreams = b.maxConcurrentStreams;
    }

    /** {@return a builder; the provider is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the provider, one of {@link ProviderCatalog#names()}} */
    public String provider() {
        return provider;
    }

    /** {@return the most streams open at once on one task manager, over all its subtasks} */
    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /**
     * Builds the client, on the task manager, for {@link SluiceAsyncFunction}.
     *
     * @throws IllegalStateException if the API key's environment variable is not set there
     */
    ProviderClient buildClient(Map<String, String> env) {
        ProviderCatalog entry = ProviderCatalog.of(provider);
        if (key(env) == null && entry.cloudVariables().isEmpty()) {
            throw new IllegalStateException("no API key for " + provider + " on this task manager: set " + apiKeyEnv
                    + " in its environment (containerized.taskmanager.env." + apiKeyEnv + " on Kubernetes or YARN)");
        }
        return entry.connect(options(env).build(), env);
    }

    /**
     * {@return the client's options on the task manager: the provider's from the environment (its key
     * and base URL variables, {@link ProviderCatalog#options}), this spec's key and base URL over them}
     * The DataStream function's client and each of the SQL provider's are built from these.
     */
    ClientOptions.Builder options(Map<String, String> env) {
        ClientOptions.Builder options = ProviderCatalog.of(provider).options(env);
        String key = key(env);
        if (key != null) options.apiKey(key);
        if (baseUrl != null) options.baseUrl(baseUrl);
        return options;
    }

    /** {@return the key given, else the one its variable holds on this task manager; null when neither or blank} */
    private @Nullable String key(Map<String, String> env) {
        String key = apiKey != null ? apiKey : apiKeyEnv == null ? null : env.get(apiKeyEnv);
        return key == null || key.isBlank() ? null : key;
    }

    private static @Nullable String defaultKeyEnv(String provider) {
        return ProviderCatalog.of(provider).keyVariable().orElse(null); // none for a cloud without API keys
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSpec s
                && provider.equals(s.provider)
                && Objects.equals(baseUrl, s.baseUrl)
                && Objects.equals(apiKeyEnv, s.apiKeyEnv)
                && Objects.equals(apiKey, s.apiKey)
                && maxConcurrentStreams == s.maxConcurrentStreams;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, baseUrl, apiKeyEnv, apiKey, maxConcurrentStreams);
    }

    @Override
    public String toString() {
        return "ClientSpec[" + provider + ", baseUrl=" + (baseUrl != null ? baseUrl : "(default)") + ", apiKey="
                + (apiKey != null ? "(hidden)" : apiKeyEnv != null ? "$" + apiKeyEnv : "(credential chain)")
                + ", maxConcurrentStreams=" + maxConcurrentStreams + "]";
    }

    /** Builds a {@link ClientSpec}; each setter checks its argument at once. */
    public static final class Builder {
        private @Nullable String provider;
        private @Nullable String baseUrl;
        private @Nullable String apiKeyEnv;
        private @Nullable String apiKey;
        private int maxConcurrentStreams = 64;

        private Builder() {}

        /**
         * Sets the provider.
         *
         * @param provider one of {@link ProviderCatalog#names()}: anthropic, openai, gemini, bedrock,
         *     vertex-anthropic, azure-openai, ... (a cloud configured from the task manager's
         *     environment and credential chain)
         * @return this builder
         * @throws IllegalArgumentException for another name
         */
        public Builder provider(String provider) {
            String p = Objects.requireNonNull(provider, "provider").strip().toLowerCase(Locale.ROOT);
            if (ProviderCatalog.named(p).isEmpty()) {
                throw new IllegalArgumentException(
                        "provider must be one of " + ProviderCatalog.names() + ": " + provider);
            }
            this.provider = p;
            return this;
        }

        /**
         * Sets the base URL.
         *
         * @param baseUrl the API's base URL without the version path; default the provider's
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Sets the environment variable the API key is read from.
         *
         * @param name the environment variable holding the API key on the task managers; default
         *     the provider's own ({@code ANTHROPIC_API_KEY}, {@code OPENAI_API_KEY}, {@code GEMINI_API_KEY}, ...)
         * @return this builder
         */
        public Builder apiKeyEnv(String name) {
            this.apiKeyEnv = Objects.requireNonNull(name, "apiKeyEnv");
            return this;
        }

        /**
         * Ships the key itself in the job graph: for a local fake server (a SQL model's {@code 'api-key'}
         * option is shipped so too; prefer the task managers' environment).
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * Sets the task manager's concurrency limit.
         *
         * @param streams the most streams open at once per task manager (all subtasks of the job
         *     in that task manager share them); default 64
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxConcurrentStreams(int streams) {
            if (streams <= 0) throw new IllegalArgumentException("maxConcurrentStreams must be positive: " + streams);
            this.maxConcurrentStreams = streams;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalStateException if no provider was given
         */
        public ClientSpec build() {
            if (provider == null) throw new IllegalStateException("provider is required: call provider(..)");
            return new ClientSpec(this);
        }
    }
}
