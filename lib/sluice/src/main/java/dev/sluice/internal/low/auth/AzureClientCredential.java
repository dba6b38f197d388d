package dev.sluice.internal.low.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Entra ID application's tokens by the client credentials grant, as azure-identity requests
 * them (through MSAL) for {@code ClientSecretCredential} and {@code WorkloadIdentityCredential}:
 * {@code POST {authority}/{tenant}/oauth2/v2.0/token} with {@code grant_type=client_credentials},
 * {@code client_info=1}, the scope after MSAL's reserved {@code openid profile offline_access}, the
 * client id, and either the client secret or, for workload identity, the
 * federated token file's contents as {@code client_assertion} (of type
 * {@code urn:ietf:params:oauth:client-assertion-type:jwt-bearer}), read again for each token since
 * Kubernetes rotates the file. Immutable; the secret and the assertion are never shown.
 */
final class AzureClientCredential implements TokenSource {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The scopes MSAL puts before the requested one in every token request (Entra ID ignores them for this grant). */
    static final String RESERVED_SCOPES = "openid profile offline_access";
    /** The largest federated token file read. */
    private static final long MAX_ASSERTION_BYTES = 64 * 1024;

    private final String clientId;
    private final @Nullable String clientSecret; // null for workload identity
    private final @Nullable Path assertionFile; // null for a secret
    private final URI tokenUri;
    private final String scope;
    private final TokenEndpoint endpoint;
    private final TokenEndpoint.Purpose purpose;

    private AzureClientCredential(
            String clientId,
            @Nullable String clientSecret,
            @Nullable Path assertionFile,
            URI tokenUri,
            String scope,
            TokenEndpoint endpoint,
            TokenEndpoint.Purpose purpose) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = clientSecret;
        this.assertionFile = assertionFile;
        this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.purpose = purpose;
    }

    /** {@return a client secret's tokens ({@code AZURE_CLIENT_SECRET})} */
    static AzureClientCredential secret(
            String clientId, String clientSecret, URI tokenUri, String scope, TokenEndpoint endpoint) {
        return new AzureClientCredential(
                clientId,
                Objects.requireNonNull(clientSecret, "clientSecret"),
                null,
                tokenUri,
                scope,
                endpoint,
                new TokenEndpoint.Purpose(
                        "for the application " + clientId + " with AZURE_CLIENT_SECRET",
                        "check AZURE_CLIENT_SECRET (expired or for another application), AZURE_CLIENT_ID and AZURE_TENANT_ID"));
    }

    /** {@return a workload identity's tokens ({@code AZURE_FEDERATED_TOKEN_FILE})} */
    static AzureClientCredential workloadIdentity(
            String clientId, Path tokenFile, URI tokenUri, String scope, TokenEndpoint endpoint) {
        return new AzureClientCredential(
                clientId,
                null,
                Objects.requireNonNull(tokenFile, "tokenFile"),
                tokenUri,
                scope,
                endpoint,
                new TokenEndpoint.Purpose(
                        "for the workload identity of application " + clientId + " (AZURE_FEDERATED_TOKEN_FILE "
                                + tokenFile + ")",
                        "check the application's federated credential (issuer and subject of this"
                                + " service account), AZURE_CLIENT_ID and AZURE_TENANT_ID"));
    }

    @Override
    public AccessToken token() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_info", "1");
        form.put("scope", RESERVED_SCOPES + " " + scope);
        form.put("client_id", clientId);
        String secret;
        if (clientSecret != null) {
            secret = clientSecret;
            form.put("client_secret", clientSecret);
        } else {
            secret = readAssertion();
            form.put("client_assertion", secret);
            form.put("client_assertion_type", ASSERTION_TYPE);
        }
        return endpoint.post(tokenUri, form, Map.of(), List.of(secret), purpose);
    }

    private String readAssertion() {
        Path assertionFile = Objects.requireNonNull(this.assertionFile, "workload identity has its token file");
        try {
            if (Files.size(assertionFile) > MAX_ASSERTION_BYTES) {
                throw new IllegalStateException(
                        "the federated token file " + assertionFile + " (AZURE_FEDERATED_TOKEN_FILE) is"
                                + " larger than " + MAX_ASSERTION_BYTES + " bytes: not a token");
            }
            String assertion =
                    Files.readString(assertionFile, StandardCharsets.UTF_8).strip();
            if (assertion.isEmpty()) {
                throw new IllegalStateException(
                        "the federated token file " + assertionFile + " (AZURE_FEDERATED_TOKEN_FILE) is empty");
            }
            return assertion;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the federated token file " + assertionFile
                            + " (AZURE_FEDERATED_TOKEN_FILE): " + e.getClass().getSimpleName()
                            + "; check the pod's projected"
                            + " service account token volume",
                    e);
        }
    }

    @Override
    public String toString() {
        return "AzureClientCredential[client " + clientId
                + (clientSecret != null ? ", secret" : ", federated token file " + assertionFile) + ", token endpoint "
                + TokenEndpoint.describe(tokenUri) + "]";
    }
}
