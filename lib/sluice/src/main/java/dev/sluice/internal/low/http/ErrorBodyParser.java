package dev.sluice.internal.low.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a provider's error response body into an error type and message. Each provider may pass
 * its own; {@link #standard()} understands the shapes of Anthropic, OpenAI and Gemini.
 */
@FunctionalInterface
public interface ErrorBodyParser {

    /**
     * Reads an error body in the provider's format.
     *
     * @param status the HTTP status
     * @param body the body, decoded as UTF-8 (possibly truncated, possibly empty)
     * @return what the body says, or empty when it is not in the provider's format; then the
     *     transport uses {@code http_error_NNN} as the type and the body, truncated, as the message
     */
    Optional<ErrorBody> parse(int status, String body);

    /**
     * As {@link #parse(int, String)}, with the response's headers, for a provider that names the
     * error type in a header (Bedrock's {@code x-amzn-ErrorType}). The transport calls this one; by
     * default it reads the body alone.
     *
     * @param status the HTTP status
     * @param headers the response's headers
     * @param body the body, decoded as UTF-8 (possibly truncated, possibly empty)
     * @return what the response says, or empty as {@link #parse(int, String)}
     */
    default Optional<ErrorBody> parse(int status, HttpHeaders headers, String body) {
        return parse(status, body);
    }

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
     * {@code error} itself when it is a string. Empty when the body is not such JSON. Only the
     * body's first JSON value is read: what follows it is ignored.
     */
    static ErrorBodyParser standard() {
        return StandardErrorBody.PARSER;
    }

    /**
     * {@return a parser for Azure's answers: {@link #standard()}'s, except that a code that is the
     * HTTP status itself, as Azure's API gateway writes it ({@code {"error":{"code":"401","message":
     * "Access denied due to invalid subscription key..."}}}, {@code "429"}), is the type
     * {@code http_error_NNN}, as for a body without a type} Other codes ({@code DeploymentNotFound},
     * {@code content_filter}) are the type as they are.
     */
    static ErrorBodyParser azure() {
        return AzureErrorBody.PARSER;
    }
}

/** The {@link ErrorBodyParser#azure()} implementation. */
final class AzureErrorBody implements ErrorBodyParser {
    static final ErrorBodyParser PARSER = new AzureErrorBody();

    private AzureErrorBody() {}

    @Override
    public Optional<ErrorBodyParser.ErrorBody> parse(int status, String body) {
        return StandardErrorBody.PARSER
                .parse(status, body)
                .map(e -> e.type().matches("[0-9]{3}")
                        ? new ErrorBodyParser.ErrorBody("http_error_" + e.type(), e.message())
                        : e);
    }
}

/** The {@link ErrorBodyParser#standard()} implementation. */
final class StandardErrorBody implements ErrorBodyParser {
    /** The one instance (a class, not a method reference: a fresh JVM links each one the first time it runs). */
    static final ErrorBodyParser PARSER = new StandardErrorBody();

    private StandardErrorBody() {}

    @Override
    public Optional<ErrorBodyParser.ErrorBody> parse(int status, String body) {
        Object error =
                null; // Json (Jackson's factory) is loaded at the first error body, not when a transport is built
        try (JsonParser p = Json.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty(); // also for a body that is not JSON
            JsonToken t;
            while ((t = p.nextToken())
                    == JsonToken.FIELD_NAME) { // all of it: malformed JSON anywhere is not the format
                boolean isError = p.currentName().equals("error");
                JsonToken v = p.nextToken();
                if (isError) error = Json.readValue(p, v); // a repeated member: the last wins
                else p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (error instanceof String s) return Optional.of(new ErrorBodyParser.ErrorBody("http_error_" + status, s));
        if (!(error instanceof Map<?, ?> fields)) return Optional.empty();
        String type = text(fields, "type");
        if (type == null) type = text(fields, "status");
        if (type == null) type = text(fields, "code");
        String message = text(fields, "message");
        if (type == null && message == null) return Optional.empty();
        return Optional.of(new ErrorBodyParser.ErrorBody(
                type == null ? "http_error_" + status : type, message == null ? "" : message));
    }

    private static @Nullable String text(Map<?, ?> object, String field) {
        return object.get(field) instanceof String s && !s.isBlank() ? s : null;
    }
}
