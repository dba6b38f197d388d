package dev.sluice.internal.low.auth;

import dev.sluice.internal.low.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Google service account's tokens, as google-auth-library's {@code ServiceAccountCredentials}
 * requests them: an RS256 JWT signed with the account's private key (header {@code alg},
 * {@code typ}, {@code kid} = {@code private_key_id}; claims {@code iss} = {@code client_email},
 * {@code scope}, {@code aud} = {@code https://oauth2.googleapis.com/token} whatever the file's
 * {@code token_uri}, as google-auth sets it, {@code iat} now and {@code exp} an hour later), posted
 * as {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=...} to the file's
 * {@code token_uri}. Immutable; the key and the assertion are never shown.
 */
final class GoogleServiceAccount implements TokenSource {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The audience google-auth-library puts in every assertion ({@code OAuth2Utils.TOKEN_SERVER_URI}). */
    static final String AUDIENCE = "https://oauth2.googleapis.com/token";

    static final long LIFETIME_SECONDS = 3600;

    private final String clientEmail;
    private final PrivateKey key;
    private final @Nullable String keyId; // null when the file has none
    private final URI tokenUri;
    private final String scope;
    private final TokenEndpoint endpoint;
    private final TokenEndpoint.Purpose purpose;

    GoogleServiceAccount(
            String clientEmail,
            PrivateKey key,
            @Nullable String keyId,
            URI tokenUri,
            String scope,
            TokenEndpoint endpoint,
            String origin) {
        this.clientEmail = Objects.requireNonNull(clientEmail, "clientEmail");
        this.key = Objects.requireNonNull(key, "key");
        this.keyId = keyId;
        this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.purpose = new TokenEndpoint.Purpose(
                "for the service account " + clientEmail + " (" + origin + ")",
                "check that its key is still valid (not deleted in IAM) and that this machine's clock is right;"
                        + " a new key file replaces a revoked one");
    }

    @Override
    public AccessToken token() {
        String assertion = assertion(endpoint.clock().instant());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion);
        return endpoint.post(tokenUri, form, Map.of(), List.of(assertion), purpose);
    }

    /** {@return the signed JWT that asks for a token at {@code now}} */
    String assertion(Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (keyId != null) header.put("kid", keyId);
        long iat = now.getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", scope);
        claims.put("aud", AUDIENCE);
        claims.put("iat", iat);
        claims.put("exp", iat + LIFETIME_SECONDS);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            // the key was checked when it was read: a JDK without RSA signatures
            throw new IllegalStateException(
                    "cannot sign the token request of " + clientEmail + " with RS256: "
                            + e.getClass().getName(),
                    e);
        }
    }

    /**
     * {@return the RSA private key of a PEM {@code -----BEGIN PRIVATE KEY-----} block (PKCS#8), as
     * service account key files hold it}
     *
     * @throws IllegalArgumentException if it is not one; the message never shows the key
     */
    static PrivateKey readPrivateKey(String pem) {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) throw new IllegalArgumentException("it is not a PEM block " + begin + " (PKCS#8)");
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "it is not a PKCS#8 RSA private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "GoogleServiceAccount[" + clientEmail + ", token endpoint " + TokenEndpoint.describe(tokenUri) + "]";
    }
}
