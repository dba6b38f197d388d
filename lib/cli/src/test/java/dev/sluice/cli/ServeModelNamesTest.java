package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model names as Claude Code sends them to {@code serve} with no key set (every provider on the
 * embedded fake): {@code claude-sonnet-5-5} is the default model of {@code anthropic},
 * {@code vertex-anthropic} and {@code foundry-anthropic}, and goes to its maker's own API; a
 * background model listed by {@code --models} is served; an id only clouds offer is a 404 naming
 * each {@code provider/model}.
 */
class ServeModelNamesTest {
    @Test
    void messagesDoor_bareIdsAsClaudeCodeSendsThem_servedByTheMakersOwnApi() throws Exception {
        try (RunningServe serve =
                        RunningServe.start(Map.of(), "--models", "anthropic=claude-sonnet-5-5,claude-haiku-5-5");
                HttpClient http = HttpClient.newHttpClient()) {
            for (String model : new String[] {"claude-sonnet-5-5", "claude-haiku-5-5"}) {
                HttpResponse<String> r = post(http, serve, model);
                assertEquals(200, r.statusCode(), model + ": " + r.body());
                assertTrue(r.body().contains("\"model\":\"" + model + "\""), r.body());
            }
            HttpResponse<String> cloud = post(http, serve, "us.anthropic.claude-sonnet-5-5");
            assertEquals(404, cloud.statusCode(), cloud.body());
            assertTrue(
                    cloud.body().contains("bedrock-anthropic/us.anthropic.claude-sonnet-5-5")
                            && cloud.body().contains("bedrock/us.anthropic.claude-sonnet-5-5"),
                    cloud.body());
        }
    }

    private static HttpResponse<String> post(HttpClient http, RunningServe serve, String model) throws Exception {
        return http.send(
                HttpRequest.newBuilder(serve.uri().resolve("/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
