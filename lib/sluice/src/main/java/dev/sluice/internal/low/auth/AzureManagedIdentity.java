package dev.sluice.internal.low.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A managed identity's tokens, as azure-identity's {@code ManagedIdentityCredential} requests them:
 * on App Service, Azure Functions and Container Apps ({@code IDENTITY_ENDPOINT} and
 * {@code IDENTITY_HEADER}), {@code GET {IDENTITY_ENDPOINT}?resource=...&api-version=2019-08-01}
 * with {@code X-IDENTITY-HEADER}; on a virtual machine, the instance metadata service,
 * {@code GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...}
 * with {@code Metadata: true}. A user-assigned identity's client id ({@code AZURE_CLIENT_ID}) goes
 * along as {@code client_id}. The answer's {@code expires_on} is in epoch seconds. Immutable; the
 * identity header is never shown.
 */
final class AzureManagedIdentity implements TokenSource {
    static final String APP_SERVICE_API_VERSION = "2019-08-01";
    static final String IMDS_API_VERSION = "2018-02-01";
    static final String IMDS_HOST = "http://169.254.169.254";

    private final URI uri;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final String kind;
    private final TokenEndpoint endpoint;
    private final TokenEndpoint.Purpose purpose;

    private AzureManagedIdentity(
            URI uri,
            Map<String, String> headers,
            List<String> secrets,
            String kind,
            TokenEndpoint endpoint,
            TokenEndpoint.Purpose purpose) {
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.secrets = List.copyOf(secrets);
        this.kind = kind;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.purpose = purpose;
    }

    /**
     * {@return App Service's (and Container Apps') identity endpoint}
     *
     * @param clientId a user-assigned identity's client id, or null for the system-assigned one
     * @throws IllegalArgumentException if the endpoint is not an http(s) URL
     */
    static AzureManagedIdentity appService(
            String identityEndpoint,
            String identityHeader,
            String resource,
            @Nullable String clientId,
            TokenEndpoint endpoint) {
        URI uri = withQuery(
                identityEndpoint,
                "IDENTITY_ENDPOINT",
                "api-version=" + APP_SERVICE_API_VERSION + "&resource=" + encode(resource)
                        + (clientId == null ? "" : "&client_id=" + encode(clientId)));
        return new AzureManagedIdentity(
                uri,
                Map.of("X-IDENTITY-HEADER", identityHeader),
                List.of(identityHeader),
                "App Service managed identity",
                endpoint,
                new TokenEndpoint.Purpose(
                        "for the managed identity" + (clientId == null ? "" : " " + clientId) + " (IDENTITY_ENDPOINT)",
                        "check that the app has a managed identity"
                                + (clientId == null ? "" : " with client id AZURE_CLIENT_ID")
                                + " and that it may use the resource"));
    }

    /**
     * {@return the instance metadata service's identity endpoint of a virtual machine}
     *
     * @param host the service's scheme and host, {@value #IMDS_HOST} unless {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} says otherwise
     * @param clientId a user-assigned identity's client id, or null for the system-assigned one
     */
    static AzureManagedIdentity instanceMetadata(
            String host, String resource, @Nullable String clientId, TokenEndpoint endpoint) {
        String base = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
        URI uri = withQuery(
                base + "/metadata/identity/oauth2/token",
                "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                "api-version=" + IMDS_API_VERSION + "&resource=" + encode(resource)
                        + (clientId == null ? "" : "&client_id=" + encode(clientId)));
        return new AzureManagedIdentity(
                uri,
                Map.of("Metadata", "true"),
                List.of(),
                "instance metadata service",
                endpoint,
                new TokenEndpoint.Purpose(
                        "for the virtual machine's managed identity (no AZURE_CLIENT_SECRET, "
                                + "AZURE_FEDERATED_TOKEN_FILE or IDENTITY_ENDPOINT is set, so the instance metadata service was asked)",
                        "off Azure, set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET; on an Azure virtual"
                                + " machine, check that it has a managed identity"));
    }

    private static URI withQuery(String base, String variable, String query) {
        try {
            URI uri = new URI(base);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return URI.create(base + (uri.getRawQuery() == null ? "?" : "&") + query);
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException(variable + " is not an http(s) URL");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public AccessToken token() {
        return endpoint.get(uri, headers, secrets, purpose);
    }

    @Override
    public String toString() {
        return "AzureManagedIdentity[" + kind + ", " + TokenEndpoint.describe(uri) + "]";
    }
}
