package dev.sluice.internal.low.http;

import java.net.http.HttpHeaders;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A successful non-streaming response, read whole.
 *
 * @param statusCode the 2xx status
 * @param headers the response headers
 * @param requestId the provider's request id, or null when the response had none
 * @param body the body, decoded as UTF-8
 */
public record JsonResponse(
        int statusCode, HttpHeaders headers, @Nullable String requestId, String body) {
    public JsonResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "JsonResponse[status " + statusCode + ", request id " + requestId + ", " + body.length() + " chars]";
    }
}
