package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults selected by model name. */
class FakeLlmServerFaultTest {
    private FakeLlmServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder()
                .tokensPerSecond(0)
                .stallLimit(Duration.ofMillis(400))
                .start();
        client = new TestClient(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String body(String model, boolean stream) {
        return TestClient.body(model, 1024, stream, "Tell me about the ocean", Map.of());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode());
        assertEquals(
                "application/json",
                response.headers().firstValue("content-type").orElseThrow());
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        JsonNode body = TestClient.parse(response.body());
        assertEquals("error", body.path("type").asText());
        assertEquals(type, body.path("error").path("type").asText());
        assertFalse(body.path("error").path("message").asText().isEmpty());
        assertEquals(requestId, body.path("request_id").asText());
    }

    @Test
    void overloaded_anyRequest_answers529OverloadedError() {
        assertError(client.send(body("fake-overloaded", true)), 529, "overloaded_error");
    }

    @Test
    void rateLimited_anyRequest_answers429WithRetryAfter() {
        HttpResponse<String> response = client.send(body("fake-rate-limited", true));
        assertError(response, 429, "rate_limit_error");
        assertEquals("1", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void flaky_firstNRequests_fail529ThenStreamNormally() {
        assertError(client.send(body("fake-flaky-2", true)), 529, "overloaded_error");
        assertError(client.send(body("fake-flaky-2", true)), 529, "overloaded_error");
        assertError(client.send(body("fake-flaky-1", true)), 529, "overloaded_error");

        TestClient.Streamed s = client.stream(body("fake-flaky-2", true));
        assertEquals(200, s.statusCode());
        assertEquals("message_stop", s.types().getLast());
        assertEquals(200, client.send(body("fake-flaky-1", false)).statusCode());
    }

    @Test
    void flaky_newServer_countsAgain() {
        assertError(client.send(body("fake-flaky-1", true)), 529, "overloaded_error");
        try (FakeLlmServer other = FakeLlmServer.builder().tokensPerSecond(0).start();
                TestClient otherClient = new TestClient(other)) {
            assertError(otherClient.send(body("fake-flaky-1", true)), 529, "overloaded_error");
        }
    }

    @Test
    void errorMidStream_afterThreeDeltas_sendsErrorEventAndEndsTheBody() {
        TestClient.Streamed s = client.stream(body("fake-error-mid-stream", true));

        assertNull(s.failure(), "the body ends normally");
        assertEquals(3, s.deltas("text_delta").size());
        assertEquals(
                List.of("content_block_delta", "error"),
                s.types().subList(s.types().size() - 2, s.types().size()));
        TestClient.Received error = s.events().getLast();
        assertEquals(
                "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}",
                error.event().data());
    }

    @Test
    void drop_afterThreeDeltas_cutsTheConnectionWithoutMessageStop() {
        TestClient.Streamed s = client.stream(body("fake-drop", true));

        assertNotNull(s.failure(), "the body is cut off, not ended");
        assertEquals(3, s.deltas("text_delta").size());
        assertEquals("content_block_delta", s.types().getLast());
    }

    @Test
    void stall_afterThreeDeltas_sendsNothingUntilTheStallLimitThenCuts() {
        TestClient.Streamed s = client.stream(body("fake-stall", true));

        long stalledFor = System.nanoTime() - s.events().getLast().atNanos();
        assertNotNull(s.failure());
        assertEquals(3, s.deltas("text_delta").size());
        assertEquals("content_block_delta", s.types().getLast());
        assertTrue(
                stalledFor >= Duration.ofMillis(300).toNanos(),
                "nothing for the stall limit, was " + stalledFor / 1_000_000 + " ms");
    }

    @Test
    void notSse_streamRequested_answersJsonMessage() {
        HttpResponse<String> response = client.send(body("fake-not-sse", true));

        assertEquals(200, response.statusCode());
        assertEquals(
                "application/json",
                response.headers().firstValue("content-type").orElseThrow());
        assertEquals("message", TestClient.parse(response.body()).path("type").asText());
    }

    @Test
    void unknownFakeModel_anyRequest_answers404NotFound() {
        HttpResponse<String> response = client.send(body("fake-typo", true));
        assertError(response, 404, "not_found_error");
        assertTrue(response.body().contains("fake-typo"));
    }

    @Test
    void streamFaults_nonStreamingRequest_failAsTheirHttpEquivalent() {
        assertError(client.send(body("fake-error-mid-stream", false)), 529, "overloaded_error");
        assertThrows(UncheckedIOException.class, () -> client.send(body("fake-drop", false)));
    }

    @Test
    void rateLimitEvery_fourthRequests_answer429WithRetryAfterOthersAnswer() {
        try (FakeLlmServer limited = FakeLlmServer.builder()
                        .rateLimitEvery(4, Duration.ofMillis(250))
                        .start();
                TestClient c = new TestClient(limited)) {
            for (int i = 1; i <= 8; i++) {
                HttpResponse<String> response = c.send(body("claude-haiku-4-5", false));
                if (i % 4 == 0) {
                    assertError(response, 429, "rate_limit_error");
                    assertEquals(
                            "1", response.headers().firstValue("retry-after").orElseThrow());
                    assertEquals(
                            "250",
                            response.headers().firstValue("retry-after-ms").orElseThrow());
                } else {
                    assertEquals(200, response.statusCode(), "request " + i);
                }
            }
        }
    }

    @Test
    void rateLimitEvery_dispatchedAnswers_areCountedAndRefusedToo() {
        try (FakeLlmServer limited = FakeLlmServer.builder()
                        .rateLimitEvery(2, Duration.ofSeconds(2))
                        .start();
                TestClient c = new TestClient(limited)) {
            limited.setDispatcher(r -> FakeResponse.answer().text("billing"));
            assertEquals(200, c.send(body("claude-haiku-4-5", false)).statusCode());
            HttpResponse<String> refused = c.send(body("claude-haiku-4-5", false));
            assertError(refused, 429, "rate_limit_error");
            assertEquals("2", refused.headers().firstValue("retry-after").orElseThrow());
            assertEquals(200, c.send(body("claude-haiku-4-5", false)).statusCode());
        }
    }

    @Test
    void rateLimitEvery_periodBelowTwo_isRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> FakeLlmServer.builder().rateLimitEvery(1, Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> FakeLlmServer.builder().rateLimitEvery(4, Duration.ofSeconds(-1)));
    }
}
