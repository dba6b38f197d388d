package dev.sluice.anthropic;

import dev.sluice.aws.AwsAccess;
import dev.sluice.internal.low.http.RequestAuth;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Claude's Messages API on Amazon Bedrock's mantle host
 * (<a href="https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html">AWS: Inference
 * using Anthropic Messages API</a>): {@code POST {endpoint}/anthropic/v1/messages} (and
 * {@code /anthropic/v1/messages/count_tokens}), the Messages body unchanged ({@code model} in it, with
 * the model ids mantle lists, such as {@code anthropic.claude-opus-4-8}), the
 * {@code anthropic-version: 2023-06-01} header, and each attempt authorized by the access at the mantle
 * host: SigV4 for the service {@code bedrock-mantle}, or a Bedrock API key ({@code Authorization:
 * Bearer}), as anthropic-java's {@code BedrockMantleBackend} sends them. The stream is Anthropic's
 * Server-Sent Events, decoded unchanged. The request id is AWS's {@code x-amzn-RequestId}; an error's
 * body is Anthropic's, or AWS's JSON protocol's for what its front end refuses.
 *
 * @param base the mantle endpoint without a trailing slash
 * @param access the region and the authorization, at the mantle host
 */
record BedrockMantleRoute(String base, AwsAccess access) implements BedrockHosted {
    /** The path of the Messages API under a mantle endpoint. */
    static final String PATH = "/anthropic/v1/messages";

    BedrockMantleRoute {
        Objects.requireNonNull(base, "base");
        if (!Objects.requireNonNull(access, "access").isMantle())
            throw new IllegalArgumentException("the access is not at the mantle host: use access.mantle()");
    }

    @Override
    public URI uri(String model, boolean stream) {
        return URI.create(base + PATH);
    }

    @Override
    public URI countTokensUri(String model) {
        return URI.create(base + PATH + "/count_tokens");
    }

    /** {@inheritDoc} The version as a header, as mantle wants it; the access authorizes each attempt. */
    @Override
    public Map<String, String> headers(@Nullable String apiKey, String anthropicVersion) {
        return Map.of("anthropic-version", anthropicVersion);
    }

    @Override
    public RequestAuth auth() {
        return RequestAuth.signing(access::authorization, access);
    }

    @Override
    public String provider() {
        return "bedrock-mantle-anthropic";
    }

    @Override
    public String describe() {
        return "endpoint=" + base + PATH + ", bedrock=" + access;
    }
}
