package dev.sluice.internal.low.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The error responses of AWS's JSON protocols (Bedrock Runtime's among them): the type is the
 * {@code x-amzn-ErrorType} header before its first colon
 * ({@code ValidationException:http://internal.amazon.com/...}), else the body's {@code __type}
 * (after its last {@code #}); the message the body's {@code message} (or {@code Message}). Another
 * body falls back to the standard parser. And the same errors inside an event stream
 * ({@link #frame}): an {@code exception} frame (its {@code :exception-type}, the message its JSON
 * payload's) or an {@code error} frame ({@code :error-code}, {@code :error-message}), with the one
 * set of exception types a reopening may fix ({@link #RETRYABLE_FRAMES}). Shared by every client of
 * Bedrock Runtime (Converse, and Claude's Messages through Bedrock). Stateless.
 */
public final class AwsJsonErrors {
    /**
     * The exception frames a reopening may fix before content (Bedrock's 429, 503 and 500): the same as
     * an HTTP status the retries repeat.
     */
    public static final Set<String> RETRYABLE_FRAMES =
            Set.of("throttlingException", "serviceUnavailableException", "internalServerException");

    /**
     * An exception or error frame of an event stream.
     *
     * @param type the exception type or error code, as sent ({@code exception} or {@code error} when
     *     the header is missing)
     * @param message the message, possibly empty
     */
    public record Frame(String type, String message) {
        /** @throws NullPointerException if either is null */
        public Frame {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        /** {@return whether a reopening before content may fix it: {@link #RETRYABLE_FRAMES}} */
        public boolean retryable() {
            return RETRYABLE_FRAMES.contains(type);
        }
    }
    /** The response header that carries the request id of an AWS JSON protocol's answer. */
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    /** The parser. */
    public static final ErrorBodyParser PARSER = new ErrorBodyParser() {
        @Override
        public Optional<ErrorBody> parse(int status, String body) {
            return parse(status, HttpHeaders.of(Map.of(), (a, b) -> true), body);
        }

        @Override
        public Optional<ErrorBody> parse(int status, HttpHeaders headers, String body) {
            Map<?, ?> o = Map.of();
            try {
                if (Json.readValue(body) instanceof Map<?, ?> m) o = m;
            } catch (JsonProcessingException | RuntimeException notJson) {
                // the header may still name the type
            }
            String type = headers.firstValue("x-amzn-ErrorType")
                    .map(t -> t.split(":", 2)[0].trim())
                    .orElse("");
            if (type.isEmpty()) {
                String t = string(o, "__type");
                type = t.substring(t.lastIndexOf('#') + 1);
            }
            String message = string(o, "message");
            if (message.isEmpty()) message = string(o, "Message");
            if (type.isEmpty()) return ErrorBodyParser.standard().parse(status, body);
            return Optional.of(new ErrorBody(type, message));
        }
    };

    private AwsJsonErrors() {}

    /**
     * {@return the error an event stream's message carries: an {@code exception} frame's type and its
     * JSON payload's {@code message} (or {@code Message}; empty when the payload has neither), an
     * {@code error} frame's code and message; empty for any other message (an event)}
     */
    public static Optional<Frame> frame(EventStreamMessage message) {
        if (message.hasStringHeader(":message-type", "exception")) {
            Map<?, ?> o = Map.of();
            try {
                if (Json.readValue(message.payloadText()) instanceof Map<?, ?> m) o = m;
            } catch (IOException | RuntimeException notJson) {
                // an exception's body is only its message: without one, the type says enough
            }
            String text = string(o, "message");
            if (text.isEmpty()) text = string(o, "Message");
            return Optional.of(new Frame(message.exceptionType().orElse("exception"), text));
        }
        if (message.hasStringHeader(":message-type", "error"))
            return Optional.of(new Frame(
                    message.errorCode().orElse("error"), message.errorMessage().orElse("")));
        return Optional.empty();
    }

    private static String string(Map<?, ?> o, String name) {
        return o.get(name) instanceof String s ? s : "";
    }
}
