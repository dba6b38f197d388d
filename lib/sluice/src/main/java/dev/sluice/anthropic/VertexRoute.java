package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.internal.low.json.Json;
import dev.sluice.vertex.VertexAccess;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Claude on Google Vertex AI: {@code POST .../publishers/anthropic/models/{model}:streamRawPredict}
 * (a stream) or {@code :rawPredict} ({@code messages.create}), and
 * {@code .../publishers/anthropic/models/count-tokens:rawPredict}, as Anthropic's own Vertex SDKs
 * send them: the Messages body without {@code model} (the URL names it) and with
 * {@code "anthropic_version":"vertex-2023-10-16"} first, {@code "stream":true} for a stream; the
 * count's body keeps its {@code model}. Each attempt carries {@code Authorization: Bearer} and a
 * token of the {@link VertexAccess}; there is no API key and no {@code anthropic-version} header. The
 * response is Anthropic's, as Server-Sent Events. Immutable and thread-safe.
 *
 * @param access the project, location, base URL and tokens
 */
record VertexRoute(VertexAccess access) implements AnthropicRoute {
    /** The {@code anthropic_version} Vertex AI wants in the body. */
    static final String VERSION = "vertex-2023-10-16";

    VertexRoute {
        Objects.requireNonNull(access, "access");
    }

    @Override
    public URI uri(String model, boolean stream) {
        return access.modelUri("anthropic", model, stream ? "streamRawPredict" : "rawPredict");
    }

    @Override
    public URI countTokensUri(String model) {
        return access.modelUri("anthropic", "count-tokens", "rawPredict");
    }

    @Override
    public String body(String messagesJson, boolean stream) {
        return rewrite(messagesJson, true, stream);
    }

    @Override
    public String countTokensBody(String countTokensJson, List<String> betas) { // betas: in the header
        return rewrite(countTokensJson, false, false);
    }

    @Override
    public Map<String, String> headers(@Nullable String apiKey, String anthropicVersion) {
        return Map.of();
    }

    @Override
    public RequestAuth auth() {
        return ProvidedTokens.bearer(access::token);
    }

    @Override
    public String provider() {
        return "vertex-anthropic";
    }

    @Override
    public String describe() {
        return "vertex=" + access;
    }

    /**
     * {@return the body with {@code anthropic_version} first, then the other top-level fields as they
     * were (values copied token by token, numbers as written), {@code model} dropped when asked and
     * {@code stream} set to true for a stream, left out otherwise}
     */
    private static String rewrite(String json, boolean dropModel, boolean stream) {
        StringWriter out = new StringWriter(json.length() + 48);
        try (JsonParser p = Json.parser(json);
                JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalStateException("a request body is not a JSON object");
            g.writeStartObject();
            g.writeStringField("anthropic_version", VERSION);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("anthropic_version") || name.equals("stream") || (dropModel && name.equals("model"))) {
                    p.skipChildren();
                    continue;
                }
                g.writeFieldName(name);
                g.copyCurrentStructure(p);
            }
            if (stream) g.writeBooleanField("stream", true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("the request's own JSON could not be read back", e); // a bug
        }
        return out.toString();
    }
}
