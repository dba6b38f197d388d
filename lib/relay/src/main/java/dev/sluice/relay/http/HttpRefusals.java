package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.protocol.MessagesWriter;
import java.util.Map;
import java.util.Objects;

/**
 * Refusals as HTTP: each a {@link RelayException} with a status, an error type and any headers the
 * status needs ({@code Retry-After}, {@code WWW-Authenticate}), answered with the body
 * {@code {"error":{"type","message"}}} ({@link #json}, or OpenAI's shape for the gateway,
 * {@link #openAiJson}). {@link #of(RelayException)} is the one place that maps the relay's
 * {@link RelayException.Kind}s to statuses; the server's own checks (origin, host, token, media
 * type, body size, limits per client address, routes) make theirs with {@link #of(int, String,
 * String)}, of kind {@link RelayException.Kind#REFUSED}.
 */
public final class HttpRefusals {
    private HttpRefusals() {}

    /**
     * {@return a refusal of the server's own}
     *
     * @param status the HTTP status, 400 to 499
     * @param type the machine-readable kind, such as {@code request_too_large}
     * @param message what was wrong and what to do, for people
     * @throws IllegalArgumentException if the status is not a 4xx
     */
    public static RelayException of(int status, String type, String message) {
        return of(status, type, message, Map.of());
    }

    /**
     * {@return a refusal of the server's own, with the headers its answer carries}
     *
     * @param status the HTTP status, 400 to 499, or 503 (the relay's store cannot be reached)
     * @param type the machine-readable kind, such as {@code too_many_creations}
     * @param message what was wrong and what to do, for people
     * @param headers headers the answer carries, such as {@code Retry-After}
     * @throws IllegalArgumentException if the status is not a 4xx or 503
     */
    public static RelayException of(int status, String type, String message, Map<String, String> headers) {
        if ((status < 400 || status > 499) && status != 503)
            throw new IllegalArgumentException("status must be a 4xx or 503: " + status);
        return new RelayException(RelayException.Kind.REFUSED, message, null, status, type, headers);
    }

    /**
     * {@return the relay's refusal as HTTP} 400 for a malformed request or an unknown provider, 404
     * for an unknown stream, 410 when a resume is past the replay buffer, 413 for a prompt too
     * long, 429 for too many streams, 503 when the relay's shared store cannot be reached; the type
     * is the kind's {@linkplain RelayException.Kind#code code}, and the member it names its
     * {@linkplain RelayException#param() param}. A refusal that has its status already is returned
     * as it is.
     *
     * @param e the refusal
     */
    public static RelayException of(RelayException e) {
        if (e.statusCode() != 0) return e;
        return new RelayException(e.kind(), message(e), e.param(), status(e), e.errorType(), e.headers());
    }

    /**
     * {@return the HTTP status of a refusal}: its own, or the one its kind maps to (as {@link
     * #of(RelayException)})
     *
     * @param e the refusal
     */
    public static int status(RelayException e) {
        if (e.statusCode() != 0) return e.statusCode();
        return switch (e.kind()) {
            case INVALID_REQUEST, UNKNOWN_PROVIDER, REFUSED -> 400;
            case NOT_FOUND -> 404;
            case REPLAY_UNAVAILABLE -> 410;
            case PROMPT_TOO_LONG -> 413;
            case TOO_MANY_STREAMS -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /**
     * {@return the body in OpenAI's shape, for the OpenAI-compatible gateway:
     * {@code {"error":{"message","type","param","code"}}}, the refusal's type as the {@code code},
     * OpenAI's kind of it ({@link GatewayWriter#openAiType}) as the {@code type}, and the member at
     * fault as the {@code param} (null when it names none)}
     *
     * @param e the refusal
     */
    public static String openAiJson(RelayException e) {
        return GatewayWriter.errorJson(message(e), GatewayWriter.openAiType(e.errorType()), e.param(), e.errorType());
    }

    /**
     * {@return the body in Anthropic's shape, for the gateway's Messages front door:
     * {@code {"type":"error","error":{"type","message"}}}, Anthropic's kind of the refusal
     * ({@link MessagesWriter#anthropicType}) as the {@code type}; the member at fault, when it names
     * one, is in the message}
     *
     * @param e the refusal
     */
    public static String anthropicJson(RelayException e) {
        String message = message(e);
        return MessagesWriter.errorJson(MessagesWriter.anthropicType(e.errorType()), message);
    }

    /**
     * {@return the body: {@code {"error":{"type":...,"message":...}}}, the object of the relay's own
     * {@code error} event}
     *
     * @param e the refusal
     */
    public static String json(RelayException e) {
        return json(e.errorType(), message(e));
    }

    /** {@return the body {@code {"error":{"type":...,"message":...}}}} */
    static String json(String type, String message) {
        return "{\"error\":" + new RelayEvent.Error(type, message).data() + "}";
    }

    /** {@return the refusal's message: every exception of the family has one} */
    private static String message(RelayException e) {
        return Objects.requireNonNull(e.getMessage(), "a SluiceException always has a message");
    }
}
