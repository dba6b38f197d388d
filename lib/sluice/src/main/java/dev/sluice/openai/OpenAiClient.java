package dev.sluice.openai;

import dev.sluice.IncompleteStreamException;
import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.call.AbstractProviderClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Passthrough;
import dev.sluice.chat.WireApi;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ClientSettings;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.call.stream.VerbatimProtocol;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.JsonResponse;
import dev.sluice.internal.low.json.TopLevelMember;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A client of OpenAI's Chat Completions API (and of OpenAI-compatible servers), streaming.
 *
 * <pre>{@code
 * try (OpenAiClient client = OpenAiClient.fromEnv();
 *      ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.builder()
 *              .model("gpt-6-luna").addMessage(ChatCompletionMessage.user("Hello")).build())) {
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
 * <p>On Azure OpenAI ({@link Builder#azure}), requests go to the resource's v1 API,
 * {@code <endpoint>/openai/v1/chat/completions} and {@code /openai/v1/responses} (no
 * {@code api-version}), with the resource's key as {@code api-key} or an Entra ID token as
 * {@code Authorization: Bearer}, fetched and refreshed by the {@link AzureAccess}; the request id is
 * Azure's {@code apim-request-id}, which every answer carries (a gateway's 401 too). Azure's own
 * ways are read as they come: a first chunk with empty {@code choices} and the prompt's
 * {@code prompt_filter_results} gives no chunk; {@code finish_reason} {@code content_filter} is
 * CONTENT_FILTER; an error {@code {"error":{"code":..,"message":..}}} has its {@code code} as the
 * {@code errorType()} ({@code http_error_NNN} where the gateway's code is the HTTP status, as in its 401); {@code retry-after-ms} and {@code retry-after} are honoured.
 *
 * <p>On Amazon Bedrock ({@link Builder#bedrock}), requests go to Bedrock's OpenAI-compatible
 * endpoints, {@code <runtime endpoint>/openai/v1/...} or, on the mantle host, under the path the
 * model is served at ({@code /v1} or {@code /openai/v1}); each attempt is authorized by the
 * {@link AwsAccess} (signed afresh with SigV4, or its Bedrock API key) and no other key is sent; the
 * request id is AWS's {@code x-amzn-RequestId}.
 *
 * <p>It is also a {@link ChatProvider}: a {@link ChatRequest} is sent as Chat Completions (see
 * {@link #stream(ChatRequest, StreamController)}) and the chunks are mapped to provider-neutral
 * {@link MessageChunk}s. Retries, timeouts, cancellation and limits are the same shared code as for
 * every provider.
 *
 * <p>{@link #close()} cancels the client's open streams, then closes the {@link HttpClient} if the
 * client created it. Thread-safe: one client serves any number of threads and streams.
 *
 * <p>Why this file is long: a third of it is Javadoc; the one client of two APIs (Chat Completions
 * and Responses) on three clouds (OpenAI, Azure, Bedrock), each API's streams, answers and
 * passthrough opened here over the shared call code, and the builder's setting for each cloud.
 */
public final class OpenAiClient extends AbstractProviderClient {
    // Threading: configuration fields are final; the open streams and the closed flag live in core
    // (see ClientCore).

    /** The default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";

    private static final System.Logger LOG = System.getLogger(OpenAiClient.class.getName());
    /** The provider name of OpenAI's API (or a compatible server's), as the tool and observers name it, and of its {@link dev.sluice.chat.ProviderState}. */
    static final String PROVIDER = "openai";
    /** The provider name of Azure OpenAI's API, as an Azure client reports it (observers, opaque state). */
    static final String AZURE_PROVIDER = "azure-openai";
    /** The provider name of Chat Completions on Amazon Bedrock, as a Bedrock client reports it. */
    static final String BEDROCK_PROVIDER = "bedrock-openai";
    /** The provider name of the Responses API on Amazon Bedrock (its opaque state's). */
    static final String BEDROCK_RESPONSES_PROVIDER = "bedrock-openai-responses";

    /** The header of Azure's answers naming the request: on every answer, the API gateway's refusals included. */
    static final String AZURE_REQUEST_ID = "apim-request-id";

    private static final Set<String> RESERVED =
            Set.of("authorization", "openai-organization", "openai-project", "content-type", "accept");

    private final OpenAiRoute route;
    private final Map<String, String> headers;
    private final Clock clock;
    private final StructuredOutputMode structuredOutput;
    private final ClientCore core;
    private final ChatCompletions chat = new ChatCompletions(this);
    private final Responses responses = new Responses(this);

    private OpenAiClient(Builder b, ClientOptions options) {
        this(b, options, b.route(options));
    }

    private OpenAiClient(Builder b, ClientOptions options, OpenAiRoute route) {
        this(
                b,
                options,
                route,
                new ClientCore(
                        "OpenAiClient",
                        route.provider(),
                        "sluice-openai-",
                        LOG,
                        route.requestIdHeader(),
                        route.errors(),
                        options,
                        route.auth()));
    }

    private OpenAiClient(Builder b, ClientOptions options, OpenAiRoute route, ClientCore core) {
        super(core);
        this.route = route;
        this.core = core;
        Map<String, String> h = new LinkedHashMap<>(route.headers(options));
        if (b.organization != null) h.put("openai-organization", b.organization);
        if (b.project != null) h.put("openai-project", b.project);
        this.headers = core.headers(h);
        this.clock = Clock.systemUTC();
        this.structuredOutput = options.structuredOutput();
    }

    /** {@return a builder; only the API key is required (and not for a base URL on loopback)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment: {@code OPENAI_API_KEY} and
     * {@code OPENAI_BASE_URL} (optional)} The key is required unless the base URL is on loopback
     * ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}), as a fake server's
     * ({@code sluice serve-fake}) is: that gets a placeholder key.
     *
     * @throws IllegalStateException if {@code OPENAI_API_KEY} is not set and the base URL is not
     *     on loopback; the message names the variable
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
        OpenAiChecks.responses(request); // typed and neutral requests alike, before anything is sent
        String body = request.streamingJson();
        URI uri = URI.create(route.responsesUri(request.model()));
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "responses stream: POST " + uri + ", model " + request.model() + ", " + request.inputSize()
                        + " input items" + (request.background() ? ", background" : ""));
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return ResponseStream.open(
                core.streamingCall(
                        StreamProtocol.of(
                                ResponsesStreamDecoding.SSE,
                                request.background()
                                        ? ResponsesStreamDecoding.TYPED_BACKGROUND
                                        : ResponsesStreamDecoding.TYPED),
                        c,
                        request.model(),
                        () -> HttpPost.json(uri, headers, body)),
                new ResponseAccumulator(),
                request.background(),
                core::reportRateLimits);
    }

    ResponseStream resumeResponse(
            @Nullable String model,
            String responseId,
            long startingAfter,
            ResponseAccumulator accumulator,
            boolean background,
            StreamController c) {
        Objects.requireNonNull(responseId, "responseId");
        if (!responseId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                    "responseId must be a plain id (letters, digits, _ and -): " + responseId);
        }
        if (startingAfter < -1)
            throw new IllegalArgumentException("startingAfter must be -1 or more: " + startingAfter);
        core.requireOpen();
        URI uri = URI.create(route.responsesUri(model) + "/" + responseId + "?stream=true"
                + (startingAfter >= 0 ? "&starting_after=" + startingAfter : ""));
        LOG.log(System.Logger.Level.DEBUG, () -> "responses stream resumed: GET " + uri);
        return ResponseStream.open(
                core.streamingCall(
                        StreamProtocol.of(
                                ResponsesStreamDecoding.resumedAfter(startingAfter), ResponsesStreamDecoding.TYPED),
                        c,
                        () -> HttpPost.get(uri, headers)),
                accumulator,
                background,
                core::reportRateLimits);
    }

    /**
     * {@link Passthrough#stream} of {@link Responses#passthrough()}: the body with its model replaced in its text, the
     * events as they came, its plain text deltas not decoded ({@link PlainTextDelta}).
     */
    EventStream<SseEvent> passthroughResponses(String body, String model, StreamController c) {
        core.requireOpen();
        String sent = TopLevelMember.withTrue(TopLevelMember.withString(body, "model", model), "stream");
        URI uri = URI.create(route.responsesUri(model));
        LOG.log(System.Logger.Level.DEBUG, () -> "responses passthrough: POST " + uri + ", model " + model);
        return core.verbatimStream(
                VerbatimProtocol.of(
                        StreamProtocol.of(ResponsesStreamDecoding.SSE, ResponsesStreamDecoding.TYPED),
                        message -> null,
                        PlainTextDelta.INSTANCE),
                c,
                model,
                () -> HttpPost.json(uri, headers, sent));
    }

    /** {@link Passthrough#answer} of {@link Responses#passthrough()}: the body with its model replaced in its text, the response as it came. */
    String passthroughResponseAnswer(String body, String model, StreamController c, long maxBytes) {
        core.requireOpen();
        String sent = TopLevelMember.withString(body, "model", model);
        URI uri = URI.create(route.responsesUri(model));
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "responses passthrough (not streamed): POST " + uri + ", model " + model);
        return core.send(HttpPost.json(uri, headers, sent), c, model, maxBytes, JsonResponse::body, answer -> null);
    }

    EventStream<MessageChunk> chatResponses(ChatRequest request, StreamController c) {
        ResponseRequest mapped = ResponsesChat.request(request, structuredOutput, responsesProvider());
        core.requireOpen();
        OpenAiChecks.responses(mapped);
        String body = mapped.streamingJson();
        URI uri = URI.create(route.responsesUri(mapped.model()));
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "responses stream (neutral): POST " + uri + ", model " + mapped.model());
        StreamingCall.Builder<ResponseStreamEvent> call = core.streamingCall(
                        StreamProtocol.of(ResponsesStreamDecoding.SSE, ResponsesStreamDecoding.NEUTRAL)
                                .leavingOut(ResponsesStreamDecoding::leftOut),
                        c,
                        mapped.model(),
                        () -> HttpPost.json(uri, headers, body))
                .afterTerminal(e -> {
                    if (e instanceof ResponseStreamEvent.RateLimitsUpdated r)
                        core.reportRateLimits(ResponseStream.limitsOf(r, Instant.now(), Optional.empty()));
                });
        LongSupplier nanoTime = c.options().nanoTime();
        ResponsesChat mapper = new ResponsesChat(responsesProvider(), clock, nanoTime, nanoTime.getAsLong());
        return core.chatStream(call, mapper::map);
    }

    /**
     * {@return the provider name of the Responses API's opaque state: {@code openai-responses}, or
     * {@code azure-openai} on Azure, {@code bedrock-openai-responses} on Bedrock}
     */
    String responsesProvider() {
        return route.responsesProvider();
    }

    ChatCompletionStream stream(ChatCompletionRequest request, @Nullable StreamController controller) {
        return ChatCompletionStream.open(call(request, controller != null ? controller : StreamController.create()));
    }

    private StreamingCall.Builder<ChatCompletionEvent> call(ChatCompletionRequest request, StreamController c) {
        core.requireOpen();
        OpenAiChecks.chat(request); // typed and neutral requests alike, before anything is sent
        String body = RequestJson.streaming(request);
        URI endpoint = route.chatUri(request.model());
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "chat.completions stream: POST " + endpoint + ", model " + request.model() + ", "
                        + request.messages().size() + " messages");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return core.streamingCall(
                OpenAiStreamDecoding.PROTOCOL, c, request.model(), () -> HttpPost.json(endpoint, headers, body));
    }

    /**
     * Streams a provider-neutral request as Chat Completions: the system prompt as the first,
     * {@code system}, message; user and assistant text; an assistant's tool calls as
     * {@code tool_calls}; each tool result as its own {@code tool} message (a failed result's
     * content prefixed with {@code "Error: "}: Chat Completions has no error flag; the images a tool
     * returned, which a {@code tool} message cannot carry, in a user message after the results that
     * names the call); tools as
     * function tools; the tool choice as {@code tool_choice}; {@code maxTokens} as
     * {@code max_completion_tokens}; temperature; stop sequences (at most 4). A response format
     * goes as {@code "response_format":{"type":"json_schema","json_schema":{"name":N,"schema":S,
     * "strict":true}}} (the JSON then arrives as text) to the models OpenAI documents it for
     * (gpt-4o from 2024-08-06, gpt-4o-mini, gpt-4.1, gpt-5 and later, o1, o3, o4-mini and later),
     * and to other models, an OpenAI-compatible server's included, as a forced call of a function
     * named as the format ({@code "tool_choice":{"type":"function","function":{"name":N}}}, the
     * JSON arriving as its argument deltas); the builder's {@link ClientSettings#structuredOutput}
     * overrides the choice. The chunks of choice 0 become {@link MessageChunk}s; finish reasons
     * {@code stop} → STOP, {@code length} → LENGTH, {@code tool_calls} and {@code function_call} →
     * TOOL_CALLS, {@code content_filter} → CONTENT_FILTER, any other → OTHER (raw kept); a refusal
     * is not text: its {@code refusal} deltas become the
     * {@linkplain dev.sluice.chat.FinishReason#message() message} of the finish reason, REFUSAL.
     * An OpenAI-compatible server's reasoning ({@code reasoning_content}, {@code reasoning},
     * {@code reasoning_details}) streams as thinking and is kept as the response's
     * {@link dev.sluice.chat.ProviderState} ({@code openai}, on Azure {@code azure-openai}); an
     * assistant message with this client's state gets it back, in a tool-call turn, under the names
     * it arrived with (DeepSeek answers 400 without its {@code reasoning_content} there); another
     * provider's state is never sent. Failures carry the partial {@link dev.sluice.chat.ChatResponse}.
     * The request's {@link ChatRequest#effort() effort} is sent as {@code reasoning_effort}, the
     * nearest value the model takes; a temperature is left out for a model that takes only the
     * default. A request with function tools for a model whose Chat Completions refuse them with a
     * reasoning effort (GPT-5.4 and later, unless the effort is {@code none}; gpt-6.1-sol, which has
     * no {@code none}, always) is sent through the Responses API instead, as {@link #responses()}
     * would send it.
     *
     * @throws IllegalArgumentException if the request has more than 4 stop sequences, or an effort
     *     the model cannot take at all
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return chatStream(Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    private EventStream<MessageChunk> chatStream(ChatRequest request, StreamController c) {
        // the tools as sent: the request's, and the forced tool a structured answer is asked with on this route
        var plan = OpenAiRequests.plan(request, structuredOutput);
        if (ReasoningEfforts.toolsNeedResponses(plan.request())) return chatResponses(request, c);
        ChatCompletionRequest mapped = OpenAiRequests.fromChat(plan, provider());
        StreamingCall.Builder<ChatCompletionEvent> call = call(mapped, c); // claims c: its options are the call's now
        LongSupplier nanoTime = c.options().nanoTime();
        OpenAiChunks mapper = new OpenAiChunks(clock, nanoTime, nanoTime.getAsLong(), provider());
        return core.chatStream(call, mapper::map);
    }

    /**
     * {@inheritDoc} A request this client sends as Chat Completions ({@link #stream(ChatRequest,
     * StreamController)} says which) goes as one, not streamed ({@code "stream": false}), and its
     * {@code chat.completion} is read as that stream's chunks would have been, in one piece: the same
     * text, tool calls, reasoning, refusal, finish reason and usage. One that goes through the
     * Responses API is streamed and gathered.
     *
     * @throws dev.sluice.ProtocolException if the answer is not a {@code chat.completion}
     */
    @Override
    public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        var plan = OpenAiRequests.plan(request, structuredOutput);
        if (ReasoningEfforts.toolsNeedResponses(plan.request())) return super.answer(request, controller, maxBytes);
        ChatCompletionRequest mapped = OpenAiRequests.fromChat(plan, provider());
        core.requireOpen();
        OpenAiChecks.chat(mapped);
        String body = RequestJson.whole(mapped);
        URI endpoint = route.chatUri(mapped.model());
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "chat.completions (not streamed): POST " + endpoint + ", model " + mapped.model());
        LongSupplier nanoTime = controller.options().nanoTime();
        long sent = nanoTime.getAsLong();
        return core.send(
                HttpPost.json(endpoint, headers, body),
                controller,
                mapped.model(),
                maxBytes,
                response -> {
                    ChunkAggregator aggregator = new ChunkAggregator();
                    ChatCompletionEvent event = OpenAiStreamDecoding.decode(SseEvent.of(response.body()));
                    refuseInBandError(response, event); // an error object in a 200 answer: as in a stream
                    if (!(event instanceof ChatCompletionChunk)) {
                        throw new ProtocolException(
                                        "the answer from " + core.base() + " is not a chat completion", null)
                                .initContext(response.requestId(), null);
                    }
                    new OpenAiChunks(clock, nanoTime, sent, provider())
                            .map(event)
                            .ifPresent(aggregator::accept);
                    if (!aggregator.isComplete()) {
                        throw new IncompleteStreamException(
                                        "the chat completion came without a finish reason; the exception's partial() has it")
                                .initContext(response.requestId(), aggregator.snapshot());
                    }
                    return aggregator.result();
                },
                ChatResponse::usage);
    }

    /**
     * {@return the passthrough of {@link WireApi#CHAT_COMPLETIONS} bodies}
     */
    @Override
    public Optional<Passthrough> passthrough() {
        return Optional.of(passthrough);
    }

    /** A body of its own API as it came, streamed ({@link #passStream}) or answered whole ({@link #passAnswer}). */
    private final Passthrough passthrough = new Passthrough() {
        @Override
        public WireApi api() {
            return WireApi.CHAT_COMPLETIONS;
        }

        @Override
        public EventStream<SseEvent> stream(
                String body, String model, List<String> betas, StreamController controller) {
            Objects.requireNonNull(betas, "betas"); // Chat Completions takes no betas
            return passStream(body, model, controller);
        }

        @Override
        public String answer(
                String body, String model, List<String> betas, StreamController controller, long maxBytes) {
            Objects.requireNonNull(betas, "betas");
            return passAnswer(body, model, controller, maxBytes);
        }

        @Override
        public String toString() {
            return "Passthrough[" + WireApi.CHAT_COMPLETIONS + ", " + OpenAiClient.this + "]";
        }
    };

    /**
     * {@link Passthrough#stream}: the body's {@code model} is replaced in its text, {@code "stream": true} set and,
     * when it has no {@code stream_options}, {@code "stream_options": {"include_usage": true}} added
     * (its usage is then observed); nothing else of it is written again, and the request goes to Chat
     * Completions whatever it asks (no request is moved to the Responses API, as
     * {@link #stream(ChatRequest, StreamController)} moves one). The events come as they came:
     * {@code data: [DONE]} the last.
     */
    private EventStream<SseEvent> passStream(String body, String model, StreamController controller) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(controller, "controller");
        core.requireOpen();
        String sent = TopLevelMember.withJsonIfAbsent(
                TopLevelMember.withTrue(TopLevelMember.withString(body, "model", model), "stream"),
                "stream_options",
                "{\"include_usage\":true}");
        URI endpoint = route.chatUri(model);
        LOG.log(System.Logger.Level.DEBUG, () -> "chat.completions passthrough: POST " + endpoint + ", model " + model);
        return core.verbatimStream(
                VerbatimProtocol.of(OpenAiStreamDecoding.PROTOCOL, message -> null, PlainContentChunk.INSTANCE),
                controller,
                model,
                () -> HttpPost.json(endpoint, headers, sent));
    }

    /**
     * {@link Passthrough#answer}: the body's {@code model} is replaced in its text; nothing else of it is written
     * again. The {@code chat.completion} comes back as it came.
     */
    private String passAnswer(String body, String model, StreamController controller, long maxBytes) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(controller, "controller");
        core.requireOpen();
        String sent = TopLevelMember.withString(body, "model", model);
        URI endpoint = route.chatUri(model);
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "chat.completions passthrough (not streamed): POST " + endpoint + ", model " + model);
        return core.send(
                HttpPost.json(endpoint, headers, sent),
                controller,
                model,
                maxBytes,
                response -> {
                    // an error object in a 200 answer is a failure, as the translated answer's: never passed on as it
                    // came
                    if (TopLevelMember.value(response.body(), "error") != null)
                        refuseInBandError(response, OpenAiStreamDecoding.decode(SseEvent.of(response.body())));
                    return response.body();
                },
                answer -> null);
    }

    /** Throws an error object a 200 answer holds ({@link ChatCompletionErrorEvent}) as a stream's in-band error; nothing for another event. */
    private void refuseInBandError(JsonResponse response, ChatCompletionEvent event) {
        if (event instanceof ChatCompletionErrorEvent e) {
            throw OpenAiStreamDecoding.inBandError(e)
                    .exception(response.statusCode(), headers)
                    .initContext(response.requestId(), null);
        }
    }

    /**
     * {@return the provider this client's Chat Completions reach, by the name {@code --provider},
     * {@code --fallback} and {@link dev.sluice.providers.ProviderCatalog} give it: {@code openai}
     * (OpenAI's API or a compatible server), {@code azure-openai} (Azure OpenAI), or
     * {@code bedrock-openai} (Amazon Bedrock)}
     */
    @Override
    public String providerName() {
        return provider();
    }

    /** {@return this client's provider name: {@value #AZURE_PROVIDER} on Azure, {@value #BEDROCK_PROVIDER} on Bedrock, else {@value #PROVIDER}} */
    private String provider() {
        return route.provider();
    }

    /** {@return how many streams of this client are running} */
    int openCount() {
        return core.openCount();
    }

    /** Shows the configuration, never the API key. */
    @Override
    public String toString() {
        return core.describe(route.describe());
    }

    /** {@return {@code <base>/v1/chat/completions}, or {@code <base>/chat/completions} when the base ends in {@code /v1}} */
    static URI endpoint(URI base) {
        return new OpenAiRoute.Direct(base).chatUri("");
    }

    /**
     * Builds an {@link OpenAiClient}: the settings every client has (see
     * {@link ClientSettings}) and the OpenAI ones. Each setter checks its argument at once
     * and names it in the message (never showing the API key); {@link #build()} says what is
     * missing. The key is sent as {@code Authorization: Bearer}; the base URL may end in {@code /v1}
     * (as OpenAI's own SDKs write it). {@link #header} refuses {@code authorization},
     * {@code openai-organization}, {@code openai-project}, {@code content-type} and {@code accept}.
     * Rate limits for {@link #holdWhileRateLimited} come from {@code x-ratelimit-remaining-requests}
     * and {@code x-ratelimit-remaining-tokens}; Chat Completions, the Responses API and their
     * {@link ChatProvider} views share them. Not thread-safe.
     */
    public static final class Builder extends ClientSettings<Builder> {
        private @Nullable String organization;
        private @Nullable String project;
        private @Nullable Cloud cloud; // null: OpenAI's own API, at the base URL

        /** The cloud OpenAI's APIs are reached through, the last of {@link #azure} and {@link #bedrock} given. */
        private sealed interface Cloud {
            record Azure(AzureAccess access) implements Cloud {}

            record Bedrock(AwsAccess access, Function<String, String> apiPath) implements Cloud {}
        }

        private Builder() {
            super(
                    DEFAULT_BASE_URL,
                    "OPENAI_API_KEY",
                    "OPENAI_BASE_URL",
                    RESERVED,
                    "use apiKey(..), organization(..) or project(..) for the OpenAI headers");
        }

        /**
         * Sets the organization, sent as {@code OpenAI-Organization}.
         *
         * @param organization sent as {@code OpenAI-Organization}
         * @return this builder
         */
        public Builder organization(String organization) {
            this.organization = HttpPost.headerToken(organization, "organization");
            return this;
        }

        /**
         * Sets the project, sent as {@code OpenAI-Project}.
         *
         * @param project sent as {@code OpenAI-Project}
         * @return this builder
         */
        public Builder project(String project) {
            this.project = HttpPost.headerToken(project, "project");
            return this;
        }

        /**
         * Calls Azure OpenAI's v1 API ({@code --provider azure-openai}; its {@link OpenAiClient#responses()},
         * {@code azure-openai-responses}): {@code <endpoint>/openai/v1/chat/completions} and
         * {@code /openai/v1/responses}, authorized by the access's API key ({@code api-key}) or Entra ID
         * tokens ({@code Authorization: Bearer}). The model names the deployment. The base URL and
         * API key of this builder are not used.
         *
         * <pre>{@code
         * OpenAiClient client = OpenAiClient.builder().azure(AzureAccess.fromEnv()).build();
         * }</pre>
         *
         * @param access the resource's endpoint and authorization
         * @return this builder
         */
        public Builder azure(AzureAccess access) {
            this.cloud = new Cloud.Azure(Objects.requireNonNull(access, "azure"));
            return this;
        }

        /**
         * Calls OpenAI's APIs on Amazon Bedrock ({@code --provider bedrock-openai}, Chat Completions on the
         * runtime host; {@code bedrock-openai-responses}, the Responses API on the mantle host): on an
         * access at the runtime host, {@code <endpoint>/openai/v1/chat/completions} and
         * {@code /openai/v1/responses}, signed for {@code bedrock}; on one at the mantle host
         * ({@link AwsAccess#mantle()}), the same under {@code /v1}, signed for {@code bedrock-mantle} (see
         * {@link #bedrock(AwsAccess, Function)} for the models AWS serves under {@code /openai/v1}). Each
         * attempt, a retry's included, is authorized afresh by the access: SigV4 with its credentials, or
         * its Bedrock API key as {@code Authorization: Bearer}; this builder's API key and base URL are
         * not used, and no other key goes to AWS. The model is Bedrock's id, such as
         * {@code openai.gpt-5.6-terra} or the inference profile {@code us.openai.gpt-6-sol}.
         *
         * <pre>{@code
         * OpenAiClient chat = OpenAiClient.builder().bedrock(AwsAccess.fromEnv()).build();
         * OpenAiClient responses = OpenAiClient.builder()
         *         .bedrock(AwsAccess.fromEnv().mantle(), ProviderCatalog::bedrockOpenAiPath).build();
         * }</pre>
         *
         * @param access the host, region and authorization, such as {@link AwsAccess#fromEnv()}
         * @return this builder
         */
        public Builder bedrock(AwsAccess access) {
            return bedrock(access, model -> OpenAiRoute.Bedrock.MANTLE_PATH);
        }

        /**
         * As {@link #bedrock(AwsAccess)}, with the path each model's OpenAI APIs are served under on the
         * mantle host: AWS serves most under {@code /v1} and some (OpenAI's GPT-5.4 and later, Gemma 4)
         * under {@code /openai/v1}, refusing a model on the other path;
         * {@code dev.sluice.providers.ProviderCatalog::bedrockOpenAiPath} gives them as AWS lists them.
         * Not asked on the runtime host, where every model is under {@code /openai/v1}.
         *
         * @param access the host, region and authorization
         * @param apiPath the path for a model, such as {@code /v1} or {@code /openai/v1}; asked for each request
         * @return this builder
         */
        public Builder bedrock(AwsAccess access, Function<String, String> apiPath) {
            this.cloud = new Cloud.Bedrock(
                    Objects.requireNonNull(access, "access"), Objects.requireNonNull(apiPath, "apiPath"));
            return this;
        }

        /**
         * Reads {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL} when they are set and not blank.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@code OPENAI_BASE_URL} is not a valid base URL
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
         *
         * @throws IllegalStateException if no API key was given and the base URL is not on
         *     loopback, or both {@link #httpClient} and {@link #connectTimeout} were
         */
        public OpenAiClient build() {
            switch (cloud) {
                case null -> {
                    return new OpenAiClient(this, complete());
                }
                // where observers and the JFR event say the stream went
                case Cloud.Azure a -> baseUrl(a.access().endpoint().toString());
                case Cloud.Bedrock b -> baseUrl(b.access().endpoint().toString());
            }
            return new OpenAiClient(this, complete(false));
        }

        /** {@return where the built client's requests go} */
        OpenAiRoute route(ClientOptions options) {
            return switch (cloud) {
                case null -> new OpenAiRoute.Direct(options.baseUrl().orElseThrow());
                case Cloud.Azure a -> new OpenAiRoute.Azure(a.access());
                case Cloud.Bedrock b -> new OpenAiRoute.Bedrock(b.access(), b.apiPath());
            };
        }
    }
}
