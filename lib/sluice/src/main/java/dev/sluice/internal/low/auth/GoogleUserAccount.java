package dev.sluice.internal.low.auth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Google user's tokens from the refresh token gcloud keeps ({@code gcloud auth
 * application-default login}, a file of type {@code authorized_user}), as google-auth-library's
 * {@code UserCredentials} requests them: {@code grant_type=refresh_token} with the client id, the
 * client secret and the refresh token, posted to the file's {@code token_uri}. Immutable; the
 * secret and the refresh token are never shown.
 */
final class GoogleUserAccount implements TokenSource {
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final URI tokenUri;
    private final TokenEndpoint endpoint;
    private final TokenEndpoint.Purpose purpose;

    GoogleUserAccount(
            String clientId,
            String clientSecret,
            String refreshToken,
            URI tokenUri,
            TokenEndpoint endpoint,
            String origin) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.refreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
        this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.purpose = new TokenEndpoint.Purpose(
                "for the gcloud user credentials (" + origin + ")",
                "run `gcloud auth application-default login` again (invalid_grant: the login expired or was revoked)");
    }

    @Override
    public AccessToken token() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("refresh_token", refreshToken);
        form.put("grant_type", "refresh_token");
        return endpoint.post(tokenUri, form, Map.of(), List.of(clientSecret, refreshToken), purpose);
    }

    @Override
    public String toString() {
        return "GoogleUserAccount[client " + clientId + ", token endpoint " + TokenEndpoint.describe(tokenUri) + "]";
    }
}
