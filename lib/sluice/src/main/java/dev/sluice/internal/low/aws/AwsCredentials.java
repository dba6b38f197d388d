package dev.sluice.internal.low.aws;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * AWS credentials: an access key id, its secret access key, and the session token of temporary
 * credentials. Surrounding whitespace is removed from each, as the AWS SDK does before it signs.
 * {@link #toString()} shows the access key id only.
 *
 * @param accessKeyId the access key id ({@code AWS_ACCESS_KEY_ID})
 * @param secretAccessKey the secret access key ({@code AWS_SECRET_ACCESS_KEY})
 * @param sessionToken the session token ({@code AWS_SESSION_TOKEN}), or null for long-term credentials
 */
public record AwsCredentials(
        String accessKeyId,
        String secretAccessKey,
        @Nullable String sessionToken) {
    /**
     * @throws IllegalArgumentException if the access key id or the secret is blank, or the session
     *     token is blank (null is allowed)
     * @throws NullPointerException if the access key id or the secret is null
     */
    public AwsCredentials {
        accessKeyId = accessKeyId.trim();
        secretAccessKey = secretAccessKey.trim();
        if (accessKeyId.isEmpty()) throw new IllegalArgumentException("accessKeyId must not be blank");
        if (secretAccessKey.isEmpty()) throw new IllegalArgumentException("secretAccessKey must not be blank");
        if (sessionToken != null) {
            sessionToken = sessionToken.trim();
            if (sessionToken.isEmpty())
                throw new IllegalArgumentException("sessionToken must not be blank; pass null for none");
        }
    }

    /** {@return long-term credentials, without a session token} */
    public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
        return new AwsCredentials(accessKeyId, secretAccessKey, null);
    }

    /** {@return the session token, for temporary credentials} */
    public Optional<String> token() {
        return Optional.ofNullable(sessionToken);
    }

    /** {@return the access key id only: the secret and the session token are never shown} */
    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>"
                + (sessionToken == null ? "" : ", sessionToken=<redacted>") + "]";
    }
}
