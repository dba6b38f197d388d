package dev.sluice.openai;

import dev.sluice.RetryPolicy;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.http.HttpTransport;
import dev.sluice.internal.http.Retrier;
import dev.sluice.internal.http.UserAgent;
import dev.sluice.internal.stream.MappedEventStream;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of OpenAI's Chat Completions API (and of OpenAI-compatible servers), streaming.
 *
 * <pre>{@code
 * try (OpenAiClient client = OpenAiClient.fromEnv();
 *      ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.builder()
 *              .model("gpt-4o-mini").addMessage(ChatCompletionMessage.user("Hello")).build())) {
 *     stream.text().forEach(System.out::print);
 * }
 * }</pre>
 *
 * <p>Requests go to {@code <baseUrl>/v1/chat/completions} (a base URL that already ends in
 * {@code /v1}, as OpenAI's own SDKs write it, gets only {@code /chat/completions}) with
 * {@code Authorization: Bearer <key>}, {@code OpenAI-Organization} and {@code OpenAI-Project} when
 * set, {@code content-type: application/json}, {@code accept: text/event-stream},
 * {@code user-agent: sluice/<version> java/<java.version>} and the extra headers given. Redirects
 * are never followed, so the key never travels to another host; the key never appears in
 * {@link #toString()}, in exception messages or in logs.
 *
 * <p>It is also a {@link ChatProvider}: a {@link ChatRequest} is sent as Chat Completions (see
 * {@link #stream(ChatRequest, StreamController)}) and the chunks are mapped to provider-neutral
 * {@link MessageChunk}s. Retries, timeouts, cancellation and limits are the same shared code as for
 * every provider.
 *
 * <p>{@link #close()} cancels the client's open streams, then closes the {@link HttpClient} if the
 * client created it. Thread-safe: one client serves any number of threads and streams.
 */
public final class OpenAiClient implements ChatProvider, AutoCloseable {
    // Threading: configuration fields are final. open: concurrent set of the controllers of running
    // streams (added by the calling thread, removed by onEnd on whichever thread ends them).
    // closed: set once by close().

    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";

    private static final System.Logger LOG = System.getLogger(OpenAiClient.class.getName());
    private static final AtomicLong STREAM_NUMBERS = new AtomicLong();
    private static final Set<String> RESERVED = Set.of("authorization", "openai-organization", "openai-project",
            "content-type", "accept");

    private final URI endpoint;
    private final Map<String, String> headers;
    private final HttpTransport transport;
    private final Retrier retrier;
    private final StreamController streamDefaults;
    private final int queueCapacity;
    private final SseLimits sseLimits;
    private final Clock clock;
    private final ChatCompletions chat = new ChatCompletions(this);
    private final Set<StreamController> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OpenAiClient(Builder b) {
        this.endpoint = endpoint(b.baseUrl);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("authorization", "Bearer " + b.apiKey);
        if (b.organization != null) h.put("openai-organization", b.organization);
        if (b.project != null) h.put("openai-project", b.project);
        h.put("user-agent", UserAgent.VALUE);
        h.putAll(b.headers);
        this.headers = Collections.unmodifiableMap(h);
        HttpTransport.Builder t = HttpTransport.builder().requestIdHeader("x-request-id");
        if (b.httpClient != null) t.client(b.httpClient);
        if (b.connectTimeout != null) t.connectTimeout(b.connectTimeout);
        this.transport = t.build();
        this.retrier = new Retrier(b.retryPolicy);
        this.streamDefaults = b.streamDefaults;
        this.queueCapacity = b.queueCapacity;
        this.sseLimits = b.sseLimits;
        this.clock = Clock.systemUTC();
    }

    /** {@return a builder; only the API key is required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment: {@code OPENAI_API_KEY} (required) and
     * {@code OPENAI_BASE_URL} (optional)}
     *
     * @throws IllegalStateException if {@code OPENAI_API_KEY} is not set
     * @throws IllegalArgumentException if {@code OPENAI_BASE_URL} is not a valid base URL
     */
    public static OpenAiClient fromEnv() {
        return builder().fromEnv().build();
    }

    /** {@return the Chat Completions API} */
    public ChatCompletions chat() {
        return chat;
    }

    ChatCompletionStream stream(ChatCompletionRequest request, StreamController controller) {
        return ChatCompletionStream.open(call(request, controller));
    }

    private StreamingCall.Builder<ChatCompletionEvent> call(ChatCompletionRequest request, StreamController controller) {
        if (closed.get()) throw closedException();
        StreamController c = controller != null ? controller : streamDefaults.newController();
        String body = RequestJson.streaming(request);
        LOG.log(System.Logger.Level.DEBUG, () -> "chat.completions stream: POST " + endpoint + ", model " + request.model()
                + ", " + request.messages().size() + " messages");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        open.add(c);
        if (closed.get()) { // close() may have run between the check and add()
            open.remove(c);
            throw closedException();
        }
        return StreamingCall.builder(OpenAiStreamDecoding.PROTOCOL)
                .transport(transport).retrier(retrier).controller(c)
                .post(() -> HttpPost.json(endpoint, headers, body))
                .sseLimits(sseLimits).capacity(queueCapacity)
                .threadName("sluice-openai-" + STREAM_NUMBERS.incrementAndGet())
                .onEnd(() -> open.remove(c));
    }

    /**
     * Streams a provider-neutral request with the client's stream defaults; see
     * {@link #stream(ChatRequest, StreamController)}.
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return chatStream(Objects.requireNonNull(request, "request"), null);
    }

    /**
     * Streams a provider-neutral request as Chat Completions: the system prompt as the first,
     * {@code system}, message; user and assistant text; an assistant's tool calls as
     * {@code tool_calls}; each tool result as its own {@code tool} message (a failed result's
     * content prefixed with {@code "Error: "}: Chat Completions has no error flag); tools as
     * function tools; {@code maxTokens} as {@code max_completion_tokens}; temperature; stop
     * sequences (at most 4). The chunks of choice 0 become {@link MessageChunk}s; finish reasons
     * {@code stop} → STOP, {@code length} → LENGTH, {@code tool_calls} and {@code function_call} →
     * TOOL_CALLS, {@code content_filter} → CONTENT_FILTER, any other → OTHER (raw kept); a refusal
     * is streamed as text and ends with REFUSAL. Failures carry the partial
     * {@link dev.sluice.chat.ChatResponse}.
     *
     * @throws IllegalArgumentException if the request has more than 4 stop sequences
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return chatStream(Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    private EventStream<MessageChunk> chatStream(ChatRequest request, StreamController controller) {
        ChatCompletionRequest mapped = RequestJson.fromChat(request);
        ChunkAggregator aggregator = new ChunkAggregator();
        StreamController c = controller != null ? controller : streamDefaults.newController();
        OpenAiChunkMapper mapper = new OpenAiChunkMapper(clock, c.nanoTime(), c.nanoTime().getAsLong());
        StreamingCall<ChatCompletionEvent> call = call(mapped, c).partial(aggregator::partial).open();
        return new MappedEventStream<>(call.events(), mapper::map, aggregator::accept);
    }

    /** {@return how many streams of this client are running} */
    int openCount() {
        return open.size();
    }

    /**
     * Cancels every open stream of this client, then closes the {@link HttpClient} if this client
     * created it. Idempotent, safe from any thread; later calls to stream throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (StreamController c : List.copyOf(open)) c.cancel("the OpenAiClient was closed");
        transport.close();
        LOG.log(System.Logger.Level.DEBUG, "OpenAiClient closed");
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the OpenAiClient is closed");
    }

    /** Shows the configuration, never the API key. */
    @Override
    public String toString() {
        return "OpenAiClient[endpoint=" + endpoint + ", apiKey=(hidden), "
                + (closed.get() ? "closed" : open.size() + " open") + "]";
    }

    /** {@return {@code <base>/v1/chat/completions}, or {@code <base>/chat/completions} when the base ends in {@code /v1}} */
    static URI endpoint(URI base) {
        String s = base.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s + (s.endsWith("/v1") ? "" : "/v1") + "/chat/completions");
    }

    /**
     * Builds an {@link OpenAiClient}. Each setter checks its argument at once and names it in the
     * message (never showing the API key); {@link #build()} says what is missing. Not thread-safe.
     */
    public static final class Builder {
        private String apiKey;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private String organization;
        private String project;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpClient httpClient;
        private Duration connectTimeout;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private StreamController streamDefaults = StreamController.defaults();
        private int queueCapacity = EventStream.Builder.DEFAULT_CAPACITY;
        private SseLimits sseLimits = SseLimits.defaults();

        private Builder() {}

        /**
         * @param apiKey the API key, sent as {@code Authorization: Bearer}; required
         * @return this builder
         * @throws IllegalArgumentException if blank or containing a control character
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = OpenAiSettings.apiKey(apiKey);
            return this;
        }

        /**
         * @param baseUrl the API's base URL, {@code http} or {@code https}, without the
         *     {@code /v1/chat/completions} path (a trailing {@code /v1} is accepted);
         *     default {@value OpenAiClient#DEFAULT_BASE_URL}
         * @return this builder
         * @throws IllegalArgumentException if not an absolute http(s) URL with a host, or with user info, query or fragment
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = OpenAiSettings.baseUrl(baseUrl, "baseUrl");
            return this;
        }

        /**
         * @param organization sent as {@code OpenAI-Organization}
         * @return this builder
         */
        public Builder organization(String organization) {
            this.organization = OpenAiSettings.token(organization, "organization");
            return this;
        }

        /**
         * @param project sent as {@code OpenAI-Project}
         * @return this builder
         */
        public Builder project(String project) {
            this.project = OpenAiSettings.token(project, "project");
            return this;
        }

        /**
         * Adds a header to every request. {@code authorization}, {@code openai-organization},
         * {@code openai-project}, {@code content-type} and {@code accept} are refused (use
         * {@link #apiKey}, {@link #organization} and {@link #project}; the others the client sets);
         * {@code user-agent} replaces the default.
         *
         * @param name the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            OpenAiSettings.header(headers, RESERVED, name, value);
            return this;
        }

        /**
         * @param client a caller-supplied client, never closed by this client; it must not follow redirects
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = OpenAiSettings.httpClient(client);
            return this;
        }

        /**
         * @param timeout the connect timeout of the HttpClient this client creates; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = OpenAiSettings.positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param policy how openings are retried; default {@link RetryPolicy#defaults()} (2 retries)
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * @param template the settings of each stream's controller when none is given: each stream
         *     gets {@code template.newController()}; default {@link StreamController#defaults()}
         * @return this builder
         */
        public Builder streamDefaults(StreamController template) {
            this.streamDefaults = Objects.requireNonNull(template, "streamDefaults");
            return this;
        }

        /**
         * @param events each stream's queue capacity; default {@value EventStream.Builder#DEFAULT_CAPACITY}
         * @return this builder
         */
        public Builder queueCapacity(int events) {
            if (events <= 0) throw new IllegalArgumentException("queueCapacity must be positive: " + events);
            this.queueCapacity = events;
            return this;
        }

        /**
         * @param limits the SSE parser's limits; default {@link SseLimits#defaults()}
         * @return this builder
         */
        public Builder sseLimits(SseLimits limits) {
            this.sseLimits = Objects.requireNonNull(limits, "sseLimits");
            return this;
        }

        /**
         * Reads {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL} when they are set and not blank.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code OPENAI_BASE_URL} is not a valid base URL
         */
        public Builder fromEnv() {
            return fromEnv(System.getenv());
        }

        Builder fromEnv(Map<String, String> env) {
            Objects.requireNonNull(env, "env");
            String key = env.get("OPENAI_API_KEY");
            if (key != null && !key.isBlank()) apiKey(key);
            String url = env.get("OPENAI_BASE_URL");
            if (url != null && !url.isBlank()) this.baseUrl = OpenAiSettings.baseUrl(url, "OPENAI_BASE_URL");
            return this;
        }

        /**
         * {@return the client}
         *
         * @throws IllegalStateException if no API key was given, or both {@link #httpClient} and
         *     {@link #connectTimeout} were
         */
        public OpenAiClient build() {
            if (apiKey == null) throw new IllegalStateException("apiKey is required: call apiKey(..) or set OPENAI_API_KEY");
            if (httpClient != null && connectTimeout != null) {
                throw new IllegalStateException("connectTimeout applies only to the HttpClient the client creates; "
                        + "set it on the HttpClient passed to httpClient(..) instead");
            }
            return new OpenAiClient(this);
        }

        @Override
        public String toString() {
            return "OpenAiClient.Builder[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "(not set)" : "(hidden)") + "]";
        }
    }
}
