package dev.sluice.openai;

import dev.sluice.RetryPolicy;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.internal.client.ClientCore;
import dev.sluice.internal.client.CommonSettings;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.observe.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.Set;

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
    // Threading: configuration fields are final; the open streams and the closed flag live in core
    // (see ClientCore).

    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";

    private static final System.Logger LOG = System.getLogger(OpenAiClient.class.getName());
    private static final Set<String> RESERVED = Set.of("authorization", "openai-organization", "openai-project",
            "content-type", "accept");

    private final URI endpoint;
    private final String responsesEndpoint;
    private final Map<String, String> headers;
    private final Clock clock;
    private final ClientCore core;
    private final ChatCompletions chat = new ChatCompletions(this);
    private final Responses responses = new Responses(this);

    private OpenAiClient(Builder b) {
        this.endpoint = endpoint(b.s.baseUrl());
        this.responsesEndpoint = apiBase(b.s.baseUrl()) + "/responses";
        Map<String, String> h = new LinkedHashMap<>();
        h.put("authorization", "Bearer " + b.s.apiKey());
        if (b.organization != null) h.put("openai-organization", b.organization);
        if (b.project != null) h.put("openai-project", b.project);
        this.headers = b.s.headersAfter(h);
        this.clock = Clock.systemUTC();
        this.core = new ClientCore("OpenAiClient", "sluice-openai-", LOG, "x-request-id", b.s);
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

    /** {@return the Responses API ({@code /v1/responses}), also a provider-neutral {@link ChatProvider}} */
    public Responses responses() {
        return responses;
    }

    ResponseStream streamResponse(ResponseRequest request, StreamController c) {
        core.requireOpen();
        String body = request.streamingJson();
        URI uri = URI.create(responsesEndpoint);
        LOG.log(System.Logger.Level.DEBUG, () -> "responses stream: POST " + uri + ", model " + request.model()
                + ", " + request.inputSize() + " input items" + (request.background() ? ", background" : ""));
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return ResponseStream.open(core.streamingCall(request.background()
                ? ResponsesStreamDecoding.TYPED_BACKGROUND : ResponsesStreamDecoding.TYPED, c,
                () -> HttpPost.json(uri, headers, body)), new ResponseAccumulator(), request.background());
    }

    ResponseStream resumeResponse(String responseId, long startingAfter, ResponseAccumulator accumulator,
                                  boolean background, StreamController c) {
        Objects.requireNonNull(responseId, "responseId");
        if (!responseId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("responseId must be a plain id (letters, digits, _ and -): " + responseId);
        }
        if (startingAfter < -1) throw new IllegalArgumentException("startingAfter must be -1 or more: " + startingAfter);
        core.requireOpen();
        URI uri = URI.create(responsesEndpoint + "/" + responseId + "?stream=true"
                + (startingAfter >= 0 ? "&starting_after=" + startingAfter : ""));
        LOG.log(System.Logger.Level.DEBUG, () -> "responses stream resumed: GET " + uri);
        return ResponseStream.open(core.streamingCall(ResponsesStreamDecoding.TYPED.resumedAfter(startingAfter), c,
                () -> HttpPost.get(uri, headers)), accumulator, background);
    }

    EventStream<MessageChunk> chatResponses(ChatRequest request, StreamController c) {
        ResponseRequest mapped = ResponsesChat.request(request);
        core.requireOpen();
        String body = mapped.streamingJson();
        URI uri = URI.create(responsesEndpoint);
        LOG.log(System.Logger.Level.DEBUG, () -> "responses stream (neutral): POST " + uri + ", model " + mapped.model());
        StreamingCall.Builder<ResponseStreamEvent> call = core.streamingCall(ResponsesStreamDecoding.NEUTRAL, c,
                () -> HttpPost.json(uri, headers, body));
        LongSupplier nanoTime = c.options().nanoTime();
        ResponsesChat mapper = new ResponsesChat(clock, nanoTime, nanoTime.getAsLong());
        return core.chatStream(call, mapper::map);
    }

    ChatCompletionStream stream(ChatCompletionRequest request, StreamController controller) {
        return ChatCompletionStream.open(call(request, controller != null ? controller : StreamController.create()));
    }

    private StreamingCall.Builder<ChatCompletionEvent> call(ChatCompletionRequest request, StreamController c) {
        core.requireOpen();
        String body = RequestJson.streaming(request);
        LOG.log(System.Logger.Level.DEBUG, () -> "chat.completions stream: POST " + endpoint + ", model " + request.model()
                + ", " + request.messages().size() + " messages");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return core.streamingCall(OpenAiStreamDecoding.PROTOCOL, c, request.model(), () -> HttpPost.json(endpoint, headers, body));
    }

    /**
     * Streams a provider-neutral request with the client's stream options; see
     * {@link #stream(ChatRequest, StreamController)}.
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return chatStream(Objects.requireNonNull(request, "request"), StreamController.create());
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

    private EventStream<MessageChunk> chatStream(ChatRequest request, StreamController c) {
        ChatCompletionRequest mapped = RequestJson.fromChat(request);
        StreamingCall.Builder<ChatCompletionEvent> call = call(mapped, c); // claims c: its options are the call's now
        LongSupplier nanoTime = c.options().nanoTime();
        OpenAiChunkMapper mapper = new OpenAiChunkMapper(clock, nanoTime, nanoTime.getAsLong());
        return core.chatStream(call, mapper::map);
    }

    /**
     * {@return the rate limits reported with the latest response of any of this client's streams
     * (or the delay named by the latest refused opening), when one came} Each stream also has its
     * own response's, {@code stream.rateLimits()}. Any thread.
     */
    @Override
    public java.util.Optional<dev.sluice.RateLimits> rateLimits() {
        return core.rateLimits();
    }

    /** {@return the state of the client's concurrency limit and circuit breaker now} Any thread. */
    public dev.sluice.ResilienceMetrics resilienceMetrics() {
        return core.resilienceMetrics();
    }

    /** {@return how many streams of this client are running} */
    int openCount() {
        return core.openCount();
    }

    /**
     * Cancels every open stream of this client, then closes the {@link HttpClient} if this client
     * created it. Idempotent, safe from any thread; later calls to stream throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        core.close();
    }

    /** Shows the configuration, never the API key. */
    @Override
    public String toString() {
        return core.describe("endpoint=" + endpoint);
    }

    /** {@return {@code <base>/v1/chat/completions}, or {@code <base>/chat/completions} when the base ends in {@code /v1}} */
    static URI endpoint(URI base) {
        return URI.create(apiBase(base) + "/chat/completions");
    }

    /** {@return {@code <base>/v1}, or {@code <base>} when it ends in {@code /v1}} */
    static String apiBase(URI base) {
        String s = CommonSettings.withoutTrailingSlash(base);
        return s + (s.endsWith("/v1") ? "" : "/v1");
    }

    /**
     * Builds an {@link OpenAiClient}. Each setter checks its argument at once and names it in the
     * message (never showing the API key); {@link #build()} says what is missing. Not thread-safe.
     */
    public static final class Builder {
        private final CommonSettings s = new CommonSettings(DEFAULT_BASE_URL, "OPENAI_API_KEY", "OPENAI_BASE_URL",
                RESERVED, "use apiKey(..), organization(..) or project(..) for the OpenAI headers");
        private String organization;
        private String project;

        private Builder() {}

        /**
         * @param apiKey the API key, sent as {@code Authorization: Bearer}; required
         * @return this builder
         * @throws IllegalArgumentException if blank or containing a control character
         */
        public Builder apiKey(String apiKey) { s.apiKey(apiKey); return this; }

        /**
         * @param baseUrl the API's base URL, {@code http} or {@code https}, without the
         *     {@code /v1/chat/completions} path (a trailing {@code /v1} is accepted);
         *     default {@value OpenAiClient#DEFAULT_BASE_URL}
         * @return this builder
         * @throws IllegalArgumentException if not an absolute http(s) URL with a host, or with user info, query or fragment
         */
        public Builder baseUrl(String baseUrl) { s.baseUrl(baseUrl); return this; }

        /**
         * @param organization sent as {@code OpenAI-Organization}
         * @return this builder
         */
        public Builder organization(String organization) {
            this.organization = CommonSettings.token(organization, "organization");
            return this;
        }

        /**
         * @param project sent as {@code OpenAI-Project}
         * @return this builder
         */
        public Builder project(String project) {
            this.project = CommonSettings.token(project, "project");
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
        public Builder header(String name, String value) { s.header(name, value); return this; }

        /**
         * @param client a caller-supplied client, never closed by this client; it must not follow redirects
         * @return this builder
         */
        public Builder httpClient(HttpClient client) { s.httpClient(client); return this; }

        /**
         * @param timeout the connect timeout of the HttpClient this client creates; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) { s.connectTimeout(timeout); return this; }

        /**
         * @param policy how openings are retried; default {@link RetryPolicy#defaults()} (2 retries)
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) { s.retryPolicy(policy); return this; }

        /**
         * @param options the timeouts and limits of every stream whose controller has no options of
         *     its own; default {@link StreamOptions#defaults()}
         * @return this builder
         */
        public Builder streamOptions(StreamOptions options) { s.streamOptions(options); return this; }

        /**
         * @param events each stream's queue capacity; default {@value EventStream.Builder#DEFAULT_CAPACITY}
         * @return this builder
         */
        public Builder queueCapacity(int events) { s.queueCapacity(events); return this; }

        /**
         * @param limits the SSE parser's limits; default {@link SseLimits#defaults()}
         * @return this builder
         */
        public Builder sseLimits(SseLimits limits) { s.sseLimits(limits); return this; }

        /**
         * Adds an observer of every stream this client opens (metrics, tracing); see
         * {@link StreamObserver}. Observers are called in the order added.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(StreamObserver observer) { s.observer(observer); return this; }

        /**
         * Limits the streams this client keeps open at once; others wait for a place, fairly and
         * at most the limit's wait, or are refused (see {@link dev.sluice.ConcurrencyLimit}). Default: none.
         *
         * @param limit the limit
         * @return this builder
         */
        public Builder concurrencyLimit(dev.sluice.ConcurrencyLimit limit) { s.concurrencyLimit(limit); return this; }

        /**
         * Turns on a circuit breaker: after repeated failures, streams fail fast with a
         * {@link dev.sluice.CircuitOpenException} for a while (see {@link dev.sluice.CircuitBreakerPolicy}).
         * Default: none.
         *
         * @param policy the breaker's policy
         * @return this builder
         */
        public Builder circuitBreaker(dev.sluice.CircuitBreakerPolicy policy) { s.circuitBreaker(policy); return this; }

        /**
         * Limits how many streams this client starts per period, on its own side: each stream takes
         * a permit just before its request goes, waiting for the next period at most the limit's
         * wait, or is refused at once with a {@link dev.sluice.RequestRateLimitException} when the
         * wait would be longer (see {@link dev.sluice.RequestRateLimit}). Default: none.
         *
         * @param limit the limit
         * @return this builder
         */
        public Builder requestRateLimit(dev.sluice.RequestRateLimit limit) { s.requestRateLimit(limit); return this; }

        /**
         * Holds new streams while a rate limit the API reported is exhausted
         * ({@code x-ratelimit-remaining-requests: 0} or {@code x-ratelimit-remaining-tokens: 0} in a
         * response's headers, or a 429 naming its {@code retry-after}), until it resets, when that
         * is at most {@code maxWait} away (a longer one is not waited for: the request goes, and is
         * retried per the retry policy). Chat Completions, the Responses API and their
         * {@link ChatProvider} views share the client's limits: a report from any holds them all.
         * A cancel of the stream's controller ends the hold. Default: streams are never held.
         *
         * @param maxWait the longest hold, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code maxWait} is not positive
         */
        public Builder holdWhileRateLimited(java.time.Duration maxWait) { s.holdWhileRateLimited(maxWait); return this; }

        /**
         * Reads {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL} when they are set and not blank.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code OPENAI_BASE_URL} is not a valid base URL
         */
        public Builder fromEnv() { return fromEnv(System.getenv()); }

        Builder fromEnv(Map<String, String> env) { s.readEnv(env); return this; }

        /**
         * {@return the client}
         *
         * @throws IllegalStateException if no API key was given, or both {@link #httpClient} and
         *     {@link #connectTimeout} were
         */
        public OpenAiClient build() { s.requireComplete(true); return new OpenAiClient(this); }

        @Override
        public String toString() { return "OpenAiClient.Builder[" + s.describe() + "]"; }
    }
}
