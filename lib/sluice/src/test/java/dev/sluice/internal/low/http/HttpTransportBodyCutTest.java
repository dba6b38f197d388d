package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.sse.SseParser;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection cut right after the status, the headers and a few bytes of body: the HttpClient
 * may then fail its response future with the body's error instead of giving the response (see
 * {@link LateHandoverClient}, which makes it do so every time). The transport still gives the
 * response, and its body every byte that arrived before the failure.
 */
class HttpTransportBodyCutTest {
    private static final int EVENTS = 3;

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private HttpClient jdkClient;
    private LateHandoverClient client;
    private HttpTransport transport;

    @BeforeEach
    void start() {
        jdkClient = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        client = new LateHandoverClient(jdkClient);
        transport = HttpTransport.builder().client(client).build();
    }

    @AfterEach
    void stop() {
        transport.close();
        jdkClient.close();
    }

    private HttpPost post() {
        return HttpPost.json(FAKE.server().baseUrl().resolve("/v1/chat/completions"), Map.of(), "{}");
    }

    @Test
    void openStream_bodyCutBeforeTheClientHandsItOver_responseWithEveryEventThenTheFailure() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) events.append("data: ").append(i).append("\n\n");
        FAKE.server()
                .enqueue(FakeResponse.sse(events.toString()).cutAfter(EVENTS)); // no terminating chunk: the body is cut

        List<String> data = new ArrayList<>();
        StreamResponse response = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> transport.openStream(post(), Cancellation.NONE));
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
        FAKE.server()
                .enqueue(FakeResponse.status(400)
                        .body("application/json", body + " ".repeat(100))
                        .cutAfterBytes(body.length())); // 100 bytes short

        ApiException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(ApiException.class, () -> transport.openStream(post(), Cancellation.NONE)));
        assertEquals(400, e.statusCode());
        assertEquals("overloaded_error", e.errorType());
        assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
        assertEquals(1, client.failedResponses(), "the HttpClient's future failed after the headers, as arranged");
    }
}
