package dev.sluice.cli.contract;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract service as the harness drives it: a loopback SSE server stands in for the
 * harness's stream endpoint and a loopback callback endpoint records what the service reports.
 */
@Timeout(30)
class SseContractServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request the SSE endpoint received. */
    record Seen(String method, Headers headers, String body) {}

    /** Each connection: what to send, then hold it (heartbeating to notice the client leaving), unless silent. */
    private final ConcurrentLinkedQueue<String> scripts = new ConcurrentLinkedQueue<>();

    private final BlockingQueue<Seen> streamRequests = new LinkedBlockingQueue<>();
    private final AtomicInteger streamsClosedByClient = new AtomicInteger();
    private final BlockingQueue<String[]> callbacks = new LinkedBlockingQueue<>(); // {path, body}
    private final HttpServer sse;
    private final HttpServer callbackEndpoint;
    private final SseContractService service;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    SseContractServiceTest() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        sse = HttpServer.create(loopback, 50);
        sse.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sse.createContext("/", ex -> {
            streamRequests.add(new Seen(
                    ex.getRequestMethod(),
                    ex.getRequestHeaders(),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            String script = scripts.poll();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            try {
                boolean silent = script != null && script.startsWith("SILENT");
                out.write((script == null ? "" : script.replace("SILENT", "")).getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (true) {
                    Thread.sleep(silent ? 20 : 50); // a server's pace; a write to a closed connection fails
                    if (!silent) {
                        out.write("\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } else if (Thread.interrupted()) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                streamsClosedByClient.incrementAndGet();
            } finally {
                ex.close();
            }
        });
        sse.start();
        callbackEndpoint = HttpServer.create(loopback, 50);
        callbackEndpoint.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        callbackEndpoint.createContext("/", ex -> {
            callbacks.add(new String[] {
                ex.getRequestURI().getPath(), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
            });
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        callbackEndpoint.start();
        service = SseContractService.start(0, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        service.close();
        sse.stop(0);
        callbackEndpoint.stop(0);
        http.close();
    }

    private String base() {
        return "http://127.0.0.1:" + service.port();
    }

    private String streamUrl() {
        return "http://127.0.0.1:" + sse.getAddress().getPort() + "/stream";
    }

    private String callbackUrl() {
        return "http://127.0.0.1:" + callbackEndpoint.getAddress().getPort() + "/endpoints/7";
    }

    private HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String create(String json) throws Exception {
        HttpResponse<String> r = call("POST", base() + "/", json);
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow();
    }

    private JsonNode callback(int n) throws Exception {
        String[] c = callbacks.poll(10, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("no callback " + n + " within 10 s; log: " + log);
        assertEquals("/endpoints/7/" + n, c[0]);
        return JSON.readTree(c[1]);
    }

    @Test
    void status_listsTheCapabilities() throws Exception {
        HttpResponse<String> r = call("GET", base() + "/", null);
        assertEquals(200, r.statusCode());
        List<String> caps = new ArrayList<>();
        JSON.readTree(r.body()).get("capabilities").forEach(c -> caps.add(c.asText()));
        assertTrue(
                caps.containsAll(List.of(
                        "bom",
                        "comments",
                        "headers",
                        "last-event-id",
                        "post",
                        "read-timeout",
                        "report",
                        "restart",
                        "server-directed-shutdown-request")),
                caps.toString());
    }

    @Test
    void createStream_eventsAndCommentsAreCalledBackInOrder_restartReconnectsWithTheId() throws Exception {
        scripts.add("id: abc\ndata: Hello\n\n: a comment\nevent: put\ndata: line1\ndata: line2\n\n");
        scripts.add("data: Thanks\n\n");
        String location = create("""
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "t", "initialDelayMs": 0,
                 "headers": {"header-name-1": "value-1", "content-type": "application/json; charset=utf-8"},
                 "method": "POST", "body": "{\\"hello\\": \\"world\\"}", "lastEventId": "start"}
                """.formatted(streamUrl(), callbackUrl()));
        assertTrue(location.startsWith("http:") && location.contains("/streams/"), location);

        Seen first = streamRequests.poll(10, TimeUnit.SECONDS);
        assertEquals("POST", first.method());
        assertEquals("{\"hello\": \"world\"}", first.body());
        assertEquals("value-1", first.headers().getFirst("header-name-1"));
        assertEquals("application/json; charset=utf-8", first.headers().getFirst("content-type"));
        assertEquals("start", first.headers().getFirst("last-event-id"));
        assertEquals("text/event-stream", first.headers().getFirst("accept"));

        assertEquals(
                JSON.readTree(
                        "{\"kind\":\"event\",\"event\":{\"type\":\"message\",\"data\":\"Hello\",\"id\":\"abc\"}}"),
                callback(1));
        assertEquals(JSON.readTree("{\"kind\":\"comment\",\"comment\":\" a comment\"}"), callback(2));
        assertEquals(
                JSON.readTree(
                        "{\"kind\":\"event\",\"event\":{\"type\":\"put\",\"data\":\"line1\\nline2\",\"id\":\"abc\"}}"),
                callback(3));

        assertEquals(204, call("POST", location, "{\"command\":\"restart\"}").statusCode());
        Seen second = streamRequests.poll(10, TimeUnit.SECONDS);
        assertEquals("abc", second.headers().getFirst("last-event-id"));
        assertEquals("{\"hello\": \"world\"}", second.body());
        assertEquals("Thanks", callback(4).get("event").get("data").asText(), "a restart is not an error");

        assertEquals(204, call("DELETE", location, null).statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsClosedByClient.get() == 2);
        assertEquals(404, call("DELETE", location, null).statusCode());
        assertEquals(404, call("POST", location, "{\"command\":\"restart\"}").statusCode());
    }

    @Test
    void readTimeout_reportsAnErrorAndReconnects() throws Exception {
        scripts.add("SILENTdata: Hello\n\n");
        create("""
                {"streamUrl": "%s", "callbackUrl": "%s", "initialDelayMs": 0, "readTimeoutMs": 300}
                """.formatted(streamUrl(), callbackUrl()));
        assertEquals("Hello", callback(1).get("event").get("data").asText());
        JsonNode error = callback(2);
        assertEquals("error", error.get("kind").asText());
        assertTrue(error.get("error").asText().contains("read timeout"), error.toString());
        streamRequests.poll(10, TimeUnit.SECONDS);
        assertTrue(streamRequests.poll(10, TimeUnit.SECONDS) != null, "reconnected");
    }

    @Test
    void redirectWithoutLocation_reportsAnError() throws Exception {
        HttpServer redirect = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
        redirect.createContext("/", ex -> {
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        redirect.start();
        try {
            create("""
                    {"streamUrl": "http://127.0.0.1:%d/", "callbackUrl": "%s"}
                    """.formatted(redirect.getAddress().getPort(), callbackUrl()));
            assertEquals("error", callback(1).get("kind").asText());
        } finally {
            redirect.stop(0);
        }
    }

    @Test
    void badRequests_answer400() throws Exception {
        assertEquals(
                400,
                call("POST", base() + "/", "{\"callbackUrl\": \"" + callbackUrl() + "\"}")
                        .statusCode());
        assertEquals(
                400,
                call("POST", base() + "/", "{\"streamUrl\": \"" + streamUrl() + "\"}")
                        .statusCode());
        assertEquals(400, call("POST", base() + "/", "{not json").statusCode());
        assertEquals(
                400,
                call("POST", base() + "/", "{\"streamUrl\": \"ftp://x/\", \"callbackUrl\": \"" + callbackUrl() + "\"}")
                        .statusCode());
        assertEquals(
                400,
                call(
                                "POST",
                                base() + "/",
                                "{\"streamUrl\": \"" + streamUrl() + "\", \"callbackUrl\": \"" + callbackUrl()
                                        + "\", \"readTimeoutMs\": -5}")
                        .statusCode());
        String location =
                create("{\"streamUrl\": \"" + streamUrl() + "\", \"callbackUrl\": \"" + callbackUrl() + "\"}");
        assertEquals(400, call("POST", location, "{\"command\":\"dance\"}").statusCode());
        assertNull(callbacks.poll(200, TimeUnit.MILLISECONDS), "nothing to report: the stream sends no events");
    }

    @Test
    void deleteRoot_stopsTheService() throws Exception {
        assertEquals(204, call("DELETE", base() + "/", null).statusCode());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                service.awaitStopRequest();
                stopped.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(stopped.await(5, TimeUnit.SECONDS));
    }
}
