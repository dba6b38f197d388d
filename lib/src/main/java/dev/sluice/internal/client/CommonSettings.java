package dev.sluice.internal.client;

import dev.sluice.RetryPolicy;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.http.UserAgent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import dev.sluice.observe.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every provider client's builder has, with their checks and messages: API key, base
 * URL, extra headers, HttpClient or connect timeout, retry policy, stream defaults, queue capacity,
 * SSE limits, and reading the key and base URL from the environment. A provider's public builder
 * delegates its common setters here and keeps only its own settings; {@link ClientCore} is built
 * from the result.
 *
 * <p>Each setter checks its argument at once and names it in the message, never showing the API
 * key. Not thread-safe, like the builders it serves.
 */
public final class CommonSettings {
    private final String defaultBaseUrl;
    private final String apiKeyEnv;
    private final String baseUrlEnv;
    private final Set<String> reservedHeaders;
    private final String reservedHint;

    private String apiKey;
    private URI baseUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpClient httpClient;
    private Duration connectTimeout;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private StreamOptions streamOptions = StreamOptions.defaults();
    private int queueCapacity = EventStream.Builder.DEFAULT_CAPACITY;
    private SseLimits sseLimits = SseLimits.defaults();
    private final List<StreamObserver> observers = new ArrayList<>();
    private dev.sluice.ConcurrencyLimit concurrencyLimit; // null: none
    private dev.sluice.CircuitBreakerPolicy circuitBreaker; // null: none
    private Duration rateLimitHold; // null: never hold
    private dev.sluice.RequestRateLimit requestRateLimit; // null: none

    /**
     * @param defaultBaseUrl the provider's base URL, also the example in a bad base URL's message
     * @param apiKeyEnv the environment variable holding the API key, named when none is given
     * @param baseUrlEnv the environment variable holding the base URL
     * @param reservedHeaders lower-case names {@link #header} refuses: the headers the client sets
     * @param reservedHint what to use instead, ending the refusal's message, such as
     *     {@code "use apiKey(..) for the ... headers"}
     */
    public CommonSettings(String defaultBaseUrl, String apiKeyEnv, String baseUrlEnv, Set<String> reservedHeaders,
                          String reservedHint) {
        this.defaultBaseUrl = Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl");
        this.apiKeyEnv = Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
        this.baseUrlEnv = Objects.requireNonNull(baseUrlEnv, "baseUrlEnv");
        this.reservedHeaders = Set.copyOf(reservedHeaders);
        this.reservedHint = Objects.requireNonNull(reservedHint, "reservedHint");
        this.baseUrl = URI.create(defaultBaseUrl);
    }

    /** For a provider whose builder takes no extra headers: {@link #header} refuses none. */
    public CommonSettings(String defaultBaseUrl, String apiKeyEnv, String baseUrlEnv) {
        this(defaultBaseUrl, apiKeyEnv, baseUrlEnv, Set.of(), "");
    }

    /** Sets the API key, stripped; refuses a blank one or one with a control character (a line break). */
    public void apiKey(String key) {
        Objects.requireNonNull(key, "apiKey");
        if (key.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
        if (hasControlCharacter(key)) {
            throw new IllegalArgumentException("apiKey contains a control character (a line break?)");
        }
        this.apiKey = key.strip();
    }

    /** Sets the base URL: an absolute http(s) URL with a host, without user info, query or fragment. */
    public void baseUrl(String url) {
        this.baseUrl = checkedBaseUrl(url, "baseUrl");
    }

    private URI checkedBaseUrl(String url, String name) {
        Objects.requireNonNull(url, name);
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URL with a host, such as "
                    + defaultBaseUrl + ": " + url);
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(name + " must not contain user info");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or fragment: " + url);
        }
        return uri;
    }

    /**
     * Adds a header to every request, under its lower-case name, replacing an earlier one of that
     * name; refuses the reserved names, a malformed name, and a value with a line break or NUL.
     */
    public void header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "the value of header " + name);
        if (!HttpPost.isValidHeaderName(name)) {
            throw new IllegalArgumentException("invalid header name: " + name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (reservedHeaders.contains(lower)) {
            throw new IllegalArgumentException("header " + name + " is set by the client; " + reservedHint);
        }
        if (HttpPost.hasLineBreakOrNul(value)) {
            throw new IllegalArgumentException("the value of header " + name + " contains a line break or NUL");
        }
        headers.put(lower, value);
    }

    /** Sets a caller-supplied HttpClient; refuses one that follows redirects (the key could leak). */
    public void httpClient(HttpClient client) {
        Objects.requireNonNull(client, "httpClient");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("httpClient follows redirects (" + client.followRedirects()
                    + "); build it with followRedirects(HttpClient.Redirect.NEVER) so the API key never travels"
                    + " to another host");
        }
        this.httpClient = client;
    }

    public void connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
    }

    public void retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
    }

    public void streamOptions(StreamOptions options) {
        this.streamOptions = Objects.requireNonNull(options, "streamOptions");
    }

    public void queueCapacity(int events) {
        if (events <= 0) throw new IllegalArgumentException("queueCapacity must be positive: " + events);
        this.queueCapacity = events;
    }

    public void sseLimits(SseLimits limits) {
        this.sseLimits = Objects.requireNonNull(limits, "sseLimits");
    }

    /** Adds a stream observer; the client calls its observers in the order they were added. */
    public void observer(StreamObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** {@return the stream observers, in the order added} */
    public List<StreamObserver> observers() {
        return List.copyOf(observers);
    }

    /**
     * Reads the API key and base URL variables when they are set and not blank; a bad base URL's
     * message starts with the variable's name.
     */
    public void readEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String key = env.get(apiKeyEnv);
        if (key != null && !key.isBlank()) apiKey(key);
        String url = env.get(baseUrlEnv);
        if (url != null && !url.isBlank()) this.baseUrl = checkedBaseUrl(url, baseUrlEnv);
    }

    /**
     * Checks what {@code build()} needs.
     *
     * @param refuseConnectTimeoutWithHttpClient whether a connect timeout given with an HttpClient is
     *     refused (true) or ignored (false: the caller's client keeps its own)
     * @throws IllegalStateException if no API key was given, saying how to give one; or for a
     *     connect timeout with an HttpClient when refused
     */
    public void requireComplete(boolean refuseConnectTimeoutWithHttpClient) {
        if (apiKey == null) {
            throw new IllegalStateException("apiKey is required: call apiKey(..) or set " + apiKeyEnv);
        }
        if (refuseConnectTimeoutWithHttpClient && httpClient != null && connectTimeout != null) {
            throw new IllegalStateException("connectTimeout applies only to the HttpClient the client creates; "
                    + "set it on the HttpClient passed to httpClient(..) instead");
        }
    }

    /** {@return the API key, or null before one is given} Never log or show it. */
    public String apiKey() {
        return apiKey;
    }

    /** {@return the base URL} */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@return the base URL without trailing slashes, for appending the endpoint's path} */
    public String baseWithoutTrailingSlash() {
        return withoutTrailingSlash(baseUrl);
    }

    /** {@return the URI without trailing slashes, as a string} */
    public static String withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /**
     * {@return the request headers: the provider's own, then {@code user-agent}, then the extra
     * headers given (which may replace {@code user-agent}; the reserved names were refused)}
     */
    public Map<String, String> headersAfter(Map<String, String> providerHeaders) {
        Map<String, String> h = new LinkedHashMap<>(providerHeaders);
        h.put("user-agent", UserAgent.VALUE);
        h.putAll(headers);
        return Collections.unmodifiableMap(h);
    }

    /** {@return the caller's HttpClient, or null when the client creates its own} */
    public HttpClient httpClient() {
        return httpClient;
    }

    /** {@return the connect timeout of the HttpClient the client creates, or null for the default} */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@return the retry policy} */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** {@return the options of streams whose controller has none of its own} */
    public StreamOptions streamOptions() {
        return streamOptions;
    }

    /** {@return each stream's queue capacity} */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** {@return the SSE parser's limits} */
    public SseLimits sseLimits() {
        return sseLimits;
    }

    public void concurrencyLimit(dev.sluice.ConcurrencyLimit limit) {
        this.concurrencyLimit = Objects.requireNonNull(limit, "concurrencyLimit");
    }

    public void circuitBreaker(dev.sluice.CircuitBreakerPolicy policy) {
        this.circuitBreaker = Objects.requireNonNull(policy, "circuitBreaker");
    }

    public void holdWhileRateLimited(Duration maxWait) {
        this.rateLimitHold = positive(maxWait, "maxWait");
    }

    public void requestRateLimit(dev.sluice.RequestRateLimit limit) {
        this.requestRateLimit = Objects.requireNonNull(limit, "requestRateLimit");
    }

    /** {@return the client-side request rate limit, or null for none} */
    public dev.sluice.RequestRateLimit requestRateLimit() {
        return requestRateLimit;
    }

    /** {@return the longest hold while a rate limit is exhausted, or null for none} */
    public Duration rateLimitHold() {
        return rateLimitHold;
    }

    /** {@return the concurrency limit, or null for none} */
    public dev.sluice.ConcurrencyLimit concurrencyLimit() {
        return concurrencyLimit;
    }

    /** {@return the circuit breaker's policy, or null for none} */
    public dev.sluice.CircuitBreakerPolicy circuitBreaker() {
        return circuitBreaker;
    }

    /** {@return {@code baseUrl=..., apiKey=(hidden)} or {@code (not set)}: for a builder's toString} */
    public String describe() {
        return "baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "(not set)" : "(hidden)");
    }

    /**
     * {@return the value, stripped}
     *
     * @throws IllegalArgumentException if blank or containing a control character (the message
     *     names the setting and shows the value: use it for values that are not secret)
     */
    public static String token(String value, String name) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(name + " must not be blank");
        if (hasControlCharacter(v)) {
            throw new IllegalArgumentException(name + " contains a control character: " + v);
        }
        return v;
    }

    /** {@return whether {@code s} contains a control character: below U+0020, or U+007F} A loop, not a lambda (see HttpPost). */
    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    /**
     * {@return the duration}
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d;
    }
}
