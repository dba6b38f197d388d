package dev.sluice.azure;

import dev.sluice.client.AccessTokenProvider;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.low.auth.AzureCredentials;
import dev.sluice.internal.low.auth.CachingTokenSource;
import dev.sluice.internal.low.auth.Environment;
import dev.sluice.internal.low.auth.TokenSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where and how a client reaches a Microsoft Azure resource: Azure OpenAI
 * ({@code OpenAiClient.builder().azure(access)}, the v1 API at {@code {endpoint}/openai/v1/...}) or
 * Claude on Microsoft Foundry ({@code AnthropicClient.builder().foundry(access)}, at
 * {@code {endpoint}/v1/messages}). It holds the endpoint and one way of authorizing: the resource's
 * API key (sent as {@code api-key} to Azure OpenAI, {@code x-api-key} to Foundry), or Microsoft
 * Entra ID bearer tokens ({@code Authorization: Bearer}) for the scope
 * {@value AzureAccess#COGNITIVE_SERVICES_SCOPE}.
 *
 * <pre>{@code
 * AzureAccess openAi = AzureAccess.fromEnv();          // AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY or Entra ID
 * AzureAccess foundry = AzureAccess.foundryFromEnv();  // ANTHROPIC_FOUNDRY_RESOURCE or _BASE_URL, ANTHROPIC_FOUNDRY_API_KEY or Entra ID
 * AzureAccess own = AzureAccess.builder().endpoint("https://my-resource.openai.azure.com")
 *         .tokenProvider(myTokens).build();           // the application's own credentials object
 * }</pre>
 *
 * <p>Entra ID credentials from the environment are found as azure-identity's
 * {@code DefaultAzureCredential} finds them, in its order: a client secret ({@code AZURE_TENANT_ID},
 * {@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}, at {@code AZURE_AUTHORITY_HOST}), workload
 * identity ({@code AZURE_FEDERATED_TOKEN_FILE} with the tenant and client), a managed identity
 * ({@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}, else the virtual machine's metadata
 * service). Nothing is fetched until the first request; tokens are cached and refreshed five minutes
 * before they expire (azure-core's margins), one refresh shared by every stream of every client built
 * with this access. A failed token request is a {@link dev.sluice.CredentialsException} saying what
 * the token endpoint said and what to check.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the endpoint and the kind of
 * authorization, never a key or a token.
 */
public final class AzureAccess {
    /** The Entra ID scope of Azure OpenAI and of Foundry's models (also what Claude on Foundry takes). */
    public static final String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
    /** The environment variable holding the Azure OpenAI resource's endpoint, as the OpenAI and Azure SDKs read it. */
    public static final String OPENAI_ENDPOINT_ENV = "AZURE_OPENAI_ENDPOINT";
    /** The environment variable holding the Azure OpenAI resource's API key. */
    public static final String OPENAI_API_KEY_ENV = "AZURE_OPENAI_API_KEY";
    /** The environment variable naming Claude on Foundry's resource, as Anthropic's SDKs read it. */
    public static final String FOUNDRY_RESOURCE_ENV = "ANTHROPIC_FOUNDRY_RESOURCE";
    /** The environment variable holding Claude on Foundry's base URL ({@code https://my-resource.services.ai.azure.com/anthropic}). */
    public static final String FOUNDRY_BASE_URL_ENV = "ANTHROPIC_FOUNDRY_BASE_URL";
    /** The environment variable holding Claude on Foundry's API key. */
    public static final String FOUNDRY_API_KEY_ENV = "ANTHROPIC_FOUNDRY_API_KEY";

    private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

    private final URI endpoint;
    private final @Nullable String apiKey; // null: bearer tokens
    private final @Nullable AccessTokenProvider tokens; // null: the API key
    private final String description;

    private AzureAccess(
            URI endpoint, @Nullable String apiKey, @Nullable AccessTokenProvider tokens, String description) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.tokens = tokens;
        this.description = description;
    }

    /**
     * {@return the access to Azure OpenAI the environment names, as the OpenAI and Azure SDKs read
     * it} {@code AZURE_OPENAI_ENDPOINT} (such as {@code https://my-resource.openai.azure.com}), and
     * {@code AZURE_OPENAI_API_KEY}, else Entra ID credentials (see the class description).
     *
     * @throws IllegalStateException if {@code AZURE_OPENAI_ENDPOINT} is not set, or the Entra ID
     *     variables are incomplete (the message names them, never a value)
     * @throws IllegalArgumentException if a URL variable is not an http(s) URL
     */
    public static AzureAccess fromEnv() {
        return builder().fromEnv().build();
    }

    /**
     * {@return the access to Azure OpenAI these variables name, read as {@link #fromEnv()} reads the
     * process's environment} For settings kept elsewhere than the environment (a job's options, a test).
     *
     * @param environment the variables, by name ({@value #OPENAI_ENDPOINT_ENV}, {@value #OPENAI_API_KEY_ENV},
     *     Entra ID's)
     * @throws IllegalStateException as {@link #fromEnv()}
     * @throws IllegalArgumentException as {@link #fromEnv()}
     */
    public static AzureAccess fromEnv(Map<String, String> environment) {
        return builder().environment(environment).fromEnv().build();
    }

    /**
     * {@return the access to Claude on Microsoft Foundry the environment names, as Anthropic's SDKs
     * read it} {@code ANTHROPIC_FOUNDRY_RESOURCE} (the endpoint is then
     * {@code https://{resource}.services.ai.azure.com/anthropic}) or {@code ANTHROPIC_FOUNDRY_BASE_URL},
     * and {@code ANTHROPIC_FOUNDRY_API_KEY}, else Entra ID credentials (see the class description).
     *
     * @throws IllegalStateException if both or neither of {@code ANTHROPIC_FOUNDRY_RESOURCE} and
     *     {@code ANTHROPIC_FOUNDRY_BASE_URL} are set, or the Entra ID variables are incomplete
     * @throws IllegalArgumentException if the resource is not a resource name or a URL is not an http(s) URL
     */
    public static AzureAccess foundryFromEnv() {
        return builder().foundryFromEnv().build();
    }

    /**
     * {@return the access to Claude on Microsoft Foundry these variables name, read as
     * {@link #foundryFromEnv()} reads the process's environment}
     *
     * @param environment the variables, by name ({@value #FOUNDRY_RESOURCE_ENV} or {@value #FOUNDRY_BASE_URL_ENV},
     *     {@value #FOUNDRY_API_KEY_ENV}, Entra ID's)
     * @throws IllegalStateException as {@link #foundryFromEnv()}
     * @throws IllegalArgumentException as {@link #foundryFromEnv()}
     */
    public static AzureAccess foundryFromEnv(Map<String, String> environment) {
        return builder().environment(environment).foundryFromEnv().build();
    }

    /** {@return a builder: an endpoint and one way of authorizing are required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the endpoint, without a trailing slash: the resource's (Azure OpenAI) or the Anthropic base URL (Foundry)} */
    public URI endpoint() {
        return endpoint;
    }

    /** {@return the resource's API key, when requests carry one (a secret: never log it)} */
    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /**
     * {@return the bearer tokens requests carry instead of a key: cached, refreshed five minutes
     * before they expire} Its {@code token()} throws {@link dev.sluice.CredentialsException} when no
     * token can be had.
     */
    public Optional<AccessTokenProvider> tokens() {
        return Optional.ofNullable(tokens);
    }

    /** {@return the endpoint and the kind of authorization, never a secret} */
    @Override
    public String toString() {
        return "AzureAccess[endpoint=" + endpoint + ", " + description + "]";
    }

    /**
     * Builds an {@link AzureAccess}. Each setter checks its argument at once and names it in the
     * message (never showing a key). Of {@link #apiKey}, {@link #tokenProvider} and
     * {@link #defaultCredentials}, the last called wins. Not thread-safe.
     */
    public static final class Builder {
        private @Nullable URI endpoint;
        private String endpointSource = "endpoint(..)";
        private @Nullable String apiKey;
        private @Nullable AccessTokenProvider provider;
        private boolean entra;
        private String scope = COGNITIVE_SERVICES_SCOPE;
        private @Nullable HttpClient httpClient;
        private @Nullable Map<String, String> environment; // null: the process's
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Sets the endpoint.
         *
         * @param url the Azure OpenAI resource's endpoint ({@code https://my-resource.openai.azure.com};
         *     {@code /openai/v1} is appended unless it ends so), or Foundry's Anthropic base URL
         *     ({@code https://my-resource.services.ai.azure.com/anthropic}); a fake's on loopback in tests
         * @return this builder
         * @throws IllegalArgumentException if not an absolute http(s) URL, or it has a query, fragment or user info
         */
        public Builder endpoint(String url) {
            this.endpoint = checkedUrl(url, "endpoint");
            this.endpointSource = "endpoint(..)";
            return this;
        }

        /**
         * Sets the endpoint to Claude on a Microsoft Foundry resource's, as Anthropic's SDKs make it
         * from {@value AzureAccess#FOUNDRY_RESOURCE_ENV}: {@code https://{resource}.services.ai.azure.com/anthropic}.
         *
         * @param resource the resource's name (letters, digits and hyphens; stripped, lower-cased)
         * @return this builder
         * @throws IllegalArgumentException if it is not a resource's name
         */
        public Builder foundryResource(String resource) {
            this.endpoint = foundryEndpoint(resource, "resource");
            this.endpointSource = "foundryResource(..)";
            return this;
        }

        /**
         * Authorizes with the resource's API key.
         *
         * @param key the key, stripped
         * @return this builder
         * @throws IllegalArgumentException if blank or holding a control character
         */
        public Builder apiKey(String key) {
            this.apiKey = checkedKey(key, "apiKey");
            this.provider = null;
            this.entra = false;
            return this;
        }

        /**
         * Authorizes with the application's own Entra ID tokens (an azure-identity
         * {@code TokenCredential} behind a few lines: docs/clouds.md). Sluice caches each token and
         * asks again five minutes before it expires.
         *
         * @param provider the tokens, for the scope {@value AzureAccess#COGNITIVE_SERVICES_SCOPE}
         * @return this builder
         */
        public Builder tokenProvider(AccessTokenProvider provider) {
            this.provider = Objects.requireNonNull(provider, "tokenProvider");
            this.apiKey = null;
            this.entra = false;
            return this;
        }

        /**
         * Authorizes with Entra ID credentials found in the environment as azure-identity's
         * {@code DefaultAzureCredential} finds them (client secret, workload identity, managed identity).
         *
         * @return this builder
         */
        public Builder defaultCredentials() {
            this.entra = true;
            this.apiKey = null;
            this.provider = null;
            return this;
        }

        /**
         * Sets the Entra ID scope.
         *
         * @param scope the Entra ID scope of the tokens {@link #defaultCredentials()} asks for;
         *     default {@value AzureAccess#COGNITIVE_SERVICES_SCOPE} (Foundry also takes {@code https://ai.azure.com/.default})
         * @return this builder
         * @throws IllegalArgumentException if it does not end in {@code /.default}
         */
        public Builder scope(String scope) {
            Objects.requireNonNull(scope, "scope");
            if (!scope.endsWith("/.default") || scope.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("scope must be a resource followed by /.default: " + scope);
            }
            this.scope = scope;
            return this;
        }

        /**
         * Sets the HTTP client of the token requests.
         *
         * @param client the client token requests of {@link #defaultCredentials()} go through; it must
         *     not follow redirects; the application closes it. Default: a transport of the access's
         *     own, blocking HTTP/1.1 on the requesting thread (the JDK's client when a proxy is
         *     configured), redirects never followed
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /**
         * Reads Azure OpenAI's settings: {@code AZURE_OPENAI_ENDPOINT}, and {@code AZURE_OPENAI_API_KEY},
         * else {@link #defaultCredentials()}.
         *
         * @return this builder
         * @throws IllegalStateException if {@code AZURE_OPENAI_ENDPOINT} is not set
         * @throws IllegalArgumentException if it is not an http(s) URL
         */
        public Builder fromEnv() {
            Environment env = environment();
            this.endpoint = checkedUrl(
                    env.get(OPENAI_ENDPOINT_ENV)
                            .orElseThrow(() -> new IllegalStateException(
                                    "AZURE_OPENAI_ENDPOINT is not set: set it to the resource's endpoint, such as"
                                            + " https://my-resource.openai.azure.com")),
                    OPENAI_ENDPOINT_ENV);
            this.endpointSource = OPENAI_ENDPOINT_ENV;
            Optional<String> key = env.get(OPENAI_API_KEY_ENV);
            if (key.isPresent()) {
                this.apiKey = checkedKey(key.get(), OPENAI_API_KEY_ENV);
                this.provider = null;
                this.entra = false;
            } else {
                defaultCredentials();
            }
            return this;
        }

        /**
         * Reads Claude on Foundry's settings as Anthropic's SDKs do: {@code ANTHROPIC_FOUNDRY_RESOURCE}
         * ({@code https://{resource}.services.ai.azure.com/anthropic}) or
         * {@code ANTHROPIC_FOUNDRY_BASE_URL}, and {@code ANTHROPIC_FOUNDRY_API_KEY}, else
         * {@link #defaultCredentials()}.
         *
         * @return this builder
         * @throws IllegalStateException if both or neither of the resource and the base URL are set
         * @throws IllegalArgumentException if the resource is not a resource name or the base URL not an http(s) URL
         */
        public Builder foundryFromEnv() {
            Environment env = environment();
            Optional<String> resource = env.get(FOUNDRY_RESOURCE_ENV);
            Optional<String> base = env.get(FOUNDRY_BASE_URL_ENV);
            if (resource.isPresent() == base.isPresent()) {
                throw new IllegalStateException("set one of ANTHROPIC_FOUNDRY_RESOURCE (the resource's name) and"
                        + " ANTHROPIC_FOUNDRY_BASE_URL (such as https://my-resource.services.ai.azure.com/anthropic)"
                        + (resource.isPresent() ? ", not both" : ": neither is set"));
            }
            if (resource.isPresent()) {
                this.endpoint = foundryEndpoint(resource.get(), FOUNDRY_RESOURCE_ENV);
                this.endpointSource = FOUNDRY_RESOURCE_ENV;
            } else {
                this.endpoint = checkedUrl(base.get(), FOUNDRY_BASE_URL_ENV);
                this.endpointSource = FOUNDRY_BASE_URL_ENV;
            }
            Optional<String> key = env.get(FOUNDRY_API_KEY_ENV);
            if (key.isPresent()) {
                this.apiKey = checkedKey(key.get(), FOUNDRY_API_KEY_ENV);
                this.provider = null;
                this.entra = false;
            } else {
                defaultCredentials();
            }
            return this;
        }

        /** The environment variables read (by {@link #fromEnv()}, {@link #foundryFromEnv()} and Entra ID) in place of the process's. */
        Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        /** The clock tokens' expiries are compared with; for tests. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private Environment environment() {
            return environment == null
                    ? Environment.current()
                    : Environment.current().withVariables(environment);
        }

        /**
         * {@return the access} With {@link #defaultCredentials()}, the environment is read now
         * (no token is requested until the first request).
         *
         * @throws IllegalStateException if no endpoint or no way of authorizing was given, or the
         *     Entra ID variables are incomplete or name a credential Sluice does not read (the
         *     message names the variables, never a value)
         * @throws IllegalArgumentException if an Entra ID URL variable is not an http(s) URL, or
         *     the HTTP client follows redirects
         */
        public AzureAccess build() {
            if (endpoint == null) {
                throw new IllegalStateException(
                        "endpoint is required: call endpoint(..), or fromEnv() with AZURE_OPENAI_ENDPOINT"
                                + " set, or foundryFromEnv() with ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL set");
            }
            if (apiKey != null) return new AzureAccess(endpoint, apiKey, null, "api key");
            if (provider != null) {
                TokenSource source = new ProvidedTokens(provider, "AzureAccess");
                return new AzureAccess(
                        endpoint,
                        null,
                        new AzureTokens(
                                new CachingTokenSource(source, CachingTokenSource.AZURE, clock),
                                "the application's AccessTokenProvider"),
                        "Entra ID tokens of the application's AccessTokenProvider");
            }
            if (!entra) {
                throw new IllegalStateException("no authorization given: call apiKey(..), tokenProvider(..) or"
                        + " defaultCredentials() (the endpoint came from " + endpointSource + ")");
            }
            // without a caller's client, a transport of the credentials' own: blocking HTTP/1.1 unless a proxy is
            // configured, redirects never followed. An access has no close, and needs none: that transport holds
            // no thread, and closes a connection left idle after 30 s (find closes it when it throws)
            HttpClient client = httpClient;
            AzureCredentials credentials = client != null
                    ? AzureCredentials.find(environment(), client, clock, scope)
                    : AzureCredentials.find(environment(), http -> {}, clock, scope);
            String which = credentials.toString();
            return new AzureAccess(endpoint, null, new AzureTokens(credentials.tokens(), which), "Entra ID: " + which);
        }

        /** {@return Claude on the Foundry resource's endpoint} @throws IllegalArgumentException naming {@code name} */
        private static URI foundryEndpoint(String resource, String name) {
            String r = Objects.requireNonNull(resource, name).strip();
            if (!RESOURCE.matcher(r).matches()) {
                throw new IllegalArgumentException(
                        name + " is not a resource's name (letters, digits and hyphens): '" + resource + "'");
            }
            return URI.create("https://" + r.toLowerCase(Locale.ROOT) + ".services.ai.azure.com/anthropic");
        }

        private static URI checkedUrl(String url, String name) {
            Objects.requireNonNull(url, name);
            String s = url.strip();
            URI uri;
            try {
                uri = new URI(s);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(name + " is not a valid URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an absolute http or https URL with a host, such as"
                        + " https://my-resource.openai.azure.com: " + url);
            }
            if (uri.getRawUserInfo() != null) throw new IllegalArgumentException(name + " must not contain user info");
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(name + " must not have a query or fragment: " + url);
            }
            while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
            return URI.create(s);
        }

        private static String checkedKey(String key, String name) {
            Objects.requireNonNull(key, name);
            if (key.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
            String k = key.strip();
            if (k.chars().anyMatch(c -> c < ' ' || c == 127)) {
                throw new IllegalArgumentException(name + " contains a control character (a line break?)");
            }
            return k;
        }
    }
}
