package dev.sluice.internal.low.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.internal.low.http.HttpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * What the AWS credential tests share: settings over a map of variables (never the real
 * environment), a clock the test moves, and a loopback HTTP endpoint (port 0) that answers by path
 * and records what it was sent.
 */
final class AwsTestEnvironment {
    /** The credential fetches' transport, as {@code AwsAccess}'s: blocking HTTP/1.1. */
    static final HttpTransport HTTP =
            HttpTransport.builder().connectTimeout(Duration.ofSeconds(5)).build();

    private AwsTestEnvironment() {}

    /** {@return settings with these variables and no system properties; HOME is the given folder unless set} */
    static AwsSettings settings(Path home, Clock clock, Map<String, String> env) {
        return settings(home, clock, env, Map.of());
    }

    static AwsSettings settings(Path home, Clock clock, Map<String, String> env, Map<String, String> props) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("HOME", home.toString());
        all.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true"); // a test never reaches a real metadata service
        all.values().removeIf(v -> v == null);
        return new AwsSettings(all, props, clock, HTTP);
    }

    /** A request the endpoint received. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** A response: a status and a body. */
    record Answer(int status, String body) {}

    /** A loopback HTTP server answering each request with the function of it. */
    static final class Endpoint implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Endpoint(Function<Received, Answer> answer) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", (HttpExchange x) -> {
                Map<String, List<String>> headers = new HashMap<>();
                x.getRequestHeaders()
                        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Received r =
                        new Received(x.getRequestMethod(), x.getRequestURI().getRawPath(), headers, body);
                received.add(r);
                Answer a = answer.apply(r);
                byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) x.getResponseBody().write(bytes);
                x.close();
            });
            server.start();
        }

        /** {@return {@code http://127.0.0.1:PORT}} */
        String url() {
            return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                    + server.getAddress().getPort();
        }

        URI uri(String path) {
            return URI.create(url() + path);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
