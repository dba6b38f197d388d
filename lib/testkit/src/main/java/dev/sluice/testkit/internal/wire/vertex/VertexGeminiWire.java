package dev.sluice.testkit.internal.wire.vertex;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.CarriedWire;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.internal.wire.gemini.GeminiWire;

/**
 * Gemini on Google Vertex AI, {@code POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent?alt=sse}
 * (and {@code :generateContent}): the caller checked as {@link VertexPath} says, then the request
 * read and answered exactly as {@link GeminiWire} reads and answers Gemini's own API, but with its
 * own signing key (a signature of Gemini's own API is foreign here), Vertex AI's text for a missing
 * thought signature, and streamed function-call arguments taken. Errors have
 * Google's shape; a missing or unknown token is HTTP 401 {@code UNAUTHENTICATED}.
 */
public final class VertexGeminiWire implements CarriedWire {
    private final GeminiWire gemini;

    public VertexGeminiWire() {
        this.gemini = new GeminiWire(true);
    }

    @Override
    public WireFormat carried() {
        return gemini;
    }

    @Override
    public boolean serves(String path) {
        return VertexPath.serves(path, "google", "streamGenerateContent", "generateContent");
    }

    /** {@return the path of the same request on Gemini's own API} */
    private static String geminiPath(String path) {
        VertexPath p = VertexPath.of(path);
        return p == null ? path : GeminiWire.PREFIX + p.model() + ":" + p.method();
    }

    @Override
    public String requestIdHeader() {
        return gemini.requestIdHeader();
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
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        return gemini.parse(geminiPath(path), body);
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        return gemini.peek(geminiPath(path), body);
    }

    @Override
    public FakeRequest peekStructured(String path, JsonNode body) {
        return gemini.peekStructured(geminiPath(path), body);
    }

    @Override
    public boolean thinks() {
        return gemini.thinks();
    }

    /** As Gemini's API, but a caller without a valid token is HTTP 401 {@code UNAUTHENTICATED}, as Vertex AI answers. */
    @Override
    public Rendered error(ApiError e, String requestId) {
        if (e.kind() == ApiError.Kind.AUTHENTICATION) {
            return new Rendered(401, GeminiWire.errorBody(401, e.getMessage(), "UNAUTHENTICATED"));
        }
        return gemini.error(e, requestId);
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        return gemini.streamRenderer(request, reply);
    }
}
