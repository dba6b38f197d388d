package dev.sluice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayError;
import dev.sluice.relay.SseRelayClient;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The relay needs no server library: its SSE API on the JDK's own {@link HttpServer}, in one page
 * (README, "Relay and chat page"). {@code sluice serve} does the same on Jetty, with the page and
 * the WebSocket.
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
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // an SSE response blocks its thread
        server.createContext("/api/streams", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String id = path.replaceFirst("^/api/streams/?", "").replaceFirst("/events$", "");
            switch (exchange.getRequestMethod()) {
                case "POST" -> {
                    Relay.CreateOutcome created = relay.create(exchange.getRequestHeaders().getFirst("Content-Type"),
                            exchange.getRequestBody(), exchange.getRemoteAddress().getAddress().getHostAddress());
                    respond(exchange, created.status(), created.json());
                }
                case "GET" -> {
                    switch (relay.subscribe(id, exchange.getRequestHeaders().getFirst("Last-Event-ID"))) {
                        case RelayError e -> respond(exchange, e.status(), e.json());
                        case Subscription s -> {
                            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                            exchange.sendResponseHeaders(200, 0);
                            try (OutputStream body = exchange.getResponseBody()) {
                                s.deliver(new SseRelayClient(body)); // until done, error or cancelled, or the client leaves
                            }
                        }
                    }
                }
                case "DELETE" -> {
                    exchange.sendResponseHeaders(relay.cancel(id) ? 204 : 404, -1);
                    exchange.close();
                }
                default -> respond(exchange, 405, new RelayError(405, "method_not_allowed", "use POST, GET or DELETE").json());
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
