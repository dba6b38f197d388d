package dev.sluice.client;

import java.time.Instant;
import java.util.Objects;

/**
 * OAuth 2.0 access tokens from credentials an application already holds, for the clouds that
 * authorize with a bearer token (Google Vertex AI, Microsoft Azure and Foundry): the bridge from a
 * team's own credentials object to a Sluice client, with no dependency of Sluice on that cloud's
 * SDK. Sluice caches the token and asks again shortly before it expires (one call shared by
 * concurrent streams); {@code docs/clouds.md} shows the few lines for google-auth-library's
 * {@code GoogleCredentials} and azure-identity's {@code TokenCredential}.
 *
 * <p>Implementations are thread-safe and may block while they fetch a token.
 */
@FunctionalInterface
public interface AccessTokenProvider {
    /**
     * {@return a token valid now, with its expiry}
     *
     * @throws RuntimeException if no token can be had; Sluice reports it as a
     *     {@link dev.sluice.CredentialsException} with this as its cause
     */
    Token token();

    /**
     * An access token. {@link #toString()} shows its expiry only, never its value.
     *
     * @param value the token, sent as {@code Authorization: Bearer value}
     * @param expiresAt when it expires
     */
    record Token(String value, Instant expiresAt) {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the value is blank or holds a space or control character
         */
        public Token {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (value.isEmpty()) throw new IllegalArgumentException("an access token must not be empty");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= ' ' || c == 127)
                    throw new IllegalArgumentException("an access token must not hold a space or a control character");
            }
        }

        @Override
        public String toString() {
            return "Token[value=<redacted>, expiresAt=" + expiresAt + "]";
        }
    }
}
