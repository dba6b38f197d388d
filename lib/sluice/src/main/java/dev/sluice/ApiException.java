package dev.sluice;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The provider answered with an error: an HTTP error status, or an error event inside an
 * otherwise successful stream (then {@link #inStream()} is true).
 *
 * <p>{@link #errorType()} is the provider's own error type, for example Anthropic's
 * {@code overloaded_error} or {@code rate_limit_error}, when it is a short identifier (a letter,
 * then at most 63 letters, digits, {@code _ . -}); anything else a server put there (a sentence,
 * markup, an echoed header) is reported as {@value #UPSTREAM_ERROR}, since the type is passed on
 * as it is: to logs, metrics, and the relay's events. {@link #errorMessage()} is the provider's
 * human-readable message. The library's clients clean both of the request's credentials before
 * they construct one (a type that held a key is {@value #UPSTREAM_ERROR}).
 */
public final class ApiException extends SluiceException {
    private static final long serialVersionUID = 1L;
    /** The {@link #errorType()} of an error whose type was not a short identifier. */
    public static final String UPSTREAM_ERROR = "upstream_error";

    private static final Pattern SHORT_IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final int statusCode;
    private final String errorType;
    private final String errorMessage;
    private final boolean inStream;
    private final int retryAfterMillis; // -1 for none: an OptionalInt is not serializable

    /**
     * @param statusCode the HTTP status of the response (for an in-stream error, the status the
     *     stream was opened with, usually 200)
     * @param errorType the provider's error type; {@code "unknown"} when the body had none; one
     *     that is not a short identifier is replaced by {@value #UPSTREAM_ERROR}
     * @param errorMessage the provider's message; may be empty, never null
     * @param inStream whether the error arrived as an event inside the stream
     * @param cause the underlying cause, or null
     */
    public ApiException(
            int statusCode, String errorType, String errorMessage, boolean inStream, @Nullable Throwable cause) {
        this(statusCode, errorType, errorMessage, inStream, OptionalInt.empty(), cause);
    }

    /**
     * As the other constructor, with the delay the server asked for before a retry.
     *
     * @throws IllegalArgumentException if {@code retryAfterMillis} is negative
     */
    public ApiException(
            int statusCode,
            String errorType,
            String errorMessage,
            boolean inStream,
            OptionalInt retryAfterMillis,
            @Nullable Throwable cause) {
        super(describe(statusCode, shortIdentifier(errorType), errorMessage, inStream), cause);
        this.statusCode = statusCode;
        this.errorType = shortIdentifier(errorType);
        this.errorMessage = Objects.requireNonNull(errorMessage, "errorMessage");
        this.inStream = inStream;
        Objects.requireNonNull(retryAfterMillis, "retryAfterMillis");
        if (retryAfterMillis.isPresent() && retryAfterMillis.getAsInt() < 0) {
            throw new IllegalArgumentException("retryAfterMillis must not be negative: " + retryAfterMillis.getAsInt());
        }
        this.retryAfterMillis = retryAfterMillis.orElse(-1);
    }

    private static String shortIdentifier(String errorType) {
        Objects.requireNonNull(errorType, "errorType");
        return SHORT_IDENTIFIER.matcher(errorType).matches() ? errorType : UPSTREAM_ERROR;
    }

    private static String describe(int status, String type, String message, boolean inStream) {
        String where = inStream ? "error event in the stream (HTTP " + status + ")" : "HTTP " + status;
        String what = message == null || message.isEmpty() ? "" : ": " + message;
        return "API error " + type + " (" + where + ")" + what + hint(status, type);
    }

    private static String hint(int status, String type) {
        return switch (type) {
            case "authentication_error" -> " — check the API key";
            case "permission_error" -> " — the API key lacks permission for this request";
            case "rate_limit_error" -> " — slow down or retry later";
            case "overloaded_error" -> " — the provider is overloaded; retry later";
            case "request_too_large" -> " — shrink the request";
            case "invalid_request_error" -> " — fix the request";
            default -> status >= 500 ? " — a server-side error; retry later" : "";
        };
    }

    /** {@return the HTTP status code} */
    public int statusCode() {
        return statusCode;
    }

    /**
     * {@return the provider's error type, such as {@code overloaded_error}; {@value #UPSTREAM_ERROR}
     * when it was not a short identifier}
     */
    public String errorType() {
        return errorType;
    }

    /** {@return the provider's error message, possibly empty} */
    public String errorMessage() {
        return errorMessage;
    }

    /** {@return whether the error arrived as an event inside a stream that had begun} */
    public boolean inStream() {
        return inStream;
    }

    /** {@return the delay the server asked for before retrying, when it named one} */
    public OptionalInt retryAfterMillis() {
        return retryAfterMillis < 0 ? OptionalInt.empty() : OptionalInt.of(retryAfterMillis);
    }
}
