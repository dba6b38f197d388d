package dev.sluice.examples.fake;

import java.util.Map;
import java.util.Objects;

/**
 * An error the fake server answers with, in provider-neutral terms: what went wrong
 * ({@link Kind}), a message and extra headers. Each {@link WireFormat} renders it with its API's
 * status and body shape (Anthropic's overload is HTTP 529 {@code overloaded_error}, OpenAI's
 * HTTP 503 {@code server_error}).
 */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    enum Kind { INVALID_REQUEST, AUTHENTICATION, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE, RATE_LIMITED, OVERLOADED }

    private final Kind kind;
    private final transient Map<String, String> headers;

    ApiError(Kind kind, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.headers = Map.copyOf(headers);
    }

    ApiError(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    static ApiError invalid(String message) {
        return new ApiError(Kind.INVALID_REQUEST, message);
    }

    static ApiError overloaded() {
        return new ApiError(Kind.OVERLOADED, "Overloaded");
    }

    static ApiError rateLimited() {
        return new ApiError(Kind.RATE_LIMITED,
                "This request would exceed the rate limit for your organization (fake-rate-limited). Please retry after 1 second.",
                Map.of("retry-after", "1"));
    }

    Kind kind() {
        return kind;
    }

    Map<String, String> headers() {
        return headers;
    }
}
