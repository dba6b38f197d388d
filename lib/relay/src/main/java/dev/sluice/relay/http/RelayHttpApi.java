package dev.sluice.relay.http;

import static dev.sluice.relay.http.HttpAnswers.deliver;
import static dev.sluice.relay.http.HttpAnswers.json;

import dev.sluice.RelayException;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.Relay;
import dev.sluice.relay.SseRelayWriter;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.http.HttpRefusals.Refused;
import dev.sluice.relay.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The relay's whole HTTP API, without a server library: routes, the guard, the headers every
 * answer carries, and errors in each protocol's shape. A server hands it each request as an
 * {@link HttpExchange} ({@code sluice-server}'s servlet does; {@code sluice serve} runs that servlet).
 *
 * <ul>
 * <li>{@code GET /} — the page, when one is given ({@link Builder#page}); {@code GET /assets/NAME} —
 *     its scripts, styles and vendored libraries.</li>
 * <li>{@code GET /healthz} — for load balancers: {@code 200 {"status":"ok"}}, or {@code 503
 *     {"status":"unavailable","store":"unreachable"}} while the relay's shared store does not answer
 *     (asked at most once a second). {@code HEAD} too. No {@code Host}, {@code Origin} or token
 *     check (a load balancer sends its own {@code Host}, often an address, and no token; the answer
 *     says nothing else and changes nothing), and no limit per client counts it.</li>
 * <li>{@code GET /api/providers} — {@code {"default":"...","providers":[{"name","model"}...]}}.</li>
 * <li>{@code POST /api/streams} — {@code 201 {"id","events"}} or a 4xx {@code {"error":{"type","message"}}};
 *     with a {@code "schema"}, a structured answer.</li>
 * <li>{@code GET /api/streams/ID/events} — {@code text/event-stream}, resumable with {@code Last-Event-ID}.</li>
 * <li>{@code DELETE /api/streams/ID} — {@code 204}, or {@code 404}.</li>
 * <li>{@code POST /api/streams/ID/approvals/CALL} — {@code {"approved": true|false, "reason"?}}
 *     decides a tool call that waits for approval: {@code 200 {"decided":true}}, {@code 404} for
 *     an unknown stream or call, {@code 409} when already decided.</li>
 * <li>WebSocket {@code /api/ws} — see {@link RelaySocket}.</li>
 * <li>{@code POST /api/chat}, {@code GET /api/chat/ID/stream} (the Vercel AI SDK's UI message
 *     stream), {@code POST /api/object} (its {@code useObject}: the object's JSON text,
 *     {@code text/plain}) and {@code POST /api/ag-ui} (AG-UI): see docs/relay.md and docs/frontends.md.</li>
 * <li>{@code POST /v1/chat/completions}, {@code POST /v1/responses}, {@code POST /v1/messages},
 *     {@code POST /v1/messages/count_tokens}, {@code GET /v1/models} — the gateway's front doors,
 *     when one is given ({@link Builder#gateway}, {@link GatewayHttp}), each answering in its own
 *     dialect's shapes: Anthropic's for {@code /v1/messages} (and {@code /v1/models} asked with
 *     {@code anthropic-version}), OpenAI's for the rest.</li>
 * <li>{@code POST /v1/keys}, {@code GET /v1/keys}, {@code DELETE /v1/keys/ID} — minted keys, for
 *     the token alone, when keys are served ({@link Builder#keys}, {@code KeysHttp}); the front doors
 *     take a minted key as they take the token, held to its models, rate and budget.</li>
 * <li>WebSocket {@code /v1/responses} — the Responses API over a WebSocket, see {@link ResponsesSocket};
 *     {@code 426} when switched off ({@link Builder#responsesWebSocket}).</li>
 * </ul>
 *
 * <p>The routes are one table, in this class: method, path and handler. A path that a route
 * matches, asked with another method, is refused with {@code 405} and {@code Allow} ({@code HEAD}
 * is answered as {@code GET}); a path that none matches, with {@code 404}.
 *
 * <p>Every request's {@code Host} is checked, every API request's and upgrade's {@code Origin} and
 * token ({@link RequestGuard}); every response carries {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}, the API's {@code Cache-Control: no-store}, the page's a
 * Content-Security-Policy with {@code frame-ancestors 'none'}. A refusal of a request whose body
 * has not arrived whole says {@code Connection: close} (RFC 9112, section 9.6). What only a
 * connection can bound — connections per client address, the time to send a request's headers —
 * is the server's ({@code sluice serve} bounds both). Behind a trusted proxy, the client is the one
 * the proxy names ({@link RelayAdmission#clientAddress}), and so is its scheme ({@link RelayAdmission#secure}).
 *
 * <p>Threading: safe from any thread; an event stream is delivered on the relay's virtual threads
 * ({@link HttpExchange#respond}), none held once the stream has been silent five seconds.
 *
 * <p>Why this file is long: past the 250 a public class keeps to; its public surface is {@link #builder},
 * {@link #handle} and a few accessors; the rest is the route table and its handlers, kept beside
 * the table that names them. What a route answers belongs to its part of the package: the page's
 * files ({@code PageAssets}), the health check ({@code StoreHealth}), the frontends' protocols
 * ({@code ProtocolHttp}), the gateway ({@link GatewayHttp}), the minted keys ({@code KeysHttp}), a
 * refusal's shape ({@code ErrorShape}).
 */
public final class RelayHttpApi {
    private static final Pattern PAGE = Pattern.compile("/|/index\\.html");
    private static final Pattern EVENTS = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})/events");
    private static final Pattern STREAM = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})");
    private static final Pattern APPROVAL =
            Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})/approvals/([A-Za-z0-9._:~-]{1,128})");
    private static final Pattern KEY = Pattern.compile("/v1/keys/([A-Za-z0-9_]{1,64})");
    private static final Pattern CHAT_STREAM =
            Pattern.compile("/api/chat/([^/]*)/stream"); // the id checked by the protocol
    /** The health check's path, within the mount. */
    static final String HEALTH = "/healthz";

    private static final String API_ROUTES =
            "; the API is POST /api/streams, GET /api/streams/ID/events, DELETE /api/streams/ID,"
                    + " POST /api/streams/ID/approvals/CALL, POST /api/chat, GET /api/chat/ID/stream, POST /api/object, POST /api/ag-ui";

    private final RelayAdmission admission;
    private final @Nullable GatewayHttp gateway; // null: no /v1 routes
    private final @Nullable KeysHttp keys; // null: no minted keys
    private final @Nullable ApiKeyStore keyStore;
    private final ProtocolHttp protocols;
    private final Relay relay;
    private final PageAssets page;
    private final StoreHealth health;
    private final @Nullable RequestGuard fixedGuard; // null: one per local address and port the requests arrive at
    private final @Nullable String token;
    private final List<String> allowedOrigins;
    private final List<String> allowedHosts;
    private final boolean responsesWebSocket;
    private final List<Route> routes = routes();
    /** The gateway's routes as its 404 names them. */
    private final String gatewayRoutes = gatewayRoutes(routes);

    private final Map<String, RequestGuard> guards = new ConcurrentHashMap<>(); // "address port" -> its guard

    private RelayHttpApi(Builder b) {
        this.admission = b.admission;
        this.gateway = b.gateway;
        this.relay = admission.relay();
        this.keyStore = b.keys;
        this.keys = b.keys == null ? null : new KeysHttp(b.keys, relay.store());
        // frontend tools (AG-UI) stream from the providers' clients, which the gateway holds
        this.protocols = new ProtocolHttp(admission, gateway == null ? Map.of() : gateway.providers());
        this.page = new PageAssets(b.page);
        this.health = new StoreHealth(relay.store());
        this.token = b.token;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.responsesWebSocket = b.responsesWebSocket;
        this.fixedGuard = b.boundHost == null ? null : guard(b.boundHost, b.boundPort);
    }

    /**
     * {@return a builder of the routes over a relay's HTTP side}
     *
     * @param admission the relay with its HTTP limits
     */
    public static Builder builder(RelayAdmission admission) {
        return new Builder(admission);
    }

    /** {@return the relay} */
    public Relay relay() {
        return relay;
    }

    /** {@return the relay's HTTP side these routes answer through, with its limits (the request body's size and time)} */
    public RelayAdmission admission() {
        return admission;
    }

    /** {@return whether a token is required} */
    public boolean requiresToken() {
        return token != null;
    }

    /** {@return the store of the keys minted at {@code /v1/keys}, when keys are served ({@link Builder#keys})} */
    public Optional<ApiKeyStore> keys() {
        return Optional.ofNullable(keyStore);
    }

    /**
     * {@return how long a connection may stay silent}: three heartbeats, at least 30 s; a write
     * blocked on a client that stopped reading fails after it, and heartbeats keep live ones busy
     */
    public Duration idleTimeout() {
        return Duration.ofMillis(Math.max(30_000, relay.heartbeat().toMillis() * 3));
    }

    /**
     * {@return who may call through a connection that arrived at this local address and port}
     *
     * @param localAddress the address, such as {@code 127.0.0.1}
     * @param localPort the port
     */
    public RequestGuard guard(String localAddress, int localPort) {
        if (fixedGuard != null) return fixedGuard;
        return guards.computeIfAbsent(localAddress + " " + localPort, k -> {
            RequestGuard.Builder g =
                    RequestGuard.builder(localAddress, localPort).token(token);
            allowedOrigins.forEach(g::allowOrigin);
            allowedHosts.forEach(g::allowHost);
            return g.build();
        });
    }

    /**
     * Answers one request: at once, or, for an event stream, through {@link HttpExchange#respond}.
     *
     * @param exchange the request and its response
     * @throws IOException if the client is gone before the answer is written
     */
    public void handle(HttpExchange exchange) throws IOException {
        exchange.header("X-Content-Type-Options", "nosniff");
        exchange.header("Referrer-Policy", "no-referrer");
        String path = exchange.path();
        if (path.isEmpty()) { // the mount without its slash: the page's relative addresses need it
            exchange.header("Location", exchange.mountPath() + "/");
            exchange.status(308);
            return;
        }
        if (path.equals(HEALTH)) { // for load balancers: no guard
            route(path, exchange, ErrorShape.RELAY, null);
            return;
        }
        ErrorShape shape = ErrorShape.of(exchange);
        boolean api = shape.gateway() || path.startsWith("/api/");
        if (api) exchange.header("Cache-Control", "no-store");
        RequestGuard g = guard(exchange.localAddress(), exchange.localPort());
        KeyCaller caller = null; // looked up once a request (a shared store's round trip), handed to its route
        try {
            if (api) {
                g.checkHost(exchange::header);
                Optional<String> cors = g.corsOrigin(exchange::header);
                if (cors.isPresent()) {
                    exchange.header("Access-Control-Allow-Origin", cors.get());
                    exchange.addHeader("Vary", "Origin");
                    if (exchange.method().equals("OPTIONS")) {
                        exchange.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
                        exchange.header(
                                "Access-Control-Allow-Headers",
                                "Authorization, Content-Type, Last-Event-ID, x-api-key, anthropic-version, anthropic-beta");
                        exchange.header("Access-Control-Max-Age", "600");
                        exchange.status(204);
                        return;
                    }
                }
                g.checkCredentialsOnce(exchange::headers);
                caller = caller(exchange);
                g.checkApi(exchange::header, caller != null);
            } else {
                g.checkHost(exchange::header);
                if (PageAssets.isPage(path)) {
                    g.checkCredentialsOnce(exchange::headers);
                    if (keyRedirect(g, exchange)) return;
                    // a minted key's cookie serves the page as the token's does
                    if (exchange.query("token") == null) caller = caller(exchange);
                    boolean keyed = caller != null;
                    if (!keyed && PageAssets.access(g, exchange, secure(exchange))) return;
                }
            }
        } catch (Refused e) {
            shape.error(exchange, e.refusal());
            return;
        }
        route(path, exchange, shape, caller);
    }

    /**
     * A route: the method it answers (and {@code HEAD} with {@code GET}; null: any, the handler
     * checks), the path it matches whole, what answers it, given the path's match, and, for a route
     * of the gateway's, how its 404 names it ({@code POST /v1/messages}), else null.
     */
    private record Route(
            @Nullable String method,
            Pattern path,
            Handler handler,
            @Nullable String gatewayName) {}

    /**
     * Answers a request whose path a route matched; {@code path}'s groups are the path's parts, {@code caller} its
     * minted key (null for none), looked up once by the guard.
     */
    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange, Matcher path, @Nullable KeyCaller caller) throws IOException;
    }

    private static Route route(@Nullable String method, String path, Handler handler) {
        return route(method, Pattern.compile(Pattern.quote(path)), handler);
    }

    private static Route route(@Nullable String method, Pattern path, Handler handler) {
        return new Route(method, path, handler, null);
    }

    /** A route of the gateway's, named in its 404 as {@code method path}. */
    private static Route gatewayRoute(String method, String path, Handler handler, boolean checksMethod) {
        return new Route(
                checksMethod ? null : method, Pattern.compile(Pattern.quote(path)), handler, method + " " + path);
    }

    /** {@return the gateway's routes as its 404 names them: {@code A, B and C}} */
    private static String gatewayRoutes(List<Route> table) {
        List<String> names = table.stream()
                .map(Route::gatewayName)
                .filter(Objects::nonNull)
                .map(String::valueOf)
                .toList();
        return names.size() < 2
                ? String.join("", names)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
    }

    /**
     * Every route, in one table: the first whose path matches answers, or refuses another method with
     * 405. Each of the gateway's front doors ({@link Doors#ALL}) is one route at its path.
     */
    private List<Route> routes() {
        List<Route> table = new ArrayList<>(List.of(
                route("GET", HEALTH, (x, m, k) -> health.answer(x)),
                route("GET", PAGE, (x, m, k) -> page(x)),
                route("GET", PageAssets.PATH, (x, m, k) -> page.asset(x, m.group(1))),
                route("GET", "/api/providers", (x, m, k) -> json(x, 200, providersJson())),
                route("POST", "/api/streams", (x, m, k) -> startStream(x, k)),
                route("GET", EVENTS, (x, m, k) -> events(x, m.group(1))),
                route("DELETE", STREAM, (x, m, k) -> cancelStream(x, m.group(1))),
                route("POST", APPROVAL, (x, m, k) -> approve(x, m.group(1), m.group(2))),
                route(null, "/api/ws", (x, m, k) -> socket(x, k)),
                route("POST", "/api/chat", (x, m, k) -> chat(x, k)),
                route("GET", CHAT_STREAM, (x, m, k) -> resumeChat(x, m.group(1), k)),
                route("POST", "/api/object", (x, m, k) -> object(x, k)),
                route("POST", "/api/ag-ui", (x, m, k) -> agUi(x, k)),
                gatewayRoute("GET", "/v1/models", (x, m, k) -> models(x, k), false),
                gatewayRoute("POST", "/v1/messages/count_tokens", (x, m, k) -> countTokens(x, k), false),
                route(null, "/v1/keys", (x, m, k) -> keys(x, k)),
                route("DELETE", KEY, (x, m, k) -> revokeKey(x, m.group(1), k))));
        // a door's handler checks the method: POST, or a GET that upgrades to its WebSocket mode
        for (Door door : Doors.ALL)
            table.add(gatewayRoute("POST", door.path(), (x, m, k) -> doorRequest(x, door, k), true));
        return List.copyOf(table);
    }

    /** Answers a request whose caller the guard let through, by the table's route for its path. */
    private void route(String path, HttpExchange exchange, ErrorShape shape, @Nullable KeyCaller caller)
            throws IOException {
        boolean gatewayPath = shape.gateway();
        try {
            if (gatewayPath && gateway == null) throw HttpRefusals.of(404, "not_found", "this server has no gateway");
            for (Route r : routes) {
                Matcher m = r.path().matcher(path);
                if (!m.matches()) continue;
                if (r.method() != null) allow(exchange, r.method());
                r.handler().handle(exchange, m, caller);
                return;
            }
            if (gatewayPath)
                throw HttpRefusals.of(
                        404,
                        "not_found",
                        "nothing at " + HttpRefusals.shorten(path, 80) + "; the gateway is " + gatewayRoutes);
            throw notFound(path);
        } catch (Refused e) {
            shape.error(exchange, e.refusal());
        } catch (RelayException e) { // the relay's own, where a handler left it unmapped
            shape.error(exchange, HttpRefusal.of(e));
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!page.present()) throw notFound(exchange.path());
        page.page(exchange);
    }

    private void startStream(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        String id = protocols(caller).stream(readJson(exchange), client(exchange));
        exchange.header("Location", exchange.mountPath() + "/api/streams/" + id);
        json(exchange, 201, created(exchange.mountPath(), id));
    }

    /** {@return the body of {@code 201 Created}: {@code {"id":...,"events":"MOUNT/api/streams/ID/events"}}} */
    private static String created(String mountPath, String streamId) {
        return "{\"id\":" + Json.string(streamId) + ",\"events\":"
                + Json.string(mountPath + "/api/streams/" + streamId + "/events") + "}";
    }

    private void events(HttpExchange exchange, String streamId) throws IOException {
        Subscription s = admission.subscribe(streamId, exchange.header("Last-Event-ID"));
        deliver(exchange, s, out -> {
            SseRelayWriter writer = new SseRelayWriter(out);
            try {
                writer.retry(1000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return writer;
        });
    }

    private void cancelStream(HttpExchange exchange, String streamId) {
        if (!admission.cancel(streamId)) throw HttpRefusals.of(404, "not_found", "no stream \"" + streamId + "\"");
        exchange.status(204);
    }

    private void approve(HttpExchange exchange, String streamId, String callId) throws IOException {
        admission.approve(streamId, callId, Json.object(readJson(exchange)));
        json(exchange, 200, "{\"decided\":true}");
    }

    /** {@code /api/ws}: a WebSocket upgrade (a {@code GET}), or nothing. */
    private void socket(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        if (!isUpgrade(exchange)) throw notFound(exchange.path());
        String client = client(exchange); // read now: a server may recycle the request once upgraded
        // the socket's streams are the key's, as its requests are
        RelayAdmission admitting = caller == null ? admission : admission.keyed(caller);
        ProtocolHttp socketProtocols = protocols(caller);
        if (!exchange.upgrade(peer -> new RelaySocket(admitting, socketProtocols, client, peer)))
            throw notFound(exchange.path());
    }

    private void chat(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        String json = readJson(exchange);
        String secret = ChatRecords.ownerSecret(exchange::header);
        boolean fresh = secret == null;
        if (secret == null) secret = ChatRecords.newOwnerSecret();
        ProtocolHttp.Answer answer = protocols(caller).chat(json, client(exchange), secret);
        if (fresh)
            exchange.header("Set-Cookie", ChatRecords.ownerCookie(secret, exchange.mountPath(), secure(exchange)));
        exchange.header(ProtocolHttp.UI_MESSAGE_STREAM_HEADER, "v1");
        deliver(exchange, answer.subscription(), answer.writer());
    }

    private void resumeChat(HttpExchange exchange, String chatId, @Nullable KeyCaller caller) throws IOException {
        Optional<ProtocolHttp.Answer> answer =
                protocols(caller).resumeChat(chatId, ChatRecords.ownerSecret(exchange::header), client(exchange));
        if (answer.isEmpty()) {
            exchange.status(204);
        } else {
            exchange.header(ProtocolHttp.UI_MESSAGE_STREAM_HEADER, "v1");
            deliver(exchange, answer.get().subscription(), answer.get().writer());
        }
    }

    private void object(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        ProtocolHttp p = protocols(caller);
        p.respondObject(exchange, p.object(readJson(exchange), client(exchange)));
    }

    private void agUi(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        String json = readJson(exchange);
        String secret = ChatRecords.ownerSecret(exchange::header);
        boolean fresh = secret == null;
        if (secret == null) secret = ChatRecords.newOwnerSecret();
        ProtocolHttp.Answer answer = protocols(caller).agUi(json, client(exchange), secret);
        if (fresh)
            exchange.header(
                    "Set-Cookie",
                    ChatRecords.ownerCookie(secret, exchange.mountPath(), "/api/ag-ui", secure(exchange)));
        deliver(exchange, answer.subscription(), answer.writer());
    }

    /** {@return the request's body read as JSON text ({@link RelayAdmission#readJson})} */
    private String readJson(HttpExchange exchange) throws IOException {
        return admission.readJson(exchange.header("Content-Type"), exchange.contentLength(), body(exchange));
    }

    /** {@return the request's client: the peer, or the one a trusted proxy names} */
    private String client(HttpExchange exchange) {
        return admission.clientAddress(exchange.clientAddress(), exchange::headers);
    }

    /** {@return whether the client's request came over TLS: the connection's, or as a trusted proxy says} */
    private boolean secure(HttpExchange exchange) {
        return admission.secure(exchange.clientAddress(), exchange.secure(), exchange::headers);
    }

    /** {@return the request's body, ended at its first read past the body timeout} */
    private InputStream body(HttpExchange exchange) throws IOException {
        return new DeadlineInputStream(exchange.body(), admission.bodyTimeout());
    }

    private static Refused notFound(String path) {
        return HttpRefusals.of(404, "not_found", "nothing at " + HttpRefusals.shorten(path, 80) + API_ROUTES);
    }

    /** {@return the OpenAI-compatible gateway ({@link GatewayHttp}); only its routes ask, once {@link #route} has checked there is one} */
    private GatewayHttp gateway() {
        return Objects.requireNonNull(gateway, "no gateway: route() answers /v1 with 404");
    }

    /** {@code GET /v1/models}: the gateway's models, in Anthropic's shape when asked with {@code anthropic-version}. */
    private void models(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        json(
                exchange,
                200,
                exchange.header("anthropic-version") != null
                        ? gateway().anthropicModels(caller)
                        : gateway().models(caller));
    }

    /** {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}}, the target's own or estimated ({@link GatewayHttp#countTokens}). */
    private void countTokens(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        GatewayHttp.TokenCountAnswer counted = gateway()
                .countTokens(
                        exchange.header("Content-Type"),
                        exchange.contentLength(),
                        body(exchange),
                        exchange.header("anthropic-beta"),
                        caller);
        if (counted.estimated()) exchange.header("sluice-token-count", "estimate"); // no target counted them
        json(exchange, 200, counted.body());
    }

    /**
     * A front door's path: a {@code POST}, or a WebSocket upgrade where the door has a WebSocket mode
     * ({@link Door#socket}: {@code /v1/responses}'s, {@link ResponsesSocket}; 426 when switched off).
     */
    private void doorRequest(HttpExchange exchange, Door door, @Nullable KeyCaller caller) throws IOException {
        Optional<Door.SocketMode> socket = door.socket();
        if (socket.isEmpty() || !isUpgrade(exchange)) {
            allow(exchange, "POST");
            completion(exchange, door, caller);
            return;
        }
        GatewayHttp gateway = gateway();
        if (!responsesWebSocket)
            throw HttpRefusals.of(
                    426,
                    "websocket_disabled",
                    "the Responses API's WebSocket is switched off here: POST /v1/responses");
        String client = client(exchange); // read now: a server may recycle the request once upgraded
        // the credentials the upgrade was admitted with, for the door's own checks of each response
        Map<String, String> credentials = new HashMap<>();
        for (String name : List.of("authorization", "x-api-key")) {
            String value = exchange.header(name);
            if (value != null) credentials.put(name, value);
        }
        // a minted key (caller): every response on the socket is held to it
        if (!exchange.upgrade(peer -> socket.get()
                .open(gateway, client, name -> credentials.get(name.toLowerCase(Locale.ROOT)), caller, peer)))
            throw HttpRefusals.of(426, "websocket_unsupported", "this server has no WebSocket: POST /v1/responses");
    }

    /** {@code POST /v1/chat/completions}, {@code /v1/messages}, {@code /v1/responses}: an answer of the gateway's, streamed or whole. */
    private void completion(HttpExchange exchange, Door door, @Nullable KeyCaller caller) throws IOException {
        GatewayHttp gateway = gateway();
        gateway.respond(
                exchange,
                gateway.start(
                        door,
                        exchange.header("Content-Type"),
                        exchange.contentLength(),
                        body(exchange),
                        client(exchange),
                        exchange::header,
                        caller));
    }

    /**
     * {@return the frontends' protocols for a request: the server's, or, for a minted key's request,
     * over the admission of its key ({@link RelayAdmission#keyed}), so that the streams it starts are
     * held to the key's models, rate and budget}
     */
    private ProtocolHttp protocols(@Nullable KeyCaller caller) {
        return caller == null ? protocols : protocols.over(admission.keyed(caller));
    }

    /** {@return the minted key an API request comes with; null for none, or when no keys are kept} */
    private @Nullable KeyCaller caller(HttpExchange exchange) {
        return keys == null
                ? null
                : keys.caller(
                        exchange::header,
                        guard(exchange.localAddress(), exchange.localPort()).cookieName());
    }

    /**
     * The page opened with a minted key, as {@link PageAssets#access} is with the token: {@code
     * ?token=KEY} sets the cookie with the key and redirects. {@return whether it was answered here}
     */
    private boolean keyRedirect(RequestGuard g, HttpExchange exchange) {
        String query = exchange.query("token");
        if (keys == null || query == null || !keys.valid(query)) return false;
        String root = exchange.mountPath() + "/";
        exchange.header("Set-Cookie", g.cookie(root, secure(exchange), query));
        exchange.header("Location", root);
        exchange.header("Cache-Control", "no-store");
        exchange.status(303);
        return true;
    }

    /** {@return the keys' routes, for the admin alone: the token's request, with no minted key} */
    private KeysHttp admin(@Nullable KeyCaller caller) {
        if (keys == null) throw HttpRefusals.of(404, "not_found", "this server keeps no keys");
        if (token == null || caller != null)
            throw HttpRefusals.of(
                    403,
                    "admin_required",
                    token == null
                            ? "keys are managed with the server's token: start it with --token"
                            : "keys are managed with the server's token, not with a minted key");
        return keys;
    }

    /** {@code POST /v1/keys} mints a key ({@code 201}, its secret shown once); {@code GET /v1/keys} lists them. */
    private void keys(HttpExchange exchange, @Nullable KeyCaller caller) throws IOException {
        KeysHttp k = admin(caller);
        switch (exchange.method()) {
            case "POST" -> json(exchange, 201, k.mint(readJson(exchange), gateway()::offers));
            case "GET", "HEAD" -> json(exchange, 200, k.list());
            default ->
                throw HttpRefusals.of(
                        405,
                        "method_not_allowed",
                        exchange.method() + " is not allowed here; use GET or POST",
                        Map.of("Allow", "GET, POST"));
        }
    }

    /** {@code DELETE /v1/keys/ID}: {@code 204}; the key is refused from then on. */
    private void revokeKey(HttpExchange exchange, String id, @Nullable KeyCaller caller) {
        admin(caller).revoke(id);
        exchange.status(204);
    }

    private String providersJson() {
        StringBuilder sb = new StringBuilder("{\"default\":");
        Map<String, String> providers = relay.providers();
        sb.append(Json.string(providers.keySet().iterator().next())).append(",\"providers\":[");
        boolean first = true;
        for (var e : providers.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"name\":")
                    .append(Json.string(e.getKey()))
                    .append(",\"model\":")
                    .append(Json.string(e.getValue()))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    private static boolean isUpgrade(HttpExchange exchange) {
        String upgrade = exchange.header("Upgrade");
        return exchange.method().equals("GET") && upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Refuses another method than the one allowed (and HEAD for GET) with 405 and {@code Allow}. */
    private static void allow(HttpExchange exchange, String allowed) {
        String method = exchange.method();
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) return;
        throw HttpRefusals.of(
                405, "method_not_allowed", method + " is not allowed here; use " + allowed, Map.of("Allow", allowed));
    }

    /** Builds {@link RelayHttpApi}; each setter checks its argument at once. */
    public static final class Builder {
        private final RelayAdmission admission;
        private @Nullable GatewayHttp gateway;
        private @Nullable ApiKeyStore keys;
        private @Nullable Function<String, byte @Nullable []> page;
        private @Nullable String boundHost;
        private int boundPort;
        private @Nullable String token;
        private final List<String> allowedOrigins = new ArrayList<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private boolean responsesWebSocket = true;

        private Builder(RelayAdmission admission) {
            this.admission = Objects.requireNonNull(admission, "admission");
        }

        /**
         * Serves the OpenAI-compatible gateway.
         *
         * @param gateway the OpenAI-compatible gateway to serve at {@code /v1/chat/completions} and
         *     {@code /v1/models}, over the same relay (its provider clients also stream AG-UI runs with
         *     frontend tools); null for none, the default
         * @return this builder
         * @throws IllegalArgumentException if the gateway is over another relay's HTTP side
         */
        public Builder gateway(@Nullable GatewayHttp gateway) {
            if (gateway != null && gateway.admission() != admission) {
                throw new IllegalArgumentException("the gateway must be over the same RelayAdmission as the routes");
            }
            this.gateway = gateway;
            return this;
        }

        /**
         * Serves minted keys: the token is then the admin's, which mints, lists and revokes keys at
         * {@code /v1/keys}; a request to the gateway's doors may come with a key instead of the token,
         * and is held to the key's models, rate and budget ({@link ApiKeyStore}).
         *
         * @param store where the keys and their budgets live; null for no keys, the default
         * @return this builder
         */
        public Builder keys(@Nullable ApiKeyStore store) {
            this.keys = store;
            return this;
        }

        /**
         * Switches the Responses API's WebSocket ({@code GET /v1/responses} upgraded, {@link ResponsesSocket})
         * on, the default, or off: its upgrade is then answered {@code 426}.
         *
         * @param on whether the gateway's {@code /v1/responses} takes a WebSocket
         * @return this builder
         */
        public Builder responsesWebSocket(boolean on) {
            this.responsesWebSocket = on;
            return this;
        }

        /**
         * Serves a page and its assets.
         *
         * @param assets the page's files by name ({@code index.html}, {@code app.js},
         *     {@code vendor/NAME.js}, ...), null for a name it does not have; null for no page
         *     (the default: {@code GET /} is 404)
         * @return this builder
         */
        public Builder page(@Nullable Function<String, byte @Nullable []> assets) {
            this.page = assets;
            return this;
        }

        /**
         * Fixes the names the server answers to as those of the address it is bound to (see
         * {@link RequestGuard}); by default, each request's are those of the local address and port
         * it arrived at.
         *
         * @param host the address the server is bound to, as given ({@code 127.0.0.1}, {@code 0.0.0.0})
         * @param port the port it listens on, 1 to 65535
         * @return this builder
         */
        public Builder boundTo(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1 to 65535: " + port);
            this.boundHost = host;
            this.boundPort = port;
            return this;
        }

        /**
         * Sets {@code token}.
         *
         * @param token required of every API request and of the page ({@link RequestGuard}); null
         *     for none, the default
         * @return this builder
         * @throws IllegalArgumentException if it is not fit to be a token ({@link RequestGuard#checkToken})
         */
        public Builder token(@Nullable String token) {
            this.token = token == null ? null : RequestGuard.checkToken(token);
            return this;
        }

        /**
         * Lets the pages of another origin call the API.
         *
         * @param origin an origin whose pages may call the API, with CORS headers (see {@link RequestGuard})
         * @return this builder
         * @throws IllegalArgumentException if it is not an origin
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(RequestGuard.checkOrigin(origin)); // checked now, not at the first request
            return this;
        }

        /**
         * Answers to another {@code Host} name.
         *
         * @param name another {@code Host} name the server answers to (see {@link RequestGuard})
         * @return this builder
         * @throws IllegalArgumentException if it is not a host name
         */
        public Builder allowHost(String name) {
            allowedHosts.add(RequestGuard.checkHostName(name));
            return this;
        }

        /**
         * {@return the routes}
         *
         * @throws IllegalArgumentException if the bound address cannot be resolved
         */
        public RelayHttpApi build() {
            return new RelayHttpApi(this);
        }
    }
}
