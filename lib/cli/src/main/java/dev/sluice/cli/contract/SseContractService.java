package dev.sluice.cli.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.client.RetryPolicy;
import dev.sluice.eventsource.EventSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The test service of LaunchDarkly's sse-contract-tests (its {@code docs/service_spec.md}), driving
 * {@link EventSource}: {@code GET /} reports the capabilities, {@code POST /} creates a stream
 * instance ({@code 201} with its {@code Location}), {@code POST /streams/N} sends it a command
 * ({@code restart}), {@code DELETE /streams/N} closes it, {@code DELETE /} stops the service. Each
 * instance reports what its stream receives to the harness's callback URL, numbered from 1.
 *
 * <p>Threading: the JDK HTTP server handles each request on a virtual thread; each instance reads
 * its stream on a virtual thread of its own. The instance table is a concurrent map.
 */
public final class SseContractService implements AutoCloseable {
    /**
     * What this client supports, as the harness names it. {@code 204} is the name the harness's
     * "204 halts re-connection attempts" test checks; {@code server-directed-shutdown-request} is
     * the name other services give the same behaviour.
     */
    public static final List<String> CAPABILITIES = List.of(
            "bom",
            "comments",
            "headers",
            "last-event-id",
            "post",
            "read-timeout",
            "report",
            "restart",
            "server-directed-shutdown-request",
            "204");

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient callbacks =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, StreamInstance> streams = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final PrintStream log;

    private SseContractService(int port, PrintStream log) throws IOException {
        this.log = log;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the service on 127.0.0.1.
     *
     * @param port the port, 0 for any free one
     * @param log where to write one line per instance created or closed and per failed callback
     * @return the running service
     * @throws IOException if the port cannot be bound
     */
    public static SseContractService start(int port, PrintStream log) throws IOException {
        return new SseContractService(port, log);
    }

    /** {@return the port the service listens on} */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Waits until the harness asks the service to stop ({@code DELETE /}). */
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** {@return whether the harness asked the service to stop} */
    public boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Closes every instance, then the server. Idempotent. */
    @Override
    public void close() {
        streams.values().forEach(StreamInstance::close);
        streams.clear();
        server.stop(0);
        executor.shutdownNow();
        callbacks.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/")) {
                switch (method) {
                    case "GET" -> {
                        ObjectNode status = JSON.createObjectNode().put("name", "sluice-eventsource");
                        CAPABILITIES.forEach(status.putArray("capabilities")::add);
                        respond(ex, 200, status.toString());
                    }
                    case "POST" -> create(ex);
                    case "DELETE" -> {
                        respond(ex, 204, null);
                        stopRequested.countDown();
                    }
                    default -> respond(ex, 405, "{\"error\":\"GET, POST or DELETE\"}");
                }
                return;
            }
            if (path.startsWith("/streams/")) {
                StreamInstance instance = streams.get(path.substring("/streams/".length()));
                if (instance == null) {
                    respond(ex, 404, "{\"error\":\"no such stream\"}");
                    return;
                }
                switch (method) {
                    case "POST" -> command(ex, instance);
                    case "DELETE" -> {
                        streams.remove(instance.id);
                        instance.close();
                        log.println("closed stream " + instance.id);
                        respond(ex, 204, null);
                    }
                    default -> respond(ex, 405, "{\"error\":\"POST or DELETE\"}");
                }
                return;
            }
            respond(ex, 404, "{\"error\":\"not found\"}");
        } catch (RuntimeException e) {
            log.println("sse-contract-service: " + e);
            respond(ex, 500, null);
        }
    }

    private void create(HttpExchange ex) throws IOException {
        EventSource source;
        URI callback;
        try {
            JsonNode p = JSON.readTree(ex.getRequestBody());
            if (p == null || !p.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
            callback = httpUri(requiredText(p, "callbackUrl"), "callbackUrl");
            source = configure(p);
        } catch (JsonProcessingException e) {
            respond(ex, 400, error("malformed JSON: " + e.getOriginalMessage()));
            return;
        } catch (IllegalArgumentException e) {
            respond(ex, 400, error(e.getMessage()));
            return;
        }
        String id = String.valueOf(ids.incrementAndGet());
        StreamInstance instance = new StreamInstance(id, source, callback, callbacks, log);
        streams.put(id, instance);
        instance.start();
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) host = "127.0.0.1:" + port();
        ex.getResponseHeaders().set("Location", "http://" + host + "/streams/" + id);
        log.println("created stream " + id + " for " + source.uri());
        respond(ex, 201, null);
    }

    /** {@return the event source the create request describes} @throws IllegalArgumentException naming a bad field */
    static EventSource configure(JsonNode p) {
        EventSource.Builder b = EventSource.builder(httpUri(requiredText(p, "streamUrl"), "streamUrl"))
                .comments(true);
        if (present(p, "initialDelayMs")) {
            Duration initial = Duration.ofMillis(natural(p, "initialDelayMs"));
            RetryPolicy policy = EventSource.DEFAULT_RETRY_POLICY;
            if (initial.compareTo(policy.maxBackoff()) > 0) policy = policy.withMaxBackoff(initial);
            b.retryPolicy(policy.withInitialBackoff(initial));
        }
        if (present(p, "readTimeoutMs")) {
            long ms = natural(p, "readTimeoutMs");
            if (ms == 0) throw new IllegalArgumentException("readTimeoutMs must be positive");
            b.readTimeout(Duration.ofMillis(ms));
        }
        if (present(p, "lastEventId")) b.lastEventId(text(p, "lastEventId"));
        if (present(p, "headers")) {
            JsonNode headers = p.get("headers");
            if (!headers.isObject()) throw new IllegalArgumentException("headers must be an object of strings");
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                if (!h.getValue().isTextual())
                    throw new IllegalArgumentException("header " + h.getKey() + " must be a string");
                b.header(h.getKey(), h.getValue().asText());
            }
        }
        String method = present(p, "method") ? text(p, "method") : "GET";
        String body = present(p, "body") ? text(p, "body") : null;
        if (!method.equals("GET") || body != null) b.method(method, body);
        return b.build();
    }

    private void command(HttpExchange ex, StreamInstance instance) throws IOException {
        JsonNode c;
        try {
            c = JSON.readTree(ex.getRequestBody());
        } catch (JsonProcessingException e) {
            respond(ex, 400, error("malformed JSON: " + e.getOriginalMessage()));
            return;
        }
        String command =
                c != null && c.path("command").isTextual() ? c.get("command").asText() : "";
        if (command.equals("restart")) {
            instance.restart();
            respond(ex, 204, null);
        } else {
            respond(ex, 400, error("unknown command '" + command + "'"));
        }
    }

    private static boolean present(JsonNode p, String field) {
        return p.hasNonNull(field);
    }

    private static String requiredText(JsonNode p, String field) {
        if (!present(p, field)) throw new IllegalArgumentException(field + " is required");
        return text(p, field);
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (!v.isTextual()) throw new IllegalArgumentException(field + " must be a string");
        return v.asText();
    }

    private static long natural(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a whole number >= 0");
        }
        return v.asLong();
    }

    private static URI httpUri(String s, String field) {
        try {
            URI u = new URI(s);
            if (u.isAbsolute()
                    && ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // falls through
        }
        throw new IllegalArgumentException(field + " must be an absolute http or https URL");
    }

    private static String error(@Nullable String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private static void respond(HttpExchange ex, int status, @Nullable String json) throws IOException {
        if (json == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Waits briefly for the instances' readers to end; for tests. */
    boolean awaitQuiet(long millis) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
