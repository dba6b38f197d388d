package dev.sluice.internal.low.aws;

import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.json.Json;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;

/**
 * The error responses of AWS's JSON protocols (Bedrock Runtime's among them): the type is the
 * {@code x-amzn-ErrorType} header before its first colon
 * ({@code ValidationException:http://internal.amazon.com/...}), else the body's {@code __type}
 * (after its last {@code #}); the message the body's {@code message} (or {@code Message}). Another
 * body falls back to the standard parser. Shared by every client of Bedrock Runtime (Converse, and
 * Claude's Messages through Bedrock). Stateless.
 */
public final class AwsJsonErrors {
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
            } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException notJson) {
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

    private static String string(Map<?, ?> o, String name) {
        return o.get(name) instanceof String s ? s : "";
    }
}
