package dev.sluice.vertex;

import dev.sluice.CredentialsException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.CachingTokenSource;
import dev.sluice.internal.low.auth.Environment;
import dev.sluice.internal.low.auth.TokenSource;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a client reaches Google Vertex AI and how its requests are authorized: the project, the
 * location, the base URL, and the OAuth 2.0 access tokens sent as {@code Authorization: Bearer}.
 * The clients take it: {@code GeminiClient.builder().vertex(access)} (Gemini,
 * {@code :streamGenerateContent}) and {@code AnthropicClient.builder().vertex(access)} (Claude,
 * {@code :streamRawPredict}).
 *
 * <pre>{@code
 * VertexAccess vertex = VertexAccess.fromEnv();   // GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION, ADC
 * VertexAccess mine = VertexAccess.builder().project("my-project").location("us-east5")
 *         .tokenProvider(myTokens).build();        // an application's own credentials
 * }</pre>
 *
 * <p>Tokens come from Application Default Credentials, found as google-auth-library finds them
 * ({@code GOOGLE_APPLICATION_CREDENTIALS}: a service account key or a gcloud user file; else gcloud's
 * {@code application_default_credentials.json}; else the metadata server of Google Cloud, at
 * {@code GCE_METADATA_HOST} when set) with the {@code cloud-platform} scope, or from an
 * {@link AccessTokenProvider} given to the builder. Either way they are cached and asked for again
 * 3 min 45 s before they expire, as google-auth does, one request shared by concurrent streams.
 * Nothing is read or sent when it is built: the credentials are looked for, and the project asked of
 * the metadata server when that is where it comes from, the first time a request needs them.
 *
 * <p>The location is {@code global} when none is set, as google-genai (the Gen AI SDK) has it; the
 * base URL is then {@code https://aiplatform.googleapis.com}, and for a region such as
 * {@code us-central1} {@code https://us-central1-aiplatform.googleapis.com}, unless one is given
 * ({@code GOOGLE_VERTEX_BASE_URL}: a private endpoint, a proxy, a fake). Requests go to
 * {@code {base}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the settings and where the tokens come
 * from, never a token or key.
 */
public final class VertexAccess {
    // Threading: every field is final; adc and tokens are thread-safe (see ApplicationDefault, CachingTokenSource).

    /** The environment variable of the project. */
    public static final String PROJECT_ENV = "GOOGLE_CLOUD_PROJECT";
    /** The environment variable of the location. */
    public static final String LOCATION_ENV = "GOOGLE_CLOUD_LOCATION";
    /** The environment variable of the base URL, as google-genai reads it (without the version path). */
    public static final String BASE_URL_ENV = "GOOGLE_VERTEX_BASE_URL";
    /** The location when none is set: google-genai's. */
    public static final String DEFAULT_LOCATION = "global";

    private final @Nullable String project; // null: the credentials'
    private final String location;
    private final URI endpoint;
    private final @Nullable ApplicationDefault adc; // null with an AccessTokenProvider
    private final TokenSource tokens;

    private VertexAccess(Builder b) {
        this.project = b.project;
        this.location = b.location;
        this.endpoint = b.endpoint != null ? b.endpoint : VertexNames.defaultBaseUrl(b.location);
        AccessTokenProvider provider = b.provider;
        if (provider == null) {
            ApplicationDefault found = new ApplicationDefault(b.environment);
            this.adc = found;
            this.tokens = found;
        } else {
            this.adc = null;
            this.tokens = new CachingTokenSource(
                    new ProvidedTokens(provider, "VertexAccess"), CachingTokenSource.GOOGLE, Clock.systemUTC());
        }
    }

    /** {@return a builder: Application Default Credentials and the location {@code global} unless set} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the access the environment describes, as google-genai reads it}
     * {@value #PROJECT_ENV} (else the credentials' project), {@value #LOCATION_ENV} (else
     * {@value #DEFAULT_LOCATION}), {@value #BASE_URL_ENV} (else the location's endpoint), and
     * Application Default Credentials. Nothing is read of the credentials until the first request.
     *
     * @throws CredentialsException of kind {@code INVALID} if a variable is set to something unusable
     */
    public static VertexAccess fromEnv() {
        return fromEnv(Environment.current());
    }

    /**
     * {@return the access these variables describe, read as {@link #fromEnv()} reads the process's
     * environment, Application Default Credentials' variables ({@code GOOGLE_APPLICATION_CREDENTIALS},
     * {@code GCE_METADATA_HOST}) among them} For settings kept elsewhere than the environment (a
     * job's options, a test).
     *
     * @param environment the variables, by name
     * @throws CredentialsException of kind {@code INVALID} if a variable is set to something unusable
     */
    public static VertexAccess fromEnv(Map<String, String> environment) {
        return builder().fromEnv(environment).build();
    }

    static VertexAccess fromEnv(Environment environment) {
        return builder().fromEnv(environment).build();
    }

    private static <T> T envValue(String variable, String value, Function<String, T> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CredentialsException(CredentialsException.Kind.INVALID, variable + ": " + e.getMessage(), null);
        }
    }

    /**
     * {@return the project: the one set, else the credentials'} The first call may read the
     * credentials file or ask the metadata server.
     *
     * @throws CredentialsException if none is set and the credentials name none ({@code NOT_FOUND},
     *     saying to set {@value #PROJECT_ENV}), no credentials are found, or the metadata server
     *     cannot tell it ({@code FAILED})
     */
    public String project() {
        return project != null
                ? project
                : Objects.requireNonNull(adc, "without a project, build() requires ADC")
                        .project();
    }

    /** {@return the location, such as {@code global} or {@code us-central1}} */
    public String location() {
        return location;
    }

    /** {@return the endpoint (the base URL), without the version path or a trailing slash} */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * {@return an access token valid now, from the cache or freshly requested} Blocks while a token
     * is requested (one request shared by concurrent callers).
     *
     * @throws CredentialsException if no credentials are found ({@code NOT_FOUND}), they are
     *     unusable ({@code INVALID}), or the token endpoint or the {@link AccessTokenProvider}
     *     failed ({@code FAILED}, the failure as its cause)
     * @throws StreamInterruptedException if the thread was interrupted while waiting
     */
    public AccessTokenProvider.Token token() {
        AccessToken t = tokens.token();
        return new AccessTokenProvider.Token(t.value(), t.expiresAt());
    }

    /**
     * {@return the URI of a method of a publisher's model:
     * {@code {base}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}}}
     * The model is percent-encoded as a path segment ({@code @} kept, as in
     * {@code claude-sonnet-5-5}); a {@code models/} prefix is tolerated.
     *
     * @param publisher {@code google} (Gemini) or {@code anthropic} (Claude)
     * @param model the model id
     * @param method such as {@code streamGenerateContent} or {@code streamRawPredict}
     * @throws IllegalArgumentException if the publisher or method is not a plain name, or the model is blank
     * @throws CredentialsException as {@link #project()}
     */
    public URI modelUri(String publisher, String model, String method) {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
        if (!publisher.matches("[a-z0-9-]{1,64}")) throw new IllegalArgumentException("not a publisher: " + publisher);
        if (!method.matches("[A-Za-z]{1,64}")) throw new IllegalArgumentException("not a method name: " + method);
        String m = model.startsWith("models/") ? model.substring("models/".length()) : model;
        if (m.isBlank()) throw new IllegalArgumentException("model must not be blank");
        return URI.create(VertexNames.withoutTrailingSlash(endpoint) + "/v1/projects/" + project() + "/locations/"
                + location + "/publishers/" + publisher + "/models/" + VertexNames.pathSegment(m) + ":" + method);
    }

    /** {@return the project (or that it comes from the credentials), the location, the endpoint and where tokens come from; never a secret} */
    @Override
    public String toString() {
        String found = adc == null ? null : adc.knownProject();
        String p = project != null
                ? project
                : found != null ? found + " (from the credentials)" : "(from the credentials)";
        return "VertexAccess[project=" + p + ", location=" + location + ", endpoint=" + endpoint + ", tokens="
                + (adc != null ? adc : "an AccessTokenProvider") + "]";
    }

    /**
     * Builds a {@link VertexAccess}. Each setter checks its argument at once and names it in the
     * message. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable String project;
        private String location = DEFAULT_LOCATION;
        private @Nullable URI endpoint;
        private @Nullable AccessTokenProvider provider;
        private Environment environment = Environment.current();

        private Builder() {}

        /**
         * Sets the project.
         *
         * @param project the Google Cloud project id; default: the credentials' project (a service
         *     account file's {@code project_id}, the metadata server's)
         * @return this builder
         * @throws IllegalArgumentException if it is not a project id
         */
        public Builder project(String project) {
            this.project = checked("project", project, VertexNames::project);
            return this;
        }

        /**
         * Sets the location.
         *
         * @param location a region such as {@code us-central1}, or {@code global} (the default)
         * @return this builder
         * @throws IllegalArgumentException if it is not a location name
         */
        public Builder location(String location) {
            this.location = checked("location", location, VertexNames::location);
            return this;
        }

        /**
         * Sets the endpoint (the base URL).
         *
         * @param endpoint the base URL without the version path, such as a private endpoint, a proxy
         *     or a fake server's; default {@code https://aiplatform.googleapis.com} for {@code global},
         *     else {@code https://{location}-aiplatform.googleapis.com}
         * @return this builder
         * @throws IllegalArgumentException if it is not an http(s) URL without query or fragment
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = checked("endpoint", endpoint, VertexNames::baseUrl);
            return this;
        }

        private static <T> T checked(String name, String value, Function<String, T> check) {
            Objects.requireNonNull(value, name);
            try {
                return check.apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " " + e.getMessage());
            }
        }

        /**
         * Reads the settings these variables give, as {@link VertexAccess#fromEnv()} reads the
         * process's environment: {@value VertexAccess#PROJECT_ENV}, {@value VertexAccess#LOCATION_ENV},
         * {@value VertexAccess#BASE_URL_ENV}, and Application Default Credentials' variables; a
         * setter called after it overrides what it read.
         *
         * @param environment the variables, by name
         * @return this builder
         * @throws CredentialsException of kind {@code INVALID} if a variable is set to something unusable
         */
        public Builder fromEnv(Map<String, String> environment) {
            return fromEnv(Environment.current().withVariables(environment));
        }

        Builder fromEnv(Environment environment) {
            this.environment = environment;
            environment.get(PROJECT_ENV).ifPresent(p -> project = envValue(PROJECT_ENV, p, VertexNames::project));
            environment.get(LOCATION_ENV).ifPresent(l -> location = envValue(LOCATION_ENV, l, VertexNames::location));
            environment.get(BASE_URL_ENV).ifPresent(u -> endpoint = envValue(BASE_URL_ENV, u, VertexNames::baseUrl));
            return this;
        }

        /**
         * Takes the tokens from an application's own credentials instead of Application Default
         * Credentials (see {@code docs/clouds.md} for google-auth-library's {@code GoogleCredentials}).
         * Its tokens are cached and asked for again 3 min 45 s before they expire.
         *
         * @param provider the source of tokens; what it throws becomes a {@link CredentialsException}
         *     ({@code FAILED}) with it as the cause
         * @return this builder
         */
        public Builder tokenProvider(AccessTokenProvider provider) {
            this.provider = Objects.requireNonNull(provider, "tokenProvider");
            return this;
        }

        /**
         * {@return the access}
         *
         * @throws IllegalStateException if a {@link #tokenProvider} was given without a
         *     {@link #project} (only Application Default Credentials can name one)
         */
        public VertexAccess build() {
            if (provider != null && project == null) {
                throw new IllegalStateException("project is required with a tokenProvider: call project(..)"
                        + " (only Application Default Credentials can name the project)");
            }
            return new VertexAccess(this);
        }
    }
}
