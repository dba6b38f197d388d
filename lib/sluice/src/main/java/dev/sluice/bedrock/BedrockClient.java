package dev.sluice.bedrock;

import dev.sluice.aws.AwsAccess;
import dev.sluice.call.AbstractProviderClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.ClientSettings;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.low.aws.AwsCredentials;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.aws.AwsRegions;
import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.internal.low.json.JsonValues;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
 *              .model("us.anthropic.claude-sonnet-5-5").addMessage(ChatMessage.user("Hi")).build())) {
 *     for (MessageChunk c : chunks) System.out.print(c.text());
 * }
 * }</pre>
 *
 * <p>Where and how: an {@link AwsAccess} ({@link Builder#access}; {@link #fromEnv()} reads it as the
 * AWS SDK does): the region, the endpoint, and the authorization — a Bedrock API key, sent as
 * {@code Authorization: Bearer} ({@link Builder#apiKey}, {@value #BEARER_TOKEN_ENV}); or AWS
 * credentials (the default chain, an {@link dev.sluice.aws.AwsCredentialsProvider}, or {@link Builder#credentials}
 * keys), each attempt, retries and continuations included, signed with Signature Version 4 for the
 * service {@code bedrock} in the client's region. The key wins when both are given, as in AWS's
 * SDKs. Neither appears in {@link #toString()}, messages or logs; missing credentials are a
 * {@link dev.sluice.CredentialsException} at the first request, saying what to set. The model id is
 * URL-encoded into the path ({@code :} as {@code %3A}).
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
public final class BedrockClient extends AbstractProviderClient {
    // Threading: configuration is final; the open streams and the closed flag live in core (see ClientCore).

    /** The environment variable holding a Bedrock API key (a bearer token). */
    public static final String BEARER_TOKEN_ENV = AwsAccess.BEARER_TOKEN_ENV;
    /** The environment variable holding the Bedrock runtime endpoint. */
    public static final String ENDPOINT_ENV = AwsAccess.RUNTIME_ENDPOINT_ENV;

    /**
     * The longest AWS event-stream frame a stream from Bedrock Runtime takes, 2 MiB: what Bedrock sends,
     * with room (its largest frames carry a {@code PayloadPart} of at most 1,000,000 bytes, 1,333,336 in
     * base64). A longer frame ends the stream with a {@link dev.sluice.LimitExceededException} naming
     * {@code maxFrameBytes}, as soon as its first 12 bytes arrive. Decoding a frame holds it once, and
     * its text as a string.
     */
    public static final int MAX_FRAME_BYTES = EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES;
    /** The region used when none is given or found in the endpoint. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final System.Logger LOG = System.getLogger(BedrockClient.class.getName());

    private final URI baseUrl;
    private final Map<String, String> headers;
    private final ClientCore core;
    private final StreamProtocol<BedrockEvent> protocol;
    private final StructuredOutputMode structuredOutput;
    private final AwsAccess access;
    private final Map<String, Object>
            requestFields; // guardrailConfig, serviceTier, performanceConfig, requestMetadata, extra: sent with every
    // request

    private BedrockClient(ClientOptions options, AwsAccess access, Map<String, Object> requestFields) {
        // the access authorizes each attempt (a bearer key, or SigV4 with the credentials valid then)
        this(
                options,
                access,
                requestFields,
                new ClientCore(
                        "BedrockClient",
                        "sluice-bedrock-",
                        LOG,
                        AwsJsonErrors.REQUEST_ID_HEADER,
                        BedrockStreamDecoding.ERRORS,
                        options,
                        RequestAuth.signing(
                                access::authorization,
                                access,
                                AwsRegions.refusalNote(access.region(), access.regionSource()))));
    }

    private BedrockClient(ClientOptions options, AwsAccess access, Map<String, Object> requestFields, ClientCore core) {
        super(core);
        this.core = core;
        this.requestFields = Collections.unmodifiableMap(new LinkedHashMap<>(requestFields));
        this.baseUrl = core.baseUrl();
        this.access = access;
        this.headers = core.headers(Map.of());
        this.protocol = StreamProtocol.of(
                new BedrockStreamDecoding.Frames(
                        InstantSource.system(), core.streamOptions().nanoTime()),
                BedrockStreamDecoding.RULES);
        this.structuredOutput = options.structuredOutput();
    }

    /** {@return a builder; without a key or credentials, requests are signed with the default chain's} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a client configured from the environment, as the AWS SDK reads it: {@link AwsAccess#fromEnv()}}
     *
     * @throws IllegalStateException if no region is configured
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
        String body = BedrockRequests.of(request, structuredOutput, requestFields);
        AtomicLong sentNanos = new AtomicLong();
        return ConverseStream.open(
                call(request.model(), body, controller, sentNanos, protocol),
                request.model(),
                core.streamOptions().nanoTime(),
                sentNanos::get);
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
        String body = BedrockRequests.of(request, structuredOutput, requestFields);
        AtomicLong sentNanos = new AtomicLong();
        BedrockChunks chunks = new BedrockChunks(request.model(), sentNanos::get);
        StreamProtocol<BedrockEvent> neutral = protocol.leavingOut(BedrockChunks::leftOut);
        return core.chatStream(call(request.model(), body, controller, sentNanos, neutral), chunks::map);
    }

    private StreamingCall.Builder<BedrockEvent> call(
            String model,
            String body,
            StreamController controller,
            AtomicLong sentNanos,
            StreamProtocol<BedrockEvent> protocol) {
        core.requireOpen();
        URI uri = streamUri(baseUrl, model);
        LOG.log(System.Logger.Level.DEBUG, () -> "converse-stream: POST " + uri + ", " + body.length() + " chars");
        LOG.log(System.Logger.Level.TRACE, () -> "request body: " + body);
        return core.streamingCall(protocol, controller, model, () -> {
            sentNanos.set(controller.options().nanoTime().getAsLong());
            return HttpPost.json(uri, headers, body); // the core's RequestAuth signs each attempt
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

    /**
     * {@return the provider this client reaches, by the name {@code --provider}, {@code --fallback}
     * and {@link dev.sluice.providers.ProviderCatalog} give it: {@code bedrock} (the Converse API)}
     */
    @Override
    public String providerName() {
        return BedrockChunks.PROVIDER;
    }

    /** Shows the configuration, never the key or the credentials. */
    @Override
    public String toString() {
        return core.describe("baseUrl=" + baseUrl + ", access=" + access);
    }

    /**
     * Builds a {@link BedrockClient}: the settings every client has (see {@link ClientSettings}),
     * and where and how to reach Bedrock, an {@link AwsAccess} ({@link #access}), or its parts:
     * {@link #region}, {@link #baseUrl} (the endpoint), {@link #apiKey} (a Bedrock API key) and
     * {@link #credentials}, which override the access's. Without a key or credentials, requests are
     * signed with the AWS SDK's default credential chain, walked at the first request. The base URL
     * is {@code https://bedrock-runtime.{region}.amazonaws.com} by default. {@link #header} refuses
     * {@code authorization}, {@code content-type}, {@code accept} and the {@code x-amz-} signing
     * headers. Each setter checks its argument at once (never showing a secret). Not thread-safe.
     */
    public static final class Builder extends ClientSettings<Builder> {
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");
        private static final Pattern METADATA_KEY = Pattern.compile("[a-zA-Z0-9\\s._:/=+$@-]{1,256}");
        private static final Pattern METADATA_VALUE = Pattern.compile("[a-zA-Z0-9\\s._:/=+$@-]{0,256}");
        private static final Pattern GUARDRAIL_ID =
                Pattern.compile("[a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+");
        private @Nullable AwsAccess access;
        private @Nullable String region;
        private @Nullable Keys keys; // null: none given
        private final Map<String, Object> requestFields = new LinkedHashMap<>();

        private record Keys(
                String accessKeyId,
                String secretAccessKey,
                @Nullable String sessionToken) {}

        private Builder() {
            super(
                    "https://bedrock-runtime." + DEFAULT_REGION + ".amazonaws.com",
                    BEARER_TOKEN_ENV,
                    ENDPOINT_ENV,
                    Set.of(
                            "authorization",
                            "content-type",
                            "accept",
                            "x-amz-date",
                            "x-amz-security-token",
                            "x-amz-content-sha256"),
                    "use apiKey(..) for a bearer token or credentials(..) to sign requests");
        }

        /**
         * Reaches Bedrock as the access says: its endpoint becomes the base URL, its region and
         * authorization the client's (a later {@link #region}, {@link #baseUrl}, {@link #apiKey} or
         * {@link #credentials} overrides that part).
         *
         * @param access the region, endpoint and authorization
         * @return this builder
         */
        public Builder access(AwsAccess access) {
            this.access = Objects.requireNonNull(access, "access");
            this.region = null;
            return baseUrl(access.endpoint().toString());
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
            if (!REGION.matcher(region).matches())
                throw new IllegalArgumentException("region is not a region's name: " + region);
            this.region = region;
            return baseUrl("https://bedrock-runtime." + region
                    + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
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
        public Builder credentials(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
            new AwsCredentials(accessKeyId, secretAccessKey, sessionToken); // checks them
            this.keys = new Keys(accessKeyId, secretAccessKey, sessionToken);
            return this;
        }

        /**
         * Has every request checked by a guardrail: {@code "guardrailConfig": {"guardrailIdentifier": ID,
         * "guardrailVersion": V}}, as {@link #guardrail(String, String, String, String)} with neither
         * trace nor processing mode (Bedrock's defaults: no trace, {@code sync}).
         *
         * @param identifier the guardrail's id or ARN
         * @param version its version number or {@code DRAFT}
         * @return this builder
         * @throws IllegalArgumentException as {@link #guardrail(String, String, String, String)}
         */
        public Builder guardrail(String identifier, String version) {
            return guardrail(identifier, version, null, null);
        }

        /**
         * Has every request checked by a guardrail: {@code "guardrailConfig"} as ConverseStream's
         * {@code GuardrailStreamConfiguration} (the AWS SDK's {@code guardrailConfig()} of
         * {@code ConverseStreamRequest}, bedrockruntime 2.57;
         * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailStreamConfiguration.html).
         * A block the guardrail makes ends the stream with stop reason {@code guardrail_intervened}.
         *
         * @param identifier the guardrail's id ({@code [a-z0-9]+}) or ARN
         *     ({@code arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID})
         * @param version its version number ({@code 1} to {@code 99999999}) or {@code DRAFT}
         * @param trace {@code enabled}, {@code disabled} or {@code enabled_full}, or null for Bedrock's default
         * @param streamProcessingMode {@code sync} (content is checked before it is streamed) or
         *     {@code async} (streamed at once, checked meanwhile), or null for Bedrock's default, {@code sync}
         * @return this builder
         * @throws IllegalArgumentException if a value is none the API takes (the message names it)
         */
        public Builder guardrail(
                String identifier, String version, @Nullable String trace, @Nullable String streamProcessingMode) {
            Objects.requireNonNull(identifier, "identifier");
            Objects.requireNonNull(version, "version");
            if (!GUARDRAIL_ID.matcher(identifier).matches()) {
                throw new IllegalArgumentException(
                        "guardrail identifier must be a guardrail's id or ARN: " + identifier);
            }
            if (!version.matches("[1-9][0-9]{0,7}|DRAFT")) {
                throw new IllegalArgumentException("guardrail version must be a version number or DRAFT: " + version);
            }
            if (trace != null && !Set.of("enabled", "disabled", "enabled_full").contains(trace)) {
                throw new IllegalArgumentException(
                        "guardrail trace must be enabled, disabled or enabled_full, not " + trace);
            }
            if (streamProcessingMode != null && !Set.of("sync", "async").contains(streamProcessingMode)) {
                throw new IllegalArgumentException(
                        "guardrail streamProcessingMode must be sync or async, not " + streamProcessingMode);
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("guardrailIdentifier", identifier);
            config.put("guardrailVersion", version);
            if (trace != null) config.put("trace", trace);
            if (streamProcessingMode != null) config.put("streamProcessingMode", streamProcessingMode);
            requestFields.put("guardrailConfig", Collections.unmodifiableMap(config));
            return this;
        }

        /**
         * Sends every request on a service tier: {@code "serviceTier": {"type": T}}, as ConverseStream's
         * {@code ServiceTier} (the AWS SDK's {@code ServiceTierType}, bedrockruntime 2.57;
         * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ServiceTier.html). A
         * model or region without the tier answers a {@code ValidationException}.
         *
         * @param type {@code priority}, {@code default}, {@code flex} or {@code reserved}
         * @return this builder
         * @throws IllegalArgumentException if it is none of the four
         */
        public Builder serviceTier(String type) {
            if (!Set.of("priority", "default", "flex", "reserved").contains(type)) {
                throw new IllegalArgumentException(
                        "serviceTier must be priority, default, flex or reserved, not " + type);
            }
            requestFields.put("serviceTier", Map.of("type", type));
            return this;
        }

        /**
         * Sends every request with a latency profile: {@code "performanceConfig": {"latency": L}}, as
         * ConverseStream's {@code PerformanceConfiguration} (the AWS SDK's {@code
         * PerformanceConfigLatency}, bedrockruntime 2.57;
         * https://docs.aws.amazon.com/bedrock/latest/userguide/latency-optimized-inference.html).
         * {@code optimized} runs the models and regions that offer latency-optimized inference faster;
         * elsewhere Bedrock answers a {@code ValidationException}.
         *
         * @param latency {@code standard} or {@code optimized}
         * @return this builder
         * @throws IllegalArgumentException if it is neither
         */
        public Builder performanceConfig(String latency) {
            if (!Set.of("standard", "optimized").contains(latency))
                throw new IllegalArgumentException(
                        "performanceConfig latency must be standard or optimized, not " + latency);
            requestFields.put("performanceConfig", Map.of("latency", latency));
            return this;
        }

        /**
         * Sends every request with metadata for the invocation logs: {@code "requestMetadata": {K: V,
         * ...}}, as ConverseStream's {@code requestMetadata} (the AWS SDK's {@code requestMetadata()},
         * bedrockruntime 2.57), which model invocation logging records and its filters select by. Keys
         * and values are held to the API reference's pattern ({@code [a-zA-Z0-9\s._:/=+$@-]}, keys 1 to
         * 256 characters, values up to 256;
         * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_RequestMetadataFilters.html). Never
         * put a secret or a person's data in it: it is written to logs.
         *
         * @param metadata the pairs, at least one
         * @return this builder
         * @throws IllegalArgumentException if it is empty, or a key or value breaks the pattern
         */
        public Builder requestMetadata(Map<String, String> metadata) {
            if (metadata.isEmpty()) throw new IllegalArgumentException("requestMetadata must not be empty");
            Map<String, Object> copy = new LinkedHashMap<>();
            metadata.forEach((k, v) -> {
                if (!METADATA_KEY.matcher(k).matches())
                    throw new IllegalArgumentException("a requestMetadata key must be 1 to 256 letters, digits, spaces"
                            + " or ._:/=+$@- characters: '" + k + "'");
                if (!METADATA_VALUE.matcher(v).matches())
                    throw new IllegalArgumentException("the requestMetadata value of " + k + " must be up to 256"
                            + " letters, digits, spaces or ._:/=+$@- characters");
                copy.put(k, v);
            });
            requestFields.put("requestMetadata", Collections.unmodifiableMap(copy));
            return this;
        }

        /**
         * The top-level ConverseStream fields Sluice writes, each with what sets it: {@link #extra} may
         * name none of them.
         */
        private static final Map<String, String> WRITTEN_FIELDS = Map.of(
                "messages", "the ChatRequest's messages",
                "system", "the ChatRequest's system prompt",
                "inferenceConfig", "the ChatRequest's maxTokens, temperature and stop sequences",
                "toolConfig", "the ChatRequest's tools and tool choice",
                "outputConfig", "the ChatRequest's response format",
                "additionalModelRequestFields", "the ChatRequest's effort and thinking budget",
                "guardrailConfig", "guardrail(..)",
                "serviceTier", "serviceTier(..)",
                "performanceConfig", "performanceConfig(..)",
                "requestMetadata", "requestMetadata(..)");

        /**
         * Sends every request with a top-level JSON field this version does not model, such as
         * ConverseStream's {@code "additionalModelResponseFieldPaths": ["/stop_sequence"]} or
         * {@code "promptVariables"}, or a field newer than this version: written after the request's
         * and the client's own fields. The escape the other APIs' requests have
         * ({@code MessageRequest.Builder.extra}, {@code ResponseRequest.Builder.extra},
         * {@code GenerateContentRequest.Builder.extra}); the AWS SDK has none, its request types being
         * generated. Setting the same field again replaces its value. What it carries is sent as set:
         * the model table does not check it.
         *
         * @param field the JSON field name
         * @param value a JSON value of the value model: Map, List, String, Long/Integer, BigInteger,
         *     BigDecimal/Double, Boolean or null
         * @return this builder
         * @throws IllegalArgumentException if the field is blank or one Sluice writes itself (the
         *     message names what sets it: the ChatRequest or this builder's method), or the value is
         *     not a JSON value
         */
        public Builder extra(String field, @Nullable Object value) {
            if (field == null || field.isBlank())
                throw new IllegalArgumentException("field must not be blank: " + field);
            String by = WRITTEN_FIELDS.get(field);
            if (by != null) throw new IllegalArgumentException("field " + field + " is modelled: set it with " + by);
            requestFields.put(field, JsonValues.copy(value, "extra field " + field));
            return this;
        }

        /**
         * Reads the environment as the AWS SDK does: {@link #access}({@link AwsAccess#fromEnv()}).
         *
         * @return this builder
         * @throws IllegalStateException if no region is configured
         * @throws IllegalArgumentException if a variable holds an invalid value
         */
        public Builder fromEnv() {
            return access(AwsAccess.fromEnv());
        }

        /** As {@link #fromEnv()} over these variables (tests), without system properties; the metadata service never asked. */
        Builder fromEnv(Map<String, String> env) {
            Map<String, String> all = new HashMap<>(env);
            all.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
            all.putIfAbsent("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
            all.putIfAbsent("AWS_CONFIG_FILE", "/nonexistent/config");
            return access(AwsAccess.fromEnv(all));
        }

        /**
         * {@return the client} Nothing is fetched: credentials are found at the first request.
         *
         * @throws IllegalStateException if both {@link #httpClient} and {@link #connectTimeout} were given
         */
        public BedrockClient build() {
            ClientOptions options = complete(false);
            URI base = options.baseUrl().orElseThrow();
            String r =
                    region != null ? region : access != null && base.equals(access.endpoint()) ? access.region() : null;
            AwsAccess.Builder b = AwsAccess.builder().endpoint(base);
            if (r != null) b.region(r);
            if (options.apiKey().isPresent()) {
                b.apiKey(options.apiKey().get());
            } else if (keys != null) {
                b.credentials(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
            } else if (access != null) {
                return new BedrockClient(options, access.at(r, base), requestFields);
            }
            return new BedrockClient(options, b.build(), requestFields);
        }
    }
}
