package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code --route}, or the {@code --fallback} chain, whose first target breaks off mid-answer, at
 * the Messages door of {@code serve} (the embedded fake's {@code fake-drop} closes the connection
 * after three deltas): the client's stream ends with the door's error event and no second answer is
 * started (the next target, Claude Opus 4.6, takes no prefill, so only a restart the client could not
 * take would follow); the client's retry goes to the next target first ({@code --failover-cooldown}).
 */
class ServeRouteFailoverTest {
    @Test
    void messagesDoor_routeTargetDropsAfterText_errorEventThenTheRetryIsAnsweredByTheNextTarget() throws Exception {
        try (RunningServe serve =
                RunningServe.start(Map.of(), "--route", "fast=anthropic:fake-drop,anthropic:claude-opus-4-6")) {
            cutThenRetried(serve, "fast");
        }
    }

    @Test
    void messagesDoor_fallbackTargetDropsAfterText_errorEventThenTheRetryIsAnsweredByTheNextTarget() throws Exception {
        try (RunningServe serve = RunningServe.start(
                Map.of(),
                "--provider",
                "anthropic",
                "--model",
                "fake-drop",
                "--fallback",
                "anthropic:claude-opus-4-6")) {
            cutThenRetried(serve, "anthropic/fake-drop");
        }
    }

    private static void cutThenRetried(RunningServe serve, String model) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String cut = post(http, serve, model);
            assertEquals(1, count(cut, "event: message_start\n"), cut);
            assertTrue(cut.contains("event: content_block_delta\n"), cut);
            assertTrue(cut.contains("event: error\n"), cut);
            assertFalse(cut.contains("overloaded_error"), "no restarted answer was thrown away: " + cut);
            assertFalse(cut.contains("event: message_stop\n"), cut);

            String retry = post(http, serve, model);
            assertTrue(retry.contains("event: message_stop\n"), retry);
            assertFalse(retry.contains("event: error\n"), retry);
        }
    }

    private static String post(HttpClient http, RunningServe serve, String model) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(serve.uri().resolve("/v1/messages"))
                                .header("Content-Type", "application/json")
                                .header("anthropic-version", "2023-06-01")
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                        + "\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\","
                                        + "\"content\":\"Tell me about the ocean\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
