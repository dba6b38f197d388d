package dev.sluice.bedrock;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ClientSettings;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.low.aws.AwsCredentials;
import dev.sluice.internal.low.aws.SigV4Signer;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of Amazon Bedrock's Converse API, streaming {@code POST {endpoint}/model/{modelId}/converse-stream}
 * on Sluice's shared streaming call (the same retries, timeouts, cancellation and limits as every
 * provider). The response body is AWS's binary event stream, read frame by frame; as a
 * {@link ChatProvider}, {@link #stream(ChatRequest, StreamController)} yields neutral
 * {@link MessageChunk}s (see {@link ConverseEvent} for the events and the package description for
 * the mapping).
 *
 * <pre>{@code
 * try (BedrockClient bedrock = BedrockClient.fromEnv();
 *      EventStream<MessageChunk> chunks = bedrock.stream(ChatRequest.builder()
 *              .model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").addMessage(ChatMessage.user("Hi")).build())) {
 *     for (MessageChunk c : chunks) System.out.print(c.text());
 * }
 * }</pre>
 *
 * <p>Authorization, one of: a Bedrock API key, sent as {@code Authorization: Bearer} ({@link
 * Builder#apiKey}, {@value #BEARER_TOKEN_ENV}); or AWS credentials ({@link Builder#credentials}),
 * each attempt signed with Signature Version 4 for the service {@code bedrock} in the client's
 * region. The key wins when both are given, as in AWS's SDKs. Neither appears in {@link #toString()},
 * messages or logs. The model id is URL-encoded into the path ({@code :} as {@code %3A}).
 *
 * <p>Failures: an HTTP error is an {@link dev.sluice.ApiException} whose {@code errorType()} is the
 * {@code x-amzn-ErrorType} header's type ({@code ValidationException}, {@code ThrottlingException},
 * {@code AccessDeniedException}, ...), its message the body's, its request id {@code x-amzn-RequestId};
 * an exception frame in the stream is one of its {@code :exception-type} ({@code inStream()} true),
 * thrown after the events before it. Throttling, service-unavailable and internal-server exceptions
 * before any content are retried like a 429 or 5xx. A body that ends before {@code messageStop}
 * is an {@link dev.sluice.IncompleteStreamException}.
 *
 * <p>Threading: thread-safe; each call starts its own stream. {@link #close()} cancels the open
 * streams, then closes the {@link java.net.http.HttpClient} if the client created it.
 */
public final class BedrockClient implements ChatProvider, AutoCloseable {
    // Threading: configuration is final; the open streams and the closed flag live in core (see ClientCore).

    /** The environment variable holding a Bedrock API key (a bearer token). */
    public static final String BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";
    /** The environment variable holding the Bedrock runtime endpoint. */
    public static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
    /** The region used when none is given or found in the endpoint. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final System.Logger LOG = System.getLogger(BedrockClient.class.getName());
    private static final Pattern REGIONAL_HOST = Pattern.compile("bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private final URI baseUrl;
    private final Map<String, String> headers;
    private final ClientCore core;
    private final BedrockStreamDecoding.Protocol protocol;
    private final StructuredOutputMode structuredOutput;
    /** The SigV4 seam: called for each attempt, so that a credential chain's refreshed credentials are used; null with a bearer token. */
    private final Supplier<AwsCredentials> credentials;
    private final SigV4Signer signer;

    private BedrockClient(ClientOptions options, String region, Supplier<AwsCredentials> credentials) {
        this.core = new ClientCore("BedrockClient", "sluice-bedrock-", LOG, "x-amzn-RequestId",
                BedrockStreamDecoding.ERRORS, options);
        this.baseUrl = core.baseUrl();
        Optional<String> key = options.apiKey();
        this.credentials = key.isPresent() ? null : credentials;
        this.headers = core.headers(key.map(k -> Map.of("authorization", "Bearer " + k)).orElse(Map.of()));
        this.signer = new SigV4Signer(region != null ? region : regionOf(baseUrl), "bedrock", Clock.systemUTC());
        this.protocol = new BedrockStreamDecoding.Protocol(InstantSource.system(), core.streamOptions().nanoTime());
        this.structuredOutput = options.structuredOutput();
    }

    /** {@return a builder; a key or credentials are required (not for an endpoint on loopback)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment, as AWS's SDKs read it} {@code AWS_REGION}
     * (else {@code AWS_DEFAULT_REGION}); {@value #ENDPOINT_ENV} (else {@code AWS_ENDPOINT_URL});
     * {@value #BEARER_TOKEN_ENV}; {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
     * {@code AWS_SESSION_TOKEN}.
     *
     * @throws IllegalStateException if neither a key nor credentials are set and the endpoint is not on loopback
     * @throws IllegalArgumentException if a variable holds an invalid value; the message names it
     */
    public static BedrockClient fromEnv() {
        return builder().fromEnv().build();
    }

    /**
     * Streams Bedrock's own events for a neutral request, under the client's stream options; see
     * {@link #converseStream(ChatRequest, StreamController)}.
     *
     * @param request the request (mapped to the Converse body as {@link #stream(ChatRequest, StreamController)} maps it)
     * @return the running stream, to be closed
     * @throws dev.sluice.SluiceException if the request fails before streaming starts (after retries)
     * @throws IllegalStateException if the client is closed
     * @throws IllegalArgumentException if a tool call's arguments are not a JSON object
     */
    public ConverseStream converseStream(ChatRequest request) {
        return converseStream(request, StreamController.create());
    }

    /**
     * Sends the request to {@code converse-stream} and returns as soon as the response headers have
     * arrived, the stream yielding Bedrock's {@link ConverseEvent}s. Connection failures and
     * retryable statuses (408, 409, 429, 5xx) are retried per the client's retry policy, as is a
     * throttling, service-unavailable or internal-server exception frame before any content; once
     * content has been delivered nothing is retried.
     *
     * @param request the request
     * @param controller this stream's controller, not used by another stream
     * @return the running stream, to be closed
     * @throws dev.sluice.SluiceException if the request fails before streaming starts (after retries)
     * @throws IllegalStateException if the client is closed or the controller belongs to another stream
     * @throws IllegalArgumentException if a tool call's arguments are not a JSON object
     */
    public ConverseStream converseStream(ChatRequest request, StreamController controller) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        String body = ConverseRequests.of(request, structuredOutput);
        AtomicLong sentNanos = new AtomicLong();
        return ConverseStream.open(call(request.model(), body, controller, sentNanos), request.model(),
                core.streamOptions().nanoTime(), sentNanos::get);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a tool call's arguments are not a JSON object
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        String body = ConverseRequests.of(request, structuredOutput);
        AtomicLong sentNanos = new AtomicLong();
        BedrockChunks chunks = new BedrockChunks(request.model(), sentNanos::get);
        return core.chatStream(call(request.model(), body, controller, sentNanos), chunks::map);
    }

    private StreamingCall.Builder<BedrockEvent> call(String model, String body, StreamController controller, AtomicLong sentNanos) {
        core.requireOpen();
        URI uri = streamUri(baseUrl, model);
        LOG.log(System.Logger.Level.DEBUG, () -> "converse-stream: POST " + uri + ", " + body.length() + " chars");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return core.streamingCall(protocol, controller, model, () -> {
            sentNanos.set(controller.options().nanoTime().getAsLong());
            Map<String, String> h = headers;
            if (credentials != null) { // signed per attempt: the date, and credentials that may have been refreshed
                h = new HashMap<>(headers);
                h.putAll(signer.sign("POST", uri, Map.of("content-type", List.of("application/json")), bytes,
                        credentials.get()).asMap());
                h.put("content-type", "application/json");
            }
            return HttpPost.json(uri, h, body);
        });
    }

    /**
     * {@return the URI of a model's ConverseStream endpoint}
     *
     * @throws IllegalArgumentException if the model is blank
     */
    static URI streamUri(URI baseUrl, String model) {
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        String path = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(ClientCore.withoutTrailingSlash(baseUrl) + "/model/" + path + "/converse-stream");
    }

    /** {@return the region of a regional endpoint's host, else the default} */
    static String regionOf(URI endpoint) {
        Matcher m = REGIONAL_HOST.matcher(endpoint.getHost() == null ? "" : endpoint.getHost());
        return m.matches() ? m.group(1) : DEFAULT_REGION;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<dev.sluice.client.RateLimits> rateLimits() {
        return core.rateLimits();
    }

    /** {@return whether a stream opened now would be refused without a request: the breaker is open or the concurrency limit full} Any thread. */
    @Override
    public boolean refusesNewStreams() {
        return core.refusesNewStreams();
    }

    /** {@return the state of the client's concurrency limit and circuit breaker now} Any thread. */
    public dev.sluice.client.ResilienceMetrics resilienceMetrics() {
        return core.resilienceMetrics();
    }

    /**
     * Cancels every open stream of this client, then closes the HttpClient if this client created
     * it. Idempotent, safe from any thread; later calls to stream methods throw
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        core.close();
    }

    /** Shows the configuration, never the key or the credentials. */
    @Override
    public String toString() {
        return core.describe("baseUrl=" + baseUrl + ", region=" + signer.region() + ", auth="
                + (credentials != null ? "sigv4" : "bearer"));
    }

    /**
     * Builds a {@link BedrockClient}: the settings every client has (see {@link ClientSettings}),
     * with the API key as Bedrock's bearer token, plus {@link #region} and {@link #credentials}. The
     * base URL is the runtime endpoint, {@code https://bedrock-runtime.{region}.amazonaws.com} by
     * default. {@link #header} refuses {@code authorization}, {@code content-type}, {@code accept}
     * and the {@code x-amz-} signing headers. Each setter checks its argument at once (never showing
     * a secret); {@link #build()} says what is missing. Not thread-safe.
     */
    public static final class Builder extends ClientSettings<Builder> {
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");
        private String region;
        private Supplier<AwsCredentials> credentials;

        private Builder() {
            super("https://bedrock-runtime." + DEFAULT_REGION + ".amazonaws.com", BEARER_TOKEN_ENV, ENDPOINT_ENV,
                    Set.of("authorization", "content-type", "accept", "x-amz-date", "x-amz-security-token",
                            "x-amz-content-sha256"),
                    "use apiKey(..) for a bearer token or credentials(..) to sign requests");
        }

        /**
         * Sets the region: requests are signed for it, and the base URL becomes its endpoint,
         * {@code https://bedrock-runtime.{region}.amazonaws.com} (call {@link #baseUrl} after this
         * for another endpoint).
         *
         * @param region such as {@code us-east-1}
         * @return this builder
         * @throws IllegalArgumentException if it is not a region's name
         */
        public Builder region(String region) {
            Objects.requireNonNull(region, "region");
            if (!REGION.matcher(region).matches()) throw new IllegalArgumentException("region is not a region's name: " + region);
            this.region = region;
            return baseUrl("https://bedrock-runtime." + region + ".amazonaws.com");
        }

        /**
         * Signs requests with these long-term credentials (SigV4), when no API key is given.
         *
         * @param accessKeyId the access key id
         * @param secretAccessKey the secret access key
         * @return this builder
         * @throws IllegalArgumentException if either is blank
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            return credentials(accessKeyId, secretAccessKey, null);
        }

        /**
         * Signs requests with these temporary credentials (SigV4), when no API key is given.
         *
         * @param accessKeyId the access key id
         * @param secretAccessKey the secret access key
         * @param sessionToken the session token, or null for long-term credentials
         * @return this builder
         * @throws IllegalArgumentException if the key id or secret is blank
         */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            AwsCredentials c = new AwsCredentials(accessKeyId, secretAccessKey, sessionToken);
            this.credentials = () -> c;
            return this;
        }

        /**
         * Reads the environment (see {@link BedrockClient#fromEnv()}), each variable when set.
         *
         * @return this builder
         * @throws IllegalArgumentException if a variable holds an invalid value
         */
        public Builder fromEnv() {
            return fromEnv(System.getenv());
        }

        Builder fromEnv(Map<String, String> env) {
            String r = nonBlank(env.get("AWS_REGION"));
            if (r == null) r = nonBlank(env.get("AWS_DEFAULT_REGION"));
            if (r != null) region(r);
            String general = nonBlank(env.get("AWS_ENDPOINT_URL"));
            if (general != null && nonBlank(env.get(ENDPOINT_ENV)) == null) baseUrl(general);
            readEnv(env);
            String id = nonBlank(env.get("AWS_ACCESS_KEY_ID"));
            String secret = nonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
            if (id != null && secret != null) credentials(id, secret, nonBlank(env.get("AWS_SESSION_TOKEN")));
            return this;
        }

        private static String nonBlank(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        /**
         * {@return the client} Without a key or credentials, one whose endpoint is on loopback (a
         * fake server's) sends a placeholder bearer token.
         *
         * @throws IllegalStateException if neither a key nor credentials were given and the endpoint
         *     is not on loopback, or both {@link #httpClient} and {@link #connectTimeout} were
         */
        public BedrockClient build() {
            if (credentials != null) return new BedrockClient(complete(false), region, credentials);
            try {
                return new BedrockClient(complete(), region, null);
            } catch (IllegalStateException e) {
                if (!e.getMessage().startsWith("apiKey is required")) throw e;
                throw new IllegalStateException("credentials are required: call apiKey(..) with a Bedrock API key or set "
                        + BEARER_TOKEN_ENV + ", or call credentials(..) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                        + " (an endpoint on loopback, such as a fake server's, needs none)", e);
            }
        }
    }
}
