package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.clouds.FakeAzure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake Azure on the wire: Azure OpenAI's v1 routes and Foundry's Claude under the key or a token
 * the fake's Entra ID issued, Azure's first chunk and content filter results, the gateway's error
 * shapes with {@code apim-request-id}, and the Entra ID and managed identity endpoints' answers and
 * refusals as Entra ID words them.
 */
class FakeAzureWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT =
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static HttpClient http;

    @BeforeAll
    static void client() {
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void close() {
        http.close();
    }

    static HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(FAKE.server().baseUrl() + path))
                .header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token() throws Exception {
        HttpResponse<String> r = post(
                "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token",
                "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + FakeAzure.CLIENT_ID + "&client_secret="
                        + FakeAzure.CLIENT_SECRET + "&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals("Bearer", answer.path("token_type").asText());
        assertEquals(FakeAzure.TOKEN_LIFETIME_SECONDS, answer.path("expires_in").asLong());
        assertNotNull(r.headers().firstValue("x-ms-request-id").orElse(null));
        return answer.path("access_token").asText();
    }

    static List<JsonNode> events(String sse) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) out.add(JSON.readTree(line.substring(6)));
        }
        return out;
    }

    @Test
    void chat_apiKey_firstChunkEmptyChoicesWithPromptFilterResultsThenFilteredContent() throws Exception {
        HttpResponse<String> r =
                post("/openai/v1/chat/completions", "application/json", CHAT, "api-key", FakeAzure.API_KEY);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("apim-request-id").isPresent());
        List<JsonNode> chunks = events(r.body());
        JsonNode first = chunks.getFirst();
        assertEquals(0, first.path("choices").size());
        assertEquals("", first.path("id").asText());
        assertEquals(
                "safe",
                first.path("prompt_filter_results")
                        .path(0)
                        .path("content_filter_results")
                        .path("hate")
                        .path("severity")
                        .asText());
        JsonNode content = chunks.stream()
                .filter(c -> !c.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText("")
                        .isEmpty())
                .findFirst()
                .orElseThrow();
        assertFalse(content.path("choices")
                .path(0)
                .path("content_filter_results")
                .path("violence")
                .path("filtered")
                .asBoolean(true));
        assertTrue(r.body().strip().endsWith("data: [DONE]"));
    }

    @Test
    void chat_wrongKey_401OfTheGatewayWithApimRequestId() throws Exception {
        HttpResponse<String> r = post("/openai/v1/chat/completions", "application/json", CHAT, "api-key", "wrong");
        assertEquals(401, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("401", error.path("code").asText());
        assertTrue(
                error.path("message").asText().startsWith("Access denied due to invalid subscription key"), r.body());
        assertTrue(r.headers().firstValue("apim-request-id").isPresent());
    }

    @Test
    void chat_rateLimited_429WithRetryAfterAndRetryAfterMs() throws Exception {
        HttpResponse<String> r = post(
                "/openai/v1/chat/completions",
                "application/json",
                CHAT.replace("gpt-4o", "fake-rate-limited"),
                "api-key",
                FakeAzure.API_KEY);
        assertEquals(429, r.statusCode());
        assertEquals("429", JSON.readTree(r.body()).path("error").path("code").asText());
        assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
        assertEquals("1000", r.headers().firstValue("retry-after-ms").orElseThrow());
    }

    @Test
    void chat_unknownFakeModel_404DeploymentNotFound() throws Exception {
        HttpResponse<String> r = post(
                "/openai/v1/chat/completions",
                "application/json",
                CHAT.replace("gpt-4o", "fake-no-such"),
                "api-key",
                FakeAzure.API_KEY);
        assertEquals(404, r.statusCode());
        assertEquals(
                "DeploymentNotFound",
                JSON.readTree(r.body()).path("error").path("code").asText());
    }

    @Test
    void responses_bearerTheFakeIssued_acceptedAndOneItDidNot_401() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"hi\"}";
        HttpResponse<String> ok =
                post("/openai/v1/responses", "application/json", body, "authorization", "Bearer " + token());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("response.completed"));
        HttpResponse<String> forged = post(
                "/openai/v1/responses",
                "application/json",
                body,
                "authorization",
                "Bearer " + FakeAzure.TOKEN_PREFIX + "999999");
        assertEquals(401, forged.statusCode());
        assertTrue(forged.body().contains("Access token is missing, invalid"), forged.body());
    }

    @Test
    void foundry_xApiKeyAndVersion_anthropicStream() throws Exception {
        String body =
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> ok = post(
                "/anthropic/v1/messages",
                "application/json",
                body,
                "x-api-key",
                FakeAzure.API_KEY,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("event: message_stop"));
        assertTrue(ok.headers().firstValue("apim-request-id").isPresent());
        assertEquals(
                401,
                post(
                                "/anthropic/v1/messages",
                                "application/json",
                                body,
                                "api-key",
                                FakeAzure.API_KEY,
                                "anthropic-version",
                                "2023-06-01")
                        .statusCode(),
                "Foundry's Claude takes the key as x-api-key");
        assertEquals(
                400,
                post("/anthropic/v1/messages", "application/json", body, "x-api-key", FakeAzure.API_KEY)
                        .statusCode());
    }

    @Test
    void entra_wrongSecretTenantOrClient_refusedAsEntraIdWordsIt() throws Exception {
        String path = "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token";
        String form = "grant_type=client_credentials&client_id=" + FakeAzure.CLIENT_ID
                + "&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default";
        HttpResponse<String> secret = post(path, "application/x-www-form-urlencoded", form + "&client_secret=wrong");
        assertEquals(401, secret.statusCode());
        assertEquals(
                "invalid_client", JSON.readTree(secret.body()).path("error").asText());
        assertTrue(
                JSON.readTree(secret.body()).path("error_description").asText().startsWith("AADSTS7000215"));
        HttpResponse<String> tenant = post(
                "/other-tenant/oauth2/v2.0/token",
                "application/x-www-form-urlencoded",
                form + "&client_secret=" + FakeAzure.CLIENT_SECRET);
        assertEquals(400, tenant.statusCode());
        assertTrue(tenant.body().contains("AADSTS90002"));
        HttpResponse<String> assertion = post(
                path,
                "application/x-www-form-urlencoded",
                form + "&client_assertion=eyJ.x.y"
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
        assertEquals(200, assertion.statusCode(), "a workload identity's assertion");
    }

    @Test
    void managedIdentity_headerChecked_tokenWithExpiresOn() throws Exception {
        String query =
                FakeAzure.IDENTITY_PATH + "?api-version=2019-08-01&resource=https%3A%2F%2Fcognitiveservices.azure.com";
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(FAKE.server().baseUrl() + query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, missing.statusCode());
        HttpResponse<String> ok = http.send(
                HttpRequest.newBuilder(URI.create(FAKE.server().baseUrl() + query))
                        .header("X-IDENTITY-HEADER", FakeAzure.IDENTITY_HEADER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode answer = JSON.readTree(ok.body());
        assertTrue(answer.path("access_token").asText().startsWith(FakeAzure.TOKEN_PREFIX));
        assertTrue(Long.parseLong(answer.path("expires_on").asText()) > System.currentTimeMillis() / 1000);
        assertEquals(
                "https://cognitiveservices.azure.com", answer.path("resource").asText());
    }
}
