package dev.sluice.client;

import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The setters of {@link ClientOptions}, written once: {@link ClientOptions.Builder} and every
 * client's builder extend this class, the latter adding its provider's own settings and
 * {@code build()}. A provider's builder passes what is the provider's to the constructor: its
 * default base URL, the environment variables {@code fromEnv()} reads, and the headers the client
 * sets itself. Each setter checks its argument at once and names it in the message, never showing
 * the API key. Not thread-safe.
 *
 * <p>Subclassing: the builders of {@code ClientOptions} and of Sluice's clients extend it, each
 * {@code final}; so may the builder of a client for a provider Sluice does not ship, to offer the
 * same setters: it passes its provider's defaults to the protected constructor, reads the
 * environment with {@link #readEnv} and takes the options from {@link #complete()}. Every setter
 * is {@code final}, so all builders check and keep the settings alike. The class is not sealed
 * because it sits below the provider packages, whose builders extend it, and names none of them.
 *
 * @param <B> the builder, which each setter returns
 */
public abstract class ClientSettings<B extends ClientSettings<B>> {
    private static final String EXAMPLE_BASE_URL = "https://api.example.com";

    private final @Nullable String defaultBaseUrl; // null for ClientOptions.builder(): no provider
    private final @Nullable String apiKeyEnv; // null, as baseUrlEnv, for ClientOptions.builder()
    private final @Nullable String baseUrlEnv;
    private final Set<String> reservedHeaders;
    private final String reservedHint;

    @Nullable
    URI baseUrl;

    @Nullable
    String apiKey;

    final Map<String, String> headers = new LinkedHashMap<>();

    @Nullable
    HttpClient httpClient;

    @Nullable
    Duration connectTimeout;

    @Nullable
    Transport transport;

    @Nullable
    SSLContext sslContext;

    RetryPolicy retryPolicy = RetryPolicy.defaults();
    StreamOptions streamOptions = StreamOptions.defaults();
    int queueCapacity = EventStream.Builder.DEFAULT_CAPACITY;
    SseLimits sseLimits = SseLimits.defaults();
    final List<StreamObserver> observers = new ArrayList<>();

    @Nullable
    ConcurrencyLimit concurrencyLimit;

    @Nullable
    CircuitBreakerPolicy circuitBreaker;

    @Nullable
    RequestRateLimit requestRateLimit;

    @Nullable
    Duration rateLimitHold;

    StructuredOutputMode structuredOutput = StructuredOutputMode.AUTO;

    ClientSettings() {
        this.defaultBaseUrl = null;
        this.apiKeyEnv = null;
        this.baseUrlEnv = null;
        this.reservedHeaders = Set.of();
        this.reservedHint = "";
    }

    /**
     * For a provider's client builder.
     *
     * @param defaultBaseUrl the provider's base URL, also the example in a bad base URL's message
     * @param apiKeyEnv the environment variable holding the API key, named when none is given
     * @param baseUrlEnv the environment variable holding the base URL
     * @param reservedHeaders lower-case names {@link #header} refuses: the headers the client sets
     * @param reservedHint what to use instead, ending the refusal's message, such as
     *     {@code "use apiKey(..) for the x-api-key header"}
     */
    protected ClientSettings(
            String defaultBaseUrl,
            String apiKeyEnv,
            String baseUrlEnv,
            Set<String> reservedHeaders,
            String reservedHint) {
        this.defaultBaseUrl = URI.create(Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl"))
                .toString();
        this.apiKeyEnv = Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
        this.baseUrlEnv = Objects.requireNonNull(baseUrlEnv, "baseUrlEnv");
        this.reservedHeaders = Set.copyOf(reservedHeaders);
        this.reservedHint = Objects.requireNonNull(reservedHint, "reservedHint");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Takes every setting of a reusable value, replacing what was set before; the API key and
     * the base URL only when {@code options} has them (they are usually per provider). Call it
     * first, then the setters that differ.
     *
     * @param options the options
     * @return this builder
     * @throws IllegalArgumentException if {@code options} has a header this client sets itself
     */
    public final B options(ClientOptions options) {
        Objects.requireNonNull(options, "options");
        for (String name : options.headers.keySet()) refuseReserved(name);
        if (options.baseUrl != null) baseUrl = options.baseUrl;
        if (options.apiKey != null) apiKey = options.apiKey;
        headers.clear();
        headers.putAll(options.headers);
        httpClient = options.httpClient;
        connectTimeout = options.connectTimeout;
        transport = options.transport;
        sslContext = options.sslContext;
        retryPolicy = options.retryPolicy;
        streamOptions = options.streamOptions;
        queueCapacity = options.queueCapacity;
        sseLimits = options.sseLimits;
        observers.clear();
        observers.addAll(options.observers);
        concurrencyLimit = options.concurrencyLimit;
        circuitBreaker = options.circuitBreaker;
        requestRateLimit = options.requestRateLimit;
        rateLimitHold = options.rateLimitHold;
        structuredOutput = options.structuredOutput;
        return self();
    }

    /**
     * Sets the API key.
     *
     * @param apiKey the API key (the client's Javadoc says which header carries it), stripped
     * @return this builder
     * @throws IllegalArgumentException if blank or containing a control character (a line break)
     */
    public final B apiKey(String apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
        if (HttpPost.hasControlCharacter(apiKey)) {
            throw new IllegalArgumentException("apiKey contains a control character (a line break?)");
        }
        this.apiKey = apiKey.strip();
        return self();
    }

    /**
     * Sets the base URL.
     *
     * @param baseUrl the API's base URL without the endpoint's path; default the provider's
     * @return this builder
     * @throws IllegalArgumentException if not an absolute http(s) URL with a host, or with user
     *     info, a query or a fragment
     */
    public final B baseUrl(String baseUrl) {
        this.baseUrl = checkedBaseUrl(baseUrl, "baseUrl");
        return self();
    }

    private URI checkedBaseUrl(String url, String name) {
        Objects.requireNonNull(url, name);
        if (!url.contains("://") && !url.isBlank()) { // 127.0.0.1:8089 would parse as a scheme, or fail to
            throw new IllegalArgumentException(
                    name + " needs http:// or https:// before the host, such as http://" + url.strip() + ": " + url);
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URL with a host, such as "
                    + (defaultBaseUrl == null ? EXAMPLE_BASE_URL : defaultBaseUrl) + ": " + url);
        }
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(name + " must not contain user info");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or fragment: " + url);
        }
        return uri;
    }

    /**
     * Adds a header to every request, under its lower-case name, replacing an earlier one of
     * that name; {@code user-agent} replaces the default. The headers a client sets itself (its
     * key, {@code content-type}, {@code accept}, ...) are refused, saying which setter to use.
     *
     * @param name the header's name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException for a refused or malformed name, or a value with a line
     *     break or NUL
     */
    public final B header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "the value of header " + name);
        if (!HttpPost.isValidHeaderName(name)) throw new IllegalArgumentException("invalid header name: " + name);
        refuseReserved(name);
        if (HttpPost.hasLineBreakOrNul(value)) {
            throw new IllegalArgumentException("the value of header " + name + " contains a line break or NUL");
        }
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return self();
    }

    private void refuseReserved(String name) {
        if (reservedHeaders.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header " + name + " is set by the client; " + reservedHint);
        }
    }

    /**
     * Sets the HTTP client to send with.
     *
     * @param client a caller-supplied client, never closed by the Sluice client; it must not
     *     follow redirects ({@code followRedirects(HttpClient.Redirect.NEVER)}), so the API key
     *     never travels to another host
     * @return this builder
     * @throws IllegalArgumentException if it follows redirects
     */
    public final B httpClient(HttpClient client) {
        Objects.requireNonNull(client, "httpClient");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("httpClient follows redirects (" + client.followRedirects()
                    + "); build it with followRedirects(HttpClient.Redirect.NEVER) so the API key never travels"
                    + " to another host");
        }
        this.httpClient = client;
        return self();
    }

    /**
     * Sets the connect timeout.
     *
     * @param timeout the connect timeout of the HttpClient the client creates (not with
     *     {@link #httpClient}, which has its own); default 10 s
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public final B connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return self();
    }

    /**
     * Chooses how requests travel.
     *
     * @param transport {@link Transport#BLOCKING} (the default, unless the {@code sluice.http.engine}
     *     system property says {@code http-client}) or {@link Transport#HTTP_CLIENT}; the blocking one
     *     gives way to the HttpClient when a proxy is configured for the base URL
     * @return this builder
     */
    public final B transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return self();
    }

    /**
     * Sets the TLS context: its trust store decides which servers are trusted, its key store which
     * certificate the client presents.
     *
     * @param context the context of the connections the client opens (not with {@link #httpClient},
     *     which has its own); default the platform's ({@link SSLContext#getDefault()})
     * @return this builder
     */
    public final B sslContext(SSLContext context) {
        this.sslContext = Objects.requireNonNull(context, "sslContext");
        return self();
    }

    /**
     * Sets the retry policy.
     *
     * @param policy how the opening of a stream is retried; default {@link RetryPolicy#defaults()}
     *     (2 retries)
     * @return this builder
     */
    public final B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
        return self();
    }

    /**
     * Sets the stream options.
     *
     * @param options the timeouts and limits of every stream whose controller has no options
     *     of its own; default {@link StreamOptions#defaults()}
     * @return this builder
     */
    public final B streamOptions(StreamOptions options) {
        this.streamOptions = Objects.requireNonNull(options, "streamOptions");
        return self();
    }

    /**
     * Sets the queue capacity.
     *
     * @param events each stream's queue capacity; default {@value EventStream.Builder#DEFAULT_CAPACITY}
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public final B queueCapacity(int events) {
        if (events <= 0) throw new IllegalArgumentException("queueCapacity must be positive: " + events);
        this.queueCapacity = events;
        return self();
    }

    /**
     * Sets the SSE parser's limits.
     *
     * @param limits the SSE parser's limits; default {@link SseLimits#defaults()}
     * @return this builder
     */
    public final B sseLimits(SseLimits limits) {
        this.sseLimits = Objects.requireNonNull(limits, "sseLimits");
        return self();
    }

    /**
     * Adds an observer of every stream the client opens (metrics, tracing); observers are
     * called in the order added.
     *
     * @param observer the observer
     * @return this builder
     */
    public final B observer(StreamObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        return self();
    }

    /**
     * Limits the streams the client keeps open at once; others wait for a place, fairly and at
     * most the limit's wait, or are refused (see {@link ConcurrencyLimit}). Default: none.
     *
     * @param limit the limit
     * @return this builder
     */
    public final B concurrencyLimit(ConcurrencyLimit limit) {
        this.concurrencyLimit = Objects.requireNonNull(limit, "concurrencyLimit");
        return self();
    }

    /**
     * Turns on a circuit breaker: after repeated failures, streams fail fast with a
     * {@link dev.sluice.CircuitOpenException} for a while (see {@link CircuitBreakerPolicy}).
     * Default: none.
     *
     * @param policy the breaker's policy
     * @return this builder
     */
    public final B circuitBreaker(CircuitBreakerPolicy policy) {
        this.circuitBreaker = Objects.requireNonNull(policy, "circuitBreaker");
        return self();
    }

    /**
     * Limits how many streams the client starts per period, on its own side: each stream takes
     * a permit just before its request goes, waiting for the next period at most the limit's
     * wait, or is refused at once with a {@link dev.sluice.RequestRateLimitException} when the
     * wait would be longer (see {@link RequestRateLimit}). Default: none.
     *
     * @param limit the limit
     * @return this builder
     */
    public final B requestRateLimit(RequestRateLimit limit) {
        this.requestRateLimit = Objects.requireNonNull(limit, "requestRateLimit");
        return self();
    }

    /**
     * Holds new streams while a rate limit the API reported is exhausted (in its rate-limit
     * headers, which the client's Javadoc names, or a 429 naming its {@code retry-after}), until
     * it resets, when that is at most {@code maxWait} away (a longer one is not waited for: the
     * request goes, and is retried per the retry policy). All the APIs of one client share its
     * limits. A cancel of the stream's controller ends the hold. Default: never held.
     *
     * @param maxWait the longest hold
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWait} is not positive
     */
    public final B holdWhileRateLimited(Duration maxWait) {
        this.rateLimitHold = positive(maxWait, "maxWait");
        return self();
    }

    /**
     * Chooses how a request's response format (structured output) is sent: natively, as a forced
     * tool call, or by the model ({@link StructuredOutputMode}; the client's Javadoc says which models
     * it sends natively). A request whose tool choice names its response format is sent as the
     * forced tool call whatever this says. Default: {@link StructuredOutputMode#AUTO}.
     *
     * @param mode the mode
     * @return this builder
     */
    public final B structuredOutput(StructuredOutputMode mode) {
        this.structuredOutput = Objects.requireNonNull(mode, "structuredOutput");
        return self();
    }

    /**
     * Reads the provider's API key and base URL variables when they are set and not blank; a
     * bad base URL's message starts with the variable's name.
     *
     * @param env the environment, such as {@link System#getenv()}
     * @return this builder
     * @throws IllegalArgumentException if the base URL variable is not a valid base URL
     */
    protected final B readEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String keyVariable = Objects.requireNonNull(apiKeyEnv, "only a provider's builder reads the environment");
        String urlVariable = Objects.requireNonNull(baseUrlEnv, "only a provider's builder reads the environment");
        String key = env.get(keyVariable);
        if (key != null && !key.isBlank()) apiKey(key);
        String url = env.get(urlVariable);
        if (url != null && !url.isBlank()) this.baseUrl = checkedBaseUrl(url, urlVariable);
        return self();
    }

    /**
     * {@return the settings as the client's options, with the provider's base URL unless another
     * was given} Without an API key, a base URL whose host is loopback ({@code localhost},
     * {@code 127.0.0.0/8} or {@code [::1]}, such as a fake server's) gets the placeholder key
     * {@code "sluice-placeholder-key"}; a key is never made up for any other host.
     *
     * @throws IllegalStateException if no API key was given and the base URL is not loopback
     *     ({@code "apiKey is required: call apiKey(..) or set <variable> ..."}), or both
     *     {@link #httpClient} and {@link #connectTimeout} were given
     */
    protected final ClientOptions complete() {
        return complete(true);
    }

    /**
     * As {@link #complete()}, for a client whose requests may be authorized without an API key (a
     * Bedrock client signs them with AWS credentials instead).
     *
     * @param apiKeyRequired false: without an API key, the options have none ({@link ClientOptions#apiKey()} empty)
     * @throws IllegalStateException as {@link #complete()} when the key is required
     */
    protected final ClientOptions complete(boolean apiKeyRequired) {
        if (!apiKeyRequired && apiKey == null) {
            requireConsistent();
            return new ClientOptions(this, defaultBaseUrl, null);
        }
        String key = apiKey;
        if (key == null) {
            if (baseUrl == null || !isLoopback(baseUrl)) {
                throw new IllegalStateException("apiKey is required: call apiKey(..) or set " + apiKeyEnv
                        + " (a fake server takes any key; a base URL on loopback, such as http://127.0.0.1:PORT,"
                        + " needs none)");
            }
            key = PLACEHOLDER_API_KEY;
        }
        requireConsistent();
        return new ClientOptions(this, defaultBaseUrl, key);
    }

    /**
     * The key a client built without one sends to a base URL on loopback, where a local fake or
     * proxy that wants none listens, such as {@code sluice serve-fake}.
     */
    static final String PLACEHOLDER_API_KEY = "sluice-placeholder-key";

    /**
     * Whether the URL's host is loopback by its name alone ({@code localhost}, an IPv4 address in
     * {@code 127.0.0.0/8}, {@code [::1]}): no name is looked up, so no resolver can make a remote
     * host count as loopback.
     */
    private static boolean isLoopback(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost")) return true;
        boolean literal = (host.startsWith("[") && host.endsWith("]")) || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!literal) return false;
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                    .isLoopbackAddress(); // a literal address: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    void requireConsistent() {
        if (httpClient != null && connectTimeout != null) {
            throw new IllegalStateException("connectTimeout applies only to the HttpClient the client creates; "
                    + "set it on the HttpClient passed to httpClient(..) instead");
        }
        if (httpClient != null && sslContext != null) {
            throw new IllegalStateException("sslContext applies only to the connections the client opens; "
                    + "set it on the HttpClient passed to httpClient(..) instead");
        }
        if (httpClient != null && transport == Transport.BLOCKING) {
            throw new IllegalStateException("transport(BLOCKING) and httpClient(..) contradict each other: "
                    + "a caller's HttpClient carries the requests; drop one of them");
        }
    }

    /** Shows the base URL, never the API key. */
    @Override
    public String toString() {
        String name = getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.') + "[baseUrl="
                + (baseUrl != null ? baseUrl : defaultBaseUrl != null ? defaultBaseUrl : "(provider's)")
                + ", apiKey=" + (apiKey == null ? "(not set)" : "(hidden)") + "]";
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d;
    }
}
