package dev.sluice.anthropic;

import dev.sluice.internal.call.stream.BodyFraming;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.sse.SseEvent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a client reaches the Messages API, and what differs on the way: Anthropic's own API
 * ({@link Direct}), or Claude through a cloud, whose URL names the model, whose body carries the
 * version in place of the model, whose requests are authorized by the cloud's credentials, and
 * whose response may be framed otherwise ({@link #framing()}). The events themselves are
 * Anthropic's, decoded unchanged and judged by the one set of rules every route shares
 * ({@link AnthropicStreamDecoding#RULES}). Immutable and thread-safe.
 */
interface AnthropicRoute {
    /**
     * {@return the URI a request for {@code model} goes to}
     *
     * @param stream true for a streaming request, false for {@code messages.create}
     */
    URI uri(String model, boolean stream);

    /** {@return the URI of {@code count_tokens} for {@code model}} @throws UnsupportedOperationException where the route has none */
    URI countTokensUri(String model);

    /** {@return the Messages API's JSON body as this route sends it} */
    default String body(String messagesJson, boolean stream) {
        return messagesJson;
    }

    /**
     * {@return the Messages API's JSON body as this route sends it, with the request's beta names}
     * By default the names go in the {@code anthropic-beta} header only and the body is
     * {@link #body(String, boolean)}'s; a route whose API reads them from the body puts them there.
     *
     * @param betas the {@code anthropic-beta} names of the request (the client's and those its fields need)
     */
    default String body(String messagesJson, boolean stream, List<String> betas) {
        return body(messagesJson, stream);
    }

    /**
     * {@return the JSON body of {@code count_tokens} as this route sends it} By default as {@link
     * #body(String, boolean, java.util.List)} sends a message's.
     *
     * @param betas the {@code anthropic-beta} names of the request, as for a message
     */
    default String countTokensBody(String countTokensJson, List<String> betas) {
        return body(countTokensJson, false, betas);
    }

    /** {@return the provider's name for observers ({@code StreamStart.provider()})} */
    default String provider() {
        return AnthropicChunks.PROVIDER;
    }

    /**
     * {@return the headers that say who is calling, added to every request} The key's header on
     * Anthropic's API; the {@code anthropic-version} header goes only where the version is not in
     * the body.
     *
     * @param apiKey the builder's key, or null when the route authorizes otherwise
     * @param anthropicVersion the builder's {@code anthropic-version}
     */
    Map<String, String> headers(@Nullable String apiKey, String anthropicVersion);

    /**
     * {@return the Anthropic event an AWS event stream's message carries, as Anthropic's API sends
     * it (its type and JSON), for a passthrough; null for a message that carries none} Only a route
     * whose {@link #framing()} is an AWS event stream is asked.
     */
    default @Nullable SseEvent verbatim(EventStreamMessage message) {
        return null;
    }

    /** {@return how each attempt is authorized beyond those headers} */
    default RequestAuth auth() {
        return RequestAuth.NONE;
    }

    /** {@return how an HTTP error's body is read} */
    default ErrorBodyParser errors() {
        return ErrorBodyParser.standard();
    }

    /** {@return the response header that carries the request id} */
    default String requestIdHeader() {
        return "request-id";
    }

    /** {@return how a streaming response's body is framed and decoded; by default Anthropic's Server-Sent Events} */
    default BodyFraming<StreamEvent> framing() {
        return AnthropicStreamDecoding.SSE;
    }

    /** {@return what {@code toString()} shows of the route: where it goes, never a secret} */
    String describe();

    /**
     * Anthropic's own API: {@code {base}/v1/messages}, {@code x-api-key} and {@code anthropic-version}.
     *
     * @param base the base URL without a trailing slash
     */
    record Direct(String base) implements AnthropicRoute {
        @Override
        public URI uri(String model, boolean stream) {
            return URI.create(base + "/v1/messages");
        }

        @Override
        public URI countTokensUri(String model) {
            return URI.create(base + "/v1/messages/count_tokens");
        }

        @Override
        public Map<String, String> headers(@Nullable String apiKey, String anthropicVersion) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("x-api-key", Objects.requireNonNull(apiKey, "the builder requires a key for Anthropic's API"));
            h.put("anthropic-version", anthropicVersion);
            return h;
        }

        @Override
        public String describe() {
            return "endpoint=" + base + "/v1/messages";
        }
    }
}
