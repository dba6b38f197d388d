package dev.sluice.testkit.internal.wire;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An error the fake server answers with, in provider-neutral terms: what went wrong
 * ({@link Kind}), a message and extra headers. Each {@link WireFormat} renders it with its API's
 * status and body shape (Anthropic's overload is HTTP 529 {@code overloaded_error}, OpenAI's
 * HTTP 503 {@code server_error}).
 */
public final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        INVALID_REQUEST,
        AUTHENTICATION,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        REQUEST_TOO_LARGE,
        RATE_LIMITED,
        OVERLOADED,
        OTHER
    }

    private final Kind kind;
    private final transient Map<String, String> headers;
    private final int status;
    private final @Nullable String type;
    private final @Nullable String code; // null: the wire format's own for the kind
    private final boolean opaque;

    public ApiError(Kind kind, String message, Map<String, String> headers) {
        this(kind, message, headers, 0, null);
    }

    private ApiError(Kind kind, String message, Map<String, String> headers, int status, @Nullable String type) {
        this(kind, message, headers, status, type, null, false);
    }

    private ApiError(
            Kind kind,
            String message,
            Map<String, String> headers,
            int status,
            @Nullable String type,
            @Nullable String code,
            boolean opaque) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.headers = Map.copyOf(headers);
        this.status = status;
        this.type = type;
        this.code = code;
        this.opaque = opaque;
    }

    /** {@return the message; never null, as every constructor takes one} */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage(), "message");
    }

    public ApiError(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    public static ApiError invalid(String message) {
        return new ApiError(Kind.INVALID_REQUEST, message);
    }

    /**
     * An invalid request because an opaque value the server issued (a signature, encrypted
     * reasoning) came back altered or missing, or is not one it issued: counted in
     * {@link dev.sluice.testkit.FakeLlmServer#opaqueRejections()}.
     *
     * @param code the API's error code, or null for the wire format's own
     */
    public static ApiError opaqueRejected(String message, @Nullable String code) {
        return new ApiError(Kind.INVALID_REQUEST, message, Map.of(), 0, null, code, true);
    }

    public static ApiError overloaded() {
        return new ApiError(Kind.OVERLOADED, "Overloaded");
    }

    public static ApiError rateLimited() {
        return new ApiError(
                Kind.RATE_LIMITED,
                "This request would exceed the rate limit for your organization (fake-rate-limited). Please retry after 1 second.",
                Map.of("retry-after", "1"));
    }

    /** A test's own error: each wire format writes its status and type as they are. */
    public static ApiError other(int status, String type, String message) {
        return new ApiError(Kind.OTHER, message, Map.of(), status, Objects.requireNonNull(type, "type"));
    }

    public static ApiError rateLimited(Duration retryAfter) {
        long millis = retryAfter.toMillis();
        return new ApiError(
                Kind.RATE_LIMITED,
                "This request would exceed the rate limit for your organization. Please retry later.",
                Map.of("retry-after", Long.toString((millis + 999) / 1000), "retry-after-ms", Long.toString(millis)));
    }

    public int status() {
        return status;
    }

    @Nullable
    String type() {
        return type;
    }

    /** {@return the type of an error of {@link Kind#OTHER}, which always has one} */
    public String otherType() {
        return Objects.requireNonNull(type, "only an error of kind OTHER has a type");
    }

    /** {@return the API's error code, or null for the wire format's own for the kind} */
    @Nullable
    public String code() {
        return code;
    }

    /** {@return whether a missing, altered or foreign opaque value was refused} */
    public boolean opaque() {
        return opaque;
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
