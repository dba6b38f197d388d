package dev.sluice.examples.serve;

import dev.sluice.relay.Created;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayError;
import dev.sluice.relay.SseRelayClient;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The relay's HTTP API and chat page on Jetty 12: what {@code sluice serve} runs. All the
 * protocol lives in {@link Relay}; this class maps Jetty's requests onto it.
 *
 * <ul>
 * <li>{@code GET /} — the page; {@code GET /assets/NAME} — its scripts, styles and vendored libraries.</li>
 * <li>{@code GET /api/providers} — {@code {"default":"...","providers":[{"name","model"}...]}} for the page's picker.</li>
 * <li>{@code POST /api/streams} — {@code 201 {"id","events"}} or a 4xx {@code {"error":{"type","message"}}}.</li>
 * <li>{@code GET /api/streams/ID/events} — {@code text/event-stream}, resumable with {@code Last-Event-ID}.</li>
 * <li>{@code DELETE /api/streams/ID} — {@code 204}, or {@code 404}.</li>
 * <li>WebSocket {@code /api/ws} — see {@link RelaySocket}.</li>
 * </ul>
 *
 * <p>Threading: Jetty's selector threads do the I/O; every handler runs on its own virtual thread
 * (a {@link QueuedThreadPool} with a virtual-thread executor), and an SSE response blocks its
 * virtual thread while it streams. {@link #close()} cancels the relay's streams and stops Jetty.
 */
public final class RelayServer implements AutoCloseable {
    private static final Pattern EVENTS = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})/events");
    private static final Pattern STREAM = Pattern.compile("/api/streams/([A-Za-z0-9_-]{1,64})");
    private static final Pattern ASSET = Pattern.compile("/assets/((?:vendor/)?[A-Za-z0-9][A-Za-z0-9.-]*\\.(?:js|css|txt|md))");
    private static final String PAGE = "/dev/sluice/examples/serve/page/";
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8", "md", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8");
    /** The page's Content-Security-Policy: nothing but this origin's scripts and styles; no inline script. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Relay relay;
    private final Server jetty;
    private final ServerConnector connector;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    private RelayServer(Relay relay, String host, int port) {
        this.relay = relay;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-serve");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-serve-vt-", 0).factory()));
        this.jetty = new Server(threads);
        this.connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        // a write blocked on a client that stopped reading fails after this; heartbeats keep live ones busy
        connector.setIdleTimeout(Math.max(30_000, relay.heartbeat().toMillis() * 3));
        jetty.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(64 * 1024);
            container.setIdleTimeout(Duration.ofMillis(Math.max(30_000, relay.heartbeat().toMillis() * 3)));
            container.addMapping("/api/ws", (rq, rs, cb) -> new RelaySocket(relay, Request.getRemoteAddr(rq)));
        });
        ws.setHandler(new Api());
        jetty.setHandler(ws);
        jetty.setStopTimeout(2_000);
    }

    /**
     * Starts serving the relay on the given address.
     *
     * @param relay the relay; closed by {@link #close()}
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static RelayServer start(Relay relay, String host, int port) {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(host, "host");
        RelayServer server = new RelayServer(relay, host, port);
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.close();
            throw new UncheckedIOException(new IOException("cannot serve on " + host + ":" + port + ": " + e.getMessage(), e));
        }
        return server;
    }

    /** {@return the port it listens on} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return {@code http://HOST:PORT/}} */
    public URI uri() {
        String host = connector.getHost();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** {@return the relay it serves} */
    public Relay relay() {
        return relay;
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
    }

    /** The HTTP API and the page; blocking, so Jetty runs it on a virtual thread. */
    private final class Api extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            Matcher m;
            if (path.equals("/") || path.equals("/index.html")) {
                if (!allow(method, "GET", response, callback)) return true;
                response.getHeaders().put("Content-Security-Policy", CSP);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                return asset(response, callback, "index.html");
            }
            if ((m = ASSET.matcher(path)).matches()) {
                if (!allow(method, "GET", response, callback)) return true;
                return asset(response, callback, m.group(1));
            }
            if (path.equals("/api/providers")) {
                if (!allow(method, "GET", response, callback)) return true;
                json(response, callback, 200, providersJson());
                return true;
            }
            if (path.equals("/api/streams")) {
                if (!allow(method, "POST", response, callback)) return true;
                InputStream body = Request.asInputStream(request);
                long declared = request.getLength();
                Relay.CreateOutcome outcome = declared > relay.limits().maxRequestBytes()
                        ? tooLarge() : relay.create(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body, Request.getRemoteAddr(request));
                if (outcome instanceof Created c) response.getHeaders().put(HttpHeader.LOCATION, "/api/streams/" + c.id());
                json(response, callback, outcome.status(), outcome.json());
                return true;
            }
            if ((m = EVENTS.matcher(path)).matches()) {
                if (!allow(method, "GET", response, callback)) return true;
                events(m.group(1), request, response, callback);
                return true;
            }
            if ((m = STREAM.matcher(path)).matches()) {
                if (!allow(method, "DELETE", response, callback)) return true;
                if (relay.cancel(m.group(1))) {
                    response.setStatus(HttpStatus.NO_CONTENT_204);
                    callback.succeeded();
                } else {
                    error(response, callback, new RelayError(404, "not_found", "no stream \"" + m.group(1) + "\""));
                }
                return true;
            }
            error(response, callback, new RelayError(404, "not_found", "nothing at " + (path.length() > 80 ? path.substring(0, 80) + "..." : path)
                    + "; the API is POST /api/streams, GET /api/streams/ID/events, DELETE /api/streams/ID"));
            return true;
        }
    }

    private RelayError tooLarge() {
        return new RelayError(413, "request_too_large", "the request body is larger than " + relay.limits().maxRequestBytes() + " bytes");
    }

    private void events(String id, Request request, Response response, Callback callback) {
        switch (relay.subscribe(id, request.getHeaders().get("Last-Event-ID"))) {
            case RelayError e -> error(response, callback, e);
            case Subscription s -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.getHeaders().put("X-Accel-Buffering", "no");
                OutputStream out = Content.Sink.asOutputStream(response);
                SseRelayClient client = new SseRelayClient(out);
                Subscription.Outcome outcome;
                try {
                    client.retry(1000);
                    client.flush(); // the headers go out now: the browser's EventSource opens
                    outcome = s.deliver(client);
                } catch (IOException e) {
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

    private boolean asset(Response response, Callback callback, String name) {
        byte[] bytes = assets.computeIfAbsent(name, n -> {
            try (InputStream in = RelayServer.class.getResourceAsStream(PAGE + n)) {
                return in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (bytes.length == 0) {
            error(response, callback, new RelayError(404, "not_found", "no asset " + name));
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private static boolean allow(String method, String allowed, Response response, Callback callback) {
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) return true;
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(response, callback, new RelayError(405, "method_not_allowed", method + " is not allowed here; use " + allowed));
        return false;
    }

    private static void error(Response response, Callback callback, RelayError e) {
        json(response, callback, e.status(), e.json());
    }

    private static void json(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
