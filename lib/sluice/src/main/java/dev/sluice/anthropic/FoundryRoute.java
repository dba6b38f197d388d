package dev.sluice.anthropic;

import dev.sluice.azure.AzureAccess;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.RequestAuth;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Claude on Microsoft Foundry: the Messages API unchanged ({@code model} names the deployment and
 * stays in the body, the stream is Anthropic's) at {@code {base}/v1/messages}, where the base is
 * the access's endpoint ({@code https://{resource}.services.ai.azure.com/anthropic}; an endpoint
 * without a path, as anthropic-java's {@code FoundryBackend} takes it, gets {@code /anthropic}),
 * with {@code anthropic-version} and either the resource's key as {@code x-api-key} or an Entra ID
 * token as {@code Authorization: Bearer}. The request id is Azure's {@code apim-request-id}, which
 * every answer carries (the gateway's refusals too). Immutable and thread-safe.
 *
 * @param access the endpoint and authorization
 */
record FoundryRoute(AzureAccess access) implements AnthropicRoute {
    /** {@return the Anthropic base URL of an endpoint} */
    String base() {
        String s = access.endpoint().toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        String path = access.endpoint().getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? s + "/anthropic" : s;
    }

    @Override
    public URI uri(String model, boolean stream) {
        return URI.create(base() + "/v1/messages");
    }

    @Override
    public URI countTokensUri(String model) {
        return URI.create(base() + "/v1/messages/count_tokens");
    }

    @Override
    public Map<String, String> headers(@Nullable String apiKey, String anthropicVersion) {
        Map<String, String> h = new LinkedHashMap<>();
        access.apiKey().ifPresent(key -> h.put("x-api-key", key));
        h.put("anthropic-version", anthropicVersion);
        return h;
    }

    @Override
    public RequestAuth auth() {
        return access.tokens().map(ProvidedTokens::bearer).orElse(RequestAuth.NONE);
    }

    /** Azure's: its gateway's numeric codes are {@code http_error_NNN}; Claude's errors are Anthropic's. */
    @Override
    public String provider() {
        return "foundry-anthropic";
    }

    @Override
    public ErrorBodyParser errors() {
        return ErrorBodyParser.azure();
    }

    @Override
    public String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    public String describe() {
        return "endpoint=" + base() + "/v1/messages, foundry=" + access;
    }
}
