package dev.sluice.internal.low.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The headers a {@link SigV4Signer} adds to a request. {@link #toString()} shows neither the session
 * token nor the signature.
 *
 * @param amzDate {@code X-Amz-Date}: the signing time, {@code yyyyMMdd'T'HHmmss'Z'} in UTC
 * @param securityToken {@code X-Amz-Security-Token}: the session token, or null without one
 * @param contentSha256 {@code x-amz-content-sha256}: the payload's SHA-256 in hex, or null when the
 *     signer does not add it
 * @param authorization {@code Authorization}: the algorithm, credential scope, signed headers and signature
 */
public record SigV4Headers(
        String amzDate,
        @Nullable String securityToken,
        @Nullable String contentSha256,
        String authorization) {
    public SigV4Headers {
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(authorization, "authorization");
    }

    /** {@return the headers by name, in the order the AWS SDK adds them, those without a value left out} */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (securityToken != null) headers.put("X-Amz-Security-Token", securityToken);
        headers.put("X-Amz-Date", amzDate);
        if (contentSha256 != null) headers.put("x-amz-content-sha256", contentSha256);
        headers.put("Authorization", authorization);
        return headers;
    }

    /** {@return the date and the signed headers: never the session token or the signature} */
    @Override
    public String toString() {
        int signature = authorization.indexOf(", Signature=");
        return "SigV4Headers[amzDate=" + amzDate + (securityToken == null ? "" : ", securityToken=<redacted>")
                + ", authorization="
                + (signature < 0 ? "<redacted>" : authorization.substring(0, signature) + ", Signature=<redacted>")
                + "]";
    }
}
