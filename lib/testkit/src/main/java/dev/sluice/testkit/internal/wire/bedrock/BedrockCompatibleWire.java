package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.CarriedWire;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.OpaqueSigner;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.internal.wire.anthropic.AnthropicWire;
import dev.sluice.testkit.internal.wire.openai.OpenAiResponsesWire;
import dev.sluice.testkit.internal.wire.openai.OpenAiWire;
import java.util.List;
import java.util.Map;

/**
 * An API Amazon Bedrock serves in another provider's own wire format: OpenAI's Chat Completions and
 * Responses on the runtime host ({@code /openai/v1/...}, signed for {@code bedrock}) and on the mantle
 * host ({@code /v1/...} or {@code /openai/v1/...}, signed for {@code bedrock-mantle}), and Anthropic's
 * Messages on the mantle host ({@code /anthropic/v1/messages}, with its {@code anthropic-version}
 * header). The fake serves the mantle host under {@link FakeBedrock#MANTLE_PATH} of its base URL (its
 * one host stands for both), and claims the runtime's {@code /openai/v1/...}, which Azure's routes share,
 * only for a request that carries AWS's credentials (a SigV4 signature or a Bedrock API key).
 * Authentication is AWS's, checked as {@link BedrockWire} checks it for the host's signing name, and
 * what it refuses is AWS's 403 ({@code x-amzn-ErrorType}); the request, the stream and every other error
 * are the carried API's, unchanged. {@code x-amzn-RequestId} on every answer.
 */
public final class BedrockCompatibleWire implements CarriedWire {
    /** The APIs served. */
    public enum Api {
        /** Chat Completions on the runtime host. */
        RUNTIME_CHAT,
        /** The Responses API on the runtime host. */
        RUNTIME_RESPONSES,
        /** Chat Completions on the mantle host. */
        MANTLE_CHAT,
        /** The Responses API on the mantle host. */
        MANTLE_RESPONSES,
        /** Anthropic's Messages on the mantle host. */
        MANTLE_MESSAGES
    }

    /** The path of Anthropic's Messages on the fake's mantle host. */
    public static final String MANTLE_MESSAGES_PATH = FakeBedrock.MANTLE_PATH + "/anthropic" + AnthropicWire.PATH;

    private final Api api;
    private final WireFormat carried;
    private final List<String> paths;

    /** @param opaque the server's issuer of opaque values, for the wire it carries */
    public BedrockCompatibleWire(Api api, OpaqueSigner opaque) {
        this.api = api;
        this.carried = switch (api) {
            case RUNTIME_CHAT, MANTLE_CHAT -> new OpenAiWire();
            case RUNTIME_RESPONSES, MANTLE_RESPONSES -> new OpenAiResponsesWire();
            case MANTLE_MESSAGES -> new AnthropicWire(opaque);
        };
        String m = FakeBedrock.MANTLE_PATH;
        this.paths = switch (api) {
            case RUNTIME_CHAT -> List.of("/openai" + OpenAiWire.PATH);
            case RUNTIME_RESPONSES -> List.of("/openai" + OpenAiResponsesWire.PATH);
            case MANTLE_CHAT -> List.of(m + OpenAiWire.PATH, m + "/openai" + OpenAiWire.PATH);
            case MANTLE_RESPONSES -> List.of(m + OpenAiResponsesWire.PATH, m + "/openai" + OpenAiResponsesWire.PATH);
            case MANTLE_MESSAGES -> List.of(MANTLE_MESSAGES_PATH);
        };
    }

    private boolean mantle() {
        return api != Api.RUNTIME_CHAT && api != Api.RUNTIME_RESPONSES;
    }

    private String signingName() {
        return mantle() ? FakeBedrock.MANTLE_SIGNING_NAME : FakeBedrock.SIGNING_NAME;
    }

    private String carriedPath() {
        return switch (api) {
            case RUNTIME_CHAT, MANTLE_CHAT -> OpenAiWire.PATH;
            case RUNTIME_RESPONSES, MANTLE_RESPONSES -> OpenAiResponsesWire.PATH;
            case MANTLE_MESSAGES -> AnthropicWire.PATH;
        };
    }

    @Override
    public WireFormat carried() {
        return carried;
    }

    /** {@return whether the path is one of this API's; on the runtime host, only with AWS's credentials: see {@link #serves(String, Headers)}} */
    @Override
    public boolean serves(String path) {
        return mantle() && paths.contains(path);
    }

    @Override
    public boolean serves(String path, Headers headers) {
        return paths.contains(path) && (mantle() || BedrockWire.carriesAwsCredentials(headers));
    }

    @Override
    public String requestIdHeader() {
        return "x-amzn-RequestId";
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return Map.of();
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        throw new IllegalStateException("Bedrock checks the whole request: checkRequest");
    }

    /** {@inheritDoc} AWS's authentication for the host's signing name; on Messages, {@code anthropic-version} too. */
    @Override
    public void checkRequest(String method, String target, Headers headers, byte[] body) throws ApiError {
        String key = headers.getFirst("x-api-key");
        if (api == Api.MANTLE_MESSAGES && key != null && headers.getFirst("authorization") == null) {
            // AWS's own curl example sends the Bedrock API key as x-api-key on mantle's Messages
            if (!key.strip().equals(FakeBedrock.API_KEY)) {
                throw SigV4Check.forbidden(
                        "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.");
            }
        } else {
            BedrockWire.authenticate(method, target, headers, body, signingName());
        }
        if (api == Api.MANTLE_MESSAGES) {
            String version = headers.getFirst("anthropic-version");
            if (version == null || version.isBlank()) throw ApiError.invalid("anthropic-version: header is required");
        }
    }

    @Override
    public String streamContentType() {
        return carried.streamContentType();
    }

    @Override
    public FakeRequest parse(String path, JsonNode body) throws ApiError {
        return carried.parse(carriedPath(), body);
    }

    @Override
    public FakeRequest peek(String path, JsonNode body) {
        return carried.peek(carriedPath(), body);
    }

    @Override
    public FakeRequest peekStructured(String path, JsonNode body) {
        return carried.peekStructured(carriedPath(), body);
    }

    @Override
    public boolean thinks() {
        return carried.thinks();
    }

    /** {@inheritDoc} What AWS's front end refuses (a signature, a key: a 403) is AWS's; the rest the carried API's. */
    @Override
    public Rendered error(ApiError e, String requestId) {
        if (e.kind() == ApiError.Kind.OTHER && e.status() == 403) return BedrockWire.awsError(e);
        return carried.error(e, requestId);
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        return carried.streamRenderer(request, reply);
    }
}
