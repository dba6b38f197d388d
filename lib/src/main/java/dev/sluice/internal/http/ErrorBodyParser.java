package dev.sluice.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a provider's error response body into an error type and message. Each provider may pass
 * its own; {@link #standard()} understands the shapes of Anthropic, OpenAI and Gemini.
 */
@FunctionalInterface
public interface ErrorBodyParser {

    /**
     * @param status the HTTP status
     * @param body the body, decoded as UTF-8 (possibly truncated, possibly empty)
     * @return what the body says, or empty when it is not in the provider's format; then the
     *     transport uses {@code http_error_NNN} as the type and the body, truncated, as the message
     */
    Optional<ErrorBody> parse(int status, String body);

    /**
     * An error as the provider described it.
     *
     * @param type the provider's error type, such as {@code overloaded_error}
     * @param message the provider's message, possibly empty
     */
    record ErrorBody(String type, String message) {
        public ErrorBody {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * {@return a parser for the common JSON shape {@code {"error": {...}}}}: the type is
     * {@code error.type} (Anthropic {@code {"type":"error","error":{"type":"overloaded_error",
     * "message":"Overloaded"}}}, OpenAI {@code {"error":{"message":..,"type":..,"code":..}}}), else
     * {@code error.status} (Gemini {@code {"error":{"code":429,"message":..,"status":"RESOURCE_EXHAUSTED"}}}),
     * else {@code error.code} when it is a string; the message is {@code error.message}, or
     * {@code error} itself when it is a string. Empty when the body is not such JSON.
     */
    static ErrorBodyParser standard() {
        return StandardErrorBody.PARSER;
    }
}

/** The {@link ErrorBodyParser#standard()} implementation. */
final class StandardErrorBody implements ErrorBodyParser {
    /** The one instance (a class, not a method reference: a fresh JVM links each one the first time it runs). */
    static final ErrorBodyParser PARSER = new StandardErrorBody();

    private StandardErrorBody() {}

    /** The mapper, created at the first error body, not when a transport is built (it costs startup time). */
    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Override
    public Optional<ErrorBodyParser.ErrorBody> parse(int status, String body) {
        JsonNode root;
        try {
            root = Holder.MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) return Optional.empty();
        JsonNode error = root.get("error");
        if (error == null) return Optional.empty();
        if (error.isTextual()) return Optional.of(new ErrorBodyParser.ErrorBody("http_error_" + status, error.asText()));
        if (!error.isObject()) return Optional.empty();
        String type = text(error, "type");
        if (type == null) type = text(error, "status");
        if (type == null) type = text(error, "code");
        String message = text(error, "message");
        if (type == null && message == null) return Optional.empty();
        return Optional.of(new ErrorBodyParser.ErrorBody(type == null ? "http_error_" + status : type,
                message == null ? "" : message));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
