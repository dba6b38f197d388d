package dev.sluice.aws;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.aws.AwsAuth;
import dev.sluice.internal.low.aws.AwsCredentials;
import dev.sluice.internal.low.aws.AwsCredentialsChain;
import dev.sluice.internal.low.aws.AwsCredentialsSource;
import dev.sluice.internal.low.aws.AwsRegions;
import dev.sluice.internal.low.aws.AwsSettings;
import dev.sluice.internal.low.aws.BedrockHost;
import dev.sluice.internal.low.aws.CachedCredentials;
import dev.sluice.internal.low.aws.SigV4Auth;
import dev.sluice.internal.low.aws.SigV4Signer;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.RequestAuth;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to reach Amazon Bedrock: the region, the endpoint, and how each request is authorized —
 * a Bedrock API key ({@code Authorization: Bearer}), or AWS Signature Version 4 with credentials from
 * the AWS SDK's default chain, from an application's own {@link AwsCredentialsProvider}, or fixed
 * keys. One value serves every way Sluice calls Bedrock: {@link dev.sluice.bedrock.BedrockClient} (the
 * Converse API), Claude's Messages API ({@code AnthropicClient.builder().bedrock(access)}) and OpenAI's
 * Chat Completions and Responses ({@code OpenAiClient.builder().bedrock(access)}).
 *
 * <p>Bedrock answers on two hosts
 * (<a href="https://docs.aws.amazon.com/bedrock/latest/userguide/endpoints.html">AWS's endpoints page</a>):
 * {@code bedrock-runtime.REGION.amazonaws.com}, requests signed for the service {@code bedrock}
 * (Converse, InvokeModel, and OpenAI's APIs under {@code /openai/v1}), and
 * {@code bedrock-mantle.REGION.api.aws}, signed for {@code bedrock-mantle} (OpenAI's APIs, and
 * Anthropic's Messages under {@code /anthropic/v1/messages}). An access is at one of them: the runtime
 * host as built, the mantle host as {@link #mantle()} gives it, with the same region and authorization.
 *
 * <pre>{@code
 * AwsAccess aws = AwsAccess.fromEnv();                       // as the AWS SDK finds them
 * AwsAccess mantle = aws.mantle();                           // the same, at bedrock-mantle
 * AwsAccess pinned = AwsAccess.builder().region("eu-west-1")  // or explicitly
 *         .credentials(myProvider).build();
 * }</pre>
 *
 * <p>{@link #fromEnv()} reads what the AWS SDK for Java 2.x reads, in its order (docs/aws-credentials.md
 * lists each setting): the Bedrock API key {@code AWS_BEARER_TOKEN_BEDROCK}; else the default
 * credential chain (system properties, {@code AWS_ACCESS_KEY_ID}..., web identity, the profile,
 * the container endpoint, IMDSv2). Nothing is fetched while an {@code AwsAccess} is built: the
 * chain is walked, and a provider asked, at the first request; credentials that expire are fetched
 * again ahead of it, one fetch shared by concurrent requests. When none are found, that request
 * fails with a {@link CredentialsException} that lists what was tried and says what to set.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the region, the endpoint and the kind of
 * authorization, never a key, a secret or a token.
 */
public final class AwsAccess {
    /** The environment variable holding a Bedrock API key (a bearer token). */
    public static final String BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";
    /** The service name requests to the runtime host are signed for. */
    public static final String SIGNING_NAME = "bedrock";
    /** The service name requests to the mantle host are signed for. */
    public static final String MANTLE_SIGNING_NAME = "bedrock-mantle";
    /** The environment variable with the runtime host's endpoint, as the AWS SDKs read it. */
    public static final String RUNTIME_ENDPOINT_ENV = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
    /** The environment variable with the mantle host's endpoint, as the AWS SDKs read it. */
    public static final String MANTLE_ENDPOINT_ENV = "AWS_ENDPOINT_URL_BEDROCK_MANTLE";
    /** The region a custom endpoint that names none is signed for. */
    static final String ENDPOINT_DEFAULT_REGION = "us-east-1";

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");
    private static final Pattern REGIONAL_HOST = Pattern.compile(
            "(?:.+\\.)?bedrock-runtime(?:-fips)?\\.([a-z]{2}(?:-[a-z0-9]+)+-[0-9]+)\\.(?:vpce\\.)?amazonaws\\.com(?:\\.cn)?"
                    + "|(?:.+\\.)?bedrock-mantle\\.([a-z]{2}(?:-[a-z0-9]+)+-[0-9]+)\\.api\\.aws");

    private final String region;
    private final String regionSource;
    private final BedrockHost host;
    private final URI runtimeEndpoint;
    private final URI mantleEndpoint;
    private final String auth; // what toString shows
    private final @Nullable RequestAuth bearer; // the API key's header; null without one
    private final @Nullable AwsCredentialsSource source; // null with an API key
    private final RequestAuth requestAuth; // this host's: the bearer, or SigV4 for its signing name

    private AwsAccess(
            String region,
            String regionSource,
            BedrockHost host,
            URI runtimeEndpoint,
            URI mantleEndpoint,
            String auth,
            @Nullable RequestAuth bearer,
            @Nullable AwsCredentialsSource source) {
        this.region = region;
        this.regionSource = regionSource;
        this.host = host;
        this.runtimeEndpoint = runtimeEndpoint;
        this.mantleEndpoint = mantleEndpoint;
        this.auth = auth;
        this.bearer = bearer;
        this.source = source;
        this.requestAuth = bearer != null
                ? bearer
                : new SigV4Auth(
                        new SigV4Signer(region, host.signingName(), Clock.systemUTC()),
                        Objects.requireNonNull(source, "a source without an API key"));
    }

    private AwsAccess with(
            String region, String regionSource, BedrockHost host, URI runtimeEndpoint, URI mantleEndpoint) {
        if (region.equals(this.region)
                && host == this.host
                && runtimeEndpoint.equals(this.runtimeEndpoint)
                && mantleEndpoint.equals(this.mantleEndpoint)) return this;
        return new AwsAccess(region, regionSource, host, runtimeEndpoint, mantleEndpoint, auth, bearer, source);
    }

    /**
     * {@return this access at another endpoint of its host, authorized as this one is: the same API
     * key, or the same credentials signing for the region given}
     *
     * @param region the region to sign for, or null for the region the endpoint's host names
     *     ({@code us-east-1} for a host that names none, such as a fake server's)
     * @param endpoint the endpoint of this access's host (Bedrock Runtime's, or Mantle's for {@link #mantle()}'s)
     * @throws IllegalArgumentException if the region is not a region's name
     */
    public AwsAccess at(@Nullable String region, URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String from = GIVEN;
        if (region == null) {
            region = regionOf(endpoint);
            from = regionSourceOf(endpoint);
        } else if (!REGION.matcher(region).matches())
            throw new IllegalArgumentException("region is not a region's name: " + region);
        return host == BedrockHost.RUNTIME
                ? with(region, from, host, endpoint, mantleEndpoint)
                : with(region, from, host, runtimeEndpoint, endpoint);
    }

    /**
     * {@return this access at Bedrock's mantle host, {@code bedrock-mantle.REGION.api.aws}: the same
     * region and authorization (the same API key, or the same credentials signing for the service
     * {@value #MANTLE_SIGNING_NAME}), at the mantle endpoint {@link #fromEnv()} read
     * ({@value #MANTLE_ENDPOINT_ENV}, else {@code AWS_ENDPOINT_URL}, else the profile's
     * {@code endpoint_url}) or the builder's {@link Builder#mantleEndpoint}, else the region's}
     * Itself when it is at the mantle host already.
     */
    public AwsAccess mantle() {
        return with(region, regionSource, BedrockHost.MANTLE, runtimeEndpoint, mantleEndpoint);
    }

    /** {@return this access at Bedrock's runtime host, as built (itself when it is there already)} */
    public AwsAccess runtime() {
        return with(region, regionSource, BedrockHost.RUNTIME, runtimeEndpoint, mantleEndpoint);
    }

    /** {@return whether this access is at the mantle host ({@link #mantle()}), rather than the runtime host} */
    public boolean isMantle() {
        return host == BedrockHost.MANTLE;
    }

    /** {@return the service name requests are signed for: {@value #SIGNING_NAME} at the runtime host, {@value #MANTLE_SIGNING_NAME} at the mantle host} */
    public String signingName() {
        return host.signingName();
    }

    /**
     * {@return the access the environment configures, as the AWS SDK for Java 2.x reads it} The
     * region: {@code aws.region} / {@code AWS_REGION}, the profile's {@code region}, then
     * {@code AWS_DEFAULT_REGION} (which the AWS CLI reads and the SDK does not), then, with an
     * endpoint configured, the region its host names (else {@code us-east-1}), else the instance
     * metadata service's (unless {@code AWS_EC2_METADATA_DISABLED} is true). The endpoint:
     * {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, else {@code AWS_ENDPOINT_URL}, else the profile's
     * {@code endpoint_url}, else {@code https://bedrock-runtime.REGION.amazonaws.com}; the mantle
     * host's ({@link #mantle()}): {@code AWS_ENDPOINT_URL_BEDROCK_MANTLE}, else the same two, else
     * {@code https://bedrock-mantle.REGION.api.aws}. The
     * authorization: {@value #BEARER_TOKEN_ENV} when set, else SigV4 over the default credential
     * chain, walked at the first request.
     *
     * @throws IllegalStateException if no region is found; the message says what to set
     * @throws IllegalArgumentException if a setting holds an invalid value; the message names it
     * @throws CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static AwsAccess fromEnv() {
        return fromEnv(AwsSettings.system(Http.TRANSPORT));
    }

    /**
     * {@return the access these variables configure, read as {@link #fromEnv()} reads the process's
     * environment} For settings kept elsewhere than the environment (a job's options, a test); no
     * system property is read.
     *
     * @param environment the variables, by name
     * @throws IllegalStateException if no region is found; the message says what to set
     * @throws IllegalArgumentException if a setting holds an invalid value; the message names it
     * @throws CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static AwsAccess fromEnv(Map<String, String> environment) {
        return fromEnv(new AwsSettings(Map.copyOf(environment), Map.of(), Clock.systemUTC(), Http.TRANSPORT));
    }

    /** As {@link #fromEnv()}, over the settings given (tests inject theirs). */
    static AwsAccess fromEnv(AwsSettings settings) {
        Optional<String> endpointUrl = AwsRegions.configuredEndpoint(settings, BedrockHost.RUNTIME)
                .or(() -> AwsRegions.configuredEndpoint(settings, BedrockHost.MANTLE));
        String region;
        String from;
        Optional<String> configured = AwsRegions.configuredRegion(settings);
        Optional<String> cli = AwsRegions.variable(settings, "AWS_DEFAULT_REGION");
        Optional<String> instance;
        if (configured.isPresent()) {
            region = configured.get();
            from = AwsRegions.configuredRegionSource(settings);
        } else if (cli.isPresent()) {
            region = cli.get();
            from = "from AWS_DEFAULT_REGION";
        } else if (endpointUrl.isPresent()) {
            URI url = parseEndpoint(endpointUrl.get(), "the configured endpoint");
            region = regionOf(url);
            from = regionSourceOf(url);
        } else if ((instance = AwsRegions.instanceRegion(settings)).isPresent()) {
            region = instance.get();
            from = "from the instance metadata service";
        } else {
            throw new IllegalStateException("no AWS region is configured: set AWS_REGION (or the"
                    + " profile's region, or AWS_ENDPOINT_URL_BEDROCK_RUNTIME or AWS_ENDPOINT_URL_BEDROCK_MANTLE"
                    + " to an endpoint)");
        }
        Builder b = builder()
                .settings(settings)
                .region(region)
                .regionSource(from)
                .endpoint(AwsRegions.endpoint(settings, region, BedrockHost.RUNTIME))
                .mantleEndpoint(AwsRegions.endpoint(settings, region, BedrockHost.MANTLE));
        AwsAuth a = AwsAuth.bedrock(settings);
        if (a instanceof AwsAuth.Bearer bearer) b.apiKey(bearer.token());
        return b.build();
    }

    /** {@return a builder: a region or an endpoint is required; without credentials, the default chain} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the region requests are signed for, such as {@code us-east-1}} */
    public String region() {
        return region;
    }

    /**
     * {@return where {@link #region()} came from, as an error that may come of it says: {@code from
     * AWS_REGION}, {@code from the aws.region system property}, {@code from the AWS profile 'dev'},
     * {@code from AWS_DEFAULT_REGION}, {@code from the endpoint's host}, {@code from the instance metadata
     * service}, {@code as given in code}; or, for an endpoint whose host names no region with none
     * configured, {@code the default for an endpoint whose host names no region, ...}} A request sent
     * for the wrong region is refused with a 403 ({@code Credential should be scoped to a valid region}),
     * whose message then ends with {@code (sent for region us-east-1, } and this {@code )}.
     */
    public String regionSource() {
        return regionSource;
    }

    /**
     * {@return the endpoint of this access's host: Bedrock Runtime's, such as
     * {@code https://bedrock-runtime.us-east-1.amazonaws.com}, or for {@link #mantle()}'s,
     * {@code https://bedrock-mantle.us-east-1.api.aws}}
     */
    public URI endpoint() {
        return host == BedrockHost.RUNTIME ? runtimeEndpoint : mantleEndpoint;
    }

    /**
     * {@return the headers that authorize this request to this access's host} {@code Authorization:
     * Bearer} with an API key; else the SigV4 headers, for {@link #signingName()} ({@code Authorization}, {@code X-Amz-Date},
     * {@code X-Amz-Security-Token} with temporary credentials), signed now over the method, the URI,
     * the content type and the body with the credentials valid now. For a client that calls
     * Bedrock on its own; Sluice's clients call it for each attempt of each request.
     *
     * @param method the HTTP method, such as {@code POST}
     * @param uri the request's URI, on {@link #endpoint()}
     * @param contentType the {@code content-type} header the request carries, or null for none
     * @param body the request's body (UTF-8), empty for none
     * @throws CredentialsException if no credentials can be found or fetched; the message says what to set
     */
    public Map<String, String> authorization(String method, URI uri, @Nullable String contentType, String body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("content-type", contentType);
        return requestAuth.headers(new HttpPost(uri, headers, body, null, null, method));
    }

    /** Shows the region, the endpoint, the signing name and the kind of authorization; never a key, secret or token. */
    @Override
    public String toString() {
        return "AwsAccess[region=" + region + ", endpoint=" + endpoint()
                + (host == BedrockHost.MANTLE ? ", service=" + MANTLE_SIGNING_NAME : "") + ", auth=" + auth + "]";
    }

    /** {@return the region a Bedrock Runtime or Mantle endpoint's host names, else {@code us-east-1}} */
    static String regionOf(URI endpoint) {
        Matcher m = REGIONAL_HOST.matcher(endpoint.getHost() == null ? "" : endpoint.getHost());
        if (!m.matches()) return ENDPOINT_DEFAULT_REGION;
        return m.group(1) != null ? m.group(1) : Objects.requireNonNull(m.group(2), "one of the two matched");
    }

    /** {@return where {@link #regionOf} found the endpoint's region, as {@link #regionSource()} says it} */
    private static String regionSourceOf(URI endpoint) {
        return REGIONAL_HOST
                        .matcher(endpoint.getHost() == null ? "" : endpoint.getHost())
                        .matches()
                ? "from the endpoint's host"
                : "the default for an endpoint whose host names no region, with no region configured: set AWS_REGION"
                        + " or the profile's region";
    }

    /** What {@link #regionSource()} says of a region set in code. */
    private static final String GIVEN = "as given in code";

    private static URI parseEndpoint(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a valid URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    what + " is not an http(s) URL without user information, query or fragment: " + uri.getScheme()
                            + "://" + uri.getHost());
        }
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    /**
     * The transport the default chain fetches credentials with (STS, container endpoint, IMDS): one for
     * the process, created at first use, never closed (an access has no close). Blocking HTTP/1.1
     * unless a proxy is configured: it holds no thread, and closes an idle connection after 30 s.
     */
    private static final class Http {
        static final HttpTransport TRANSPORT =
                HttpTransport.builder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Builds an {@link AwsAccess}, at the runtime host ({@link AwsAccess#mantle()} gives the same at
     * the mantle host). A region is required, or an endpoint (then the region its host names, else
     * {@code us-east-1}, is signed for). Authorization: {@link #apiKey} wins when given, as
     * in AWS's SDKs; else {@link #credentials(AwsCredentialsProvider)} or fixed keys; else the default
     * credential chain over this process's environment, walked at the first request. Each setter
     * checks its argument at once, never showing a secret. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable String region;
        private String regionSource = GIVEN;
        private @Nullable URI endpoint;
        private @Nullable URI mantleEndpoint;
        private @Nullable String apiKey;
        private @Nullable AwsCredentialsSource source;
        private @Nullable String sourceKind; // set with source
        private @Nullable AwsSettings settings;

        private Builder() {}

        /**
         * Sets the region.
         *
         * @param region the region, such as {@code us-east-1}; the endpoint defaults to its
         *     {@code https://bedrock-runtime.REGION.amazonaws.com}
         * @return this builder
         * @throws IllegalArgumentException if it is not a region's name
         */
        public Builder region(String region) {
            Objects.requireNonNull(region, "region");
            String r = region.strip();
            if (!REGION.matcher(r).matches()) throw new IllegalArgumentException("region is not a region's name: " + r);
            this.region = r;
            return this;
        }

        /** Where the region came from, for {@link AwsAccess#regionSource()}; default given in code. */
        Builder regionSource(String source) {
            this.regionSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Sets the endpoint.
         *
         * @param endpoint the Bedrock Runtime endpoint (a VPC endpoint, a proxy, a test's fake), without a path
         *     after the host beyond a base path
         * @return this builder
         * @throws IllegalArgumentException if it is not an http(s) URL without user information, query or fragment
         */
        public Builder endpoint(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            this.endpoint = parseEndpoint(endpoint.toString(), "endpoint");
            return this;
        }

        /**
         * Sets the endpoint from its text.
         *
         * @param endpoint as {@link #endpoint(URI)}
         * @return this builder
         * @throws IllegalArgumentException as {@link #endpoint(URI)}
         */
        public Builder endpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            this.endpoint = parseEndpoint(endpoint, "endpoint");
            return this;
        }

        /**
         * Sets the mantle host's endpoint, where {@link AwsAccess#mantle()} sends requests.
         *
         * @param endpoint Bedrock Mantle's endpoint (a VPC endpoint, a proxy, a test's fake), without a
         *     path after the host beyond a base path; default {@code https://bedrock-mantle.REGION.api.aws}
         * @return this builder
         * @throws IllegalArgumentException if it is not an http(s) URL without user information, query or fragment
         */
        public Builder mantleEndpoint(URI endpoint) {
            Objects.requireNonNull(endpoint, "mantleEndpoint");
            this.mantleEndpoint = parseEndpoint(endpoint.toString(), "mantleEndpoint");
            return this;
        }

        /**
         * Sets the mantle host's endpoint from its text.
         *
         * @param endpoint as {@link #mantleEndpoint(URI)}
         * @return this builder
         * @throws IllegalArgumentException as {@link #mantleEndpoint(URI)}
         */
        public Builder mantleEndpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "mantleEndpoint");
            this.mantleEndpoint = parseEndpoint(endpoint, "mantleEndpoint");
            return this;
        }

        /**
         * Authorizes with a Bedrock API key, {@code Authorization: Bearer KEY} (as
         * {@value AwsAccess#BEARER_TOKEN_ENV}); it wins over credentials.
         *
         * @param apiKey the key
         * @return this builder
         * @throws IllegalArgumentException if it is blank or holds a control character
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank()) throw new IllegalArgumentException("apiKey must not be blank");
            if (HttpPost.hasControlCharacter(apiKey))
                throw new IllegalArgumentException("apiKey contains a control character (a line break?)");
            this.apiKey = apiKey.strip();
            return this;
        }

        /**
         * Signs with the credentials an application's own provider gives, cached and asked for
         * again ahead of their expiration (see {@link AwsCredentialsProvider}).
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder credentials(AwsCredentialsProvider provider) {
            Objects.requireNonNull(provider, "provider");
            this.source = CachedCredentials.provided(() -> fetch(provider), Clock.systemUTC());
            this.sourceKind = "sigv4 (provider)";
            return this;
        }

        /**
         * Signs with these long-term credentials.
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
         * Signs with these credentials, temporary ones with their session token.
         *
         * @param accessKeyId the access key id
         * @param secretAccessKey the secret access key
         * @param sessionToken the session token, or null for long-term credentials
         * @return this builder
         * @throws IllegalArgumentException if the key id or the secret is blank, or the token is blank
         */
        public Builder credentials(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            AwsCredentials c = new AwsCredentials(accessKeyId, secretAccessKey, sessionToken);
            this.source = () -> c;
            this.sourceKind = "sigv4 (static key " + c.accessKeyId() + ")";
            return this;
        }

        /**
         * Signs with the credentials of the AWS SDK's default chain (the default without
         * {@link #apiKey} or credentials), walked at the first request.
         *
         * @return this builder
         */
        public Builder defaultCredentials() {
            this.source = null;
            this.sourceKind = null;
            return this;
        }

        /** The settings the default chain reads (tests inject theirs); default this process's. */
        Builder settings(AwsSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * {@return the access} Nothing is fetched.
         *
         * @throws IllegalStateException if neither a region nor an endpoint was given
         */
        public AwsAccess build() {
            if (region == null && endpoint == null && mantleEndpoint == null) {
                throw new IllegalStateException(
                        "a region is required: call region(..) (or endpoint(..)), or use AwsAccess.fromEnv()");
            }
            String r = region != null
                    ? region
                    : regionOf(Objects.requireNonNull(endpoint != null ? endpoint : mantleEndpoint, "checked above"));
            String from = region != null
                    ? regionSource
                    : regionSourceOf(Objects.requireNonNull(endpoint != null ? endpoint : mantleEndpoint, "checked"));
            URI e = endpoint != null ? endpoint : URI.create(BedrockHost.RUNTIME.defaultEndpoint(r));
            URI m = mantleEndpoint != null ? mantleEndpoint : URI.create(BedrockHost.MANTLE.defaultEndpoint(r));
            if (apiKey != null) {
                Map<String, String> header = Map.of("authorization", "Bearer " + apiKey);
                RequestAuth bearer = new RequestAuth() {
                    @Override
                    public Map<String, String> headers(HttpPost post) {
                        return header;
                    }

                    @Override
                    public String toString() {
                        return "Bearer[<redacted>]";
                    }
                };
                return new AwsAccess(r, from, BedrockHost.RUNTIME, e, m, "api key", bearer, null);
            }
            AwsCredentialsSource s = source;
            String kind;
            if (s == null) {
                s = AwsCredentialsChain.defaults(settings != null ? settings : AwsSettings.system(Http.TRANSPORT));
                kind = "sigv4 (default chain)";
            } else {
                kind = Objects.requireNonNull(sourceKind, "set with source");
            }
            return new AwsAccess(r, from, BedrockHost.RUNTIME, e, m, kind, null, s);
        }

        private static Expiring<AwsCredentials> fetch(AwsCredentialsProvider provider) {
            AwsCredentialsProvider.Credentials c;
            try {
                c = provider.credentials();
            } catch (CredentialsException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CredentialsException(
                        CredentialsException.Kind.FAILED,
                        "the AwsCredentialsProvider failed (" + e.getClass().getSimpleName() + ")",
                        e);
            }
            if (c == null) {
                throw new CredentialsException(
                        CredentialsException.Kind.FAILED, "the AwsCredentialsProvider returned null", null);
            }
            return new Expiring<>(
                    new AwsCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()), c.expiration());
        }
    }
}
