package dev.sluice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.http.HttpError;
import dev.sluice.relay.http.RelayHttp;
import dev.sluice.relay.http.RequestGuard;
import dev.sluice.relay.Relay;
import dev.sluice.relay.SseRelayWriter;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The relay in a server of your own: its SSE API on the JDK's {@link HttpServer}, in one page
 * (README, "Relay and chat page"). Only the routing is written here; the relay and its HTTP side
 * ({@link RelayHttp}: media type, body size, streams per client address, refusals as statuses;
 * {@link RequestGuard}: host and origin) are the ones {@code sluice serve} runs on Jetty.
 */
public final class RelayOnJdkHttpServer {
    private RelayOnJdkHttpServer() {}

    /** Serves {@code POST /api/streams}, {@code GET /api/streams/ID/events} and {@code DELETE /api/streams/ID} on loopback. */
    public static HttpServer start(ChatProvider provider, String model, int port) throws IOException {
        Relay relay = Relay.builder()
                .provider("anthropic", provider, model)
                .heartbeat(Duration.ofSeconds(15))       // ": ping" after 15 s without an event
                .resumeWindow(Duration.ofSeconds(10))    // a stream whose page left runs 10 s more, then is cancelled
                .build();
        RelayHttp http = new RelayHttp(relay);           // 8 streams per client address, 64 KiB bodies
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // an SSE response blocks its thread
        // only this server's own names and pages: no other site's page, no rebound DNS name
        RequestGuard guard = RequestGuard.builder("127.0.0.1", server.getAddress().getPort()).build();
        server.createContext("/api/streams", exchange -> {
            String id = exchange.getRequestURI().getPath().replaceFirst("^/api/streams/?", "").replaceFirst("/events$", "");
            try {
                guard.checkApi(exchange.getRequestHeaders()::getFirst); // 403 for a foreign Host or Origin
                switch (exchange.getRequestMethod()) {
                    case "POST" -> {
                        String created = http.start(exchange.getRequestHeaders().getFirst("Content-Type"), -1,
                                exchange.getRequestBody(), exchange.getRemoteAddress().getAddress().getHostAddress());
                        exchange.getResponseHeaders().set("Location", "/api/streams/" + created);
                        respond(exchange, 201, RelayHttp.created(created));
                    }
                    case "GET" -> {
                        Subscription s = http.subscribe(id, exchange.getRequestHeaders().getFirst("Last-Event-ID"));
                        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                        exchange.sendResponseHeaders(200, 0);
                        try (OutputStream body = exchange.getResponseBody()) {
                            s.deliver(new SseRelayWriter(body)); // until done, error or cancelled, or the client leaves
                        }
                    }
                    case "DELETE" -> {
                        exchange.sendResponseHeaders(relay.cancel(id) ? 204 : 404, -1);
                        exchange.close();
                    }
                    default -> throw new HttpError(405, "method_not_allowed", "use POST, GET or DELETE");
                }
            } catch (HttpError e) {
                respond(exchange, e.status(), e.json());
            }
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }
}
