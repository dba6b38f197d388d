package dev.sluice.relay.http;

import dev.sluice.LimitExceededException;
import dev.sluice.RelayException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Passthrough;
import dev.sluice.chat.WireApi;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.relay.DirectRun;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.http.HttpRefusals.Refused;
import dev.sluice.relay.internal.Json;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.relay.protocol.GatewayRequest;
import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.protocol.PassthroughWriter;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-compatible gateway's HTTP side without a server library: {@code POST
 * /v1/chat/completions} and {@code GET /v1/models} over the relay, for every provider it is
 * given. A model is named {@code provider/model} ({@code anthropic/claude-sonnet-5-5},
 * {@code gemini/gemini-3.8-flash}), by a route's alias, or by a bare id: the provider's that offers
 * it (its default model, or one of its allowlist); of several, its maker's own API
 * ({@link Builder#ownApi}); else {@code 404 model_not_found} naming each {@code provider/model}
 * that would serve it. A request is parsed by
 * {@link GatewayRequest}, admitted by {@link RelayAdmission} (the same allowlists, token cap,
 * limits per client address and access log as the relay's own API), streamed by the relay from
 * the provider with the caller's tools (the model's tool calls go back to the caller, not to a
 * tool runner), tool choice and response format (structured output, which each provider's client
 * sends its own way), and written by {@link GatewayWriter} straight from the thread that reads the
 * upstream ({@link DirectRun}: an OpenAI client does not resume, so no relay stream is kept). A
 * request that asks for no stream is asked of the provider the same way, in one call
 * ({@link ChatProvider#answer}, {@link Passthrough#answer}: one JSON answer where its API
 * has one), and its answer written whole, at most the relay's replay bound of it. Every refusal is an
 * {@link HttpRefusal} answered in its door's shape ({@code Door.errorJson}). Each front door is a
 * {@code Door} (its path, parse, writers, error body, id prefix and max-tokens members);
 * {@link RelayHttpApi} routes requests onto it.
 *
 * <p>Immutable and safe from any thread.
 *
 * <p>Why this file is long: the front doors share one admission, one model resolution and one
 * answer's delivery, which would be copied for each door if each had its own class; what differs
 * between them is their {@code Door}, and their shapes are their writers' ({@code dev.sluice.relay.protocol}).
 */
public final class GatewayHttp {
    private static final System.Logger LOG = System.getLogger(GatewayHttp.class.getName());

    /** The default {@link Builder#answerTimeout}: what OpenAI's and Anthropic's SDKs wait for an answer not streamed. */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(10);

    private final RelayAdmission admission;
    private final Map<String, ChatProvider> providers;
    private final Set<String> routes; // the providers that are routes: named by their alias alone
    private final ModelNames names;
    private final Duration answerTimeout;
    private final Map<String, String> defaultModels; // the relay's providers' default models, by provider
    private final Map<String, Set<String>> offered; // each provider's models by name (not a route's): see offered

    private GatewayHttp(
            RelayAdmission admission,
            Map<String, ChatProvider> providers,
            Set<String> routes,
            Map<String, ModelCapabilities.Maker> ownApis,
            Duration answerTimeout) {
        this.admission = admission;
        this.providers = providers;
        this.routes = routes;
        this.names = new ModelNames(ownApis);
        this.answerTimeout = answerTimeout;
        // the relay's providers and the allowlists are fixed once built: each request's model is found without copying
        // them
        this.defaultModels = Collections.unmodifiableMap(admission.relay().providers());
        Map<String, Set<String>> offered = new LinkedHashMap<>();
        for (String provider : providers.keySet()) {
            Set<String> allowed = admission.models().get(provider);
            String defaultModel = defaultModels.get(provider);
            offered.put(provider, allowed != null ? allowed : defaultModel == null ? Set.of() : Set.of(defaultModel));
        }
        this.offered = Collections.unmodifiableMap(offered);
    }

    /**
     * {@return the controller of an upstream call for a whole answer (not streamed): the run's cancel
     * switch, the client's own first-event and idle timeouts, and the answer timeout for its total}
     * Such an answer's head comes only when it is whole, so nothing else bounds the wait for it; past
     * the deadline the call ends in a {@link dev.sluice.StreamTimeoutException} of kind {@code TOTAL},
     * written as the door's 504.
     */
    private StreamController answering(StreamController run) {
        StreamController call = StreamController.withTotalTimeout(answerTimeout);
        run.onCancel(() -> call.cancel(run.cancelReason().orElse("cancelled")));
        return call;
    }

    /**
     * {@return a builder of the gateway over this relay's HTTP side}
     *
     * @param admission the relay with its HTTP limits
     */
    public static Builder builder(RelayAdmission admission) {
        return new Builder(admission);
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
     * @throws HttpRefusals.Refused 400 for a malformed request, 404 {@code model_not_found}, or as
     *     {@link RelayAdmission#start(StartRequest, dev.sluice.relay.Relay.SourceFactory, String, java.util.function.Consumer)}
     */
    Completion start(@Nullable String contentType, long declaredLength, InputStream body, String clientAddress) {
        return start(Doors.CHAT_COMPLETIONS, contentType, declaredLength, body, clientAddress, name -> null);
    }

    /**
     * A front door's request ({@code POST /v1/chat/completions}, {@code /v1/messages},
     * {@code /v1/responses}): reads and parses the body as its door's API writes it, resolves the
     * model and starts the stream.
     *
     * @param door the front door
     * @param contentType the request's {@code Content-Type}
     * @param declaredLength the request's {@code Content-Length}, or -1
     * @param body the request body; read, not closed
     * @param clientAddress the client's address
     * @param headers the request's headers by name ({@code anthropic-beta} passes through)
     * @return the answer, to {@linkplain #deliver deliver} (or {@linkplain #abandon abandon})
     * @throws HttpRefusals.Refused as {@link #start(String, long, InputStream, String)}; 400 naming the
     *     member for what the door's request asks that cannot be carried
     */
    Completion start(
            Door door,
            @Nullable String contentType,
            long declaredLength,
            InputStream body,
            String clientAddress,
            Function<String, @Nullable String> headers) {
        return start(door, contentType, declaredLength, body, clientAddress, headers, null);
    }

    /**
     * A front door's request as {@link #start(Door, String, long, InputStream, String, Function)},
     * made with a minted key: only its models are found, and its rate and budget are taken before it
     * goes upstream ({@link KeyCaller#reserve}).
     *
     * @param caller the request's key; null for the token's (or none)
     * @throws HttpRefusals.Refused as {@link #start(Door, String, long, InputStream, String, Function)},
     *     404 {@code model_not_found} for a model the key may not use, 429 past its rate or budget
     */
    Completion start(
            Door door,
            @Nullable String contentType,
            long declaredLength,
            InputStream body,
            String clientAddress,
            Function<String, @Nullable String> headers,
            @Nullable KeyCaller caller) {
        String json = admission.readJson(contentType, declaredLength, body);
        long created = System.currentTimeMillis() / 1000;
        Completion passed = passthrough(door, json, clientAddress, headers, caller);
        if (passed != null) return passed;
        GatewayRequest request;
        try {
            request = door.parse(json);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        String[] resolved = resolve(request.model(), door, caller);
        ChatProvider provider =
                Objects.requireNonNull(providers.get(resolved[0]), "resolve names the gateway's providers only");
        StartRequest start;
        try {
            start = request.toStartRequest(resolved[0], resolved[1]);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        String id = answerId(door);
        long maxAnswerBytes = admission.relay().limits().maxReplayBytes();
        DirectRun run = admission.direct(
                start,
                (admitted, controller) -> {
                    ChatRequest chat = request.toChatRequest(admitted);
                    if (request.stream())
                        return RelaySource.chat(
                                admitted.provider(), admitted.model(), provider.stream(chat, controller));
                    return whole(
                            maxAnswerBytes,
                            () -> RelaySource.answer(
                                    admitted.provider(),
                                    admitted.model(),
                                    provider.answer(chat, answering(controller), maxAnswerBytes)));
                },
                clientAddress,
                id,
                caller);
        return new Completion.Translated(
                run,
                door,
                id,
                routes.contains(resolved[0]) ? resolved[0] : resolved[0] + "/" + resolved[1],
                created,
                maxAnswerBytes,
                request);
    }

    /**
     * {@return the answer of a request whose model's client speaks the door's API
     * ({@link ChatProvider#passthrough}), passed through: the body sent as it came but for its
     * model, the upstream's events back as they came, or (not streamed) its one JSON answer
     * ({@link Passthrough#answer}), written as it came
     * ({@link PassthroughWriter#messagesCollecting}); null when it is not one (it is translated)}
     * A passthrough is held to the same limits: its body's characters count as its prompt's, its
     * {@code max_tokens} ({@code max_output_tokens}; Chat Completions' {@code max_completion_tokens}
     * and {@code max_tokens}) as the most tokens, checked, and set when absent, by {@link DoorLimits}. Each door passes through to a client of its own
     * API: Chat Completions to OpenAI's Chat Completions (OpenAI, a compatible server, Azure,
     * Bedrock), Messages to Anthropic's Messages (Anthropic and the clouds), Responses to the
     * Responses API. A route (a fallback chain) passes through when its targets share the door's
     * API and the request asks for opaque state or carries it ({@link RouteState}: thinking, encrypted
     * reasoning): the chain sends each target only the state it issued
     * ({@link dev.sluice.chat.FallbackChain#passthrough}); else
     * it is translated.
     */
    private @Nullable Completion passthrough(
            Door door,
            String json,
            String clientAddress,
            Function<String, @Nullable String> headers,
            @Nullable KeyCaller caller) {
        Map<?, ?> body = Json.object(json);
        if (body != null) DoorLimits.checkMembersOnce(json, body); // every door, every path
        if (body == null
                || (body.get("stream") != null && !(body.get("stream") instanceof Boolean))
                || !(body.get("model") instanceof String model)
                || model.isBlank()) return null; // malformed: the door's parser answers
        String[] resolved = resolve(model, door, caller);
        ChatProvider client =
                Objects.requireNonNull(providers.get(resolved[0]), "resolve names the gateway's providers only");
        Passthrough pass =
                client.passthrough().filter(p -> p.api() == door.api()).orElse(null);
        if (pass == null) return null;
        // a route's text answer is translated: it can go on where it broke on the next target
        if (routes.contains(resolved[0]) && !door.routePassesThrough(body)) return null;
        DoorLimits.Bounded bounded = DoorLimits.passthrough(door, json, body, admission.maxTokens(), resolved[1]);
        String sent = bounded.json();
        List<String> betas = door.betas(headers);
        StartRequest start;
        try {
            // the body as the prompt, for the limits: its characters are what the upstream reads
            start = new StartRequest(
                    List.of(ChatMessage.user(json)), resolved[0], resolved[1], null, bounded.maxTokens());
        } catch (IllegalArgumentException e) {
            throw HttpRefusals.of(400, "invalid_request_error", String.valueOf(e.getMessage()));
        }
        String id = answerId(door);
        boolean stream = Boolean.TRUE.equals(body.get("stream"));
        long maxAnswerBytes = admission.relay().limits().maxReplayBytes();
        DirectRun run = admission.direct(
                start,
                (admitted, controller) -> {
                    if (stream)
                        return RelaySource.verbatim(
                                admitted.provider(),
                                admitted.model(),
                                pass.stream(sent, admitted.model(), betas, controller));
                    return whole(
                            maxAnswerBytes,
                            () -> RelaySource.verbatimAnswer(
                                    admitted.provider(),
                                    admitted.model(),
                                    pass.answer(sent, admitted.model(), betas, answering(controller), maxAnswerBytes)));
                },
                clientAddress,
                id,
                caller);
        // Chat Completions: a body without stream_options is sent asking for usage, whose chunk the caller did not ask
        // for
        boolean ownUsage = body.get("stream_options") != null;
        return new Completion.PassedThrough(run, door, stream, ownUsage, maxAnswerBytes);
    }

    /**
     * {@return the source of an answer asked for whole, read by {@code read}; one that ends with
     * {@link GatewayWriter#answerTooLarge} when the upstream's answer is longer than
     * {@code maxAnswerBytes}, as a stream gathered past that bound ends}
     */
    private static RelaySource whole(long maxAnswerBytes, Supplier<RelaySource> read) {
        try {
            return read.get();
        } catch (LimitExceededException e) {
            if (!e.limit().equals("maxResponseBytes")) throw e;
            return RelaySource.failed(GatewayWriter.answerTooLarge(maxAnswerBytes));
        }
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
    CompletionStage<Subscription.Outcome> deliver(Completion completion, RelayWriter writer) {
        return completion.run().start(writer);
    }

    /**
     * Answers a completion on the exchange ({@code POST /v1/chat/completions}, {@code /v1/messages},
     * {@code /v1/responses}): streamed as the door's event stream, its headers sent with its
     * first byte, or whole as JSON; a failure before anything was written is answered as the
     * door's JSON error. A client that hangs up abandons the completion, which stops its upstream.
     *
     * @param exchange the request's exchange
     * @param c the completion, as {@link #start} admitted it
     * @throws IOException if the answer cannot be written
     */
    void respond(HttpExchange exchange, Completion c) throws IOException {
        // nothing may be written for a while: the server tells when the caller hangs up, which stops the upstream
        exchange.onClientGone(() -> abandon(c));
        try {
            respondCompletion(exchange, c);
        } catch (IOException | RuntimeException e) {
            abandon(c); // not delivered: its places go back at once
            throw e;
        }
    }

    private void respondCompletion(HttpExchange exchange, Completion c) throws IOException {
        exchange.respond(() -> {
            // the event stream's headers are set while its first event is awaited, and go with its first byte: a
            // failure before any is answered as JSON
            HttpAnswers.HeadedOutput headed = c.stream()
                    ? new HttpAnswers.HeadedOutput(
                            exchange,
                            () -> HttpAnswers.sseHeaders(exchange),
                            () -> HttpAnswers.unsetSseHeaders(exchange))
                    : null;
            OutputStream out = headed != null ? headed : exchange.output();
            GatewayAnswerWriter writer = c.writer(out);
            CompletionStage<Subscription.Outcome> delivered = deliver(c, writer);
            // the upstream has answered and the run goes on: its first event comes later
            if (headed != null && !delivered.toCompletableFuture().isDone()) headed.headAhead();
            return delivered.thenAccept(
                    outcome -> { // nothing is written before the first content
                        if (outcome != Subscription.Outcome.COMPLETE) abandon(c);
                        if (outcome == Subscription.Outcome.DROPPED) {
                            exchange.abort();
                            return;
                        }
                        // a failure before anything was written; or, not streamed, an answer that outgrew its
                        // bound (which ends the delivery)
                        Optional<RelayEvent.Error> failure = writer.failure();
                        try {
                            if (failure.isPresent() && !writer.written()) {
                                if (headed != null) headed.forgo();
                                RelayEvent.Error e = failure.get();
                                // OpenAI's clients would ask again, for as long an answer
                                if (e.errorType().equals(GatewayWriter.ANSWER_TOO_LARGE))
                                    exchange.header("x-should-retry", "false");
                                HttpAnswers.json(exchange, writer.status(e), writer.errorJson(e));
                            } else if (outcome == Subscription.Outcome.COMPLETE && !c.stream()) {
                                exchange.status(200);
                                exchange.header("Content-Type", "application/json");
                                exchange.header(
                                        "Content-Length",
                                        Long.toString(writer.completionLength().orElseThrow()));
                                writer.writeCompletion(exchange.output());
                            }
                        } catch (IOException gone) {
                            // the client left before its answer
                        }
                    });
        });
    }

    /**
     * Stops a completion whose caller left (or that will not be delivered): an OpenAI client does
     * not resume, so the upstream is cancelled at once; one not yet delivered ends at once, its
     * places in the limits released. Idempotent; throws nothing.
     *
     * @param completion the completion
     */
    void abandon(Completion completion) {
        completion.run().cancel("the client left");
    }

    /**
     * {@return a new answer id: the door's prefix and 29 letters and digits from
     * {@link SecureRandom}} Drawn apart from the stream's id, so that it names nothing a caller can
     * read or cancel.
     */
    static String answerId(Door door) {
        return door.idPrefix() + RandomIds.draw(29);
    }

    /**
     * {@return {@code provider} and the provider's model for a model name, or 404 in OpenAI's words;
     * for a minted key, 404 as well for a model outside its own}
     */
    private String[] resolve(String model, Door door, @Nullable KeyCaller caller) {
        String[] resolved = resolve(model, door);
        if (caller != null && !caller.key().allows(answerName(resolved))) throw notFound(model, caller);
        return resolved;
    }

    /** {@return the name a resolved model is answered and allowed by: {@code provider/model}, or a route's alias} */
    private String answerName(String[] resolved) {
        return routes.contains(resolved[0]) ? resolved[0] : resolved[0] + "/" + resolved[1];
    }

    /** {@return whether the gateway offers a model by this name, {@code provider/model} or an alias (a key's models are checked so)} */
    boolean offers(String name) {
        try {
            // provider/model or an alias: the same at every door
            return answerName(resolve(name, Doors.CHAT_COMPLETIONS)).equals(name);
        } catch (Refused e) {
            return false;
        }
    }

    /**
     * {@return {@code provider} and the provider's model for a model name as {@code door} got it, or
     * 404 in OpenAI's words} A bare id goes to the one provider that offers it, else to its maker's
     * own API among those ({@link ModelNames}).
     */
    private String[] resolve(String model, Door door) {
        if (routes.contains(model)) return new String[] {model, defaultModels.get(model)};
        int slash = model.indexOf('/');
        if (slash > 0
                && providers.containsKey(model.substring(0, slash))
                && !routes.contains(model.substring(0, slash))
                && slash < model.length() - 1) {
            String provider = model.substring(0, slash);
            String name = model.substring(slash + 1);
            Set<String> allowed = admission.models().get(provider);
            if (allowed == null || allowed.contains(name)) return new String[] {provider, name};
            throw notFound(model);
        }
        List<String> serving = new ArrayList<>();
        for (String provider : providers.keySet()) {
            if (!routes.contains(provider) && offered(provider).contains(model)) serving.add(provider);
        }
        if (serving.isEmpty()) throw notFound(model);
        // the door's own OpenAI API: Responses at /v1/responses, Chat Completions elsewhere
        Optional<WireApi> doorApi = Optional.of(door.ownOpenAiApi());
        List<String> chosen = names.choose(
                model,
                serving,
                p -> Objects.requireNonNull(providers.get(p), "serving names the gateway's providers")
                        .passthrough()
                        .map(Passthrough::api)
                        .equals(doorApi));
        if (chosen.size() == 1) return new String[] {chosen.getFirst(), model};
        throw HttpRefusals.of(
                404,
                "model_not_found",
                "The model `" + model + "` is offered by " + chosen.size()
                        + " providers and none is its maker's own API; name one of "
                        + String.join(
                                ", ", chosen.stream().map(p -> p + "/" + model).toList()));
    }

    private Refused notFound(String model) {
        return notFound(model, null);
    }

    private Refused notFound(String model, @Nullable KeyCaller caller) {
        return HttpRefusals.of(
                404,
                "model_not_found",
                "The model `" + (model.length() > 80 ? model.substring(0, 80) + "..." : model)
                        + "` does not exist or you do not have access to it; "
                        + (caller == null ? "this server offers " : "your key may use ")
                        + String.join(", ", modelIds(caller))
                        + " (GET /v1/models)");
    }

    /** {@return the models a provider offers by name: its allowlist, else its default model} */
    private Set<String> offered(String provider) {
        return offered.getOrDefault(provider, Set.of());
    }

    private List<String> modelIds(@Nullable KeyCaller caller) {
        List<String> ids = new ArrayList<>();
        for (String provider : providers.keySet()) {
            if (routes.contains(provider)) continue;
            for (String m : offered(provider).stream().sorted().toList()) ids.add(provider + "/" + m);
        }
        ids.addAll(routes);
        // a key's own, each checked as offered when it was minted
        return caller == null || caller.key().models().isEmpty()
                ? ids
                : caller.key().models();
    }

    /** {@return how long an answer not streamed may take; also how long a Responses WebSocket may stay silent} */
    Duration answerTimeout() {
        return answerTimeout;
    }

    /** {@return the relay's HTTP side it admits its requests through} */
    RelayAdmission admission() {
        return admission;
    }

    /** {@return the providers' clients the gateway streams from, by the relay's provider names} */
    Map<String, ChatProvider> providers() {
        return providers;
    }

    /**
     * {@return the body of {@code GET /v1/models}: OpenAI's list of {@code provider/model} ids, a
     * minted key's own only}
     *
     * @param caller the request's key; null for the token's (or none)
     */
    String models(@Nullable KeyCaller caller) {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        boolean first = true;
        for (String id : modelIds(caller)) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"id\":")
                    .append(Json.string(id))
                    .append(",\"object\":\"model\",\"created\":0,\"owned_by\":")
                    .append(Json.string(id.indexOf('/') < 0 ? "sluice" : id.substring(0, id.indexOf('/'))))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    /**
     * {@return the body of {@code GET /v1/models} asked with {@code anthropic-version}: Anthropic's
     * page of models, {@code {"data":[{"type":"model","id","display_name","created_at"}],
     * "has_more":false,"first_id","last_id"}}, the ids as {@link #models} names them}
     *
     * @param caller the request's key; null for the token's (or none)
     */
    String anthropicModels(@Nullable KeyCaller caller) {
        List<String> ids = modelIds(caller);
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"type\":\"model\",\"id\":")
                    .append(Json.string(ids.get(i)))
                    .append(",\"display_name\":")
                    .append(Json.string(ids.get(i)))
                    .append(",\"created_at\":\"1970-01-01T00:00:00Z\"}");
        }
        return sb.append("],\"has_more\":false,\"first_id\":")
                .append(ids.isEmpty() ? "null" : Json.string(ids.getFirst()))
                .append(",\"last_id\":")
                .append(ids.isEmpty() ? "null" : Json.string(ids.getLast()))
                .append('}')
                .toString();
    }

    /**
     * {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}}. Where the model's
     * provider (a route's {@link FallbackChain}: the target it would ask first) speaks Anthropic Messages and has a count
     * ({@link Passthrough#tokenCount()}), the body goes to that target's own {@code count_tokens}
     * (the model replaced, the caller's {@code anthropic-beta} names sent on) and its answer comes
     * back as it came; otherwise, or when that count fails, an estimate made here
     * ({@link TokenEstimate}: a token for every four bytes of the request's {@code system},
     * {@code messages} and {@code tools} as JSON, an image by its dimensions and a PDF by its pages
     * as Anthropic counts them). A minted key is not charged for either.
     *
     * @param contentType the request's {@code Content-Type}
     * @param declaredLength the request's {@code Content-Length}, or -1
     * @param body the request body; read, not closed
     * @param beta the request's {@code anthropic-beta} header, or null
     * @param caller the request's minted key, or null
     * @return the answer's body, and whether it is the estimate
     * @throws HttpRefusals.Refused 400 for a body that is not a Messages request's, 404 {@code
     *     model_not_found}, or as {@link RelayAdmission#readJson}
     */
    TokenCountAnswer countTokens(
            @Nullable String contentType,
            long declaredLength,
            InputStream body,
            @Nullable String beta,
            @Nullable KeyCaller caller) {
        String json = admission.readJson(contentType, declaredLength, body);
        Map<?, ?> request = Json.object(json);
        if (request == null || !(request.get("messages") instanceof List<?> messages) || messages.isEmpty())
            throw HttpRefusals.of(400, "invalid_request_error", "messages: a non-empty array of messages is required");
        if (!(request.get("model") instanceof String model) || model.isBlank())
            throw HttpRefusals.of(400, "invalid_request_error", "model: Field required");
        String[] resolved = resolve(model, Doors.MESSAGES, caller);
        ChatProvider client =
                Objects.requireNonNull(providers.get(resolved[0]), "resolve names the gateway's providers only");
        Optional<Passthrough.TokenCount> own = client instanceof FallbackChain chain
                ? chain.firstTargetTokenCount() // a route of any targets: its first one's, if Anthropic Messages
                : client.passthrough().filter(p -> p.api() == WireApi.MESSAGES).flatMap(Passthrough::tokenCount);
        if (own.isPresent()) {
            List<String> betas = Doors.MESSAGES.betas(name -> beta); // the request's anthropic-beta names
            try {
                return new TokenCountAnswer(own.get().count(json, resolved[1], betas), false);
            } catch (SluiceException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "count_tokens of " + resolved[0] + " failed, answered with the estimate: " + e.getMessage());
            }
        }
        return new TokenCountAnswer("{\"input_tokens\":" + TokenEstimate.of(request) + "}", true);
    }

    /**
     * A {@code count_tokens} answer.
     *
     * @param body its JSON body
     * @param estimated whether the gateway estimated it (no target counted)
     */
    record TokenCountAnswer(String body, boolean estimated) {}

    /**
     * {@return the status of a Chat Completions answer that failed before anything was written}
     * As {@link GatewayWriter#status(String)}.
     *
     * @param failure the stream's {@code error}
     */
    public static int status(RelayEvent.Error failure) {
        return GatewayWriter.status(failure.errorType());
    }

    /** Builds a {@link GatewayHttp}; each setter checks its argument at once. */
    public static final class Builder {
        private final RelayAdmission admission;
        private final Map<String, ChatProvider> providers = new LinkedHashMap<>();
        private final Set<String> routes = new LinkedHashSet<>();
        private final Map<String, ModelCapabilities.Maker> ownApis = new LinkedHashMap<>();
        private Duration answerTimeout = DEFAULT_ANSWER_TIMEOUT;

        private Builder(RelayAdmission admission) {
            this.admission = Objects.requireNonNull(admission, "admission");
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
            if (!admission.relay().providers().containsKey(Objects.requireNonNull(name, "name"))) {
                throw new IllegalArgumentException("the relay has no provider " + name + "; it has "
                        + String.join(", ", admission.relay().providers().keySet()));
            }
            providers.put(name, provider);
            return this;
        }

        /**
         * Offers a route: a model named by its alias alone ({@code "model": "fast"}) on every front
         * door and in {@code GET /v1/models}, streamed from this client, typically a
         * {@link dev.sluice.chat.FallbackChain} over the route's targets (which carry their own models).
         *
         * @param alias the route's name, a provider's name in the relay (its source, for the page)
         * @param chain the route's client
         * @return this builder
         * @throws IllegalArgumentException if the relay has no provider of that name
         */
        public Builder route(String alias, ChatProvider chain) {
            provider(alias, chain);
            routes.add(alias);
            return this;
        }

        /**
         * Says that a provider added is its maker's own API ({@code dev.sluice.providers.ProviderCatalog#makersOwnApi}):
         * a bare model id that several providers offer goes to the one that is its maker's own API
         * (the model table's {@link ModelCapabilities#maker()}), and of two such (OpenAI's Chat
         * Completions and Responses) to the one that speaks the door's API, else to the Chat
         * Completions one.
         *
         * @param name the provider's name, as {@link #provider} added it
         * @param maker the maker whose own API it is
         * @return this builder
         * @throws IllegalArgumentException if no provider of that name was added
         */
        public Builder ownApi(String name, ModelCapabilities.Maker maker) {
            Objects.requireNonNull(maker, "maker");
            if (!providers.containsKey(Objects.requireNonNull(name, "name")))
                throw new IllegalArgumentException("no provider " + name + " was added; call provider(..) first");
            ownApis.put(name, maker);
            return this;
        }

        /**
         * Bounds each upstream call for an answer asked for without a stream ({@code "stream": false}
         * or none), from its request to the end of its body: past it the call is closed and the
         * client gets the door's 504 ({@code timeout_error} on Messages, {@code server_error} with code
         * {@code timeout} on Chat Completions and Responses). Such an answer's head comes only once
         * it is whole, so no first-event or idle timeout bounds the wait for it; each gap in its body
         * is still held to the client's idle timeout. Streamed requests are not affected. A
         * {@code --fallback} route's targets share it. {@link #DEFAULT_ANSWER_TIMEOUT} by default.
         *
         * @param timeout the deadline; positive
         * @return this builder
         * @throws IllegalArgumentException if timeout is zero or negative
         */
        public Builder answerTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero())
                throw new IllegalArgumentException("the answer timeout must be positive: " + timeout);
            answerTimeout = timeout;
            return this;
        }

        /**
         * {@return the gateway}
         *
         * @throws IllegalStateException if no provider was added
         */
        public GatewayHttp build() {
            if (providers.isEmpty()) throw new IllegalStateException("the gateway needs a provider: call provider(..)");
            return new GatewayHttp(
                    admission,
                    Collections.unmodifiableMap(new LinkedHashMap<>(providers)),
                    Collections.unmodifiableSet(new LinkedHashSet<>(routes)),
                    Map.copyOf(ownApis),
                    answerTimeout);
        }
    }
}
