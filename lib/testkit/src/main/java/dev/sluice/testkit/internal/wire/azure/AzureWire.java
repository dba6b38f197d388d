package dev.sluice.testkit.internal.wire.azure;

import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
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
import dev.sluice.testkit.internal.wire.openai.OpenAiResponsesWire;
import dev.sluice.testkit.internal.wire.openai.OpenAiWire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An API served on Microsoft Azure, as the Azure routes of the fake speak it: Azure OpenAI's v1
 * API ({@code /openai/v1/chat/completions}, {@code /openai/v1/responses}) and Claude on Microsoft
 * Foundry ({@code /anthropic/v1/messages}), each the wire format it carries ({@link OpenAiWire},
 * {@link OpenAiResponsesWire}, {@link AnthropicWire}) under Azure's gateway: the resource's key
 * ({@link FakeAzure#API_KEY}, as {@code api-key} or, on Foundry, {@code x-api-key}) or a bearer token
 * the fake's Entra ID issued ({@link AzureEntra}), else a 401
 * {@code {"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint..."}}};
 * {@code apim-request-id} on every answer; a rate limit is a 429 {@code {"error":{"code":"429",...}}}
 * with {@code retry-after} and {@code retry-after-ms}; a model it does not know a 404
 * {@code DeploymentNotFound}. A Chat Completions stream begins as Azure's does, with a chunk of empty
 * {@code choices} and the prompt's {@code prompt_filter_results}, and each content chunk's choice
 * carries its {@code content_filter_results}. Other errors are the carried API's own.
 */
public final class AzureWire implements CarriedWire {
    public enum Api {
        CHAT,
        RESPONSES,
        FOUNDRY
    }

    static final String CHAT_PATH = "/openai" + OpenAiWire.PATH;
    static final String RESPONSES_PATH = "/openai" + OpenAiResponsesWire.PATH;
    public static final String FOUNDRY_PATH = "/anthropic" + AnthropicWire.PATH;

    private final Api api;
    private final WireFormat carried;
    private final AzureEntra entra;

    public AzureWire(Api api, AzureEntra entra) {
        this(api, entra, new OpaqueSigner());
    }

    /** @param opaque the server's issuer of opaque values, for the wire it carries */
    public AzureWire(Api api, AzureEntra entra, OpaqueSigner opaque) {
        this.api = api;
        this.entra = entra;
        this.carried = switch (api) {
            case CHAT -> new OpenAiWire();
            case RESPONSES -> new OpenAiResponsesWire();
            case FOUNDRY -> new AnthropicWire(opaque);
        };
    }

    private String path() {
        return switch (api) {
            case CHAT -> CHAT_PATH;
            case RESPONSES -> RESPONSES_PATH;
            case FOUNDRY -> FOUNDRY_PATH;
        };
    }

    private String carriedPath() {
        return switch (api) {
            case CHAT -> OpenAiWire.PATH;
            case RESPONSES -> OpenAiResponsesWire.PATH;
            case FOUNDRY -> AnthropicWire.PATH;
        };
    }

    @Override
    public WireFormat carried() {
        return carried;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(path());
    }

    @Override
    public String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    public Map<String, String> rateLimitHeaders() {
        return api == Api.FOUNDRY
                ? carried.rateLimitHeaders()
                : Map.of(
                        "x-ratelimit-limit-requests",
                        "1000",
                        "x-ratelimit-remaining-requests",
                        "999",
                        "x-ratelimit-remaining-tokens",
                        "149000");
    }

    @Override
    public void checkHeaders(Headers headers) throws ApiError {
        String key = headers.getFirst(api == Api.FOUNDRY ? "x-api-key" : "api-key");
        String auth = headers.getFirst("authorization");
        boolean keyed = FakeAzure.API_KEY.equals(key);
        boolean bearer = auth != null
                && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && entra.issued(auth.substring(7).strip());
        if (!keyed && !bearer) {
            throw new ApiError(
                    ApiError.Kind.AUTHENTICATION,
                    key == null && auth != null
                            ? "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com),"
                                    + " or have expired."
                            : "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for"
                                    + " an active subscription and use a correct regional API endpoint for your resource.");
        }
        if (api == Api.FOUNDRY) {
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

    @Override
    public Rendered error(ApiError e, String requestId) {
        return switch (e.kind()) {
            case AUTHENTICATION -> azure(401, "401", e.getMessage(), Map.of());
            case RATE_LIMITED -> {
                String seconds = e.headers().getOrDefault("retry-after", "1");
                String millis =
                        e.headers().getOrDefault("retry-after-ms", Long.toString(Long.parseLong(seconds) * 1000));
                yield azure(
                        429,
                        "429",
                        "Requests to the "
                                + (api == Api.FOUNDRY
                                        ? "Messages"
                                        : api == Api.CHAT ? "ChatCompletions_Create" : "Responses_Create")
                                + " Operation under the Azure AI API have exceeded"
                                + " the call rate limit of your current pricing tier. Please retry after " + seconds
                                + " second"
                                + (seconds.equals("1") ? "" : "s") + ".",
                        Map.of("retry-after", seconds, "retry-after-ms", millis));
            }
            case NOT_FOUND ->
                azure(
                        404,
                        "DeploymentNotFound",
                        "The API deployment for this resource does not exist. If you created"
                                + " the deployment within the last 5 minutes, please wait a moment and try again. ("
                                + e.getMessage() + ")",
                        Map.of());
            default -> carried.error(e, requestId);
        };
    }

    private static Rendered azure(int status, String code, String message, Map<String, String> headers) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return new Rendered(status, Json.write(body), headers);
    }

    @Override
    public StreamRenderer streamRenderer(FakeRequest request, Reply reply) {
        StreamRenderer events = carried.streamRenderer(request, reply);
        if (api != Api.CHAT) return events;
        return new StreamRenderer() {
            @Override
            public List<SseEvent> begin() {
                List<SseEvent> out = new ArrayList<>();
                out.add(promptFilterChunk());
                for (SseEvent e : events.begin()) out.add(filtered(e));
                return out;
            }

            @Override
            public List<SseEvent> blockStart(int index, Reply.Block block) {
                return filtered(events.blockStart(index, block));
            }

            @Override
            public @Nullable SseEvent delta(int index, Reply.Block block, String piece) {
                SseEvent e = events.delta(index, block, piece);
                return e == null ? null : filtered(e);
            }

            @Override
            public List<SseEvent> blockEnd(int index, Reply.Block block) {
                return filtered(events.blockEnd(index, block));
            }

            @Override
            public List<SseEvent> end() {
                return filtered(events.end());
            }

            @Override
            public SseEvent midStreamError(@Nullable String type, @Nullable String message) {
                return events.midStreamError(type, message);
            }
        };
    }

    /** Azure's first chunk: no id, no model, empty {@code choices}, and the prompt's filter results. */
    private static SseEvent promptFilterChunk() {
        ObjectNode c = Json.object();
        c.putArray("choices");
        c.put("created", 0);
        c.put("id", "");
        c.put("model", "");
        c.put("object", "");
        ObjectNode prompt = c.putArray("prompt_filter_results").addObject();
        prompt.put("prompt_index", 0);
        prompt.set("content_filter_results", safe());
        return SseEvent.of(Json.write(c));
    }

    private static List<SseEvent> filtered(List<SseEvent> events) {
        List<SseEvent> out = new ArrayList<>(events.size());
        for (SseEvent e : events) out.add(filtered(e));
        return out;
    }

    /** A chunk whose choice 0 has content gets the {@code content_filter_results} Azure adds; others pass as they are. */
    private static SseEvent filtered(SseEvent e) {
        if (!e.data().startsWith("{")) return e;
        JsonNode chunk;
        try {
            chunk = Json.parse(e.data());
        } catch (Json.Malformed m) {
            return e;
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (!(choice instanceof ObjectNode c)
                || !c.path("delta").path("content").isTextual()) return e;
        c.set("content_filter_results", c.path("delta").path("content").text().isEmpty() ? Json.object() : safe());
        return new SseEvent(e.type(), Json.write(chunk));
    }

    private static ObjectNode safe() {
        ObjectNode r = Json.object();
        for (String category : List.of("hate", "self_harm", "sexual", "violence")) {
            ObjectNode v = r.putObject(category);
            v.put("filtered", false);
            v.put("severity", "safe");
        }
        return r;
    }
}
