package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayEvent;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A refusal as HTTP, the value the relay's HTTP API answers: a status, a machine-readable type, a
 * message for people, the request member at fault and the headers the status needs ({@code
 * Retry-After}, {@code WWW-Authenticate}, {@code Allow}). The relay's own refusals ({@link
 * RelayException}, which knows no transport) become one by {@link #of(RelayException)}, the one
 * place that maps their kinds to statuses; the server's own checks (origin, host, token, media
 * type, body size, limits per client address, routes) make theirs with the constructors. {@link
 * RelayHttpApi} answers a refusal with the body {@code {"error":{"type","message"}}} ({@link #json})
 * or, for the gateway, in the shape of the front door asked (OpenAI's or Anthropic's).
 *
 * @param status the HTTP status: 400 to 499, or 503 (the relay's shared store cannot be reached)
 * @param type the machine-readable kind, such as {@code request_too_large}: the {@code "type"} of the body
 * @param message what was wrong and what to do, for people
 * @param param the request member at fault, such as {@code response_format}; null for none
 * @param headers headers the answer carries besides its content type, such as {@code Retry-After}
 */
public record HttpRefusal(
        int status, String type, String message, @Nullable String param, Map<String, String> headers) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the status is not a 4xx or 503
     */
    public HttpRefusal {
        if ((status < 400 || status > 499) && status != 503)
            throw new IllegalArgumentException("status must be a 4xx or 503: " + status);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        headers = Map.copyOf(headers);
    }

    /**
     * A refusal of the server's own, naming no member and needing no header.
     *
     * @param status the HTTP status, 400 to 499 (or 503)
     * @param type the machine-readable kind, such as {@code request_too_large}
     * @param message what was wrong and what to do, for people
     * @throws IllegalArgumentException if the status is not a 4xx or 503
     */
    public HttpRefusal(int status, String type, String message) {
        this(status, type, message, null, Map.of());
    }

    /**
     * {@return the relay's refusal as HTTP} 400 for a malformed request or an unknown provider, 404
     * for an unknown stream, 410 when a resume is past the replay buffer, 413 for a prompt too
     * long, 429 for too many streams, 503 when the relay's shared store cannot be reached; the type
     * is the kind's {@linkplain RelayException.Kind#code code}, and the member it names its
     * {@linkplain RelayException#param() param}.
     *
     * @param e the relay's refusal
     */
    public static HttpRefusal of(RelayException e) {
        int status = switch (e.kind()) {
            case INVALID_REQUEST, UNKNOWN_PROVIDER -> 400;
            case NOT_FOUND -> 404;
            case REPLAY_UNAVAILABLE -> 410;
            case PROMPT_TOO_LONG -> 413;
            case TOO_MANY_STREAMS -> 429;
            case UNAVAILABLE -> 503;
        };
        return new HttpRefusal(
                status,
                e.kind().code(),
                Objects.requireNonNull(e.getMessage(), "a SluiceException always has a message"),
                e.param(),
                Map.of());
    }

    /** {@return the body {@code {"error":{"type":...,"message":...}}}, the object of the relay's own {@code error} event} */
    public String json() {
        return json(type, message);
    }

    /** {@return the body {@code {"error":{"type":...,"message":...}}}} */
    static String json(String type, String message) {
        return "{\"error\":" + new RelayEvent.Error(type, message).data() + "}";
    }
}
