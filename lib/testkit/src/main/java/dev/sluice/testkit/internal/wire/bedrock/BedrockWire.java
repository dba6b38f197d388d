package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.WireFormat;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What Amazon Bedrock Runtime's two streaming routes share, {@code POST /model/{modelId}/...}: the
 * model in the path (percent-decoded, so an ARN's slashes are part of it), authentication (AWS
 * Signature Version 4 with the {@linkplain FakeBedrock test key}, checked as AWS does, or a
 * {@code Bearer} Bedrock API key), the {@code x-amzn-RequestId} header, errors as AWS's JSON
 * protocol writes them (status, {@code {"message":...}}, {@code x-amzn-ErrorType}), and event stream
 * framing: each event written as an AWS event stream message whose {@code :event-type} is the
 * event's type, or, for a type ending in {@code Exception}, an {@code exception} message.
 */
abstract class BedrockWire implements WireFormat {
    static final String PREFIX = "/model/";
    private static final String ERROR_NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** {@return the route's last path segment, such as {@code /converse-stream}} */
    abstract String suffix();

    @Override
    public boolean serves(String path) {
        return path.startsWith(PREFIX)
                && path.endsWith(suffix())
                && path.length() > PREFIX.length() + suffix().length();
    }

    /** {@return the model id of a path this format serves, or "" } */
    String model(String path) {
        return serves(path) ? path.substring(PREFIX.length(), path.length() - suffix().length()) : "";
    }

    @Override
    public String requestIdHeader() {
        return "x-amzn-RequestId";
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        throw new IllegalStateException("Bedrock checks the whole request: checkRequest");
    }

    @Override
    public void checkRequest(String method, String target, Headers headers, byte[] body) throws ApiError {
        authenticate(method, target, headers, body, FakeBedrock.SIGNING_NAME);
    }

    /**
     * Checks a request's authentication as a Bedrock host does: a SigV4 signature of the test key for
     * the host's signing name, or {@code Authorization: Bearer} the test API key.
     *
     * @param signingName the service the host wants signatures for: {@code bedrock} (runtime) or
     *     {@code bedrock-mantle}
     * @throws ApiError 403 of AWS's type and message
     */
    public static void authenticate(String method, String target, Headers headers, byte[] body, String signingName)
            throws ApiError {
        String authorization = headers.getFirst("authorization");
        if (authorization == null || authorization.isBlank()) {
            throw SigV4Check.forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (!authorization.substring(7).strip().equals(FakeBedrock.API_KEY)) {
                throw SigV4Check.forbidden(
                        "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.");
            }
            return;
        }
        if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw SigV4Check.forbidden(
                    "IncompleteSignatureException",
                    "Authorization header requires 'Credential' parameter."
                            + " Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
        }
        SigV4Check.verify(method, target, headers, body, authorization, Instant.now(), signingName);
    }

    /**
     * {@return whether a request's credentials are AWS's: a SigV4 signature, or a Bedrock API key
     * (the test key, or one shaped as AWS's: {@code ABSK...}, {@code bedrock-api-key-...})}
     */
    public static boolean carriesAwsCredentials(Headers headers) {
        String authorization = headers.getFirst("authorization");
        if (authorization == null) return false;
        if (authorization.startsWith("AWS4-HMAC-SHA256 ")) return true;
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        String token = authorization.substring(7).strip();
        return token.equals(FakeBedrock.API_KEY) || token.startsWith("ABSK") || token.startsWith("bedrock-api-key-");
    }

    @Override
    public String streamContentType() {
        return EventStreamFrames.CONTENT_TYPE;
    }

    @Override
    public byte[] encode(SseEvent event) {
        String type = Objects.requireNonNull(event.type(), "a Bedrock event has a type");
        return type.endsWith("Exception")
                ? EventStreamFrames.exception(type, event.data())
                : EventStreamFrames.event(type, event.data());
    }

    @Override
    public Rendered error(ApiError e, String requestId) {
        return awsError(e);
    }

    /** {@return the error as AWS's JSON protocol writes it: its status, {@code {"message":...}} and {@code x-amzn-ErrorType}} */
    static Rendered awsError(ApiError e) {
        record Shape(int status, String type) {}
        Shape shape = switch (e.kind()) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> new Shape(400, "ValidationException");
            case AUTHENTICATION -> new Shape(403, "AccessDeniedException");
            case NOT_FOUND -> new Shape(404, "ResourceNotFoundException");
            case METHOD_NOT_ALLOWED -> new Shape(405, "UnknownOperationException");
            case RATE_LIMITED -> new Shape(429, "ThrottlingException");
            case OVERLOADED -> new Shape(503, "ServiceUnavailableException");
            case OTHER -> new Shape(e.status(), e.otherType());
        };
        String message = switch (e.kind()) {
            case RATE_LIMITED -> "Too many requests, please wait before trying again.";
            case OVERLOADED -> "Bedrock is unable to process your request.";
            default -> e.getMessage();
        };
        ObjectNode body = Json.object();
        body.put("message", message);
        return new Rendered(
                shape.status(), Json.write(body), Map.of("x-amzn-ErrorType", shape.type() + ERROR_NAMESPACE));
    }

    /** {@return the JSON object with AWS's {@code "p"} padding added last, its length varying with the event's, as AWS pads events against length analysis} */
    static String padded(ObjectNode payload) {
        String json = Json.write(payload);
        payload.put("p", PADDING.substring(0, 1 + Math.floorMod(json.hashCode(), PADDING.length())));
        return Json.write(payload);
    }

    /** {@return an {@code exception} event of this type with {@code {"message":...}} and any more fields} */
    static SseEvent exception(String type, ObjectNode payload) {
        return SseEvent.of(type, Json.write(payload));
    }

    /**
     * {@return the in-stream error of {@code fake-error-mid-stream}: a {@code modelStreamErrorException}
     * carrying the model's overload; or, for a script's {@code type} (such as {@code throttlingException}),
     * an exception message of that type with {@code {"message":...}}}
     */
    static SseEvent modelStreamError(@Nullable String type, @Nullable String message) {
        ObjectNode e = Json.object();
        if (type != null) {
            e.put("message", message);
            return exception(type, e);
        }
        e.put("message", message != null ? message : "The model's stream was interrupted: Overloaded");
        e.put("originalStatusCode", 529);
        e.put("originalMessage", message != null ? message : "Overloaded");
        return exception("modelStreamErrorException", e);
    }

    /** {@return the whole milliseconds since {@code startNanos}, at least 1: the latency a stream reports} */
    static long millisSince(long startNanos) {
        return Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
