package dev.sluice.internal.low.auth;

import dev.sluice.internal.low.http.HttpTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Entra ID (Azure AD) credentials, found in the environment in the order of azure-identity's
 * {@code DefaultAzureCredential}, for one scope such as {@value #COGNITIVE_SERVICES_SCOPE}:
 * <ol>
 *   <li>{@code EnvironmentCredential}: {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID} and
 *       {@code AZURE_CLIENT_SECRET}, at {@code AZURE_AUTHORITY_HOST} (default
 *       {@value #DEFAULT_AUTHORITY_HOST}); a client certificate ({@code AZURE_CLIENT_CERTIFICATE_PATH})
 *       is refused, naming the variable;</li>
 *   <li>{@code WorkloadIdentityCredential}: {@code AZURE_FEDERATED_TOKEN_FILE} with the tenant and client;</li>
 *   <li>{@code ManagedIdentityCredential}: {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} (App
 *       Service, Functions, Container Apps), else the virtual machine's instance metadata service
 *       ({@code AZURE_POD_IDENTITY_AUTHORITY_HOST}, else {@code http://169.254.169.254}); a user-assigned
 *       identity named by {@code AZURE_CLIENT_ID}. azure-identity probes the metadata service first;
 *       here it is asked only for a token, so off Azure the first token request fails, saying what
 *       to set.</li>
 * </ol>
 * The developer tools' credentials ({@code az}, PowerShell, azd, IDEs) are not read.
 *
 * <p>Tokens are cached with azure-core's margins ({@link CachingTokenSource#AZURE}). Thread-safe.
 * {@link #toString()} says which credential, never a secret.
 */
public final class AzureCredentials implements AutoCloseable {
    /** The scope of Azure OpenAI and the other Cognitive Services. */
    public static final String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
    /** Entra ID's public cloud, when {@code AZURE_AUTHORITY_HOST} is unset. */
    public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com/";
    /** The header of Entra ID's answers that names the request ({@code requestId()} of a failure). */
    static final String REQUEST_ID_HEADER = "x-ms-request-id";

    private final TokenSource tokens;
    private final String description;
    private final TokenEndpoint endpoint;

    private AzureCredentials(TokenSource source, String description, TokenEndpoint endpoint, Clock clock) {
        this.tokens = new CachingTokenSource(source, CachingTokenSource.AZURE, clock);
        this.description = description;
        this.endpoint = endpoint;
    }

    /**
     * {@return the credentials the environment names, for tokens of this scope}
     *
     * @param scope the scope, such as {@value #COGNITIVE_SERVICES_SCOPE}: a resource followed by {@code /.default}
     * @throws IllegalStateException if the variables name an incomplete or unsupported credential
     *     (the message names the variables, never a value)
     * @throws IllegalArgumentException if a URL variable is not an http(s) URL, the tenant is not a
     *     tenant id or domain, the scope does not end in {@code /.default}, or the client follows redirects
     * @param client the caller's client token requests go through; it must not follow redirects, and
     *     is never closed here
     */
    public static AzureCredentials find(Environment environment, HttpClient client, Clock clock, String scope) {
        return find(environment, TokenEndpoint.viaClient(client), clock, scope);
    }

    /**
     * As {@link #find(Environment, HttpClient, Clock, String)}, the token requests through a transport
     * of the credentials' own (blocking HTTP/1.1 unless a proxy is configured), which {@link #close()}
     * closes.
     *
     * @param http how token requests travel, set on that transport's builder (a connect timeout, a TLS
     *     context; nothing for the defaults)
     */
    public static AzureCredentials find(
            Environment environment, Consumer<HttpTransport.Builder> http, Clock clock, String scope) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(scope, "scope");
        if (!scope.endsWith("/.default")) throw new IllegalArgumentException("scope must end in /.default: " + scope);
        TokenEndpoint endpoint = new TokenEndpoint(http, clock, TokenEndpoint.DEFAULT_TIMEOUT, REQUEST_ID_HEADER);
        try {
            return find(environment, endpoint, clock, scope);
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    private static AzureCredentials find(Environment environment, TokenEndpoint endpoint, Clock clock, String scope) {
        Optional<String> tenant = environment.get("AZURE_TENANT_ID");
        Optional<String> clientId = environment.get("AZURE_CLIENT_ID");
        Optional<String> secret = environment.get("AZURE_CLIENT_SECRET");
        if (tenant.isPresent() && clientId.isPresent()) {
            if (secret.isPresent()) {
                URI uri = tokenUri(environment, tenant.get());
                return new AzureCredentials(
                        AzureClientCredential.secret(clientId.get(), secret.get(), uri, scope, endpoint),
                        "the application " + clientId.get() + " with AZURE_CLIENT_SECRET",
                        endpoint,
                        clock);
            }
            if (environment.get("AZURE_CLIENT_CERTIFICATE_PATH").isPresent()) {
                throw new IllegalStateException(
                        "AZURE_CLIENT_CERTIFICATE_PATH is set: Sluice does not sign in with a client"
                                + " certificate; set AZURE_CLIENT_SECRET instead, or use a workload or managed identity");
            }
        } else if (secret.isPresent()) {
            throw new IllegalStateException(
                    "AZURE_CLIENT_SECRET is set without " + (tenant.isPresent() ? "" : "AZURE_TENANT_ID")
                            + (tenant.isEmpty() && clientId.isEmpty() ? " and " : "")
                            + (clientId.isPresent() ? "" : "AZURE_CLIENT_ID")
                            + ": set both to sign in with the secret");
        }
        Optional<String> tokenFile = environment.get("AZURE_FEDERATED_TOKEN_FILE");
        if (tokenFile.isPresent()) {
            if (tenant.isEmpty() || clientId.isEmpty()) {
                throw new IllegalStateException(
                        "AZURE_FEDERATED_TOKEN_FILE is set without AZURE_TENANT_ID and AZURE_CLIENT_ID:"
                                + " workload identity needs all three (the Azure Workload Identity webhook sets them)");
            }
            Path file = Path.of(tokenFile.get());
            return new AzureCredentials(
                    AzureClientCredential.workloadIdentity(
                            clientId.get(), file, tokenUri(environment, tenant.get()), scope, endpoint),
                    "the workload identity of application " + clientId.get() + " (AZURE_FEDERATED_TOKEN_FILE " + file
                            + ")",
                    endpoint,
                    clock);
        }
        String resource = scope.substring(0, scope.length() - "/.default".length());
        String identity = clientId.orElse(null);
        Optional<String> identityEndpoint = environment.get("IDENTITY_ENDPOINT");
        Optional<String> identityHeader = environment.get("IDENTITY_HEADER");
        if (identityEndpoint.isPresent() && identityHeader.isPresent()) {
            if (environment.get("IDENTITY_SERVER_THUMBPRINT").isPresent()) {
                throw new IllegalStateException(
                        "IDENTITY_SERVER_THUMBPRINT is set: Sluice does not read Service Fabric's"
                                + " managed identity; set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET instead");
            }
            return new AzureCredentials(
                    AzureManagedIdentity.appService(
                            identityEndpoint.get(), identityHeader.get(), resource, identity, endpoint),
                    "the managed identity of IDENTITY_ENDPOINT" + (identity == null ? "" : " " + identity),
                    endpoint,
                    clock);
        }
        if (identityEndpoint.isPresent() && environment.get("IMDS_ENDPOINT").isPresent()) {
            throw new IllegalStateException(
                    "IDENTITY_ENDPOINT and IMDS_ENDPOINT are set: Sluice does not read Azure Arc's"
                            + " managed identity; set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET instead");
        }
        String host = environment.get("AZURE_POD_IDENTITY_AUTHORITY_HOST").orElse(AzureManagedIdentity.IMDS_HOST);
        return new AzureCredentials(
                AzureManagedIdentity.instanceMetadata(host, resource, identity, endpoint),
                "the instance metadata service's managed identity" + (identity == null ? "" : " " + identity),
                endpoint,
                clock);
    }

    /** {@return {@code {authority}/{tenant}/oauth2/v2.0/token}} */
    static URI tokenUri(Environment environment, String tenant) {
        if (!tenant.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,254}")) {
            throw new IllegalArgumentException(
                    "AZURE_TENANT_ID is not a tenant id or domain (letters, digits, dots and hyphens)");
        }
        String authority = environment.get("AZURE_AUTHORITY_HOST").orElse(DEFAULT_AUTHORITY_HOST);
        URI uri;
        try {
            uri = new URI(authority);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("AZURE_AUTHORITY_HOST is not a URL: " + authority);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "AZURE_AUTHORITY_HOST is not an http(s) URL without a query: " + authority);
        }
        String base = authority.endsWith("/") ? authority : authority + "/";
        return URI.create(base + tenant + "/oauth2/v2.0/token");
    }

    /** {@return the token source: cached, refreshed 5 min before expiry} */
    public TokenSource tokens() {
        return tokens;
    }

    /** {@return the engine token requests go through, and why the JDK's client when it is} */
    String describeEngine() {
        return endpoint.transport().describeEngine();
    }

    /**
     * Closes the transport of the token requests when the credentials made it ({@link
     * #find(Environment, Consumer, Clock, String)}): its kept-alive connections. A caller's client
     * stays open. Idempotent.
     */
    @Override
    public void close() {
        endpoint.close();
    }

    /** {@return which credential this is, never a secret} */
    @Override
    public String toString() {
        return "AzureCredentials[" + description + "]";
    }
}
