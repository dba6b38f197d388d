package dev.sluice.examples.fake;

import java.util.Map;

/**
 * An error the fake server answers with, in the API's shape: an HTTP status, an error type
 * ({@code invalid_request_error}, {@code overloaded_error}, ...), a message and extra headers.
 */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient Map<String, String> headers;

    ApiError(int status, String type, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message, Map.of());
    }

    static ApiError overloaded() {
        return new ApiError(529, "overloaded_error", "Overloaded", Map.of());
    }

    static ApiError rateLimited() {
        return new ApiError(429, "rate_limit_error",
                "This request would exceed the rate limit for your organization (fake-rate-limited). Please retry after 1 second.",
                Map.of("retry-after", "1"));
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    Map<String, String> headers() {
        return headers;
    }
}
