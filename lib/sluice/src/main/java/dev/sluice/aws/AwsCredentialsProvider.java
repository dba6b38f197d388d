package dev.sluice.aws;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * AWS credentials from a provider an application already has (the AWS SDK's
 * {@code AwsCredentialsProvider}, a vault client, a credentials broker): the bridge from a team's own
 * credentials object to {@link AwsAccess}, with no dependency of Sluice on the AWS SDK. Sluice caches
 * what it returns and asks again ahead of the expiration (5 minutes before it; every caller waits
 * from 1 minute before it), one call shared by concurrent streams; credentials without an expiration
 * are asked for again after an hour. {@code docs/clouds.md} shows the few lines for the AWS SDK's
 * provider.
 *
 * <p>Implementations are thread-safe and may block while they fetch credentials.
 */
@FunctionalInterface
public interface AwsCredentialsProvider {
    /**
     * {@return credentials valid now}
     *
     * @throws RuntimeException if none can be had; Sluice reports it as a
     *     {@link dev.sluice.CredentialsException} ({@code FAILED}) with this as its cause
     */
    Credentials credentials();

    /**
     * AWS credentials: an access key id, its secret access key, and for temporary credentials a
     * session token and when they expire. {@link #toString()} shows the access key id and the
     * expiration only.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token of temporary credentials, or null
     * @param expiration when they expire, or null when they do not (or it is unknown)
     */
    record Credentials(
            String accessKeyId,
            String secretAccessKey,
            @Nullable String sessionToken,
            @Nullable Instant expiration) {
        /**
         * @throws NullPointerException if the access key id or the secret is null
         * @throws IllegalArgumentException if the access key id or the secret is blank, or the
         *     session token is blank (null is allowed)
         */
        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId.isBlank()) throw new IllegalArgumentException("accessKeyId must not be blank");
            if (secretAccessKey.isBlank()) throw new IllegalArgumentException("secretAccessKey must not be blank");
            if (sessionToken != null && sessionToken.isBlank()) {
                throw new IllegalArgumentException("sessionToken must not be blank; pass null for none");
            }
        }

        /** {@return long-term credentials: no session token, no expiration} */
        public static Credentials of(String accessKeyId, String secretAccessKey) {
            return new Credentials(accessKeyId, secretAccessKey, null, null);
        }

        /** {@return the access key id and the expiration; the secret and the session token are never shown} */
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>"
                    + (sessionToken == null ? "" : ", sessionToken=<redacted>")
                    + (expiration == null ? "" : ", expiration=" + expiration) + "]";
        }
    }
}
