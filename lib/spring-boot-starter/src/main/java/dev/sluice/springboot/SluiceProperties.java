package dev.sluice.springboot;

import dev.sluice.client.StructuredOutputMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code sluice.*} properties: one group per provider ({@code sluice.anthropic.*},
 * {@code sluice.openai.*}, {@code sluice.openai-responses.*}, {@code sluice.gemini.*}) and per
 * cloud ({@code sluice.bedrock.*}), the fallback order ({@code sluice.fallback}) and its hedging
 * ({@code sluice.hedge-after}), and the relay's server ({@code sluice.server.*}). A provider's
 * client is made when its group has an {@code api-key} or a {@code base-url}; a cloud's also when
 * it has one of the cloud's own settings (Bedrock: {@code region}, {@code access-key-id}). Every
 * setting left out keeps the client's or the relay's own default, which the metadata shows.
 *
 * <p>{@link #toString()} and the groups' never show an API key or the server's token. Not
 * thread-safe: Spring binds it once, at startup.
 *
 * <p>Why this file is long: two fifths Javadoc; Spring Boot binds one class and its nested groups, and its
 * configuration metadata (what an IDE shows for each {@code sluice.*} key) comes from each field's
 * Javadoc; one group per provider and cloud, each a nested class.
 */
@ConfigurationProperties(prefix = "sluice")
public class SluiceProperties {
    /**
     * The order in which streams fail over: provider names (anthropic, openai, openai-responses,
     * gemini, bedrock), each optionally with a model as NAME:MODEL (default the provider's model;
     * split on the first colon, so bedrock:us.anthropic.claude-sonnet-5-5 is Bedrock's
     * model id whole). When set, the chain is the application's primary ChatProvider.
     */
    private List<String> fallback = new ArrayList<>();

    /**
     * Hedging of the fallback chain: when its running target has sent no content after this long,
     * the next target starts beside it and the first to answer is kept. A duration (800ms, 1.5s),
     * or a percentile of the target's recent times to first content with a floor (p95, floor
     * 500ms; p95,floor=300ms). Needs sluice.fallback. Unset, no stream is hedged.
     */
    private @Nullable String hedgeAfter;

    /**
     * How hard every model should think, on Sluice's portable scale: none, minimal, low, medium,
     * high, xhigh or max. Each client sends it as the model asked documents it (adaptive thinking
     * with output_config.effort on Claude 4.6 and later, a thinking budget on older Claude and Gemini
     * 2.5, thinkingLevel on Gemini 3, reasoning.effort on OpenAI), the nearest value the model takes;
     * a request that names its own effort keeps it. A model (of a provider, of sluice.fallback or of
     * a route) that cannot take it at all fails the startup, naming the model. Unset, each model
     * thinks at its default.
     */
    private @Nullable String effort;

    /** Anthropic's Messages API. */
    private final Anthropic anthropic = new Anthropic();

    /** OpenAI's Chat Completions API, or an OpenAI-compatible server's. */
    private final OpenAi openai = new OpenAi();

    /** OpenAI's Responses API (a client of its own, with its own key and base URL). */
    private final OpenAi openaiResponses = new OpenAi();

    /** Google's Gemini API. */
    private final Provider gemini = new Provider();

    /** Amazon Bedrock: the Converse API (provider bedrock) and Claude's own API (bedrock-anthropic), with AWS's region, endpoint and credentials. */
    private final Bedrock bedrock = new Bedrock();

    /** Google Vertex AI: Gemini (provider vertex) and Claude (vertex-anthropic), with the project, location and Application Default Credentials. */
    private final Vertex vertex = new Vertex();

    /** Microsoft Azure: Azure OpenAI (providers azure-openai, azure-openai-responses) and Claude on Foundry (sluice.azure.foundry.*). */
    private final Azure azure = new Azure();

    /** The relay's servlet: its API, the chat page and the frontends' protocols. */
    @NestedConfigurationProperty
    private final SluiceServerProperties server = new SluiceServerProperties();

    /** {@return the fallback order, provider names (NAME or NAME:MODEL)} */
    public List<String> getFallback() {
        return fallback;
    }

    /**
     * Sets the fallback order.
     *
     * @param fallback the fallback order
     */
    public void setFallback(List<String> fallback) {
        this.fallback = fallback;
    }

    /** {@return the hedging setting of the fallback chain, or null} */
    public @Nullable String getHedgeAfter() {
        return hedgeAfter;
    }

    /**
     * Sets the hedging setting of the fallback chain ({@link dev.sluice.chat.Hedging#parse}).
     *
     * @param hedgeAfter the hedging setting of the fallback chain ({@link dev.sluice.chat.Hedging#parse})
     */
    public void setHedgeAfter(@Nullable String hedgeAfter) {
        this.hedgeAfter = hedgeAfter;
    }

    /** {@return the effort of every request that names none (none..max), or null} */
    public @Nullable String getEffort() {
        return effort;
    }

    /**
     * Sets the effort of every request that names none.
     *
     * @param effort none, minimal, low, medium, high, xhigh or max ({@link dev.sluice.chat.Effort#of})
     */
    public void setEffort(@Nullable String effort) {
        this.effort = effort;
    }

    /** {@return the Anthropic group} */
    public Anthropic getAnthropic() {
        return anthropic;
    }

    /** {@return the OpenAI Chat Completions group} */
    public OpenAi getOpenai() {
        return openai;
    }

    /** {@return the OpenAI Responses group} */
    public OpenAi getOpenaiResponses() {
        return openaiResponses;
    }

    /** {@return the Gemini group} */
    public Provider getGemini() {
        return gemini;
    }

    /** {@return the Amazon Bedrock group} */
    public Bedrock getBedrock() {
        return bedrock;
    }

    /** {@return the Google Vertex AI group} */
    public Vertex getVertex() {
        return vertex;
    }

    /** {@return the Microsoft Azure group} */
    public Azure getAzure() {
        return azure;
    }

    /** {@return the server group} */
    public SluiceServerProperties getServer() {
        return server;
    }

    /** Shows the groups as their own {@code toString()} does: never a key or the token. */
    @Override
    public String toString() {
        return "SluiceProperties[fallback=" + fallback + ", hedge-after=" + hedgeAfter + ", effort=" + effort
                + ", anthropic=" + anthropic
                + ", openai=" + openai + ", openai-responses=" + openaiResponses + ", gemini=" + gemini + ", bedrock="
                + bedrock + ", vertex=" + vertex + ", azure=" + azure + ", server=" + server + "]";
    }

    /** One provider's client: key, base URL, model, timeouts, retries and limits. */
    public static class Provider {
        /** The API key. Never logged, never shown. */
        private @Nullable String apiKey;

        /** The API's base URL, without the endpoint's path (default the provider's; a loopback URL needs no key). */
        private @Nullable String baseUrl;

        /**
         * The model (default the provider's: claude-sonnet-5-5, gpt-6-luna, gpt-6.1-terra, gemini-3.8-flash,
         * us.anthropic.claude-sonnet-5-5 on Bedrock).
         */
        private @Nullable String model;

        /** The connect timeout of the client's HttpClient. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** From sending the request to the first token (chunk); past it the stream fails, or fails over. */
        private Duration firstTokenTimeout = Duration.ofMinutes(2);

        /** The longest wait for the next chunk once a stream has begun. */
        private Duration idleTimeout = Duration.ofSeconds(60);

        /** From sending the request to the stream's end (default none). */
        private @Nullable Duration totalTimeout;

        /** How often the opening of a stream is retried, before any content (0: never). */
        private int maxRetries = 2;

        /** The back-off before the first retry, doubling up to max-backoff. */
        private Duration initialBackoff = Duration.ofMillis(500);

        /** The longest back-off between retries. */
        private Duration maxBackoff = Duration.ofSeconds(8);

        /** Streams the client keeps open at once; others wait for a place (default no limit). */
        private @Nullable Integer maxConcurrentStreams;

        /** Streams the client starts per minute, on its own side (default no limit). */
        private @Nullable Integer maxStreamsPerMinute;

        /** Hold new streams this long at most while a rate limit the API reported is exhausted (default never held). */
        private @Nullable Duration holdWhileRateLimited;

        /** Fail fast for a while after repeated failures (Sluice's default circuit breaker policy). */
        private boolean circuitBreaker;

        /** The most chunks a stream delivers; it then ends normally (default no limit). */
        private @Nullable Long maxChunks;

        /** The most bytes a stream may read; past it the stream fails (default no limit). */
        private @Nullable Long maxBytes;

        /** The largest server-sent event the client accepts, in bytes. */
        private int maxEventBytes = 16_777_216;

        /** Each stream's queue of events not yet taken by the consumer. */
        private int queueCapacity = 256;

        /** How a request's response format (structured output) is sent: auto, native or tool. */
        private StructuredOutputMode structuredOutput = StructuredOutputMode.AUTO;

        /** Extra headers of every request (the client's own, such as its key's, are refused). */
        private Map<String, String> headers = new LinkedHashMap<>();

        /** {@return whether a client is to be made: a key or a base URL is set} */
        boolean configured() {
            return (apiKey != null && !apiKey.isBlank()) || (baseUrl != null && !baseUrl.isBlank());
        }

        /** {@return the API key, or null} */
        public @Nullable String getApiKey() {
            return apiKey;
        }

        /**
         * Sets the API key.
         *
         * @param apiKey the API key
         */
        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }

        /** {@return the base URL, or null for the provider's} */
        public @Nullable String getBaseUrl() {
            return baseUrl;
        }

        /**
         * Sets the base URL.
         *
         * @param baseUrl the base URL
         */
        public void setBaseUrl(@Nullable String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** {@return the model, or null for the provider's} */
        public @Nullable String getModel() {
            return model;
        }

        /**
         * Sets the model.
         *
         * @param model the model
         */
        public void setModel(@Nullable String model) {
            this.model = model;
        }

        /** {@return the connect timeout} */
        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        /**
         * Sets the connect timeout.
         *
         * @param connectTimeout the connect timeout
         */
        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** {@return the first-token timeout} */
        public Duration getFirstTokenTimeout() {
            return firstTokenTimeout;
        }

        /**
         * Sets the first-token timeout.
         *
         * @param firstTokenTimeout the first-token timeout
         */
        public void setFirstTokenTimeout(Duration firstTokenTimeout) {
            this.firstTokenTimeout = firstTokenTimeout;
        }

        /** {@return the idle timeout} */
        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        /**
         * Sets the idle timeout.
         *
         * @param idleTimeout the idle timeout
         */
        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        /** {@return the total timeout, or null for none} */
        public @Nullable Duration getTotalTimeout() {
            return totalTimeout;
        }

        /**
         * Sets the total timeout.
         *
         * @param totalTimeout the total timeout
         */
        public void setTotalTimeout(@Nullable Duration totalTimeout) {
            this.totalTimeout = totalTimeout;
        }

        /** {@return the retries of a stream's opening} */
        public int getMaxRetries() {
            return maxRetries;
        }

        /**
         * Sets the retries.
         *
         * @param maxRetries the retries
         */
        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        /** {@return the first back-off} */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first back-off.
         *
         * @param initialBackoff the first back-off
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** {@return the longest back-off} */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the longest back-off.
         *
         * @param maxBackoff the longest back-off
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** {@return the streams open at once, or null for no limit} */
        public @Nullable Integer getMaxConcurrentStreams() {
            return maxConcurrentStreams;
        }

        /**
         * Sets the streams open at once.
         *
         * @param maxConcurrentStreams the streams open at once
         */
        public void setMaxConcurrentStreams(@Nullable Integer maxConcurrentStreams) {
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        /** {@return the streams started per minute, or null for no limit} */
        public @Nullable Integer getMaxStreamsPerMinute() {
            return maxStreamsPerMinute;
        }

        /**
         * Sets the streams started per minute.
         *
         * @param maxStreamsPerMinute the streams started per minute
         */
        public void setMaxStreamsPerMinute(@Nullable Integer maxStreamsPerMinute) {
            this.maxStreamsPerMinute = maxStreamsPerMinute;
        }

        /** {@return the longest hold while rate limited, or null for none} */
        public @Nullable Duration getHoldWhileRateLimited() {
            return holdWhileRateLimited;
        }

        /**
         * Sets the longest hold.
         *
         * @param holdWhileRateLimited the longest hold
         */
        public void setHoldWhileRateLimited(@Nullable Duration holdWhileRateLimited) {
            this.holdWhileRateLimited = holdWhileRateLimited;
        }

        /** {@return whether the circuit breaker is on} */
        public boolean isCircuitBreaker() {
            return circuitBreaker;
        }

        /**
         * Sets whether the circuit breaker is on.
         *
         * @param circuitBreaker whether the circuit breaker is on
         */
        public void setCircuitBreaker(boolean circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
        }

        /** {@return the chunk limit, or null for none} */
        public @Nullable Long getMaxChunks() {
            return maxChunks;
        }

        /**
         * Sets the chunk limit.
         *
         * @param maxChunks the chunk limit
         */
        public void setMaxChunks(@Nullable Long maxChunks) {
            this.maxChunks = maxChunks;
        }

        /** {@return the byte limit, or null for none} */
        public @Nullable Long getMaxBytes() {
            return maxBytes;
        }

        /**
         * Sets the byte limit.
         *
         * @param maxBytes the byte limit
         */
        public void setMaxBytes(@Nullable Long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** {@return the largest event, in bytes} */
        public int getMaxEventBytes() {
            return maxEventBytes;
        }

        /**
         * Sets the largest event.
         *
         * @param maxEventBytes the largest event
         */
        public void setMaxEventBytes(int maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
        }

        /** {@return each stream's queue capacity} */
        public int getQueueCapacity() {
            return queueCapacity;
        }

        /**
         * Sets the queue capacity.
         *
         * @param queueCapacity the queue capacity
         */
        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        /** {@return how structured output is sent} */
        public StructuredOutputMode getStructuredOutput() {
            return structuredOutput;
        }

        /**
         * Sets how structured output is sent.
         *
         * @param structuredOutput how structured output is sent
         */
        public void setStructuredOutput(StructuredOutputMode structuredOutput) {
            this.structuredOutput = structuredOutput;
        }

        /** {@return the extra headers} */
        public Map<String, String> getHeaders() {
            return headers;
        }

        /**
         * Sets the extra headers.
         *
         * @param headers the extra headers
         */
        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        /** Shows the base URL and model, never the key nor the headers' values. */
        @Override
        public String toString() {
            return "[baseUrl=" + (baseUrl == null ? "(provider's)" : baseUrl) + ", apiKey="
                    + (apiKey == null ? "(not set)" : "(hidden)") + ", model="
                    + (model == null ? "(provider's)" : model)
                    + ", headers=" + headers.keySet() + "]";
        }
    }

    /** Anthropic's client: the common settings, and its resume, token budget and headers. */
    public static class Anthropic extends Provider {
        /** How often a stream that loses its connection after text is continued rather than failed (0: never). */
        private int resumes;

        /** The anthropic-version header (default the client's). */
        private @Nullable String version;

        /** Beta names for the anthropic-beta header. */
        private List<String> betas = new ArrayList<>();

        /** Each stream's output-token budget. */
        private final Budget budget = new Budget();

        /** {@return the resumes of one stream} */
        public int getResumes() {
            return resumes;
        }

        /**
         * Sets the resumes of one stream.
         *
         * @param resumes the resumes of one stream
         */
        public void setResumes(int resumes) {
            this.resumes = resumes;
        }

        /** {@return the anthropic-version, or null for the client's} */
        public @Nullable String getVersion() {
            return version;
        }

        /**
         * Sets the anthropic-version.
         *
         * @param version the anthropic-version
         */
        public void setVersion(@Nullable String version) {
            this.version = version;
        }

        /** {@return the beta names} */
        public List<String> getBetas() {
            return betas;
        }

        /**
         * Sets the beta names.
         *
         * @param betas the beta names
         */
        public void setBetas(List<String> betas) {
            this.betas = betas;
        }

        /** {@return the token budget} */
        public Budget getBudget() {
            return budget;
        }
    }

    /** A limit on each stream's output tokens, counted as they arrive. */
    public static class Budget {
        /** The most output tokens of one stream; the stream then ends normally (default no budget). */
        private @Nullable Long maxOutputTokens;

        /** {@return the most output tokens, or null for no budget} */
        public @Nullable Long getMaxOutputTokens() {
            return maxOutputTokens;
        }

        /**
         * Sets the most output tokens.
         *
         * @param maxOutputTokens the most output tokens
         */
        public void setMaxOutputTokens(@Nullable Long maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
        }
    }

    /**
     * Amazon Bedrock's clients: the common settings, with {@code api-key} a Bedrock API key (sent
     * as {@code Authorization: Bearer}, as {@code AWS_BEARER_TOKEN_BEDROCK}) and {@code base-url}
     * the runtime endpoint (as {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}: a VPC endpoint, a fake);
     * the region; and, without an API key, AWS credentials that sign each request (SigV4).
     */
    public static class Bedrock extends Provider {
        /** The AWS region, such as us-east-1: requests go to its endpoint and are signed for it. */
        private @Nullable String region;

        /** The access key id of AWS credentials that sign the requests (with secret-access-key). */
        private @Nullable String accessKeyId;

        /** The secret access key. Never logged, never shown. */
        private @Nullable String secretAccessKey;

        /** The session token of temporary credentials. Never logged, never shown. */
        private @Nullable String sessionToken;

        /** The model of bedrock-anthropic, Claude's own API through Bedrock (default us.anthropic.claude-sonnet-5-5). */
        private @Nullable String anthropicModel;

        /**
         * The endpoint of Bedrock's mantle host, which serves bedrock-openai-responses and
         * bedrock-mantle-anthropic (as AWS_ENDPOINT_URL_BEDROCK_MANTLE; default the region's,
         * https://bedrock-mantle.REGION.api.aws).
         */
        private @Nullable String mantleBaseUrl;

        /** The model of bedrock-openai, OpenAI's Chat Completions on Bedrock's runtime host (default us.openai.gpt-6-sol). */
        private @Nullable String openaiModel;

        /** The model of bedrock-openai-responses, OpenAI's Responses API on Bedrock's mantle host (default openai.gpt-5.6-terra). */
        private @Nullable String openaiResponsesModel;

        /** The model of bedrock-mantle-anthropic, Claude's Messages API on Bedrock's mantle host (default anthropic.claude-opus-4-8). */
        private @Nullable String mantleAnthropicModel;

        /** {@return the mantle host's endpoint, or null for the region's} */
        public @Nullable String getMantleBaseUrl() {
            return mantleBaseUrl;
        }

        /**
         * Sets the mantle host's endpoint.
         *
         * @param mantleBaseUrl the mantle host's endpoint
         */
        public void setMantleBaseUrl(@Nullable String mantleBaseUrl) {
            this.mantleBaseUrl = mantleBaseUrl;
        }

        /** {@return bedrock-openai's model, or null for the default} */
        public @Nullable String getOpenaiModel() {
            return openaiModel;
        }

        /**
         * Sets bedrock-openai's model.
         *
         * @param openaiModel bedrock-openai's model
         */
        public void setOpenaiModel(@Nullable String openaiModel) {
            this.openaiModel = openaiModel;
        }

        /** {@return bedrock-openai-responses' model, or null for the default} */
        public @Nullable String getOpenaiResponsesModel() {
            return openaiResponsesModel;
        }

        /**
         * Sets bedrock-openai-responses' model.
         *
         * @param openaiResponsesModel bedrock-openai-responses' model
         */
        public void setOpenaiResponsesModel(@Nullable String openaiResponsesModel) {
            this.openaiResponsesModel = openaiResponsesModel;
        }

        /** {@return bedrock-mantle-anthropic's model, or null for the default} */
        public @Nullable String getMantleAnthropicModel() {
            return mantleAnthropicModel;
        }

        /**
         * Sets bedrock-mantle-anthropic's model.
         *
         * @param mantleAnthropicModel bedrock-mantle-anthropic's model
         */
        public void setMantleAnthropicModel(@Nullable String mantleAnthropicModel) {
            this.mantleAnthropicModel = mantleAnthropicModel;
        }

        /** {@return bedrock-anthropic's model, or null for the default} */
        public @Nullable String getAnthropicModel() {
            return anthropicModel;
        }

        /**
         * Sets bedrock-anthropic's model.
         *
         * @param anthropicModel bedrock-anthropic's model
         */
        public void setAnthropicModel(@Nullable String anthropicModel) {
            this.anthropicModel = anthropicModel;
        }

        @Override
        boolean configured() {
            return super.configured()
                    || (region != null && !region.isBlank())
                    || (mantleBaseUrl != null && !mantleBaseUrl.isBlank())
                    || (accessKeyId != null && !accessKeyId.isBlank());
        }

        /** {@return the region, or null for the endpoint's (else us-east-1)} */
        public @Nullable String getRegion() {
            return region;
        }

        /**
         * Sets the AWS region.
         *
         * @param region the AWS region
         */
        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        /** {@return the access key id, or null} */
        public @Nullable String getAccessKeyId() {
            return accessKeyId;
        }

        /**
         * Sets the access key id.
         *
         * @param accessKeyId the access key id
         */
        public void setAccessKeyId(@Nullable String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        /** {@return the secret access key, or null} */
        public @Nullable String getSecretAccessKey() {
            return secretAccessKey;
        }

        /**
         * Sets the secret access key.
         *
         * @param secretAccessKey the secret access key
         */
        public void setSecretAccessKey(@Nullable String secretAccessKey) {
            this.secretAccessKey = secretAccessKey;
        }

        /** {@return the session token, or null} */
        public @Nullable String getSessionToken() {
            return sessionToken;
        }

        /**
         * Sets the session token.
         *
         * @param sessionToken the session token
         */
        public void setSessionToken(@Nullable String sessionToken) {
            this.sessionToken = sessionToken;
        }

        /** Shows the region, and whether credentials are set, never them or the API key. */
        @Override
        public String toString() {
            return super.toString().substring(0, super.toString().length() - 1) + ", region="
                    + (region == null ? "(endpoint's)" : region)
                    + ", accessKeyId=" + (accessKeyId == null ? "(not set)" : "(set)") + ", secretAccessKey="
                    + (secretAccessKey == null ? "(not set)" : "(hidden)") + ", sessionToken="
                    + (sessionToken == null ? "(not set)" : "(hidden)") + "]";
        }
    }

    /**
     * Google Vertex AI's clients: the common settings (an {@code api-key} is refused: Vertex AI takes
     * tokens), with {@code base-url} another base URL (as {@code GOOGLE_VERTEX_BASE_URL}) and
     * {@code model} Gemini's; the project and location; tokens from Application Default Credentials,
     * or from a {@code VertexAccess} bean of the application's.
     */
    public static class Vertex extends Provider {
        /** The Google Cloud project (default the credentials' project). */
        private @Nullable String project;

        /** The location: global (the default) or a region such as us-central1. */
        private @Nullable String location;

        /** The model of vertex-anthropic, Claude on Vertex AI (default claude-sonnet-5-5). */
        private @Nullable String anthropicModel;

        @Override
        boolean configured() {
            return (getBaseUrl() != null && !getBaseUrl().isBlank())
                    || (project != null && !project.isBlank())
                    || (location != null && !location.isBlank());
        }

        /** {@return the project, or null} */
        public @Nullable String getProject() {
            return project;
        }

        /**
         * Sets the project.
         *
         * @param project the project
         */
        public void setProject(@Nullable String project) {
            this.project = project;
        }

        /** {@return the location, or null for global} */
        public @Nullable String getLocation() {
            return location;
        }

        /**
         * Sets the location.
         *
         * @param location the location
         */
        public void setLocation(@Nullable String location) {
            this.location = location;
        }

        /** {@return vertex-anthropic's model, or null for the default} */
        public @Nullable String getAnthropicModel() {
            return anthropicModel;
        }

        /**
         * Sets vertex-anthropic's model.
         *
         * @param anthropicModel vertex-anthropic's model
         */
        public void setAnthropicModel(@Nullable String anthropicModel) {
            this.anthropicModel = anthropicModel;
        }
    }

    /**
     * Azure OpenAI's client (its v1 API): the common settings, with {@code base-url} the resource's
     * endpoint (as {@code AZURE_OPENAI_ENDPOINT}), {@code api-key} its key (else Microsoft Entra ID,
     * as azure-identity reads the environment) and {@code model} a deployment's name; and Claude on
     * Foundry's, {@code sluice.azure.foundry.*}.
     */
    public static class Azure extends Provider {
        /** The deployment azure-openai-responses asks (default gpt-6.1-terra). */
        private @Nullable String responsesModel;

        /** Claude on Microsoft Foundry (provider foundry-anthropic). */
        private final Foundry foundry = new Foundry();

        @Override
        boolean configured() {
            return getBaseUrl() != null && !getBaseUrl().isBlank();
        }

        /** {@return azure-openai-responses's deployment, or null for the default} */
        public @Nullable String getResponsesModel() {
            return responsesModel;
        }

        /**
         * Sets azure-openai-responses's deployment.
         *
         * @param responsesModel azure-openai-responses's deployment
         */
        public void setResponsesModel(@Nullable String responsesModel) {
            this.responsesModel = responsesModel;
        }

        /** {@return the Foundry group} */
        public Foundry getFoundry() {
            return foundry;
        }

        @Override
        public String toString() {
            return super.toString().substring(0, super.toString().length() - 1) + ", foundry=" + foundry + "]";
        }
    }

    /**
     * Claude on Microsoft Foundry: the common settings, with {@code base-url} Foundry's Anthropic base
     * URL (as {@code ANTHROPIC_FOUNDRY_BASE_URL}) or the {@code resource}, {@code api-key} its key
     * (else Microsoft Entra ID) and {@code model} a deployment's name (default claude-sonnet-5-5).
     */
    public static class Foundry extends Provider {
        /** The Foundry resource's name: the base URL is then https://{resource}.services.ai.azure.com/anthropic. */
        private @Nullable String resource;

        @Override
        boolean configured() {
            return (getBaseUrl() != null && !getBaseUrl().isBlank()) || (resource != null && !resource.isBlank());
        }

        /** {@return the resource's name, or null} */
        public @Nullable String getResource() {
            return resource;
        }

        /**
         * Sets the resource's name.
         *
         * @param resource the resource's name
         */
        public void setResource(@Nullable String resource) {
            this.resource = resource;
        }
    }

    /** OpenAI's client: the common settings, and its organization and project headers. */
    public static class OpenAi extends Provider {
        /** The OpenAI-Organization header. */
        private @Nullable String organization;

        /** The OpenAI-Project header. */
        private @Nullable String project;

        /** {@return the organization, or null} */
        public @Nullable String getOrganization() {
            return organization;
        }

        /**
         * Sets the organization.
         *
         * @param organization the organization
         */
        public void setOrganization(@Nullable String organization) {
            this.organization = organization;
        }

        /** {@return the project, or null} */
        public @Nullable String getProject() {
            return project;
        }

        /**
         * Sets the project.
         *
         * @param project the project
         */
        public void setProject(@Nullable String project) {
            this.project = project;
        }
    }
}
