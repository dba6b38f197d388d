package dev.sluice.testkit.internal.wire.vertex;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.CarriedWire;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.internal.wire.anthropic.AnthropicWire;
import dev.sluice.testkit.internal.wire.gemini.GeminiWire;
import java.util.Map;

/**
 * Claude on Google Vertex AI, {@code POST /v1/projects/{project}/locations/{location}/publishers/anthropic/models/{model}:streamRawPredict}
 * (Server-Sent Events) and {@code :rawPredict} (one message), with {@code .../models/count-tokens:rawPredict}
 * (the count, whose body names the model): the caller checked as {@link VertexPath} says; the body
 * is the Messages request with {@code "anthropic_version": "vertex-2023-10-16"} and without
 * {@code model} (the path names it), with {@code "stream": true} for {@code streamRawPredict}, checked
 * otherwise as {@link AnthropicWire} checks it and answered with the very events it sends. Errors of
 * Vertex AI's front end have Google's shape (HTTP 401 {@code UNAUTHENTICATED}, 403
 * {@code PERMISSION_DENIED}, 404 {@code NOT_FOUND}, 429 {@code RESOURCE_EXHAUSTED}); the model's own
 * (an invalid request, an overload) Anthropic's.
 */
public final class VertexAnthropicWire implements CarriedWire {
    static final String VERSION = "vertex-2023-10-16";
    static final String COUNT_TOKENS_MODEL = "count-tokens";
    private final AnthropicWire anthropic;

    /** @param opaque the server's issuer of opaque values (thinking signatures) */
    public VertexAnthropicWire(OpaqueSigner opaque) {
        this.anthropic = new AnthropicWire(opaque);
    }

    @Override
    public WireFormat carried() {
        return anthropic;
    }

    @Override
    public boolean serves(String path) {
        return VertexPath.serves(path, "anthropic", "streamRawPredict", "rawPredict");
    }

    /** {@return whether the path is Vertex AI's count of Claude's tokens} */
    public boolean countsTokens(String path) {
        VertexPath p = VertexPath.of(path);
        return p != null // whenever it serves the path
                && serves(path)
                && p.model().equals(COUNT_TOKENS_MODEL)
                && p.method().equals("rawPredict");
    }

    /** {@return the Anthropic format, which reads a count's body once {@link #countTokensBody} has made it Anthropic's} */
    public AnthropicWire anthropic() {
        return anthropic;
    }

    /**
     * {@return a count's body as Anthropic's API takes it: the version checked and removed}
     *
     * @throws ApiError INVALID_REQUEST when the version is not Vertex AI's
     */
    public JsonNode countTokensBody(JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) throw ApiError.invalid("Input should be a valid JSON object");
        checkVersion(body);
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.remove("anthropic_version");
        return copy;
    }

    @Override
    public String requestIdHeader() {
        return anthropic.requestIdHeader();
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return Map.of(); // Vertex AI sends none of Anthropic's rate-limit headers
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        throw new IllegalStateException("Vertex AI checks the path too: checkRequest");
    }

    @Override
    public void checkRequest(String method, String target, Headers headers, byte[] body) throws ApiError {
        VertexPath.checkTarget(target, headers);
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        anthropic.countForeignTurns(body);
        VertexPath p = VertexPath.of(path);
        return FakeRequest.lenient(
                p == null ? "" : p.model(), body, p != null && p.method().equals("streamRawPredict"), true);
    }

    @Override
    public FakeRequest peekStructured(String path, JsonNode body) {
        return peek(path, body).withConversation(tools(body), turns(body)).withOutput(toolChoice(body), format(body));
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        VertexPath p = VertexPath.served(path);
        if (body == null || !body.isObject()) throw ApiError.invalid("Input should be a valid JSON object");
        if (body.has("model")) {
            throw ApiError.invalid("model: Extra inputs are not permitted (the URL names the model on Vertex AI)");
        }
        checkVersion(body);
        boolean stream = p.method().equals("streamRawPredict");
        if (stream != body.path("stream").asBoolean(false)) {
            throw ApiError.invalid("stream: " + p.method()
                    + (stream ? " needs \"stream\": true" : " answers whole: leave \"stream\" out"));
        }
        ObjectNode asMessages = ((ObjectNode) body).deepCopy();
        asMessages.remove("anthropic_version");
        asMessages.put("model", p.model());
        return anthropic.parse(AnthropicWire.PATH, asMessages);
    }

    private static void checkVersion(JsonNode body) throws ApiError {
        if (!VERSION.equals(body.path("anthropic_version").asText(""))) {
            throw ApiError.invalid("anthropic_version: Input should be '" + VERSION + "' (got "
                    + (body.has("anthropic_version") ? Json.write(body.required("anthropic_version")) : "none") + ")");
        }
    }

    @Override
    public Rendered error(ApiError e, String requestId) {
        return switch (e.kind()) {
            case AUTHENTICATION -> new Rendered(401, GeminiWire.errorBody(401, e.getMessage(), "UNAUTHENTICATED"));
            case NOT_FOUND -> new Rendered(404, GeminiWire.errorBody(404, e.getMessage(), "NOT_FOUND"));
            case RATE_LIMITED ->
                new Rendered(
                        429,
                        GeminiWire.errorBody(
                                429,
                                "Quota exceeded for"
                                        + " aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude."
                                        + " Please submit a quota increase request.",
                                "RESOURCE_EXHAUSTED"));
            case OTHER ->
                e.otherType().matches("[A-Z_]+")
                        ? new Rendered(e.status(), GeminiWire.errorBody(e.status(), e.getMessage(), e.otherType()))
                        : anthropic.error(e, requestId);
            default -> anthropic.error(e, requestId);
        };
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        return anthropic.streamRenderer(request, reply);
    }
}
