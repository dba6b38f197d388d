package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.DirectRun;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.internal.Json;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.GatewayWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-compatible gateway's HTTP side without a server library: {@code POST
 * /v1/chat/completions} and {@code GET /v1/models} over the relay, for every provider it is
 * given. A model is named {@code provider/model} ({@code anthropic/claude-sonnet-5-5},
 * {@code gemini/gemini-3.5-flash}); a bare name is the provider's that offers it (its default
 * model, or one of its allowlist), else {@code 404 model_not_found}. A request is parsed by
 * {@link GatewayRequest}, admitted by {@link RelayAdmission} (the same allowlists, token cap,
 * limits per client address and access log as the relay's own API), streamed by the relay from
 * the provider with the caller's tools (the model's tool calls go back to the caller, not to a
 * tool runner), tool choice and response format (structured output, which each provider's client
 * sends its own way), and written by {@link GatewayWriter} straight from the thread that reads the
 * upstream ({@link DirectRun}: an OpenAI client does not resume, so no relay stream is kept). Every refusal is an
 * {@link RelayException} answered in OpenAI's shape ({@link HttpRefusals#openAiJson}).
 * {@link RelayHttpApi} routes requests onto it.
 *
 * <p>Immutable and safe from any thread.
 */
public final class GatewayHttp {
    private static final SecureRandom IDS = new SecureRandom();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final RelayAdmission http;
    private final Map<String, ChatProvider> providers;

    private GatewayHttp(RelayAdmission http, Map<String, ChatProvider> providers) {
        this.http = http;
        this.providers = providers;
    }

    /**
     * {@return a builder of the gateway over this relay's HTTP side}
     *
     * @param http the relay with its HTTP limits
     */
    public static Builder builder(RelayAdmission http) {
        return new Builder(http);
    }

    /**
     * A started completion, to deliver.
     *
     * @param run the admitted run, to {@linkplain #deliver deliver}: straight from the upstream to
     *     the caller, with no relay stream (an OpenAI client does not resume)
     * @param id the completion's id, {@code chatcmpl-} and 29 random letters and digits (as OpenAI's
     *     look), unrelated to the stream's id
     * @param model the model as answers name it, {@code provider/model}
     * @param created the epoch second the request came in
     * @param stream whether the caller asked for chunks
     * @param includeUsage whether the chunks end with usage
     * @param maxAnswerBytes the most bytes of a collected answer (not streamed), as JSON: the relay's
     *     {@linkplain dev.sluice.relay.RelayLimits#maxReplayBytes() replay bound}, which a stream's
     *     events are held to as well
     * @param answerTool the name of the request's response format, whose tool calls are the answer's
     *     content ({@link GatewayWriter}); null when it asked for none
     */
    public record Completion(
            DirectRun run,
            String id,
            String model,
            long created,
            boolean stream,
            boolean includeUsage,
            long maxAnswerBytes,
            @Nullable String answerTool) {
        /** {@return the writer that writes it: chunks to {@code out}, or (not streamed) one object, then {@code out} unused} */
        public GatewayWriter writer(OutputStream out) {
            return stream
                    ? GatewayWriter.streaming(out, id, model, created, includeUsage, answerTool)
                    : GatewayWriter.collecting(id, model, created, maxAnswerBytes, answerTool);
        }
    }

    /**
     * {@code POST /v1/chat/completions}: reads and parses the body, resolves the model and starts
     * the stream.
     *
     * @param contentType the request's {@code Content-Type}
     * @param declaredLength the request's {@code Content-Length}, or -1
     * @param body the request body; read, not closed
     * @param clientAddress the client's address
     * @return the completion, to {@linkplain #deliver deliver} (or {@linkplain #abandon abandon})
     * @throws RelayException 400 for a malformed request, 404 {@code model_not_found}, or as
     *     {@link RelayAdmission#start(StartRequest, dev.sluice.relay.Relay.SourceFactory, String, java.util.function.Consumer)}
     */
    public Completion start(@Nullable String contentType, long declaredLength, InputStream body, String clientAddress) {
        String json = http.readJson(contentType, declaredLength, body);
        long created = System.currentTimeMillis() / 1000;
        GatewayRequest request;
        try {
            request = GatewayRequest.parse(json);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        String[] resolved = resolve(request.model());
        ChatProvider provider =
                Objects.requireNonNull(providers.get(resolved[0]), "resolve names the gateway's providers only");
        StartRequest start;
        try {
            start = request.toStartRequest(resolved[0], resolved[1]);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        String id = completionId();
        DirectRun run = http.direct(
                start,
                (admitted, controller) -> RelaySource.chat(
                        Objects.requireNonNull(admitted.provider(), "a resolved request names its provider"),
                        Objects.requireNonNull(admitted.model(), "a resolved request names its model"),
                        Objects.requireNonNull(provider, "resolve names one of the gateway's providers").stream(
                                request.toChatRequest(admitted), controller)),
                clientAddress,
                id);
        return new Completion(
                run,
                id,
                resolved[0] + "/" + resolved[1],
                created,
                request.stream(),
                request.includeUsage(),
                http.relay().limits().maxReplayBytes(),
                request.responseFormat() == null
                        ? null
                        : request.responseFormat().name());
    }

    /**
     * Runs a completion: opens the upstream on the calling thread, then writes each event to
     * {@code writer} on the thread that reads the upstream, as it arrives (no relay stream, no
     * replay buffer, no hand-off between threads); a slow caller slows the upstream's socket.
     *
     * @param completion the completion
     * @param writer its writer ({@link Completion#writer})
     * @return completed when it ended: {@link Subscription.Outcome#COMPLETE} once its end was
     *     written, else {@link Subscription.Outcome#CLIENT_GONE}
     * @throws IllegalStateException if it was delivered before
     */
    public CompletionStage<Subscription.Outcome> deliver(Completion completion, RelayWriter writer) {
        return completion.run().start(writer);
    }

    /**
     * Stops a completion whose caller left (or that will not be delivered): an OpenAI client does
     * not resume, so the upstream is cancelled at once; one not yet delivered ends at once, its
     * places in the limits released. Idempotent; throws nothing.
     *
     * @param completion the completion
     */
    public void abandon(Completion completion) {
        completion.run().cancel("the client left");
    }

    /**
     * {@return a new completion id: {@code chatcmpl-} and 29 letters and digits from
     * {@link SecureRandom}} Drawn apart from the stream's id, so that it names nothing a caller can
     * read or cancel.
     */
    private static String completionId() {
        // one draw for the whole id (each SecureRandom call mixes and locks), bytes past 247 skipped so
        // that every character stays equally likely (248 = 4 x 62)
        char[] id = new char[29];
        byte[] random = new byte[40];
        int n = 0;
        while (n < id.length) {
            IDS.nextBytes(random);
            for (int i = 0; i < random.length && n < id.length; i++) {
                int b = random[i] & 0xFF;
                if (b < 248) id[n++] = ID_CHARS.charAt(b % ID_CHARS.length());
            }
        }
        return "chatcmpl-" + new String(id);
    }

    /** {@return {@code provider} and the provider's model for a model name, or 404 in OpenAI's words} */
    private String[] resolve(String model) {
        int slash = model.indexOf('/');
        if (slash > 0 && providers.containsKey(model.substring(0, slash)) && slash < model.length() - 1) {
            String provider = model.substring(0, slash);
            String name = model.substring(slash + 1);
            Set<String> allowed = http.models().get(provider);
            if (allowed == null || allowed.contains(name)) return new String[] {provider, name};
            throw notFound(model);
        }
        List<String> serving = new ArrayList<>();
        for (String provider : providers.keySet()) {
            if (offered(provider).contains(model)) serving.add(provider);
        }
        if (serving.size() == 1) return new String[] {serving.getFirst(), model};
        throw notFound(model);
    }

    private RelayException notFound(String model) {
        return HttpRefusals.of(
                404,
                "model_not_found",
                "The model `" + (model.length() > 80 ? model.substring(0, 80) + "..." : model)
                        + "` does not exist or you do not have access to it; this server offers "
                        + String.join(", ", modelIds())
                        + " (GET /v1/models)");
    }

    /** {@return the models a provider offers by name: its allowlist, else its default model} */
    private Set<String> offered(String provider) {
        Set<String> allowed = http.models().get(provider);
        return allowed != null ? allowed : Set.of(http.relay().providers().get(provider));
    }

    private List<String> modelIds() {
        List<String> ids = new ArrayList<>();
        for (String provider : providers.keySet()) {
            for (String m : offered(provider).stream().sorted().toList()) ids.add(provider + "/" + m);
        }
        return ids;
    }

    /** {@return the relay's HTTP side it admits its requests through} */
    RelayAdmission http() {
        return http;
    }

    /** {@return the providers' clients the gateway streams from, by the relay's provider names} */
    public Map<String, ChatProvider> providers() {
        return providers;
    }

    /** {@return the body of {@code GET /v1/models}: OpenAI's list of {@code provider/model} ids} */
    public String models() {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        boolean first = true;
        for (String id : modelIds()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"id\":")
                    .append(Json.string(id))
                    .append(",\"object\":\"model\",\"created\":0,\"owned_by\":")
                    .append(Json.string(id.substring(0, id.indexOf('/'))))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    /**
     * {@return the status of a completion that failed before anything was written} 400 when the
     * provider refused the request, 429 when it was rate limited, 503 when it was overloaded or the
     * stream was cancelled, 504 on a timeout, 507 when an answer that is not streamed outgrew what
     * the server holds ({@value GatewayWriter#ANSWER_TOO_LARGE}), 502 for every other upstream failure
     *
     * @param failure the stream's {@code error}
     */
    public static int status(RelayEvent.Error failure) {
        return switch (failure.errorType()) {
            case "invalid_request_error" -> 400;
            case "rate_limit_error" -> 429;
            case "overloaded_error", "cancelled" -> 503;
            case "timeout" -> 504;
            case GatewayWriter.ANSWER_TOO_LARGE -> 507;
            case "internal_error" -> 500;
            default -> 502;
        };
    }

    /** Builds a {@link GatewayHttp}; each setter checks its argument at once. */
    public static final class Builder {
        private final RelayAdmission http;
        private final Map<String, ChatProvider> providers = new LinkedHashMap<>();

        private Builder(RelayAdmission http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /**
         * Offers a provider's models through the gateway, streamed from this client (for a
         * fallback chain, a {@link ChatProvider} that builds the chain per request).
         *
         * @param name the provider's name in the relay
         * @param provider its client
         * @return this builder
         * @throws IllegalArgumentException if the relay has no provider of that name
         */
        public Builder provider(String name, ChatProvider provider) {
            Objects.requireNonNull(provider, "provider");
            if (!http.relay().providers().containsKey(Objects.requireNonNull(name, "name"))) {
                throw new IllegalArgumentException("the relay has no provider " + name + "; it has "
                        + String.join(", ", http.relay().providers().keySet()));
            }
            providers.put(name, provider);
            return this;
        }

        /**
         * {@return the gateway}
         *
         * @throws IllegalStateException if no provider was added
         */
        public GatewayHttp build() {
            if (providers.isEmpty()) throw new IllegalStateException("the gateway needs a provider: call provider(..)");
            return new GatewayHttp(http, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers)));
        }
    }
}
