package dev.sluice;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The relay refused a request: a start request it will not run, or a subscription it cannot
 * serve. Nothing was started and no client was attached. {@link #kind()} says why in the relay
 * protocol's terms ({@link Kind#code()} is the {@code "type"} of the protocol's error body); the
 * message says what was wrong and what to do, for the person behind the client. A server maps the
 * kind to its transport's answer, such as an HTTP status; the relay itself knows no transport.
 *
 * <p>A refusal answered over HTTP also carries its status ({@link #statusCode()}), its error type
 * ({@link #errorType()}) and the headers the answer needs ({@link #headers()}): the relay's own,
 * once a server has mapped its kind, and a server's refusals by rules of its own
 * ({@link Kind#REFUSED}: its origin, host and token checks, the request's method, media type and
 * size, its limits per client).
 */
public final class RelayException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** Why the relay refused. */
    public enum Kind {
        /** The start request is malformed (not JSON, no prompt, a member of the wrong type or out of range), or a {@code Last-Event-ID} is not an id of the stream. */
        INVALID_REQUEST,
        /** The start request names a provider the relay does not have. */
        UNKNOWN_PROVIDER,
        /** The prompt and system prompt are longer than the relay's limit. */
        PROMPT_TOO_LONG,
        /** The relay already runs as many streams as its limit allows, or it is closing. */
        TOO_MANY_STREAMS,
        /** No stream has that id: it never existed, or it ended longer ago than the relay keeps streams. */
        NOT_FOUND,
        /** The events after the client's {@code Last-Event-ID} are no longer in the stream's replay buffer. */
        REPLAY_UNAVAILABLE,
        /** The relay's shared store (its {@code RelayStore}, such as Redis) cannot be reached: try again shortly. */
        UNAVAILABLE,
        /** A server in front of the relay refused the request by a rule of its own (an origin, host or token check, the request's method, media type, size or time, a limit per client); {@link RelayException#errorType()} names the rule, {@link RelayException#statusCode()} its HTTP status. */
        REFUSED;

        /** {@return the protocol's name of the kind: its name in lower case, such as {@code too_many_streams}} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final @Nullable String param;
    private final int statusCode;
    private final String errorType;
    private final transient Map<String, String> headers;

    /**
     * @param kind why
     * @param message what was wrong and what to do
     */
    public RelayException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * A refusal that names the request member at fault.
     *
     * @param kind why
     * @param message what was wrong and what to do
     * @param param the request member at fault, such as {@code response_format}; null for none
     */
    public RelayException(Kind kind, String message, @Nullable String param) {
        super(message, null);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
        this.statusCode = 0;
        this.errorType = kind.code();
        this.headers = Map.of();
    }

    /**
     * A refusal answered over HTTP: the relay's own with the status a server maps its kind to, or a
     * server's own ({@link Kind#REFUSED}).
     *
     * @param kind why
     * @param message what was wrong and what to do
     * @param param the request member at fault, such as {@code response_format}; null for none
     * @param statusCode the HTTP status of the answer, 400 to 599
     * @param errorType the answer's machine-readable type, such as {@code request_too_large}
     * @param headers the headers the answer carries, such as {@code Retry-After}; empty for none
     * @throws IllegalArgumentException if the status is not 400 to 599
     */
    public RelayException(
            Kind kind,
            String message,
            @Nullable String param,
            int statusCode,
            String errorType,
            Map<String, String> headers) {
        super(message, null);
        if (statusCode < 400 || statusCode > 599)
            throw new IllegalArgumentException("statusCode must be 400 to 599: " + statusCode);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
        this.statusCode = statusCode;
        this.errorType = Objects.requireNonNull(errorType, "errorType");
        this.headers = Map.copyOf(headers);
    }

    /** {@return why the relay refused} */
    public Kind kind() {
        return kind;
    }

    /**
     * {@return the request member at fault, such as {@code response_format}, as a protocol that names
     * it reports it (the OpenAI-compatible gateway's {@code "param"}); null when the refusal names none}
     */
    public @Nullable String param() {
        return param;
    }

    /**
     * {@return the HTTP status a server answers this refusal with; 0 for a refusal of the relay's
     * own that no server has mapped (a server maps its kind)}
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * {@return the machine-readable type of the refusal, the {@code "type"} of an error body: the
     * kind's {@linkplain Kind#code() code}, or a server's own name for its rule, such as
     * {@code request_too_large}}
     */
    public String errorType() {
        return errorType;
    }

    /**
     * {@return the headers an HTTP answer to this refusal carries besides its content type, such as
     * {@code Retry-After}, {@code Allow} or {@code WWW-Authenticate}; often none (and none after
     * deserialization)}
     */
    public Map<String, String> headers() {
        return headers == null ? Map.of() : headers;
    }
}
