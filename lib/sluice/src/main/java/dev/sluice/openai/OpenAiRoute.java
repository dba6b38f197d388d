package dev.sluice.openai;

import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.client.ClientOptions;
import dev.sluice.internal.call.client.ClientCore;
import dev.sluice.internal.call.client.ProvidedTokens;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.RequestAuth;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a client reaches OpenAI's Chat Completions and Responses APIs, and what differs on the way:
 * OpenAI's own API or a compatible server ({@link Direct}), Azure OpenAI's v1 API ({@link Azure}),
 * or Amazon Bedrock's OpenAI-compatible endpoints ({@link Bedrock}). The URL, the provider names,
 * the authorization of each attempt, the request id's header and the error bodies are the route's;
 * the requests and the events are OpenAI's, written and decoded unchanged. Immutable and thread-safe.
 */
interface OpenAiRoute {
    /** {@return the Chat Completions URI for this model} */
    URI chatUri(String model);

    /**
     * {@return the Responses API's base, {@code .../responses}, for this model}
     *
     * @param model the model, or null when the request names none (a background response read again by id)
     */
    String responsesUri(@Nullable String model);

    /** {@return the provider name of Chat Completions (observers, opaque state, the catalog's name)} */
    String provider();

    /** {@return the provider name of the Responses API's opaque state} */
    String responsesProvider();

    /** {@return the response header carrying the request id} */
    String requestIdHeader();

    /** {@return how an HTTP error's body is read} */
    ErrorBodyParser errors();

    /** {@return how each attempt is authorized beyond the fixed headers} */
    RequestAuth auth();

    /** {@return the fixed headers that say who is calling: the key's, or none when each attempt is authorized} */
    Map<String, String> headers(ClientOptions options);

    /** {@return where the requests go, for {@code toString()}: never a secret} */
    String describe();

    /**
     * OpenAI's API or a compatible server: {@code <base>/v1/chat/completions} and {@code /v1/responses}
     * (a base that ends in {@code /v1} gets only the rest), {@code Authorization: Bearer} the key.
     *
     * @param base the base URL
     */
    record Direct(URI base) implements OpenAiRoute {
        @Override
        public URI chatUri(String model) {
            return URI.create(apiBase(base) + "/chat/completions");
        }

        @Override
        public String responsesUri(@Nullable String model) {
            return apiBase(base) + "/responses";
        }

        @Override
        public String provider() {
            return OpenAiClient.PROVIDER;
        }

        @Override
        public String responsesProvider() {
            return ResponsesChat.PROVIDER;
        }

        @Override
        public String requestIdHeader() {
            return "x-request-id";
        }

        @Override
        public ErrorBodyParser errors() {
            return ErrorBodyParser.standard();
        }

        @Override
        public RequestAuth auth() {
            return RequestAuth.NONE;
        }

        @Override
        public Map<String, String> headers(ClientOptions options) {
            return Map.of("authorization", "Bearer " + options.apiKey().orElseThrow());
        }

        @Override
        public String describe() {
            return "endpoint=" + chatUri("");
        }

        /** {@return {@code <base>/v1}, or {@code <base>} when it ends in {@code /v1}} */
        static String apiBase(URI base) {
            String s = ClientCore.withoutTrailingSlash(base);
            return s + (s.endsWith("/v1") ? "" : "/v1");
        }
    }

    /**
     * Azure OpenAI's v1 API: {@code <endpoint>/openai/v1/chat/completions} and {@code /openai/v1/responses}
     * (no {@code api-version}), the resource's key as {@code api-key} or an Entra ID token as
     * {@code Authorization: Bearer}; Azure's {@code apim-request-id}, which every answer carries, and
     * its gateway's error codes.
     *
     * @param access the resource's endpoint and authorization
     */
    record Azure(AzureAccess access) implements OpenAiRoute {
        @Override
        public URI chatUri(String model) {
            return URI.create(apiBase(access.endpoint()) + "/chat/completions");
        }

        @Override
        public String responsesUri(@Nullable String model) {
            return apiBase(access.endpoint()) + "/responses";
        }

        @Override
        public String provider() {
            return OpenAiClient.AZURE_PROVIDER;
        }

        @Override
        public String responsesProvider() {
            return OpenAiClient.AZURE_PROVIDER;
        }

        @Override
        public String requestIdHeader() {
            return OpenAiClient.AZURE_REQUEST_ID;
        }

        @Override
        public ErrorBodyParser errors() {
            return ErrorBodyParser.azure();
        }

        @Override
        public RequestAuth auth() {
            return access.tokens().map(ProvidedTokens::bearer).orElse(RequestAuth.NONE);
        }

        @Override
        public Map<String, String> headers(ClientOptions options) {
            Map<String, String> h = new LinkedHashMap<>();
            access.apiKey().ifPresent(key -> h.put("api-key", key));
            return h;
        }

        @Override
        public String describe() {
            return "endpoint=" + chatUri("") + ", " + access;
        }

        /** {@return Azure's v1 API under an endpoint: {@code <endpoint>/openai/v1}, unless the endpoint already ends so (or in {@code /openai})} */
        static String apiBase(URI endpoint) {
            String s = ClientCore.withoutTrailingSlash(endpoint);
            if (s.endsWith("/openai/v1")) return s;
            return s + (s.endsWith("/openai") ? "/v1" : "/openai/v1");
        }
    }

    /**
     * Amazon Bedrock's OpenAI-compatible endpoints: on the runtime host,
     * {@code <endpoint>/openai/v1/chat/completions} and {@code /openai/v1/responses}; on the mantle host,
     * the same under the path the model is served at, {@code /v1} for most and {@code /openai/v1} for
     * some, as AWS lists them (AWS refuses a model on the other with "isn't supported on this route").
     * Each attempt authorized by the access, signed afresh (SigV4 for {@code bedrock} or
     * {@code bedrock-mantle}) or with its Bedrock API key; no key of the client's own is ever sent.
     * The request id is AWS's {@code x-amzn-RequestId}; errors are OpenAI's bodies, or AWS's JSON
     * protocol's for what its front end refuses ({@code x-amzn-ErrorType}).
     *
     * @param access the host, region and authorization
     * @param apiPath the API's path under a mantle endpoint for a model ({@code /v1} or {@code /openai/v1})
     */
    record Bedrock(AwsAccess access, Function<String, String> apiPath) implements OpenAiRoute {
        /** The path of OpenAI's APIs on the runtime host. */
        static final String RUNTIME_PATH = "/openai/v1";
        /** The path of most models' OpenAI APIs on the mantle host. */
        static final String MANTLE_PATH = "/v1";

        private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

        public Bedrock {
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(apiPath, "apiPath");
        }

        /** {@return the API's base for this model: the endpoint and its path} */
        private String api(@Nullable String model) {
            String base = ClientCore.withoutTrailingSlash(access.endpoint());
            if (!access.isMantle()) return base + RUNTIME_PATH;
            if (model == null || model.isBlank()) return base + MANTLE_PATH;
            String path = apiPath.apply(model);
            if (path == null || !PATH.matcher(path).matches()) {
                throw new IllegalStateException("the Bedrock Mantle path of model '" + model
                        + "' is not a path such as /v1 or /openai/v1: " + path);
            }
            return base + path;
        }

        @Override
        public URI chatUri(String model) {
            return URI.create(api(model) + "/chat/completions");
        }

        @Override
        public String responsesUri(@Nullable String model) {
            return api(model) + "/responses";
        }

        @Override
        public String provider() {
            return OpenAiClient.BEDROCK_PROVIDER;
        }

        @Override
        public String responsesProvider() {
            return OpenAiClient.BEDROCK_RESPONSES_PROVIDER;
        }

        @Override
        public String requestIdHeader() {
            return AwsJsonErrors.REQUEST_ID_HEADER;
        }

        @Override
        public ErrorBodyParser errors() {
            return AwsJsonErrors.PARSER;
        }

        @Override
        public RequestAuth auth() {
            return RequestAuth.signing(access::authorization, access);
        }

        @Override
        public Map<String, String> headers(ClientOptions options) {
            return Map.of(); // the access authorizes each attempt; the client's own key goes nowhere
        }

        @Override
        public String describe() {
            return "endpoint=" + ClientCore.withoutTrailingSlash(access.endpoint())
                    + (access.isMantle() ? "{/v1|/openai/v1}" : RUNTIME_PATH) + ", bedrock=" + access;
        }
    }
}
