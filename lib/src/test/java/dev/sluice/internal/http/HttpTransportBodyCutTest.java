package dev.sluice.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection cut right after the status, the headers and a few bytes of body: the HttpClient
 * may then fail its response future with the body's error instead of giving the response (see
 * {@link LateHandoverClient}, which makes it do so every time). The transport still gives the
 * response, and its body every byte that arrived before the failure.
 */
class HttpTransportBodyCutTest {
    private static final int EVENTS = 3;

    private ServerSocket server;
    private Thread acceptor;
    private volatile byte[] reply = new byte[0];
    private HttpClient jdkClient;
    private LateHandoverClient client;
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("body-cut-test-server").start(this::serve);
        jdkClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        client = new LateHandoverClient(jdkClient);
        transport = HttpTransport.builder().client(client).build();
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        jdkClient.close();
        server.close();
        acceptor.interrupt();
        acceptor.join(Duration.ofSeconds(5));
    }

    /** Answers each connection with {@link #reply} at once, then closes it (a FIN, not a reset). */
    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                LosslessBodyStreamTest.readRequest(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    private HttpPost post() {
        return HttpPost.json(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions"), Map.of(), "{}");
    }

    @Test
    void openStream_bodyCutBeforeTheClientHandsItOver_responseWithEveryEventThenTheFailure() throws Exception {
        StringBuilder r = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < EVENTS; i++) {
            String event = "data: " + i + "\n\n";
            r.append(Integer.toHexString(event.length())).append("\r\n").append(event).append("\r\n");
        }
        reply = r.toString().getBytes(StandardCharsets.UTF_8); // no terminating chunk: the body is cut

        List<String> data = new ArrayList<>();
        StreamResponse response = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> transport.openStream(post(), Cancellation.NONE));
        try (response) {
            assertEquals(200, response.statusCode());
            SseParser parser = new SseParser(e -> data.add(e.data()));
            byte[] buf = new byte[8192];
            assertThrows(IOException.class, () -> {
                int n;
                while ((n = response.body().read(buf)) >= 0) parser.feed(buf, 0, n);
            });
        }
        assertEquals(List.of("0", "1", "2"), data);
        assertEquals(1, client.failedResponses(), "the HttpClient's future failed after the headers, as arranged");
    }

    @Test
    void openStream_errorBodyCutBeforeTheClientHandsItOver_apiExceptionFromWhatArrived() {
        String body = "{\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
        reply = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + (body.length() + 100)
                + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8); // 100 bytes short

        ApiException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ApiException.class, () -> transport.openStream(post(), Cancellation.NONE)));
        assertEquals(400, e.statusCode());
        assertEquals("overloaded_error", e.errorType());
        assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
        assertEquals(1, client.failedResponses(), "the HttpClient's future failed after the headers, as arranged");
    }
}
