package dev.sluice.gemini;

import dev.sluice.call.AbstractProviderClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ClientSettings;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.vertex.VertexAccess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A client of Google's Gemini API, streaming {@code POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse}
 * on Sluice's shared streaming call (the same retries, timeouts, cancellation and limits as every
 * provider). Two views of one stream: {@link #streamGenerateContent} yields Gemini's own
 * {@link GenerateContentResponse} chunks; as a {@link ChatProvider}, {@link #stream(ChatRequest)}
 * yields provider-neutral {@link MessageChunk}s.
 *
 * <pre>{@code
 * try (GeminiClient gemini = GeminiClient.fromEnv();
 *      EventStream<GenerateContentResponse> chunks = gemini.streamGenerateContent("gemini-3.8-flash", request)) {
 *     for (GenerateContentResponse chunk : chunks) System.out.print(chunk.text());
 * }
 * }</pre>
 *
 * <p>The API key travels in the {@code x-goog-api-key} header, never in the URL, and never appears
 * in {@link #toString()}, messages or logs. The model is URL-encoded into the path; a
 * {@code models/} prefix is tolerated.
 *
 * <p>Gemini on Google Vertex AI: {@link Builder#vertex(VertexAccess)} sends the same requests to
 * {@code POST {base}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent?alt=sse}
 * with {@code Authorization: Bearer} and an access token of the {@link VertexAccess} (refreshed
 * before it expires) instead of the API key; everything else (the events, structured output, tools,
 * errors) is as described here. Observers see the provider {@code vertex}.
 *
 * <p>Failures: an HTTP error is an {@link dev.sluice.ApiException} whose {@code errorType()} is
 * Gemini's {@code status} string ({@code RESOURCE_EXHAUSTED}, {@code INVALID_ARGUMENT}, ...); so is
 * an error object inside the stream ({@code inStream()} true). A blocked prompt is an
 * {@code ApiException} of type {@value #PROMPT_BLOCKED} thrown after the chunk carrying the
 * {@link PromptFeedback}: Gemini answered 200 but generated nothing, which, like OpenAI's refusal of
 * a prompt with an error, is a failure of the request rather than a way of finishing. A body that
 * ends before any finish reason is an {@link dev.sluice.IncompleteStreamException}. Every failure
 * of a started stream carries the partial result: a {@link GenerateContentResponse} (typed view) or
 * a {@link dev.sluice.chat.ChatResponse} (neutral view).
 *
 * <p>Neutral view: candidate 0 is mapped; text and thought parts become text and thinking deltas;
 * a call whose arguments stream ({@link Builder#streamFunctionCallArguments}) is a tool-call delta
 * per piece, its argument text written from the {@link PartialArg}s as it arrives, the same text in
 * the end as the call sent whole; thought signatures (on calls, on empty text parts) come back in
 * place in the next turn through the response's {@link dev.sluice.chat.ProviderState} (provider
 * {@code gemini}, or {@code vertex} on Vertex AI, never sent to another);
 * each function call sent whole is one complete tool-call delta whose id is
 * Gemini's when it sent one, else a stable synthetic {@code sluice-call-<responseId>-<n>} (such ids
 * are not sent back to Gemini, which matches function responses by name). {@code STOP} after a
 * function call is reported as {@code TOOL_CALLS} (raw {@code STOP} kept); {@code MAX_TOKENS} is
 * {@code LENGTH}; {@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT},
 * {@code SPII}, {@code IMAGE_SAFETY} are {@code CONTENT_FILTER} (Gemini has no refusal of the
 * model's own: its safety stops are filters); anything else {@code OTHER}; a {@code finishMessage}
 * is the finish reason's {@linkplain dev.sluice.chat.FinishReason#message() message}. Usage:
 * input = prompt minus cached plus tool-use prompt tokens, output = candidates plus thoughts tokens,
 * cache read = cached tokens.
 *
 * <p>Neutral requests: the tool choice goes as {@code toolConfig.functionCallingConfig}
 * ({@code AUTO}, {@code NONE}, {@code ANY}, {@code ANY} with {@code allowedFunctionNames}); a
 * response format as {@code "generationConfig":{"responseMimeType":"application/json",
 * "responseJsonSchema":S}} (the JSON then arrives as text) to Gemini 2 and later models
 * ({@code gemini-2.0-flash}, {@code gemini-2.5-pro}, {@code gemini-3-...}, {@code gemini-...-latest}),
 * and to other models as a forced function call
 * ({@code "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":[N]}}}, the
 * JSON arriving whole as the call's {@code args}); the builder's
 * {@link ClientSettings#structuredOutput} overrides the choice.
 *
 * <p>Threading: thread-safe; each call starts its own stream. {@link #close()} cancels the open
 * streams, then closes the {@link HttpClient} if the client created it.
 */
public final class GeminiClient extends AbstractProviderClient {
    // Threading: configuration is final; the open streams and the closed flag live in core (see
    // ClientCore).

    /** The {@link dev.sluice.ApiException#errorType()} of a blocked prompt. */
    public static final String PROMPT_BLOCKED = "prompt_blocked";
    /** The default base URL, without the version path. */
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "GEMINI_API_KEY";
    /** The environment variable holding the base URL. */
    public static final String BASE_URL_ENV = "GEMINI_BASE_URL";

    private static final System.Logger LOG = System.getLogger(GeminiClient.class.getName());

    private final URI baseUrl;
    private final @Nullable VertexAccess vertex; // null: Gemini's own API
    private final Function<String, URI> streamUris; // model -> its streamGenerateContent endpoint
    private final Map<String, String> headers;
    private final ClientCore core;
    private final StreamProtocol<GeminiEvent> protocol;
    private final StructuredOutputMode structuredOutput;
    private final boolean streamArguments;

    private GeminiClient(ClientOptions options, @Nullable VertexAccess vertex, boolean streamArguments) {
        this(options, vertex, streamArguments, core(options, vertex));
    }

    private GeminiClient(
            ClientOptions options, @Nullable VertexAccess vertex, boolean streamArguments, ClientCore core) {
        super(core);
        this.core = core;
        this.vertex = vertex;
        this.streamArguments = streamArguments;
        if (vertex == null) {
            this.headers =
                    core.headers(Map.of("x-goog-api-key", options.apiKey().orElseThrow()));
            URI base = core.baseUrl();
            this.streamUris = m -> streamUri(base, m);
        } else {
            this.headers = core.headers(Map.of());
            this.streamUris = m -> vertexStreamUri(vertex, m);
        }
        this.baseUrl = core.baseUrl();
        this.protocol = StreamProtocol.of(
                new GeminiStreamDecoding.Sse(
                        InstantSource.system(), core.streamOptions().nanoTime()),
                GeminiStreamDecoding.RULES);
        this.structuredOutput = options.structuredOutput();
    }

    /** {@return the core of a client of Gemini's own API, or of Vertex AI's with its tokens} */
    private static ClientCore core(ClientOptions options, @Nullable VertexAccess vertex) {
        if (vertex == null) return new ClientCore("GeminiClient", "sluice-gemini-", LOG, "x-request-id", options);
        RequestAuth bearer = ProvidedTokens.bearer(vertex::token);
        return new ClientCore(
                "GeminiClient",
                GeminiChunks.VERTEX_PROVIDER,
                "sluice-vertex-",
                LOG,
                "x-request-id",
                ErrorBodyParser.standard(),
                options,
                bearer);
    }

    /** {@return a builder; only the API key is required (and not for a base URL on loopback)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment: {@value #API_KEY_ENV} and
     * {@value #BASE_URL_ENV} (optional, without the version path)} The key is required unless the
     * base URL is on loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}), as a fake
     * server's ({@code sluice serve-fake}) is: that gets a placeholder key.
     *
     * @throws IllegalStateException if {@value #API_KEY_ENV} is not set and the base URL is not on
     *     loopback; the message names the variable
     * @throws IllegalArgumentException if {@value #BASE_URL_ENV} is not an http(s) URL
     */
    public static GeminiClient fromEnv() {
        return builder().fromEnv().build();
    }

    /**
     * Streams a response under the client's {@linkplain Builder#streamOptions stream options}; see
     * {@link #streamGenerateContent(String, GenerateContentRequest, StreamController)}.
     *
     * @param model the model, such as {@code gemini-3.8-flash} (a {@code models/} prefix is tolerated)
     * @param request the request
     * @return the running stream, to be closed
     * @throws dev.sluice.SluiceException if the request fails before streaming starts (after retries)
     * @throws IllegalStateException if the client is closed
     * @throws IllegalArgumentException if model is blank, or on the Gemini API a safety setting has a
     *     {@code method} (only Vertex AI takes one)
     */
    public GenerateContentStream streamGenerateContent(String model, GenerateContentRequest request) {
        return open(model, request, StreamController.create());
    }

    /**
     * Streams a response under these options instead of the client's; see
     * {@link #streamGenerateContent(String, GenerateContentRequest, StreamController)}.
     *
     * @param model the model
     * @param request the request
     * @param options this stream's timeouts and limits (reusable)
     * @return the running stream, to be closed
     * @throws dev.sluice.SluiceException if the request fails before streaming starts (after retries)
     * @throws IllegalStateException if the client is closed
     * @throws IllegalArgumentException if model is blank, or on the Gemini API a safety setting has a
     *     {@code method} (only Vertex AI takes one)
     */
    public GenerateContentStream streamGenerateContent(
            String model, GenerateContentRequest request, StreamOptions options) {
        return open(model, request, StreamController.of(options));
    }

    /**
     * Sends the request to {@code streamGenerateContent?alt=sse} and returns as soon as the response
     * headers have arrived. Connection failures and retryable statuses (408, 409, 429, 5xx) are
     * retried per the client's {@link RetryPolicy}, as is an in-stream error whose status is
     * {@code RESOURCE_EXHAUSTED}, {@code INTERNAL}, {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}
     * before any content; once
     * content has been delivered nothing is retried.
     *
     * @param model the model
     * @param request the request
     * @param controller this stream's controller, made before the call so that it can be cancelled
     *     while the request connects ({@link StreamController#create()}: the client's options), not
     *     used by another stream
     * @return the running stream, to be closed
     * @throws dev.sluice.SluiceException if the request fails before streaming starts (after retries)
     * @throws IllegalStateException if the client is closed or the controller belongs to another
     *     stream (then nothing is sent)
     * @throws IllegalArgumentException if model is blank, or on the Gemini API a safety setting has a
     *     {@code method} (only Vertex AI takes one)
     */
    public GenerateContentStream streamGenerateContent(
            String model, GenerateContentRequest request, StreamController controller) {
        return open(model, request, Objects.requireNonNull(controller, "controller"));
    }

    private GenerateContentStream open(String model, GenerateContentRequest request, StreamController controller) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        return GenerateContentStream.open(call(model, request, controller, new AtomicLong(), protocol));
    }

    /**
     * {@return the provider this client reaches, by the name {@code --provider}, {@code --fallback}
     * and {@link dev.sluice.providers.ProviderCatalog} give it: {@code gemini} (the Gemini API), or
     * {@code vertex} (Gemini on Vertex AI)}
     */
    @Override
    public String providerName() {
        return vertex == null ? GeminiChunks.PROVIDER : GeminiChunks.VERTEX_PROVIDER;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a tool result answers no earlier tool call (Gemini matches
     *     results to calls by name), or a tool call's arguments are not a JSON object
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        String provider = vertex == null ? GeminiChunks.PROVIDER : GeminiChunks.VERTEX_PROVIDER;
        GenerateContentRequest gemini = GeminiRequests.of(request, structuredOutput, provider, streamArguments);
        AtomicLong sentNanos = new AtomicLong();
        GeminiChunks chunks = new GeminiChunks(request.model(), sentNanos::get, provider);
        StreamProtocol<GeminiEvent> neutral = protocol.leavingOut(GeminiChunks::leftOut);
        return core.chatStream(
                call(request.model(), gemini, controller, sentNanos, neutral), e -> Optional.of(chunks.map(e)));
    }

    private StreamingCall.Builder<GeminiEvent> call(
            String model,
            GenerateContentRequest request,
            StreamController controller,
            AtomicLong sentNanos,
            StreamProtocol<GeminiEvent> protocol) {
        core.requireOpen();
        GeminiChecks.check(model, request); // typed and neutral requests alike, before anything is sent
        URI uri = streamUris.apply(model);
        String body = forThisApi(request).toJson();
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "streamGenerateContent: POST " + uri + ", "
                        + request.contents().size() + " contents, " + body.length() + " chars");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return core.streamingCall(protocol, controller, model, () -> {
            sentNanos.set(controller.options().nanoTime().getAsLong());
            return HttpPost.json(uri, headers, body);
        });
    }

    /**
     * {@return the request as this client's API takes it} As the official SDK (google-genai 2.0)
     * sends it: a cached content's name completed for the API ({@code cachedContents/ID} on the
     * Gemini API, {@code projects/P/locations/L/cachedContents/ID} on Vertex AI), and a safety
     * setting's {@code method} refused on the Gemini API, which does not take it.
     *
     * @throws IllegalArgumentException if a safety setting has a method and the API is Gemini's own
     */
    private GenerateContentRequest forThisApi(GenerateContentRequest request) {
        String cached = request.cachedContent();
        if (vertex == null) {
            for (SafetySetting s : request.safetySettings()) {
                if (s.method() != null) {
                    throw new IllegalArgumentException("the safety setting of " + s.category() + " has method "
                            + s.method() + ", which only Gemini on Vertex AI takes, not the Gemini API: leave it out");
                }
            }
            if (cached != null && !cached.startsWith("cachedContents/"))
                return request.withCachedContent("cachedContents/" + cached);
        } else if (cached != null && !cached.startsWith("projects/")) {
            String id = cached.startsWith("cachedContents/") ? cached : "cachedContents/" + cached;
            return request.withCachedContent(
                    "projects/" + vertex.project() + "/locations/" + vertex.location() + "/" + id);
        }
        return request;
    }

    /**
     * {@return the URI of a model's streaming endpoint}
     *
     * @throws IllegalArgumentException if the model is blank
     */
    static URI streamUri(URI baseUrl, String model) {
        String m = model.startsWith("models/") ? model.substring("models/".length()) : model;
        if (m.isBlank()) throw new IllegalArgumentException("model must not be blank");
        String path = URLEncoder.encode(m, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(
                ClientCore.withoutTrailingSlash(baseUrl) + "/v1beta/models/" + path + ":streamGenerateContent?alt=sse");
    }

    /**
     * {@return the URI of a model's streaming endpoint on Vertex AI}
     *
     * @throws IllegalArgumentException if the model is blank
     * @throws dev.sluice.CredentialsException if the project is not set and the credentials name none
     */
    static URI vertexStreamUri(VertexAccess vertex, String model) {
        return URI.create(vertex.modelUri("google", model, "streamGenerateContent") + "?alt=sse");
    }

    /** {@return how many streams of this client are running} */
    int openCount() {
        return core.openCount();
    }

    /** Shows the configuration, never the API key or a token. */
    @Override
    public String toString() {
        return core.describe(vertex == null ? "baseUrl=" + baseUrl : "vertex=" + vertex);
    }

    /**
     * Builds a {@link GeminiClient}: the settings every client has (see
     * {@link ClientSettings}). The key is sent in the {@code x-goog-api-key} header; the
     * base URL is without the version path (the client appends
     * {@code /v1beta/models/{model}:streamGenerateContent?alt=sse}). {@link #header} refuses
     * {@code x-goog-api-key}, {@code content-type} and {@code accept}. Gemini reports no rate limits
     * in its headers: {@link #holdWhileRateLimited} holds new streams after a 429 or 503 naming its
     * {@code retry-after}, once the retry policy's retries are spent. Each setter checks its argument
     * at once and names it in the message (never showing the API key); {@link #build()} says what
     * is missing. Not thread-safe.
     */
    public static final class Builder extends ClientSettings<Builder> {
        private @Nullable VertexAccess vertex; // null: Gemini's own API
        private boolean streamArguments;

        private Builder() {
            super(
                    DEFAULT_BASE_URL,
                    API_KEY_ENV,
                    BASE_URL_ENV,
                    Set.of("x-goog-api-key", "content-type", "accept"),
                    "use apiKey(..) for the x-goog-api-key header");
        }

        /**
         * Reads {@value #API_KEY_ENV} and {@value #BASE_URL_ENV} from the environment, when set.
         *
         * @return this builder
         * @throws IllegalArgumentException if {@value #BASE_URL_ENV} is set but not a valid base URL
         */
        public Builder fromEnv() {
            return readEnv(System.getenv());
        }

        Builder fromEnv(Map<String, String> env) {
            return readEnv(env);
        }

        /**
         * Reaches Gemini on Google Vertex AI: its requests go to the access's base URL, project and
         * location, authorized with its access tokens ({@code Authorization: Bearer}); an API key
         * and a base URL given to this builder are not used.
         *
         * @param access the project, location, base URL and credentials, such as {@link VertexAccess#fromEnv()}
         * @return this builder
         */
        public Builder vertex(VertexAccess access) {
            this.vertex = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Asks, in neutral requests with tools, for the arguments of function calls to stream in
         * pieces ({@code "toolConfig":{"functionCallingConfig":{"streamFunctionCallArguments":true}}},
         * with mode {@code AUTO} when the request names no tool choice): a call's argument text then
         * arrives as it is written, as with the other providers, instead of whole at the end. Vertex
         * AI takes it (Gemini 3 models); Gemini's own API documents it as not supported. Off by default.
         *
         * @param stream whether to ask for it
         * @return this builder
         */
        public Builder streamFunctionCallArguments(boolean stream) {
            this.streamArguments = stream;
            return this;
        }

        /**
         * {@return the client; without an API key, one whose base URL is on loopback sends a
         * placeholder key; on {@link #vertex Vertex AI}, none is needed}
         *
         * @throws IllegalStateException if no API key was given and the base URL is not on
         *     loopback (and not on Vertex AI), or both {@link #httpClient} and {@link #connectTimeout} were
         */
        public GeminiClient build() {
            if (vertex == null) return new GeminiClient(complete(), null, streamArguments);
            baseUrl(vertex.endpoint().toString());
            return new GeminiClient(complete(false), vertex, streamArguments);
        }
    }
}
