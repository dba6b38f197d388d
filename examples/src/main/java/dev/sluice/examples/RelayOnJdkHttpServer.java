package dev.sluice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.chat.ProviderClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.relay.http.RelaySocket;
import dev.sluice.relay.http.SocketSession;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The relay in a server of your own: its whole HTTP API ({@link RelayHttpApi}: routes, the host,
 * origin and token guard, limits, errors) on the JDK's {@link HttpServer}, which has no
 * WebSocket, through an adapter of one page. A Netty, Helidon or Spring WebFlux handler does the same.
 */
public final class RelayOnJdkHttpServer {
    private RelayOnJdkHttpServer() {}

    /** Serves the relay's API on loopback. */
    public static HttpServer start(ProviderClient provider, String model, int port) throws IOException {
        Relay relay = Relay.builder()
                .provider(provider.providerName(), provider, model)
                .heartbeat(Duration.ofSeconds(15)) // ": ping" after 15 s without an event
                .resumeWindow(Duration.ofSeconds(10)) // a stream whose page left runs 10 s more, then is cancelled
                .build();
        RelayHttpApi routes =
                RelayHttpApi.builder(new RelayAdmission(relay)).build(); // 8 streams per client, 64 KiB bodies
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // an SSE response blocks its thread
        server.createContext("/", exchange -> {
            JdkExchange e = new JdkExchange(exchange);
            try (exchange) {
                routes.handle(e);
                e.end();
            }
        });
        server.start();
        return server;
    }

    /** The JDK's exchange as the routes see it: headers go out with the body's first byte. */
    private static final class JdkExchange implements dev.sluice.relay.http.HttpExchange {
        private final HttpExchange exchange;
        private int status = 200;
        private boolean sent;
        private @Nullable OutputStream body;

        JdkExchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String mountPath() {
            return "";
        }

        @Override
        public String path() {
            return exchange.getRequestURI().getPath();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public String clientAddress() {
            return exchange.getRemoteAddress().getAddress().getHostAddress();
        }

        @Override
        public String localAddress() {
            return exchange.getLocalAddress().getAddress().getHostAddress();
        }

        @Override
        public int localPort() {
            return exchange.getLocalAddress().getPort();
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }

        @Override
        public boolean discardBody() {
            return contentLength() == 0;
        }

        @Override
        public void status(int status) {
            this.status = status;
        }

        @Override
        public void header(String name, String value) {
            exchange.getResponseHeaders().set(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            exchange.getResponseHeaders().add(name, value);
        }

        @Override
        public void removeHeader(String name) {
            exchange.getResponseHeaders().remove(name);
        }

        @Override
        public void abort() {} // the JDK's server cannot cut a response: it ends cleanly

        @Override
        public void respond(Rest rest) throws IOException {
            rest.write().toCompletableFuture().join();
        } // the request's virtual thread waits

        @Override
        public boolean upgrade(Function<RelaySocket.Peer, SocketSession> sessions) {
            return false;
        } // no WebSocket

        @Override
        public long contentLength() {
            String length = header("Content-Length");
            return length == null ? -1 : Long.parseLong(length.strip());
        }

        @Override
        public @Nullable String query(String name) {
            String q = exchange.getRequestURI().getRawQuery();
            for (String pair : q == null ? new String[0] : q.split("&")) {
                if (pair.startsWith(name + "="))
                    return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
            return null;
        }

        @Override
        public OutputStream output() {
            OutputStream stream = body;
            if (stream == null) {
                stream = new FilterOutputStream(exchange.getResponseBody()) {
                    @Override
                    public void write(int b) throws IOException {
                        send();
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        send();
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() throws IOException {
                        send();
                        out.flush();
                    }
                };
                body = stream;
            }
            return stream;
        }

        private void send() throws IOException {
            if (sent) return;
            sent = true;
            String length =
                    exchange.getResponseHeaders().getFirst("Content-Length"); // the server sets it from what it is told
            exchange.getResponseHeaders().remove("Content-Length");
            exchange.sendResponseHeaders(status, length == null ? 0 : Long.parseLong(length)); // 0: chunked, a stream's
        }

        /** An answer without a body (204, 303) has not sent its headers yet. */
        void end() throws IOException {
            if (!sent) exchange.sendResponseHeaders(status, -1);
            sent = true;
        }
    }
}
