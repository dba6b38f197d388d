package dev.sluice.aws;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.aws.AwsAuth;
import dev.sluice.internal.low.aws.AwsCredentials;
import dev.sluice.internal.low.aws.AwsCredentialsChain;
import dev.sluice.internal.low.aws.AwsCredentialsSource;
import dev.sluice.internal.low.aws.AwsRegions;
import dev.sluice.internal.low.aws.AwsSettings;
import dev.sluice.internal.low.aws.CachedCredentials;
import dev.sluice.internal.low.aws.SigV4Auth;
import dev.sluice.internal.low.aws.SigV4Signer;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.RequestAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to reach Amazon Bedrock Runtime: the region, the endpoint, and how each request is authorized —
 * a Bedrock API key ({@code Authorization: Bearer}), or AWS Signature Version 4 (service
 * {@code bedrock}) with credentials from the AWS SDK's default chain, from an application's own
 * {@link AwsCredentialsProvider}, or fixed keys. One value serves both ways Sluice calls Bedrock:
 * {@link dev.sluice.bedrock.BedrockClient} (the Converse API) and Claude's Messages API through Bedrock
 * ({@code AnthropicClient.builder().bedrock(access)}).
 *
 * <pre>{@code
 * AwsAccess aws = AwsAccess.fromEnv();                       // as the AWS SDK finds them
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
    /** The service name requests are signed for. */
    public static final String SIGNING_NAME = "bedrock";
    /** The region a custom endpoint that names none is signed for. */
    static final String ENDPOINT_DEFAULT_REGION = "us-east-1";

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");
    private static final Pattern REGIONAL_HOST = Pattern.compile(
            "(?:.+\\.)?bedrock-runtime(?:-fips)?\\.([a-z]{2}(?:-[a-z0-9]+)+-[0-9]+)\\.(?:vpce\\.)?amazonaws\\.com(?:\\.cn)?");

    private final String region;
    private final String regionSource;
    private final URI endpoint;
    private final String auth; // what toString shows
    private final RequestAuth requestAuth;
    private final @Nullable AwsCredentialsSource source; // null with an API key

    private AwsAccess(
            String region,
            String regionSource,
            URI endpoint,
            String auth,
            RequestAuth requestAuth,
            @Nullable AwsCredentialsSource source) {
        this.region = region;
        this.regionSource = regionSource;
        this.endpoint = endpoint;
        this.auth = auth;
        this.requestAuth = requestAuth;
        this.source = source;
    }

    /**
     * {@return this access at another endpoint, authorized as this one is: the same API key, or the
     * same credentials signing for the region given}
     *
     * @param region the region to sign for, or null for the region the endpoint's host names
     *     ({@code us-east-1} for a host that names none, such as a fake server's)
     * @param endpoint the Bedrock Runtime endpoint
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
        if (region.equals(this.region) && endpoint.equals(this.endpoint)) return this;
        RequestAuth a = source == null
                ? requestAuth
                : new SigV4Auth(new SigV4Signer(region, SIGNING_NAME, Clock.systemUTC()), source);
        return new AwsAccess(region, from, endpoint, auth, a, source);
    }

    /**
     * {@return the access the environment configures, as the AWS SDK for Java 2.x reads it} The
     * region: {@code aws.region} / {@code AWS_REGION}, the profile's {@code region}, then
     * {@code AWS_DEFAULT_REGION} (which the AWS CLI reads and the SDK does not), then, with an
     * endpoint configured, the region its host names (else {@code us-east-1}), else the instance
     * metadata service's (unless {@code AWS_EC2_METADATA_DISABLED} is true). The endpoint:
     * {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, else {@code AWS_ENDPOINT_URL}, else the profile's
     * {@code endpoint_url}, else {@code https://bedrock-runtime.REGION.amazonaws.com}. The
     * authorization: {@value #BEARER_TOKEN_ENV} when set, else SigV4 over the default credential
     * chain, walked at the first request.
     *
     * @throws IllegalStateException if no region is found; the message says what to set
     * @throws IllegalArgumentException if a setting holds an invalid value; the message names it
     * @throws CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static AwsAccess fromEnv() {
        return fromEnv(AwsSettings.system(Http.CLIENT));
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
        return fromEnv(new AwsSettings(Map.copyOf(environment), Map.of(), Clock.systemUTC(), Http.CLIENT));
    }

    /** As {@link #fromEnv()}, over the settings given (tests inject theirs). */
    static AwsAccess fromEnv(AwsSettings settings) {
        Optional<String> endpointUrl = AwsRegions.configuredBedrockRuntimeEndpoint(settings);
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
                    + " profile's region, or AWS_ENDPOINT_URL_BEDROCK_RUNTIME to an endpoint)");
        }
        Builder b = builder()
                .settings(settings)
                .region(region)
                .regionSource(from)
                .endpoint(AwsRegions.bedrockRuntimeEndpoint(settings, region));
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

    /** {@return the Bedrock Runtime endpoint, such as {@code https://bedrock-runtime.us-east-1.amazonaws.com}} */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * {@return the headers that authorize this request to Bedrock Runtime} {@code Authorization:
     * Bearer} with an API key; else the SigV4 headers ({@code Authorization}, {@code X-Amz-Date},
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

    /** Shows the region, the endpoint and the kind of authorization; never a key, secret or token. */
    @Override
    public String toString() {
        return "AwsAccess[region=" + region + ", endpoint=" + endpoint + ", auth=" + auth + "]";
    }

    /** {@return the region a Bedrock Runtime endpoint's host names, else {@code us-east-1}} */
    static String regionOf(URI endpoint) {
        Matcher m = REGIONAL_HOST.matcher(endpoint.getHost() == null ? "" : endpoint.getHost());
        return m.matches() ? m.group(1) : ENDPOINT_DEFAULT_REGION;
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
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
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

    /** The client the default chain fetches credentials with (STS, container endpoint, IMDS): created at first use. */
    private static final class Http {
        static final HttpClient CLIENT =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Builds an {@link AwsAccess}. A region is required, or an endpoint (then the region its host
     * names, else {@code us-east-1}, is signed for). Authorization: {@link #apiKey} wins when given, as
     * in AWS's SDKs; else {@link #credentials(AwsCredentialsProvider)} or fixed keys; else the default
     * credential chain over this process's environment, walked at the first request. Each setter
     * checks its argument at once, never showing a secret. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable String region;
        private String regionSource = GIVEN;
        private @Nullable URI endpoint;
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

        /** Where the region came from, for {@link AwsAccess#regionSource()}; default given in code. */
        Builder regionSource(String source) {
            this.regionSource = Objects.requireNonNull(source, "source");
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
            if (region == null && endpoint == null) {
                throw new IllegalStateException(
                        "a region is required: call region(..) (or endpoint(..)), or use AwsAccess.fromEnv()");
            }
            String r = region != null ? region : regionOf(Objects.requireNonNull(endpoint, "checked above"));
            String from = region != null ? regionSource : regionSourceOf(Objects.requireNonNull(endpoint, "checked"));
            URI e = endpoint != null
                    ? endpoint
                    : URI.create("https://bedrock-runtime." + r
                            + (r.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
            if (apiKey != null) {
                Map<String, String> header = Map.of("authorization", "Bearer " + apiKey);
                return new AwsAccess(
                        r,
                        from,
                        e,
                        "api key",
                        new RequestAuth() {
                            @Override
                            public Map<String, String> headers(HttpPost post) {
                                return header;
                            }

                            @Override
                            public String toString() {
                                return "Bearer[<redacted>]";
                            }
                        },
                        null);
            }
            AwsCredentialsSource s = source;
            String kind;
            if (s == null) {
                s = AwsCredentialsChain.defaults(settings != null ? settings : AwsSettings.system(Http.CLIENT));
                kind = "sigv4 (default chain)";
            } else {
                kind = Objects.requireNonNull(sourceKind, "set with source");
            }
            return new AwsAccess(
                    r, from, e, kind, new SigV4Auth(new SigV4Signer(r, SIGNING_NAME, Clock.systemUTC()), s), s);
        }

        private static CachedCredentials.Expiring fetch(AwsCredentialsProvider provider) {
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
            return new CachedCredentials.Expiring(
                    new AwsCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()), c.expiration());
        }
    }
}
