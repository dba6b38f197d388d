package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.protocol.GatewayWriter;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal as HTTP: a 4xx status, the body {@code {"error":{"type","message"}}} and any headers
 * the status needs ({@code Retry-After}, {@code WWW-Authenticate}). {@link #of} is the one place
 * that maps the relay's {@link RelayException.Kind}s to statuses; the server's own checks (origin,
 * host, token, media type, body size, limits per client address, routes) make theirs directly.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient Map<String, String> headers;
    private final String param;

    /**
     * @param status the HTTP status, 400 to 499
     * @param type the machine-readable kind, such as {@code request_too_large}
     * @param message what was wrong and what to do, for people
     */
    public HttpError(int status, String type, String message) {
        this(status, type, message, Map.of());
    }

    /**
     * @param status the HTTP status, 400 to 499, or 503 (the relay's store cannot be reached)
     * @param type the machine-readable kind, such as {@code too_many_creations}
     * @param message what was wrong and what to do, for people
     * @param headers headers the answer carries, such as {@code Retry-After}
     */
    public HttpError(int status, String type, String message, Map<String, String> headers) {
        this(status, type, message, headers, null);
    }

    private HttpError(int status, String type, String message, Map<String, String> headers, String param) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if ((status < 400 || status > 499) && status != 503)
            throw new IllegalArgumentException("status must be a 4xx or 503: " + status);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.headers = Map.copyOf(headers);
        this.param = param;
    }

    /**
     * {@return the relay's refusal as HTTP} 400 for a malformed request or an unknown provider, 404
     * for an unknown stream, 410 when a resume is past the replay buffer, 413 for a prompt too
     * long, 429 for too many streams, 503 when the relay's shared store cannot be reached; the type
     * is the kind's {@linkplain RelayException.Kind#code code}, and the member it names its
     * {@linkplain RelayException#param() param}.
     *
     * @param e the refusal
     */
    public static HttpError of(RelayException e) {
        int status = switch (e.kind()) {
            case INVALID_REQUEST, UNKNOWN_PROVIDER -> 400;
            case NOT_FOUND -> 404;
            case REPLAY_UNAVAILABLE -> 410;
            case PROMPT_TOO_LONG -> 413;
            case TOO_MANY_STREAMS -> 429;
            case UNAVAILABLE -> 503;
        };
        return new HttpError(status, e.kind().code(), e.getMessage(), Map.of(), e.param());
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the machine-readable kind} */
    public String type() {
        return type;
    }

    /** {@return the headers the answer carries besides its content type; often none} */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return the request member at fault, such as {@code response_format}; null when the error names none} */
    public String param() {
        return param;
    }

    /**
     * {@return the body in OpenAI's shape, for the OpenAI-compatible gateway:
     * {@code {"error":{"message","type","param","code"}}}, this error's type as the {@code code},
     * OpenAI's kind of it ({@link GatewayWriter#openAiType}) as the {@code type}, and the member at
     * fault as the {@code param} (null when it names none)}
     */
    public String openAiJson() {
        return GatewayWriter.errorJson(getMessage(), GatewayWriter.openAiType(type), param, type);
    }

    /** {@return the body: {@code {"error":{"type":...,"message":...}}}, the object of the relay's own {@code error} event} */
    public String json() {
        return "{\"error\":" + new RelayEvent.Error(type, getMessage()).data() + "}";
    }
}
