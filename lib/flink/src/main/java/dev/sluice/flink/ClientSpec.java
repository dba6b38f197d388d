package dev.sluice.flink;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How each task manager builds its one shared client, shipped with the job graph: the provider,
 * its base URL, where the API key comes from, and the task manager's concurrency limit. Immutable
 * and serializable; equal specs share a client. The API key itself is read on the task manager
 * from the environment variable, so it does not travel in the job graph, unless
 * {@link Builder#apiKey} gives it (for a local fake server); {@link #toString()} never shows it.
 */
public final class ClientSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String baseUrl;
    private final String apiKeyEnv;
    private final String apiKey;
    private final int maxConcurrentStreams;

    private ClientSpec(Builder b) {
        this.provider = b.provider;
        this.baseUrl = b.baseUrl;
        this.apiKeyEnv = b.apiKeyEnv != null ? b.apiKeyEnv : defaultKeyEnv(b.provider);
        this.apiKey = b.apiKey;
        this.maxConcurrentStreams = b.maxConcurrentStreams;
    }

    /** {@return a builder; the provider is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the provider: anthropic, openai or gemini} */
    public String provider() { return provider; }

    /** {@return the most streams open at once on one task manager, over all its subtasks} */
    public int maxConcurrentStreams() { return maxConcurrentStreams; }

    /**
     * Builds the client, on the task manager.
     *
     * @throws IllegalStateException if the API key's environment variable is not set there
     */
    AutoCloseable buildClient(Map<String, String> env) {
        String key = apiKey != null ? apiKey : env.get(apiKeyEnv);
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("no API key for " + provider + " on this task manager: set " + apiKeyEnv
                    + " in its environment (containerized.taskmanager.env." + apiKeyEnv + " on Kubernetes or YARN)");
        }
        return switch (provider) {
            case "anthropic" -> {
                AnthropicClient.Builder b = AnthropicClient.builder().apiKey(key);
                if (baseUrl != null) b.baseUrl(baseUrl);
                yield b.build();
            }
            case "openai" -> {
                OpenAiClient.Builder b = OpenAiClient.builder().apiKey(key);
                if (baseUrl != null) b.baseUrl(baseUrl);
                yield b.build();
            }
            case "gemini" -> {
                GeminiClient.Builder b = GeminiClient.builder().apiKey(key);
                if (baseUrl != null) b.baseUrl(baseUrl);
                yield b.build();
            }
            default -> throw new AssertionError(provider);
        };
    }

    static ChatProvider chat(AutoCloseable client) {
        return (ChatProvider) client;
    }

    private static String defaultKeyEnv(String provider) {
        return switch (provider) {
            case "anthropic" -> "ANTHROPIC_API_KEY";
            case "openai" -> "OPENAI_API_KEY";
            default -> "GEMINI_API_KEY";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSpec s && provider.equals(s.provider) && Objects.equals(baseUrl, s.baseUrl)
                && apiKeyEnv.equals(s.apiKeyEnv) && Objects.equals(apiKey, s.apiKey)
                && maxConcurrentStreams == s.maxConcurrentStreams;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, baseUrl, apiKeyEnv, apiKey, maxConcurrentStreams);
    }

    @Override
    public String toString() {
        return "ClientSpec[" + provider + ", baseUrl=" + (baseUrl != null ? baseUrl : "(default)") + ", apiKey="
                + (apiKey != null ? "(hidden)" : "$" + apiKeyEnv) + ", maxConcurrentStreams=" + maxConcurrentStreams + "]";
    }

    /** Builds a {@link ClientSpec}; each setter checks its argument at once. */
    public static final class Builder {
        private String provider;
        private String baseUrl;
        private String apiKeyEnv;
        private String apiKey;
        private int maxConcurrentStreams = 64;

        private Builder() {}

        /**
         * @param provider anthropic, openai or gemini
         * @return this builder
         * @throws IllegalArgumentException for another name
         */
        public Builder provider(String provider) {
            String p = Objects.requireNonNull(provider, "provider").strip().toLowerCase(Locale.ROOT);
            if (!p.equals("anthropic") && !p.equals("openai") && !p.equals("gemini")) {
                throw new IllegalArgumentException("provider must be anthropic, openai or gemini: " + provider);
            }
            this.provider = p;
            return this;
        }

        /**
         * @param baseUrl the API's base URL without the version path; default the provider's
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * @param name the environment variable holding the API key on the task managers; default
         *     {@code ANTHROPIC_API_KEY}, {@code OPENAI_API_KEY} or {@code GEMINI_API_KEY}
         * @return this builder
         */
        public Builder apiKeyEnv(String name) {
            this.apiKeyEnv = Objects.requireNonNull(name, "apiKeyEnv");
            return this;
        }

        /**
         * Ships the key itself in the job graph: for a local fake server only.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
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
         * @return the spec
         * @throws IllegalStateException if no provider was given
         */
        public ClientSpec build() {
            if (provider == null) throw new IllegalStateException("provider is required: call provider(..)");
            return new ClientSpec(this);
        }
    }
}
