package dev.sluice.client;

import dev.sluice.internal.low.http.ServerText;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * What every provider client is configured with: base URL, API key, extra headers, the
 * {@link HttpClient} or its connect timeout, retries, stream defaults, queue capacity, SSE limits,
 * observers, the concurrency limit, circuit breaker, request rate limit and rate-limit hold, and
 * how structured output is sent.
 * Every client builder has these setters (it extends {@link ClientSettings}) and takes a whole
 * value with {@link ClientSettings#options(ClientOptions) options(..)}, so one value configures
 * clients of any provider:
 *
 * <pre>{@code
 * ClientOptions shared = ClientOptions.builder()
 *         .retryPolicy(RetryPolicy.defaults().withMaxRetries(4))
 *         .concurrencyLimit(ConcurrencyLimit.of(32))
 *         .observer(metrics)
 *         .build();
 * AnthropicClient claude = AnthropicClient.builder().options(shared).fromEnv().build();
 * OpenAiClient gpt = OpenAiClient.builder().options(shared).apiKey(openAiKey).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the API key never appears in {@link #toString()}. Unset optional
 * settings are empty: the client then uses its provider's base URL, creates its own
 * {@code HttpClient} (connect timeout 10 s), and applies no limit, breaker or hold.
 */
public final class ClientOptions {
    // Read by ClientSettings.options(..); immutable.
    final @Nullable URI baseUrl;
    final @Nullable String apiKey;
    final Map<String, String> headers;
    final @Nullable HttpClient httpClient;
    final @Nullable Duration connectTimeout;
    final @Nullable Transport transport;
    final @Nullable SSLContext sslContext;
    final RetryPolicy retryPolicy;
    final StreamOptions streamOptions;
    final int queueCapacity;
    final SseLimits sseLimits;
    final List<StreamObserver> observers;
    final @Nullable ConcurrencyLimit concurrencyLimit;
    final @Nullable CircuitBreakerPolicy circuitBreaker;
    final @Nullable RequestRateLimit requestRateLimit;
    final @Nullable Duration rateLimitHold;
    final StructuredOutputMode structuredOutput;

    ClientOptions(ClientSettings<?> s, @Nullable String defaultBaseUrl, @Nullable String apiKey) {
        URI given = s.baseUrl;
        this.baseUrl = given != null ? given : defaultBaseUrl != null ? URI.create(defaultBaseUrl) : null;
        this.apiKey = apiKey;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(s.headers));
        this.httpClient = s.httpClient;
        this.connectTimeout = s.connectTimeout;
        this.transport = s.transport;
        this.sslContext = s.sslContext;
        this.retryPolicy = s.retryPolicy;
        this.streamOptions = s.streamOptions;
        this.queueCapacity = s.queueCapacity;
        this.sseLimits = s.sseLimits;
        this.observers = List.copyOf(s.observers);
        this.concurrencyLimit = s.concurrencyLimit;
        this.circuitBreaker = s.circuitBreaker;
        this.requestRateLimit = s.requestRateLimit;
        this.rateLimitHold = s.rateLimitHold;
        this.structuredOutput = s.structuredOutput;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options, to derive others} */
    public Builder toBuilder() {
        return new Builder().options(this);
    }

    /** {@return the base URL, if one was given} Empty: the provider's. */
    public Optional<URI> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** {@return the API key, if one was given} Never log or show it. */
    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /**
     * {@return the text with the API key and the credential headers' values (an {@code authorization}
     * header's, any whose name holds {@code key}, {@code token}, {@code secret} or {@code auth}) taken
     * out, each replaced by {@code [redacted]}} Every echo of them goes too, as Sluice takes a request's
     * credentials out of what a server sends before it puts that into an exception: in any case,
     * reversed, split by whitespace or invisible characters, half masked, base64, hex, percent-encoded
     * or rot13. For a message Sluice did not build, such as a job's record of a failed call, that may
     * quote them; nothing else in the text changes.
     *
     * @param text the text
     */
    public String redact(String text) {
        Map<String, String> credentials = new LinkedHashMap<>(headers);
        if (apiKey != null) credentials.put("api-key", apiKey);
        return ServerText.redact(text, credentials);
    }

    /** {@return the extra headers of every request, under lower-case names, in the order given} */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return the caller's HttpClient, if one was given} */
    public Optional<HttpClient> httpClient() {
        return Optional.ofNullable(httpClient);
    }

    /** {@return the connect timeout of the HttpClient the client creates, if one was given} */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /** {@return how requests travel, if it was chosen} Empty: {@link Transport#BLOCKING}, unless a proxy or a caller's HttpClient says otherwise. */
    public Optional<Transport> transport() {
        return Optional.ofNullable(transport);
    }

    /** {@return the TLS context of the connections the client opens, if one was given} Empty: the platform's. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** {@return how the opening of a stream is retried} */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** {@return the options of streams whose controller has none of its own} */
    public StreamOptions streamOptions() {
        return streamOptions;
    }

    /** {@return each stream's queue capacity, in events} */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** {@return the SSE parser's limits} */
    public SseLimits sseLimits() {
        return sseLimits;
    }

    /** {@return the observers of every stream, in the order added} */
    public List<StreamObserver> observers() {
        return observers;
    }

    /** {@return the limit on streams open at once, if any} */
    public Optional<ConcurrencyLimit> concurrencyLimit() {
        return Optional.ofNullable(concurrencyLimit);
    }

    /** {@return the circuit breaker's policy, if any} */
    public Optional<CircuitBreakerPolicy> circuitBreaker() {
        return Optional.ofNullable(circuitBreaker);
    }

    /** {@return the client-side limit on streams started per period, if any} */
    public Optional<RequestRateLimit> requestRateLimit() {
        return Optional.ofNullable(requestRateLimit);
    }

    /** {@return the longest hold of new streams while a reported rate limit is exhausted, if they are held} */
    public Optional<Duration> rateLimitHold() {
        return Optional.ofNullable(rateLimitHold);
    }

    /** {@return how a request's response format is sent: natively, as a forced tool call, or by the model} */
    public StructuredOutputMode structuredOutput() {
        return structuredOutput;
    }

    /** Shows the settings, never the API key nor the headers' values. */
    @Override
    public String toString() {
        return "ClientOptions[baseUrl=" + (baseUrl == null ? "(provider's)" : baseUrl) + ", apiKey="
                + (apiKey == null ? "(not set)" : "(hidden)") + ", headers=" + headers.keySet() + ", " + retryPolicy
                + ", " + streamOptions + ", queueCapacity=" + queueCapacity + ", observers=" + observers.size()
                + (concurrencyLimit == null ? "" : ", " + concurrencyLimit)
                + (circuitBreaker == null ? "" : ", " + circuitBreaker)
                + (requestRateLimit == null ? "" : ", " + requestRateLimit)
                + (rateLimitHold == null ? "" : ", rateLimitHold=" + rateLimitHold)
                + (transport == null ? "" : ", transport=" + transport)
                + (structuredOutput == StructuredOutputMode.AUTO ? "" : ", structuredOutput=" + structuredOutput) + "]";
    }

    /** Builds {@link ClientOptions}, for any provider. Not thread-safe. */
    public static final class Builder extends ClientSettings<Builder> {
        private Builder() {}

        /**
         * {@return the options}
         * @throws IllegalStateException if {@link #httpClient} was given with {@link #connectTimeout},
         *     {@link #sslContext} or {@code transport(BLOCKING)}
         */
        public ClientOptions build() {
            requireConsistent();
            return new ClientOptions(this, null, apiKey);
        }
    }
}
