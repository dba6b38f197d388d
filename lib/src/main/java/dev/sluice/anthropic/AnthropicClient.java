package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.RetryPolicy;
import dev.sluice.StreamInterruptedException;
import dev.sluice.internal.http.Cancellation;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.http.HttpTransport;
import dev.sluice.internal.http.JsonResponse;
import dev.sluice.internal.http.Retrier;
import dev.sluice.internal.http.UserAgent;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the Anthropic Messages API.
 *
 * <pre>{@code
 * try (AnthropicClient client = AnthropicClient.fromEnv();
 *      MessageStream stream = client.messages().stream(MessageRequest.builder()
 *              .model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("Hello").build())) {
 *     stream.text().forEach(System.out::print);
 * }
 * }</pre>
 *
 * <p>Requests go to {@code <baseUrl>/v1/messages} with the headers {@code x-api-key},
 * {@code anthropic-version}, {@code anthropic-beta} (when betas are set),
 * {@code content-type: application/json}, {@code accept} ({@code text/event-stream} for streams),
 * {@code user-agent: sluice/<version> java/<java.version>} and the extra headers given. Redirects
 * are never followed, so the API key never travels to another host. The key never appears in
 * {@link #toString()}, in exception messages or in logs.
 *
 * <p>Logging ({@link System.Logger} {@code dev.sluice.anthropic.AnthropicClient}): a summary of each
 * request and response at {@code DEBUG}; request and response bodies (prompt and answer text) only
 * at {@code TRACE}.
 *
 * <p>{@link #close()} cancels the client's open streams and in-flight requests, then closes the
 * {@link HttpClient} if the client created it (a caller-supplied one is left open). Thread-safe:
 * one client serves any number of threads and streams.
 */
public final class AnthropicClient implements AutoCloseable {
    // Threading: configuration fields are final. open: concurrent set of the controllers of running
    // streams and requests (added by the calling thread, removed by onEnd on whichever thread ends
    // them). closed: set once by close().

    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    /** The default {@code anthropic-version}. */
    public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    /** The default wait for a non-streaming response: 10 minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(AnthropicClient.class.getName());
    private static final AtomicLong STREAM_NUMBERS = new AtomicLong();

    private final URI endpoint;
    private final Map<String, String> headers;
    private final String anthropicVersion;
    private final List<String> betas;
    private final HttpTransport transport;
    private final Retrier retrier;
    private final StreamController streamDefaults;
    private final int queueCapacity;
    private final SseLimits sseLimits;
    private final Duration requestTimeout;
    private final Messages messages = new Messages(this);
    private final Set<StreamController> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private AnthropicClient(ClientSettings b) {
        this.endpoint = b.endpoint();
        this.anthropicVersion = b.anthropicVersion;
        this.betas = List.copyOf(b.betas);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-api-key", b.apiKey);
        h.put("anthropic-version", b.anthropicVersion);
        if (!betas.isEmpty()) h.put("anthropic-beta", String.join(",", betas));
        h.put("user-agent", UserAgent.VALUE);
        h.putAll(b.headers); // may replace user-agent; the reserved names were refused when set
        this.headers = Collections.unmodifiableMap(h);
        HttpTransport.Builder t = HttpTransport.builder().requestIdHeader("request-id");
        if (b.httpClient != null) t.client(b.httpClient);
        if (b.connectTimeout != null) t.connectTimeout(b.connectTimeout);
        this.transport = t.build();
        this.retrier = new Retrier(b.retryPolicy);
        this.streamDefaults = b.streamDefaults;
        this.queueCapacity = b.queueCapacity;
        this.sseLimits = b.sseLimits;
        this.requestTimeout = b.requestTimeout;
    }

    /** {@return a builder; only the API key is required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment: {@code ANTHROPIC_API_KEY} (required) and
     * {@code ANTHROPIC_BASE_URL} (optional, without the {@code /v1/messages} path)}
     *
     * @throws IllegalStateException if {@code ANTHROPIC_API_KEY} is not set
     * @throws IllegalArgumentException if {@code ANTHROPIC_BASE_URL} is not a valid base URL
     */
    public static AnthropicClient fromEnv() {
        return builder().fromEnv().build();
    }

    static AnthropicClient fromEnv(Map<String, String> env) {
        return builder().fromEnv(env).build();
    }

    /** {@return the Messages API} */
    public Messages messages() {
        return messages;
    }

    MessageStream stream(MessageRequest request, StreamController controller) {
        requireOpen();
        StreamController c = controller != null ? controller : streamDefaults.newController();
        String body = RequestJson.write(request, true);
        logRequest("stream", request, body);
        register(c);
        return MessageStream.open(StreamingCall.builder(AnthropicStreamDecoding.PROTOCOL)
                .transport(transport).retrier(retrier).controller(c)
                .post(() -> HttpPost.json(endpoint, headers, body))
                .sseLimits(sseLimits).capacity(queueCapacity)
                .threadName("sluice-anthropic-" + STREAM_NUMBERS.incrementAndGet())
                .onEnd(() -> open.remove(c)));
    }

    Message create(MessageRequest request) {
        requireOpen();
        String body = RequestJson.write(request, false);
        logRequest("create", request, body);
        StreamController cancelSwitch = StreamController.defaults(); // only its cancel switch is used
        register(cancelSwitch);
        Cancellation cancellation = Cancellation.of(cancelSwitch::isCancelled, cancelSwitch::onCancel);
        HttpPost post = HttpPost.json(endpoint, headers, body).withTimeout(requestTimeout);
        try {
            JsonResponse response = retrier.budget().call(() -> transport.send(post, cancellation), cancellation);
            LOG.log(System.Logger.Level.DEBUG, () -> "messages.create: HTTP " + response.statusCode()
                    + ", request id " + response.requestId() + ", " + response.body().length() + " chars");
            LOG.log(System.Logger.Level.TRACE, () -> "response body: " + response.body());
            try {
                return Message.fromJson(response.body());
            } catch (ProtocolException e) {
                throw e.initContext(response.requestId(), null);
            }
        } catch (CancellationException e) {
            throw new IllegalStateException("the AnthropicClient was closed while the request was in flight", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        } finally {
            open.remove(cancelSwitch);
        }
    }

    private void register(StreamController c) {
        open.add(c);
        if (closed.get()) { // close() may have run between requireOpen() and add()
            open.remove(c);
            throw closedException();
        }
    }

    private void requireOpen() {
        if (closed.get()) throw closedException();
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the AnthropicClient is closed");
    }

    private void logRequest(String what, MessageRequest request, String body) {
        LOG.log(System.Logger.Level.DEBUG, () -> "messages." + what + ": POST " + endpoint + ", model " + request.model()
                + ", max_tokens " + request.maxTokens() + ", " + request.messages().size() + " messages");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
    }

    /** {@return how many streams and requests of this client are running} */
    int openCount() {
        return open.size();
    }

    /**
     * Cancels every open stream and in-flight request of this client (their producer threads end),
     * then closes the {@link HttpClient} if this client created it. Idempotent, safe from any
     * thread; later calls to {@link #messages()}' methods throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (StreamController c : List.copyOf(open)) c.cancel("the AnthropicClient was closed");
        transport.close();
        LOG.log(System.Logger.Level.DEBUG, "AnthropicClient closed");
    }

    /** Shows the configuration, never the API key. */
    @Override
    public String toString() {
        return "AnthropicClient[endpoint=" + endpoint + ", anthropicVersion=" + anthropicVersion
                + (betas.isEmpty() ? "" : ", betas=" + betas) + ", apiKey=(hidden), "
                + (closed.get() ? "closed" : open.size() + " open") + "]";
    }

    /**
     * Builds an {@link AnthropicClient}. Each setter checks its argument at once and names it in the
     * message (never showing the API key); {@link #build()} says what is missing.
     */
    public static final class Builder {
        private final ClientSettings s = new ClientSettings();

        private Builder() {}

        /**
         * @param apiKey the API key, sent as {@code x-api-key}; required
         * @return this builder
         */
        public Builder apiKey(String apiKey) { s.setApiKey(apiKey); return this; }

        /**
         * @param baseUrl the API's base URL without the {@code /v1/messages} path, {@code http} or
         *     {@code https}; default {@value AnthropicClient#DEFAULT_BASE_URL}
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) { s.setBaseUrl(baseUrl, "baseUrl"); return this; }

        /**
         * @param version the {@code anthropic-version} header; default {@value AnthropicClient#DEFAULT_ANTHROPIC_VERSION}
         * @return this builder
         */
        public Builder anthropicVersion(String version) { s.setAnthropicVersion(version); return this; }

        /**
         * @param betas beta names to add to the {@code anthropic-beta} header (comma-joined)
         * @return this builder
         */
        public Builder beta(String... betas) { s.addBetas(betas); return this; }

        /**
         * Adds a header to every request. {@code x-api-key}, {@code anthropic-version},
         * {@code anthropic-beta}, {@code content-type} and {@code accept} are refused (use
         * {@link #apiKey}, {@link #anthropicVersion} and {@link #beta}; the others the client sets);
         * {@code user-agent} replaces the default.
         *
         * @param name the header name
         * @param value its value, without line breaks
         * @return this builder
         * @throws IllegalArgumentException for a refused or malformed name, or a value with a line break
         */
        public Builder header(String name, String value) { s.addHeader(name, value); return this; }

        /**
         * @param client a caller-supplied client, never closed by this client; it must not follow
         *     redirects ({@code followRedirects(HttpClient.Redirect.NEVER)})
         * @return this builder
         */
        public Builder httpClient(HttpClient client) { s.setHttpClient(client); return this; }

        /**
         * @param timeout the connect timeout of the HttpClient this client creates; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) { s.setConnectTimeout(timeout); return this; }

        /**
         * @param policy how openings are retried; default {@link RetryPolicy#defaults()} (2 retries)
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) { s.setRetryPolicy(policy); return this; }

        /**
         * @param template the settings of each stream's controller when none is given: each stream
         *     gets {@code template.newController()}; default {@link StreamController#defaults()}
         * @return this builder
         */
        public Builder streamDefaults(StreamController template) { s.setStreamDefaults(template); return this; }

        /**
         * @param events each stream's queue capacity; default {@value EventStream.Builder#DEFAULT_CAPACITY}
         * @return this builder
         */
        public Builder queueCapacity(int events) { s.setQueueCapacity(events); return this; }

        /**
         * @param limits the SSE parser's limits; default {@link SseLimits#defaults()}
         * @return this builder
         */
        public Builder sseLimits(SseLimits limits) { s.setSseLimits(limits); return this; }

        /**
         * @param timeout the longest wait for a non-streaming response ({@link Messages#create}); default 10 minutes
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) { s.setRequestTimeout(timeout); return this; }

        /**
         * Reads {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL} when they are set and not blank.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code ANTHROPIC_BASE_URL} is not a valid base URL
         */
        public Builder fromEnv() { return fromEnv(System.getenv()); }

        Builder fromEnv(Map<String, String> env) { s.readEnv(env); return this; }

        /**
         * {@return the client}
         * @throws IllegalStateException if no API key was given
         *     ({@code "apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY"}), or if both
         *     {@link #httpClient} and {@link #connectTimeout} were given
         */
        public AnthropicClient build() { return new AnthropicClient(s.validated()); }

        @Override
        public String toString() { return "AnthropicClient.Builder[" + s.describe() + "]"; }
    }
}
