package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.azure.AzureAccess;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/clouds.md's Azure examples ({@link AzureModels}) against the test kit's fake Azure. */
class AzureModelsTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AzureAccess keyed() {
        return AzureAccess.builder()
                .endpoint(server.baseUrl().toString())
                .apiKey(FakeAzure.API_KEY)
                .build();
    }

    @Test
    void openAi_chatAndResponses_textOfBoth() {
        String[] answers = AzureModels.openAi(keyed(), "gpt-6-luna").split("\n", 2);
        assertFalse(answers[0].isEmpty());
        assertFalse(answers[1].isEmpty());
        List<String> paths =
                server.requests().stream().map(RecordedRequest::path).toList();
        assertEquals(List.of("/openai/v1/chat/completions", "/openai/v1/responses"), paths);
    }

    @Test
    void claude_foundry_text() {
        AzureAccess foundry = AzureAccess.builder()
                .endpoint(server.baseUrl() + "/anthropic")
                .apiKey(FakeAzure.API_KEY)
                .build();
        assertFalse(AzureModels.claude(foundry, "claude-sonnet-5-5").isEmpty());
        assertEquals("/anthropic/v1/messages", server.takeRequest().path());
    }

    @Test
    void ownTokens_applicationsTokens_bearerOnEveryRequest() {
        AccessTokenProvider tokens =
                () -> new AccessTokenProvider.Token(entraToken(), Instant.now().plusSeconds(3599));
        assertFalse(AzureModels.openAi(AzureModels.ownTokens(server.baseUrl().toString(), tokens), "gpt-6-luna")
                .isEmpty());
        RecordedRequest chat = server.requests().stream()
                .filter(r -> r.path().startsWith("/openai"))
                .findFirst()
                .orElseThrow();
        assertTrue(chat.header("authorization").startsWith("Bearer " + FakeAzure.TOKEN_PREFIX));
    }

    /** A token of the fake's Entra ID, as the application's own credentials object would get one. */
    private String entraToken() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String form = "grant_type=client_credentials&client_id=" + FakeAzure.CLIENT_ID + "&client_secret="
                    + FakeAzure.CLIENT_SECRET + "&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default";
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(server.baseUrl() + "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
            assertTrue(m.find(), r.body());
            return m.group(1);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
