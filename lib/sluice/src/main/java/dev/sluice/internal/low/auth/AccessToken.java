package dev.sluice.internal.low.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token and when it expires. {@link #toString()} never shows the token.
 *
 * @param value the token, sent as {@code Authorization: Bearer <value>}
 * @param expiresAt when the issuer says it stops being valid
 */
public record AccessToken(String value, Instant expiresAt) {
    /**
     * @throws IllegalArgumentException if the value is blank or holds a control character or a
     *     space (it could not be sent in a header); the message never shows the value
     * @throws NullPointerException if an argument is null
     */
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value.isEmpty()) throw new IllegalArgumentException("an access token must not be empty");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("an access token must not hold a space or a control character");
            }
        }
    }

    /** {@return the value of an {@code Authorization} header carrying the token} */
    public String authorization() {
        return "Bearer " + value;
    }

    /** {@return the expiry only: the token is never shown} */
    @Override
    public String toString() {
        return "AccessToken[value=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
