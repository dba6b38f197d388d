package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.call.AbstractProviderClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Passthrough;
import dev.sluice.chat.WireApi;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ClientSettings;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.client.TokenBudget;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.call.stream.VerbatimProtocol;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.JsonResponse;
import dev.sluice.internal.low.json.TopLevelMember;
import dev.sluice.models.AnthropicApiVersion;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.vertex.VertexAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Anthropic Messages API.
 *
 * <pre>{@code
 * try (AnthropicClient client = AnthropicClient.fromEnv();
 *      MessageStream stream = client.messages().stream(MessageRequest.builder()
 *              .model("claude-sonnet-5-5").maxTokens(1024).addUserMessage("Hello").build())) {
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
 * <p>It is also a {@link ChatProvider}: a provider-neutral {@link ChatRequest} is sent through the
 * Messages API and the events come back as {@link MessageChunk}s (see
 * {@link #stream(ChatRequest, StreamController)}).
 *
 * <p>Logging ({@link System.Logger} {@code dev.sluice.anthropic.AnthropicClient}): a summary of each
 * request and response at {@code DEBUG}; request and response bodies (prompt and answer text) only
 * at {@code TRACE}.
 *
 * <p>{@link #close()} cancels the client's open streams and in-flight requests, then closes the
 * {@link HttpClient} if the client created it (a caller-supplied one is left open). Thread-safe:
 * one client serves any number of threads and streams.
 *
 * <p>Why this file is long: two fifths Javadoc; the client's public face and its builder's every setting,
 * documented; the plumbing is the call layer's.
 */
public final class AnthropicClient extends AbstractProviderClient {
    // Threading: configuration fields are final; the open streams and the closed flag live in core
    // (see ClientCore).

    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    /**
     * The default {@code anthropic-version}: the catalog's ({@link AnthropicApiVersion#DEFAULT_VERSION}),
     * which also says what the version accepts ({@link AnthropicApiVersion#of}).
     */
    public static final String DEFAULT_ANTHROPIC_VERSION = AnthropicApiVersion.V2023_06_01.version();
    /** The default wait for a non-streaming response: 10 minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(AnthropicClient.class.getName());

    private final AnthropicRoute route;
    private final Map<String, String> headers;
    private final String anthropicVersion;
    private final List<String> betas;
    private final Duration requestTimeout;
    private final ResumePolicy resume;
    private final @Nullable TokenBudget tokenBudget; // null: none
    private final StructuredOutputMode structuredOutput;
    private final ClientCore core;
    private final Messages messages = new Messages(this);

    private AnthropicClient(Builder b, ClientOptions options) {
        this(b, options, b.route(options));
    }

    private AnthropicClient(Builder b, ClientOptions options, AnthropicRoute route) {
        this(
                b,
                options,
                route,
                new ClientCore(
                        "AnthropicClient",
                        route.provider(),
                        "sluice-anthropic-",
                        LOG,
                        route.requestIdHeader(),
                        route.errors(),
                        options,
                        route.auth()));
    }

    private AnthropicClient(Builder b, ClientOptions options, AnthropicRoute route, ClientCore core) {
        super(core);
        this.route = route;
        this.core = core;
        this.anthropicVersion = b.anthropicVersion;
        this.betas = List.copyOf(b.betas);
        Map<String, String> h =
                new LinkedHashMap<>(route.headers(options.apiKey().orElse(null), anthropicVersion));
        if (!betas.isEmpty()) h.put("anthropic-beta", String.join(",", betas));
        this.headers = core.headers(h);
        this.requestTimeout = b.requestTimeout;
        this.resume = b.resume;
        this.tokenBudget = b.tokenBudget;
        this.structuredOutput = options.structuredOutput();
    }

    /** {@return a builder; only the API key is required (and not for a base URL on loopback)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment: {@code ANTHROPIC_API_KEY} and
     * {@code ANTHROPIC_BASE_URL} (optional, without the {@code /v1/messages} path)} The key is
     * required unless the base URL is on loopback ({@code localhost}, {@code 127.0.0.0/8},
     * {@code [::1]}), as a fake server's ({@code sluice serve-fake}) is: that gets a placeholder key.
     *
     * @throws IllegalStateException if {@code ANTHROPIC_API_KEY} is not set and the base URL is
     *     not on loopback; the message names the variable
     * @throws IllegalArgumentException if {@code ANTHROPIC_BASE_URL} is not a valid base URL
     */
    public static AnthropicClient fromEnv() {
        return builder().fromEnv().build();
    }

    static AnthropicClient fromEnv(Map<String, String> env) {
        return builder().fromEnv(env).build();
    }

    /**
     * {@return the provider this client reaches, by the name {@code --provider}, {@code --fallback}
     * and {@link dev.sluice.providers.ProviderCatalog} give it: {@code anthropic}, or Claude through
     * a cloud, {@code bedrock-anthropic}, {@code bedrock-mantle-anthropic}, {@code vertex-anthropic} or
     * {@code foundry-anthropic}}
     */
    @Override
    public String providerName() {
        return route.provider();
    }

    /** {@return the Messages API} */
    public Messages messages() {
        return messages;
    }

    MessageStream stream(MessageRequest request, @Nullable StreamController controller) {
        StreamController c = controller != null ? controller : StreamController.create();
        StreamingCall.Builder<StreamEvent> call = call(request, c, protocol());
        AnthropicResume resumer = resumer(request, c);
        if (tokenBudget != null) call.resumer(new AnthropicBudget(tokenBudget, resumer));
        else if (resumer != null) call.resumer(resumer);
        return MessageStream.open(call, resumer); // the client's guard sees its rate limits (ClientCore)
    }

    /** {@return the stream's resumer under the client's {@link ResumePolicy}, or null when off; after the controller's claim} */
    private @Nullable AnthropicResume resumer(MessageRequest request, StreamController claimed) {
        if (!resume.enabled()) return null;
        List<String> betas = betas(request); // a continuation needs the betas its fields need, as the first request
        return new AnthropicResume(
                route, headers(betas), betas, request, resume, claimed.options().nanoTime());
    }

    /**
     * Streams a provider-neutral request through the Messages API, with the same retries,
     * timeouts, cancellation and limits as {@link Messages#stream(MessageRequest, StreamController)}.
     * The request is mapped as: system prompt → {@code system}; user and assistant text; an
     * assistant's tool calls → {@code tool_use} blocks; tool results → {@code tool_result} blocks
     * (first in their user message); tools → custom tools; {@code maxTokens} → {@code max_tokens}
     * (4096 when the request has none: the Messages API requires it); temperature (at most 1 here);
     * stop sequences; the tool choice → {@code tool_choice} ({@code auto}, {@code none},
     * {@code any}, {@code tool}). A response format goes as
     * {@code "output_config":{"format":{"type":"json_schema","schema":S}}} (the JSON then arrives
     * as text) to Claude Opus, Sonnet and Haiku 4.5 and later (names
     * {@code claude-(opus|sonnet|haiku)-4-5...} and up), and to other models as a forced call of a
     * tool named as the format ({@code "tool_choice":{"type":"tool","name":N}}, the JSON arriving as
     * its input deltas); the builder's {@link ClientSettings#structuredOutput} overrides the choice.
     * The events become {@link MessageChunk}s: text and thinking deltas, one tool
     * call per {@code tool_use} block (server tools run on Anthropic's side and are not shown),
     * usage as running totals, and the finish reason ({@code end_turn} and {@code stop_sequence} →
     * STOP, {@code max_tokens} and {@code model_context_window_exceeded} → LENGTH, {@code tool_use} →
     * TOOL_CALLS, {@code pause_turn} and {@code compaction} → PAUSE_TURN,
     * {@code refusal} → REFUSAL with {@code stop_details.explanation} as its
     * {@linkplain dev.sluice.chat.FinishReason#message() message}, anything else OTHER with the raw
     * value kept). A response with thinking, compaction, fallback or server-tool blocks carries them as
     * a {@link dev.sluice.chat.ProviderState} named {@code anthropic} (or the cloud route's name),
     * which {@link dev.sluice.chat.ChatMessage#assistant(dev.sluice.chat.ChatResponse)} brings back
     * verbatim and in place on the next request to the same route. Failures carry the partial
     * {@link dev.sluice.chat.ChatResponse} and the request id.
     *
     * @throws IllegalArgumentException if the request cannot be expressed for the Messages API
     *     (a temperature above 1, tool-call arguments that are not a JSON object, a forced tool
     *     choice with a thinking budget)
     * @throws dev.sluice.SluiceException subtypes as {@link Messages#stream(MessageRequest, StreamController)}
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return chatStream(Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    /**
     * {@return true: a request whose last message is the assistant's continues that message (an
     * assistant prefill; its text must not end in whitespace)} Claude 4.6 and later models refuse a
     * prefill with a 400; a {@link dev.sluice.chat.FallbackChain} then restarts the answer there.
     */
    @Override
    public boolean continuesAssistantTurn() {
        return true;
    }

    /**
     * {@return false for a model that refuses an assistant prefill (Claude 4.6 and later, per
     * {@link dev.sluice.models.ModelCatalog}), true otherwise, a model the catalog does not know included}
     */
    @Override
    public boolean continuesAssistantTurn(String model) {
        return ModelCatalog.find(model).map(ModelCapabilities::prefill).orElse(true);
    }

    /**
     * {@return the passthrough of {@link WireApi#MESSAGES} bodies, on every route}
     */
    @Override
    public Optional<Passthrough> passthrough() {
        return Optional.of(passthrough);
    }

    /** A body of its own API as it came, streamed ({@link #passStream}) or answered whole ({@link #passAnswer}). */
    private final Passthrough passthrough = new Passthrough() {
        @Override
        public WireApi api() {
            return WireApi.MESSAGES;
        }

        @Override
        public EventStream<SseEvent> stream(
                String body, String model, List<String> betas, StreamController controller) {
            return passStream(body, model, betas, controller);
        }

        @Override
        public String answer(
                String body, String model, List<String> betas, StreamController controller, long maxBytes) {
            return passAnswer(body, model, betas, controller, maxBytes);
        }

        // passCount, on every route but Bedrock's InvokeModel, which has no count
        @Override
        public Optional<TokenCount> tokenCount() {
            return route instanceof BedrockRoute ? Optional.empty() : Optional.of(AnthropicClient.this::passCount);
        }

        @Override
        public String toString() {
            return "Passthrough[" + WireApi.MESSAGES + ", " + AnthropicClient.this + "]";
        }
    };

    /**
     * {@link Passthrough#stream}: the body's {@code model} is replaced in its text (nothing else of it is written
     * again), the route's envelope applied (a cloud's: {@code anthropic_version} and the betas in the
     * body, no {@code model}), and the client's {@code anthropic-beta} names sent with the caller's. Its plain content
     * deltas are not decoded ({@link PlainContentDelta}).
     */
    private EventStream<SseEvent> passStream(
            String body, String model, List<String> betas, StreamController controller) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(controller, "controller");
        core.requireOpen();
        List<String> needed = new ArrayList<>(this.betas);
        for (String beta : betas) if (!needed.contains(beta)) needed.add(beta);
        String sent = route.body(
                TopLevelMember.withTrue(TopLevelMember.withString(body, "model", model), "stream"), true, needed);
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "messages passthrough: POST " + route.uri(model, true) + ", model " + model);
        return core.verbatimStream(
                VerbatimProtocol.of(protocol(), route::verbatim, PlainContentDelta.INSTANCE),
                controller,
                model,
                new PostSupplier(route.uri(model, true), headers(needed), sent));
    }

    /**
     * {@link Passthrough#answer}: as {@link #passStream}, the body's {@code model} replaced in its text and the
     * route's envelope applied, sent to the route's {@code messages.create} (a cloud's non-streaming
     * invoke), whose message comes back as it came.
     */
    private String passAnswer(
            String body, String model, List<String> betas, StreamController controller, long maxBytes) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(controller, "controller");
        core.requireOpen();
        List<String> needed = new ArrayList<>(this.betas);
        for (String beta : betas) if (!needed.contains(beta)) needed.add(beta);
        String sent = route.body(TopLevelMember.withString(body, "model", model), false, needed);
        URI uri = route.uri(model, false);
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "messages passthrough (not streamed): POST " + uri + ", model " + model);
        return core.send(
                HttpPost.json(uri, headers(needed), sent),
                controller,
                model,
                maxBytes,
                JsonResponse::body,
                answer -> null);
    }

    /**
     * {@link Passthrough.TokenCount#count}: the body's {@code model} replaced in its text, the route's
     * envelope applied, sent to the route's {@code count_tokens}; its answer comes back as it came.
     */
    private String passCount(String body, String model, List<String> betas) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(betas, "betas");
        core.requireOpen();
        List<String> needed = new ArrayList<>(this.betas);
        for (String beta : betas) if (!needed.contains(beta)) needed.add(beta);
        URI uri = route.countTokensUri(model);
        LOG.log(System.Logger.Level.DEBUG, () -> "count_tokens passthrough: POST " + uri + ", model " + model);
        return core.send(
                HttpPost.json(
                                uri,
                                headers(needed),
                                route.countTokensBody(TopLevelMember.withString(body, "model", model), needed))
                        .withTimeout(requestTimeout),
                JsonResponse::body);
    }

    private EventStream<MessageChunk> chatStream(ChatRequest request, StreamController c) {
        MessageRequest mapped = AnthropicRequests.toMessageRequest(
                request, structuredOutput, route.provider(), AnthropicApiVersion.of(anthropicVersion));
        // claims c: its options are the call's now; what the neutral view leaves out is named to the observers
        StreamingCall.Builder<StreamEvent> call = call(mapped, c, protocol().leavingOut(AnthropicChunks::leftOut));
        LongSupplier clock = c.options().nanoTime();
        AnthropicResume resumer = resumer(mapped, c);
        if (tokenBudget != null) call.resumer(new AnthropicBudget(tokenBudget, resumer));
        else if (resumer != null) call.resumer(resumer);
        AnthropicChunks mapper = new AnthropicChunks(route.provider(), Clock.systemUTC(), clock, clock.getAsLong());
        return core.chatStream(call, mapper::map);
    }

    /** {@return the route's framing under the family's rules} */
    private StreamProtocol<StreamEvent> protocol() {
        return StreamProtocol.of(route.framing(), AnthropicStreamDecoding.RULES);
    }

    private StreamingCall.Builder<StreamEvent> call(
            MessageRequest request, StreamController c, StreamProtocol<StreamEvent> protocol) {
        core.requireOpen();
        ClaudeChecks.check(request); // typed and neutral requests alike, before anything is sent
        List<String> betas = betas(request);
        String body = route.body(RequestJson.write(request, true), true, betas);
        logRequest("stream", request, body);
        return core.streamingCall(
                protocol, c, request.model(), new PostSupplier(route.uri(request.model(), true), headers(betas), body));
    }

    Message create(MessageRequest request) {
        core.requireOpen();
        ClaudeChecks.check(request);
        List<String> betas = betas(request);
        String body = route.body(RequestJson.write(request, false), false, betas);
        logRequest("create", request, body);
        return core.send(
                HttpPost.json(route.uri(request.model(), false), headers(betas), body)
                        .withTimeout(requestTimeout),
                response -> {
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(
                                System.Logger.Level.DEBUG,
                                "messages.create: HTTP " + response.statusCode() + ", request id "
                                        + response.requestId() + ", "
                                        + response.body().length() + " chars");
                    }
                    if (LOG.isLoggable(System.Logger.Level.TRACE))
                        LOG.log(System.Logger.Level.TRACE, "response body: " + response.body());
                    try {
                        return Message.fromJson(response.body());
                    } catch (ProtocolException e) {
                        throw e.initContext(response.requestId(), null);
                    }
                });
    }

    long countTokens(MessageRequest request) {
        core.requireOpen();
        URI countEndpoint = route.countTokensUri(request.model());
        List<String> betas = betas(request); // count_tokens reads the fields by the same betas as the message
        return core.send(
                HttpPost.json(countEndpoint, headers(betas), route.countTokensBody(CountTokens.body(request), betas))
                        .withTimeout(requestTimeout),
                response -> CountTokens.inputTokens(response.body(), response.requestId()));
    }

    /** {@return the client's betas, then the request's ({@link MessageRequest#betas()}): its own and its fields'} */
    private List<String> betas(MessageRequest request) {
        List<String> needed = new ArrayList<>(betas);
        for (String beta : request.betas()) if (!needed.contains(beta)) needed.add(beta);
        return needed;
    }

    /** {@return the client's headers, with {@code anthropic-beta} naming these betas} */
    private Map<String, String> headers(List<String> needed) {
        if (needed.size() == betas.size()) return headers;
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("anthropic-beta", String.join(",", needed));
        return h;
    }

    private void logRequest(String what, MessageRequest request, String body) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "messages." + what + ": POST " + route.uri(request.model(), what.equals("stream"))
                            + ", model " + request.model()
                            + ", max_tokens " + request.maxTokens() + ", "
                            + request.messages().size() + " messages");
        }
        if (LOG.isLoggable(System.Logger.Level.TRACE)) LOG.log(System.Logger.Level.TRACE, "request body: " + body);
    }

    /** Makes each attempt's POST of a stream's request body. Immutable. */
    private static final class PostSupplier implements Supplier<HttpPost> {
        private final URI endpoint;
        private final Map<String, String> headers;
        private final String body;

        PostSupplier(URI endpoint, Map<String, String> headers, String body) {
            this.endpoint = endpoint;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public HttpPost get() {
            return HttpPost.json(endpoint, headers, body);
        }
    }

    /** {@return how many streams and requests of this client are running} */
    int openCount() {
        return core.openCount();
    }

    /** Shows the configuration, never the API key. */
    @Override
    public String toString() {
        return core.describe(route.describe() + ", anthropicVersion=" + anthropicVersion
                + (betas.isEmpty() ? "" : ", betas=" + betas));
    }

    /**
     * Builds an {@link AnthropicClient}: the settings every client has (see
     * {@link ClientSettings}) and the Anthropic ones. Each setter checks its argument at
     * once and names it in the message (never showing the API key); {@link #build()} says what is
     * missing. The key is sent as {@code x-api-key}; {@link #header} refuses {@code x-api-key},
     * {@code anthropic-version}, {@code anthropic-beta}, {@code content-type} and {@code accept}. Rate
     * limits for {@link #holdWhileRateLimited} come from the {@code anthropic-ratelimit-*} headers.
     * Not thread-safe.
     */
    public static final class Builder extends ClientSettings<Builder> {
        private static final Set<String> RESERVED =
                Set.of("x-api-key", "anthropic-version", "anthropic-beta", "content-type", "accept");

        private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
        private final List<String> betas = new ArrayList<>();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private ResumePolicy resume = ResumePolicy.off();
        private @Nullable TokenBudget tokenBudget; // null: none
        private @Nullable Cloud cloud; // null: Anthropic's own API, at the base URL

        /** The cloud Claude is reached through, the last of {@link #vertex}, {@link #bedrock} and {@link #foundry} given. */
        private sealed interface Cloud {
            record Vertex(VertexAccess access) implements Cloud {}

            record Bedrock(AwsAccess access) implements Cloud {}

            record Foundry(AzureAccess access) implements Cloud {}
        }

        private Builder() {
            super(
                    DEFAULT_BASE_URL,
                    "ANTHROPIC_API_KEY",
                    "ANTHROPIC_BASE_URL",
                    RESERVED,
                    "use apiKey(..), anthropicVersion(..) or beta(..) for the Anthropic headers");
        }

        /**
         * Sets the {@code anthropic-version} header.
         *
         * @param version the {@code anthropic-version} header; default {@link AnthropicClient#DEFAULT_ANTHROPIC_VERSION}
         *     ({@value AnthropicApiVersion#DEFAULT_VERSION})
         * @return this builder
         */
        public Builder anthropicVersion(String version) {
            this.anthropicVersion = HttpPost.headerToken(version, "anthropicVersion");
            return this;
        }

        /**
         * Adds betas to the {@code anthropic-beta} header.
         *
         * @param betas beta names to add to the {@code anthropic-beta} header (comma-joined)
         * @return this builder
         */
        public Builder beta(String... betas) {
            Objects.requireNonNull(betas, "betas");
            for (String b : betas) {
                String t = MessageRequest.checkBeta(b);
                if (!this.betas.contains(t)) this.betas.add(t);
            }
            return this;
        }

        /**
         * Continues streams that lose their connection after text has arrived, instead of failing
         * them: the request is sent again with the text so far as an assistant prefill and the
         * continuation is stitched onto the same stream (see {@link ResumePolicy} for what is
         * continued and what is not). Applies to {@link Messages#stream} and to
         * {@link AnthropicClient#stream(ChatRequest, StreamController)}.
         *
         * @param policy how often one stream may be continued; default {@link ResumePolicy#off()}
         * @return this builder
         */
        public Builder resume(ResumePolicy policy) {
            this.resume = Objects.requireNonNull(policy, "resume");
            return this;
        }

        /**
         * Limits the output tokens of each stream, counted as the deltas arrive: the stream ends
         * normally, as {@link dev.sluice.stream.EndReason#TOKEN_BUDGET}, after the delta that
         * reaches the budget, and its alert is called once at its threshold (see
         * {@link TokenBudget}). Default: none.
         *
         * @param budget the budget of each stream
         * @return this builder
         */
        public Builder tokenBudget(TokenBudget budget) {
            this.tokenBudget = Objects.requireNonNull(budget, "tokenBudget");
            return this;
        }

        /**
         * Sets the longest wait for a non-streaming response.
         *
         * @param timeout the longest wait for a non-streaming response ({@link Messages#create}); default 10 minutes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive: " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Calls Claude on Microsoft Foundry ({@code --provider foundry-anthropic}): the Messages API at
         * {@code <endpoint>/v1/messages} (the endpoint is Foundry's Anthropic base URL,
         * {@code https://{resource}.services.ai.azure.com/anthropic}), the model naming the deployment,
         * authorized by the access's API key ({@code x-api-key}) or Entra ID tokens
         * ({@code Authorization: Bearer}); the request id is Azure's {@code apim-request-id}. The
         * base URL and API key of this builder are not used.
         *
         * <pre>{@code
         * AnthropicClient client = AnthropicClient.builder().foundry(AzureAccess.foundryFromEnv()).build();
         * }</pre>
         *
         * @param access the Foundry resource's Anthropic endpoint and authorization
         * @return this builder
         */
        public Builder foundry(AzureAccess access) {
            this.cloud = new Cloud.Foundry(Objects.requireNonNull(access, "foundry"));
            return this;
        }

        /**
         * Reads {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL} (without the
         * {@code /v1/messages} path) when they are set and not blank.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code ANTHROPIC_BASE_URL} is not a valid base URL
         */
        public Builder fromEnv() {
            return readEnv(System.getenv());
        }

        Builder fromEnv(Map<String, String> env) {
            return readEnv(env);
        }

        /**
         * {@return the client; without an API key, one whose base URL is on loopback sends a
         * placeholder key}
         * @throws IllegalStateException if no API key was given and the base URL is not on loopback
         *     ({@code "apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY ..."}), or if both
         *     {@link #httpClient} and {@link #connectTimeout} were given
         */
        public AnthropicClient build() {
            switch (cloud) {
                case null -> {
                    return new AnthropicClient(this, complete(true));
                }
                case Cloud.Vertex v -> baseUrl(v.access().endpoint().toString());
                // where observers and the JFR event say the stream went
                case Cloud.Foundry f -> baseUrl(f.access().endpoint().toString());
                case Cloud.Bedrock b -> {} // its endpoint became the base URL, unless baseUrl(..) came after
            }
            return new AnthropicClient(this, complete(false));
        }

        /**
         * Reaches Claude on Google Vertex AI ({@code vertex-anthropic}): messages go to
         * {@code {base}/v1/projects/{project}/locations/{location}/publishers/anthropic/models/{model}:streamRawPredict}
         * ({@code :rawPredict} for {@link Messages#create}), the body without {@code model} and with
         * {@code "anthropic_version":"vertex-2023-10-16"}, authorized with the access's tokens
         * ({@code Authorization: Bearer}); {@link Messages#countTokens} goes to Vertex AI's
         * {@code count-tokens:rawPredict}. The events are Anthropic's, decoded unchanged; betas go in
         * the {@code anthropic-beta} header; resumes and the token budget work as on Anthropic's API.
         * An API key, a base URL and {@link #anthropicVersion} given to this builder are not used.
         *
         * @param access the project, location, base URL and credentials, such as
         *     {@link dev.sluice.vertex.VertexAccess#fromEnv()}
         * @return this builder
         */
        public Builder vertex(VertexAccess access) {
            this.cloud = new Cloud.Vertex(Objects.requireNonNull(access, "access"));
            return this;
        }

        /**
         * Reaches Claude through Amazon Bedrock ({@code --provider bedrock-anthropic}): each stream
         * is {@code POST {endpoint}/model/{modelId}/invoke-with-response-stream} (and
         * {@link Messages#create} {@code /invoke}), with the model ids Bedrock names
         * ({@code us.anthropic.claude-sonnet-5-5}, an inference profile's ARN), the
         * body carrying {@code "anthropic_version":"bedrock-2023-05-31"} in place of the model, each
         * attempt (retries and resumed continuations too) authorized by the access: SigV4 with its
         * credentials, or a Bedrock API key. No Anthropic API key is needed. The events are
         * Anthropic's, decoded unchanged (thinking and signatures, tool use, caching); an
         * {@code exception} frame is an {@link dev.sluice.ApiException} of its type, throttling and
         * service-unavailable ones before content retried. {@link Messages#countTokens} is not
         * available through Bedrock ({@link UnsupportedOperationException}). The endpoint becomes the
         * base URL ({@link #baseUrl} after this overrides it); betas stay in the
         * {@code anthropic-beta} header.
         *
         * <p>On an access at the mantle host ({@link AwsAccess#mantle()}, {@code --provider
         * bedrock-mantle-anthropic}), Claude's Messages API as mantle serves it: {@code POST
         * {endpoint}/anthropic/v1/messages} (and {@code /count_tokens}), the body unchanged with the model
         * ids mantle lists (such as {@code anthropic.claude-opus-4-8}), {@code anthropic-version} as a
         * header, each attempt signed for {@code bedrock-mantle} (or the Bedrock API key), the stream
         * Anthropic's own Server-Sent Events.
         *
         * @param access the region, endpoint and authorization, such as {@link AwsAccess#fromEnv()}
         * @return this builder
         */
        public Builder bedrock(AwsAccess access) {
            this.cloud = new Cloud.Bedrock(Objects.requireNonNull(access, "access"));
            return baseUrl(access.endpoint().toString());
        }

        /** {@return where the built client's requests go} */
        AnthropicRoute route(ClientOptions options) {
            return switch (cloud) {
                case null ->
                    new AnthropicRoute.Direct(
                            ClientCore.withoutTrailingSlash(options.baseUrl().orElseThrow()));
                case Cloud.Vertex v -> new VertexRoute(v.access());
                case Cloud.Bedrock b -> {
                    String base =
                            ClientCore.withoutTrailingSlash(options.baseUrl().orElseThrow());
                    yield b.access().isMantle()
                            ? new BedrockMantleRoute(base, b.access())
                            : new BedrockRoute(base, b.access());
                }
                case Cloud.Foundry f -> new FoundryRoute(f.access());
            };
        }
    }
}
