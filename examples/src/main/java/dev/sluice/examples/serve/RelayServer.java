package dev.sluice.examples.serve;

import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.SseRelayWriter;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The relay's HTTP API and chat page on Jetty 12: what {@code sluice serve} runs. The protocol
 * lives in {@link Relay}, its HTTP side (admission, limits, refusals as statuses) in
 * {@link RelayHttp}, who may call in {@link RequestGuard}; this class routes Jetty's requests onto
 * them and bounds what a connection may hold.
 *
 * <ul>
 * <li>{@code GET /} — the page; {@code GET /assets/NAME} — its scripts, styles and vendored libraries.</li>
 * <li>{@code GET /api/providers} — {@code {"default":"...","providers":[{"name","model"}...]}} for the page's picker.</li>
 * <li>{@code POST /api/streams} — {@code 201 {"id","events"}} or a 4xx {@code {"error":{"type","message"}}}.</li>
 * <li>{@code GET /api/streams/ID/events} — {@code text/event-stream}, resumable with {@code Last-Event-ID}.</li>
 * <li>{@code DELETE /api/streams/ID} — {@code 204}, or {@code 404}.</li>
 * <li>WebSocket {@code /api/ws} — see {@link RelaySocket}.</li>
 * <li>{@code POST /v1/chat/completions}, {@code GET /v1/models} — the OpenAI-compatible gateway,
 *     when one is given ({@link Builder#gateway}, {@link GatewayHttp}).</li>
 * <li>{@code POST /api/chat}, {@code GET /api/chat/ID/stream} (the Vercel AI SDK's UI message stream)
 *     and {@code POST /api/ag-ui} (AG-UI) — see {@link ProtocolHttp}; AG-UI's frontend tools stream
 *     from the gateway's provider clients, so a server without a gateway refuses them.</li>
 * </ul>
 *
 * <p>Every request's {@code Host} is checked, every API request's and upgrade's {@code Origin} and
 * token ({@link RequestGuard}); every response carries {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}, the API's {@code Cache-Control: no-store}, the page's a
 * Content-Security-Policy with {@code frame-ancestors 'none'}; no response names the server's
 * version. Connections are capped in all and per client address, and must send a request's
 * headers within the header timeout ({@link Builder}).
 *
 * <p>Threading: Jetty's selector threads do the I/O; every handler runs on its own virtual thread
 * (a {@link QueuedThreadPool} with a virtual-thread executor), and an SSE response blocks its
 * virtual thread while it streams. {@link #close()} cancels the relay's streams and stops Jetty.
 */
public final class RelayServer implements AutoCloseable {
    /** Connections open at once, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Connections open at once from one client address, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;
    /** How long a connection may take to send a request's headers, by default. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** The largest WebSocket message a client may send. */
    static final int MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

    private static final Pattern EVENTS = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})/events");
    private static final Pattern STREAM = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})");
    private static final Pattern CHAT_STREAM = Pattern.compile("/api/chat/([A-Za-z0-9_-]{1,128})/stream");
    private static final Pattern ASSET = Pattern.compile("/assets/((?:vendor/)?[A-Za-z0-9][A-Za-z0-9.-]{0,80}\\.(?:js|css|txt|md|svg))");
    private static final String PAGE = "/dev/sluice/examples/serve/page/";
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8", "md", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8", "svg", "image/svg+xml");
    /** The page's Content-Security-Policy: nothing but this origin's scripts and styles; no inline script. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final RelayHttp http;
    private final GatewayHttp gateway; // null: no /v1 routes
    private final ProtocolHttp protocols;
    private final Relay relay;
    private final Server jetty;
    private final ServerConnector connector;
    private final ConnectionGuard connections;
    private final Map<String, byte[]> assets;
    private volatile RequestGuard guard; // set once the port is known, before Jetty starts

    private RelayServer(Builder b) {
        this.http = b.http;
        this.gateway = b.gateway;
        this.relay = http.relay();
        // frontend tools (AG-UI) stream from the providers' clients, which the gateway holds
        this.protocols = new ProtocolHttp(http, gateway == null ? Map.of() : gateway.providers());
        this.assets = loadAssets();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-serve");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-serve-vt-", 0).factory()));
        this.jetty = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        this.connections = new ConnectionGuard(config, b.maxConnectionsPerClient, b.headerTimeout);
        this.connector = new ServerConnector(jetty, connections);
        connector.setHost(b.host);
        connector.setPort(b.port);
        // a write blocked on a client that stopped reading fails after this; heartbeats keep live ones busy
        connector.setIdleTimeout(Math.max(30_000, relay.heartbeat().toMillis() * 3));
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(MAX_SOCKET_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(1024);
            container.setMaxOutgoingFrames(RelaySocket.MAX_OUTGOING_FRAMES);
            container.setIdleTimeout(Duration.ofMillis(Math.max(30_000, relay.heartbeat().toMillis() * 3)));
            container.addMapping("/api/ws", (rq, rs, cb) -> new RelaySocket(http, Request.getRemoteAddr(rq)));
        });
        ws.setHandler(new Api());
        GuardHandler guarded = new GuardHandler(connections, () -> guard);
        guarded.setHandler(ws);
        jetty.setHandler(guarded);
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(2_000);
    }

    /**
     * Starts serving the relay on the given address, with {@link RelayHttp}'s default limits and
     * the defaults of {@link Builder}: no token, the server's own names and origins only.
     *
     * @param relay the relay; closed by {@link #close()}
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static RelayServer start(Relay relay, String host, int port) {
        return builder(new RelayHttp(relay)).host(host).port(port).start();
    }

    /**
     * Starts serving the relay on the given address, with the defaults of {@link Builder}.
     *
     * @param http the relay with its HTTP limits; its relay is closed by {@link #close()}
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static RelayServer start(RelayHttp http, String host, int port) {
        return builder(http).host(host).port(port).start();
    }

    /**
     * {@return a builder of a server for the relay, bound to 127.0.0.1 at any free port by default}
     *
     * @param http the relay with its HTTP limits; its relay is closed by {@link #close()}
     */
    public static Builder builder(RelayHttp http) {
        return new Builder(http);
    }

    /** {@return the port it listens on} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return {@code http://HOST:PORT/}; bound to every address, {@code http://127.0.0.1:PORT/}} */
    public URI uri() {
        String host = connector.getHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** {@return the relay it serves} */
    public Relay relay() {
        return relay;
    }

    /** {@return who may call it: its host names, origins and token} */
    public RequestGuard guard() {
        return guard;
    }

    /** {@return the connections counted against the per-client cap; for tests} */
    int countedConnections() {
        return connections.counted();
    }

    /** Cancels every stream and stops the server. Idempotent. */
    @Override
    public void close() {
        relay.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping: nothing left to report to
        }
        connections.close();
    }

    static boolean isPage(String path) {
        return path.equals("/") || path.equals("/index.html");
    }

    /** The HTTP API and the page; blocking, so Jetty runs it on a virtual thread. */
    private final class Api extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            Matcher m;
            if (isPage(path)) {
                if (!allow(request, "GET", response, callback)) return true;
                response.getHeaders().put("Content-Security-Policy", CSP);
                return asset(request, response, callback, "index.html");
            }
            if ((m = ASSET.matcher(path)).matches()) {
                if (!allow(request, "GET", response, callback)) return true;
                return asset(request, response, callback, m.group(1));
            }
            if (path.equals("/api/providers")) {
                if (!allow(request, "GET", response, callback)) return true;
                json(request, response, callback, 200, providersJson());
                return true;
            }
            if (path.equals("/api/streams")) {
                if (!allow(request, "POST", response, callback)) return true;
                try {
                    String id = http.start(request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getLength(),
                            Request.asInputStream(request), Request.getRemoteAddr(request));
                    response.getHeaders().put(HttpHeader.LOCATION, "/api/streams/" + id);
                    json(request, response, callback, 201, RelayHttp.created(id));
                } catch (HttpError e) {
                    error(request, response, callback, e);
                }
                return true;
            }
            if (path.startsWith("/v1/")) {
                gateway(path, method, request, response, callback);
                return true;
            }
            if (path.equals("/api/chat") || path.equals("/api/ag-ui")) {
                if (!allow(request, "POST", response, callback)) return true;
                ProtocolHttp.Answer answer;
                try {
                    String json = http.readJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getLength(),
                            Request.asInputStream(request));
                    answer = path.equals("/api/chat") ? protocols.chat(json, Request.getRemoteAddr(request))
                            : protocols.agUi(json, Request.getRemoteAddr(request));
                } catch (HttpError e) {
                    error(request, response, callback, e);
                    return true;
                }
                if (path.equals("/api/chat")) response.getHeaders().put(ProtocolHttp.UI_MESSAGE_STREAM_HEADER, "v1");
                deliver(answer.subscription(), answer.client(), response, callback);
                return true;
            }
            if ((m = CHAT_STREAM.matcher(path)).matches()) {
                if (!allow(request, "GET", response, callback)) return true;
                java.util.Optional<ProtocolHttp.Answer> answer;
                try {
                    answer = protocols.resumeChat(m.group(1));
                } catch (HttpError e) {
                    error(request, response, callback, e);
                    return true;
                }
                if (answer.isEmpty()) {
                    response.setStatus(HttpStatus.NO_CONTENT_204);
                    callback.succeeded();
                } else {
                    response.getHeaders().put(ProtocolHttp.UI_MESSAGE_STREAM_HEADER, "v1");
                    deliver(answer.get().subscription(), answer.get().client(), response, callback);
                }
                return true;
            }
            if ((m = EVENTS.matcher(path)).matches()) {
                if (!allow(request, "GET", response, callback)) return true;
                events(m.group(1), request, response, callback);
                return true;
            }
            if ((m = STREAM.matcher(path)).matches()) {
                if (!allow(request, "DELETE", response, callback)) return true;
                try {
                    if (http.cancel(m.group(1))) {
                        response.setStatus(HttpStatus.NO_CONTENT_204);
                        callback.succeeded();
                    } else {
                        error(request, response, callback, new HttpError(404, "not_found", "no stream \"" + m.group(1) + "\""));
                    }
                } catch (HttpError e) {
                    error(request, response, callback, e);
                }
                return true;
            }
            error(request, response, callback, new HttpError(404, "not_found", "nothing at " + (path.length() > 80 ? path.substring(0, 80) + "..." : path)
                    + "; the API is POST /api/streams, GET /api/streams/ID/events, DELETE /api/streams/ID,"
                    + " POST /api/chat, GET /api/chat/ID/stream, POST /api/ag-ui"));
            return true;
        }
    }

    /** The OpenAI-compatible gateway's routes, answering in OpenAI's shapes ({@link GatewayHttp}). */
    private void gateway(String path, String method, Request request, Response response, Callback callback) {
        try {
            if (gateway == null) throw new HttpError(404, "not_found", "this server has no OpenAI-compatible gateway");
            if (path.equals("/v1/models")) {
                if (!method.equals("GET")) throw notAllowed(response, method, "GET");
                json(request, response, callback, 200, gateway.models());
            } else if (path.equals("/v1/chat/completions")) {
                if (!method.equals("POST")) throw notAllowed(response, method, "POST");
                completion(request, gateway.start(request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getLength(),
                        Request.asInputStream(request), Request.getRemoteAddr(request)), response, callback);
            } else {
                throw new HttpError(404, "not_found", "nothing at " + (path.length() > 80 ? path.substring(0, 80) + "..." : path)
                        + "; the gateway is POST /v1/chat/completions and GET /v1/models");
            }
        } catch (HttpError e) {
            openAiError(request, response, callback, e);
        }
    }

    private static HttpError notAllowed(Response response, String method, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + allowed);
    }

    private void completion(Request request, GatewayHttp.Completion c, Response response, Callback callback) {
        Subscription s = gateway.subscribe(c);
        OutputStream out = Content.Sink.asOutputStream(response);
        if (c.stream()) {
            sseHeaders(response);
        }
        GatewayWriter client = c.client(out);
        Subscription.Outcome outcome = s.deliver(client); // nothing is written before the first content
        if (outcome != Subscription.Outcome.COMPLETE) {
            gateway.abandon(c);
            callback.failed(new IOException("the client of completion " + c.id() + " is gone"));
            return;
        }
        var failure = client.failure();
        if (failure.isPresent() && !client.written()) {
            RelayEvent.Error e = failure.get();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            json(request, response, callback, GatewayHttp.status(e),
                    GatewayWriter.errorJson(e.message(), GatewayWriter.openAiType(e.errorType()), null, e.errorType()));
        } else if (!c.stream()) {
            json(request, response, callback, 200, client.completion().orElseThrow());
        } else {
            try {
                out.close();
                callback.succeeded();
            } catch (IOException e) {
                callback.failed(e);
            }
        }
    }

    static void openAiError(Request request, Response response, Callback callback, HttpError e) {
        e.headers().forEach(response.getHeaders()::put);
        json(request, response, callback, e.status(), e.openAiJson());
    }

    private void events(String id, Request request, Response response, Callback callback) {
        Subscription s;
        try {
            s = http.subscribe(id, request.getHeaders().get("Last-Event-ID"));
        } catch (HttpError e) {
            error(request, response, callback, e);
            return;
        }
        deliver(s, out -> {
            SseRelayWriter client = new SseRelayWriter(out);
            try {
                client.retry(1000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return client;
        }, response, callback);
    }

    /** A 200 answered as {@code text/event-stream}, unbuffered by proxies that honour {@code X-Accel-Buffering}. */
    private static void sseHeaders(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    /** Streams a subscription to the response as {@code text/event-stream}, through a protocol's client. */
    private static void deliver(Subscription s, java.util.function.Function<OutputStream, dev.sluice.relay.RelayWriter> clients,
            Response response, Callback callback) {
        sseHeaders(response);
        OutputStream out = Content.Sink.asOutputStream(response);
        Subscription.Outcome outcome;
        try {
            dev.sluice.relay.RelayWriter client = clients.apply(out);
            client.flush(); // the headers go out now: the browser's EventSource opens
            outcome = s.deliver(client);
        } catch (IOException | UncheckedIOException e) {
            s.close();
            outcome = Subscription.Outcome.CLIENT_GONE;
        }
        if (outcome == Subscription.Outcome.COMPLETE) {
            try {
                out.close();
                callback.succeeded();
            } catch (IOException e) {
                callback.failed(e);
            }
        } else {
            // gone or dropped: abort, so that a dropped client sees a cut, not a clean end
            callback.failed(new IOException("the SSE client was " + (outcome == Subscription.Outcome.DROPPED ? "dropped" : "gone")));
        }
    }

    private String providersJson() {
        StringBuilder sb = new StringBuilder("{\"default\":");
        Map<String, String> providers = relay.providers();
        sb.append(Json.string(providers.keySet().iterator().next())).append(",\"providers\":[");
        boolean first = true;
        for (var e : providers.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"name\":").append(Json.string(e.getKey())).append(",\"model\":").append(Json.string(e.getValue())).append('}');
        }
        return sb.append("]}").toString();
    }

    /** {@return the page and its assets, read once: a name not among them is a 404, never remembered} */
    private static Map<String, byte[]> loadAssets() {
        Map<String, byte[]> m = new java.util.HashMap<>();
        for (String name : List.of("index.html", "app.js", "app.css", "favicon.svg", "vendor/marked.umd.js", "vendor/purify.min.js",
                "vendor/highlight.min.js", "vendor/highlight-github.min.css", "vendor/VERSIONS.md", "vendor/LICENSE-dompurify.txt",
                "vendor/LICENSE-highlight.js.txt", "vendor/LICENSE-marked.txt")) {
            try (InputStream in = RelayServer.class.getResourceAsStream(PAGE + name)) {
                if (in == null) throw new IllegalStateException("the page's " + name + " is missing from the jar");
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(m);
    }

    private boolean asset(Request request, Response response, Callback callback, String name) {
        byte[] bytes = assets.get(name);
        if (bytes == null) {
            error(request, response, callback, new HttpError(404, "not_found", "no asset " + name));
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private static boolean allow(Request request, String allowed, Response response, Callback callback) {
        String method = request.getMethod();
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) return true;
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(request, response, callback, new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + allowed));
        return false;
    }

    static void error(Request request, Response response, Callback callback, HttpError e) {
        e.headers().forEach(response.getHeaders()::put);
        json(request, response, callback, e.status(), e.json());
    }

    private static void json(Request request, Response response, Callback callback, int status, String json) {
        if (status >= 400) closeIfBodyUnread(request, response);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * A refusal sent before the request's body was read to its end (a wrong origin or token, a
     * body too large, ...) closes the connection once answered, and says so with
     * {@code Connection: close} (RFC 9112, section 9.6): Jetty would close it anyway, after the
     * answer, and a client that kept it for its next request would find it closed under that
     * request. Whatever of the body has already arrived is discarded first, without waiting for more
     * (at most 16 chunks); a body that arrived whole keeps the connection open.
     */
    static void closeIfBodyUnread(Request request, Response response) {
        for (int i = 0; i < 16; i++) {
            Content.Chunk chunk = request.read();
            if (chunk == null) break; // more is coming
            boolean failed = Content.Chunk.isFailure(chunk);
            boolean end = chunk.isLast();
            chunk.release();
            if (failed) break;
            if (end) return;
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    /**
     * Builds and starts a {@link RelayServer}. Each setter checks its argument at once; the
     * defaults suit a server on loopback for one person.
     */
    public static final class Builder {
        private final RelayHttp http;
        private GatewayHttp gateway;
        private String host = "127.0.0.1";
        private int port;
        private String token;
        private final List<String> allowedOrigins = new ArrayList<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;

        private Builder(RelayHttp http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /**
         * @param gateway the OpenAI-compatible gateway to serve at {@code /v1/chat/completions} and
         *     {@code /v1/models}, over the same relay (its provider clients also stream AG-UI runs with
         *     frontend tools); null for none, the default
         * @return this builder
         */
        public Builder gateway(GatewayHttp gateway) {
            this.gateway = gateway;
            return this;
        }

        /**
         * @param host the address to bind; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
            this.host = host;
            return this;
        }

        /**
         * @param port 0 to 65535; 0, the default, for any free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            this.port = port;
            return this;
        }

        /**
         * @param token required of every API request and of the page ({@link RequestGuard}); null
         *     for none, the default
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * @param origin an origin whose pages may call the API, with CORS headers (see {@link RequestGuard})
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(Objects.requireNonNull(origin, "origin"));
            return this;
        }

        /**
         * @param name another {@code Host} name the server answers to (see {@link RequestGuard})
         * @return this builder
         */
        public Builder allowHost(String name) {
            allowedHosts.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * @param n connections open at once; positive; default {@value #DEFAULT_MAX_CONNECTIONS}
         *     (more wait to be accepted)
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxConnections must be positive: " + n);
            this.maxConnections = n;
            return this;
        }

        /**
         * @param n connections open at once from one client address; positive; default
         *     {@value #DEFAULT_MAX_CONNECTIONS_PER_CLIENT} (one more is closed as it opens)
         * @return this builder
         */
        public Builder maxConnectionsPerClient(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxConnectionsPerClient must be positive: " + n);
            this.maxConnectionsPerClient = n;
            return this;
        }

        /**
         * @param timeout how long a connection may take to send a request's headers, from its
         *     opening or from its previous response's end; positive; default 10 s
         * @return this builder
         */
        public Builder headerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "headerTimeout");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("headerTimeout must be positive: " + timeout);
            this.headerTimeout = timeout;
            return this;
        }

        /**
         * {@return the running server}
         *
         * @throws UncheckedIOException if the address cannot be bound
         * @throws IllegalArgumentException if an origin, host name or token is malformed
         */
        public RelayServer start() {
            RelayServer server = new RelayServer(this);
            try {
                server.connector.open(); // the port is known before the first request is handled
                RequestGuard.Builder g = RequestGuard.builder(host, server.connector.getLocalPort()).token(token);
                allowedOrigins.forEach(g::allowOrigin);
                allowedHosts.forEach(g::allowHost);
                server.guard = g.build();
                server.jetty.start();
            } catch (IllegalArgumentException e) {
                server.close();
                throw e;
            } catch (Exception e) {
                server.close();
                throw new UncheckedIOException(new IOException("cannot serve on " + host + ":" + port + ": " + e.getMessage(), e));
            }
            return server;
        }
    }
}
