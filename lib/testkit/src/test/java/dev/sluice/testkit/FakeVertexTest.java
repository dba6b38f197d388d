package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.testkit.internal.wire.vertex.GoogleAuthRoutes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake Google Vertex AI: google-auth-library's own credentials get their tokens from its token
 * endpoint; the metadata server's routes; the model routes' checks and Google-shaped errors.
 */
class FakeVertexTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    private static final String GEMINI = "/v1/projects/" + FakeVertex.PROJECT
            + "/locations/us-central1/publishers/google/models/" + "gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String CLAUDE = "/v1/projects/" + FakeVertex.PROJECT
            + "/locations/global/publishers/anthropic/models/" + "claude-sonnet-4-5@20250929:streamRawPredict";
    private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
    private static final String CLAUDE_BODY = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";

    @Test
    void tokenEndpoint_googleAuthServiceAccountCredentials_getsTheFakesToken() throws IOException {
        ServiceAccountCredentials credentials =
                ServiceAccountCredentials.fromStream(stream(FakeVertex.serviceAccountJson(server.baseUrl())));
        AccessToken token = credentials.createScoped(FakeVertex.SCOPE).refreshAccessToken();

        assertEquals(FakeVertex.ACCESS_TOKEN, token.getTokenValue());
        assertTrue(
                token.getExpirationTime().toInstant().isAfter(Instant.now().plusSeconds(3000)),
                token.getExpirationTime().toString());
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.method());
        assertEquals(FakeVertex.TOKEN_PATH, request.path());
        assertEquals(FakeVertex.PROJECT, credentials.getProjectId());
    }

    @Test
    void tokenEndpoint_googleAuthUserCredentials_getsTheFakesToken() throws IOException {
        UserCredentials credentials =
                UserCredentials.fromStream(stream(FakeVertex.authorizedUserJson(server.baseUrl())));
        assertEquals(FakeVertex.ACCESS_TOKEN, credentials.refreshAccessToken().getTokenValue());
    }

    @Test
    void tokenEndpoint_assertionSignedWithAnotherKey_invalidGrantInvalidSignature() throws Exception {
        var other = KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder()
                        .encodeToString(other.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String json = FakeVertex.serviceAccountJson(server.baseUrl())
                .replace(
                        FakeVertex.PRIVATE_KEY_PEM.replace("\n", "\\n"),
                        pem.replace("\r\n", "\n").replace("\n", "\\n"));
        ServiceAccountCredentials credentials = ServiceAccountCredentials.fromStream(stream(json));

        IOException e = assertThrows(
                IOException.class,
                () -> credentials.createScoped(FakeVertex.SCOPE).refreshAccessToken());
        assertTrue(
                e.getMessage().contains("invalid_grant") && e.getMessage().contains("Invalid JWT Signature."),
                e.getMessage());
    }

    @Test
    void tokenEndpoint_assertionClaims_checkedAsGoogleChecksThem() {
        Instant now = Instant.now();
        assertEquals(
                "Invalid JWT: the assertion is not a JWS in compact form.",
                GoogleAuthRoutes.assertionProblem("a.b", now));
        assertEquals("Invalid JWT: it cannot be decoded.", GoogleAuthRoutes.assertionProblem("!!.??.**", now));
    }

    @Test
    void tokenEndpoint_wrongRefreshToken_invalidGrant() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.baseUrl().resolve(FakeVertex.TOKEN_PATH))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=refresh_token&client_id=" + FakeVertex.USER_CLIENT_ID + "&client_secret="
                                + FakeVertex.USER_CLIENT_SECRET + "&refresh_token=revoked")));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_grant", json(r.body()).get("error").asText());
    }

    @Test
    void metadataServer_withFlavor_tokenAndProject_withoutFlavor_403() throws Exception {
        URI token = server.baseUrl().resolve(GoogleAuthRoutes.METADATA_TOKEN + "?scopes=" + FakeVertex.SCOPE);
        HttpResponse<String> r = send(HttpRequest.newBuilder(token)
                .header("Metadata-Flavor", "Google")
                .GET());
        assertEquals(200, r.statusCode());
        assertEquals("Google", r.headers().firstValue("metadata-flavor").orElse(null));
        assertEquals(FakeVertex.ACCESS_TOKEN, json(r.body()).get("access_token").asText());
        assertEquals(
                FakeVertex.TOKEN_LIFETIME_SECONDS,
                json(r.body()).get("expires_in").asInt());

        HttpResponse<String> project =
                send(HttpRequest.newBuilder(server.baseUrl().resolve(GoogleAuthRoutes.METADATA_PROJECT))
                        .header("Metadata-Flavor", "Google")
                        .GET());
        assertEquals(FakeVertex.PROJECT, project.body());

        assertEquals(403, send(HttpRequest.newBuilder(token).GET()).statusCode());
    }

    @Test
    void geminiRoute_issuedToken_streamsGeminiChunks() throws Exception {
        HttpResponse<String> r = post(GEMINI, FakeVertex.ACCESS_TOKEN, GEMINI_BODY);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertTrue(r.body().contains("\"finishReason\":\"STOP\""), r.body());
        assertNotNull(r.headers().firstValue("x-request-id").orElse(null));
    }

    @Test
    void geminiRoute_noTokenOrAnotherToken_401Unauthenticated() throws Exception {
        for (String token : new String[] {null, "ya29.not-issued-by-the-fake"}) {
            HttpResponse<String> r = post(GEMINI, token, GEMINI_BODY);
            assertEquals(401, r.statusCode());
            JsonNode error = json(r.body()).get("error");
            assertEquals("UNAUTHENTICATED", error.get("status").asText());
            assertEquals(401, error.get("code").asInt());
        }
    }

    @Test
    void geminiRoute_anotherProject_403PermissionDenied() throws Exception {
        HttpResponse<String> r =
                post(GEMINI.replace(FakeVertex.PROJECT, "someone-elses"), FakeVertex.ACCESS_TOKEN, GEMINI_BODY);
        assertEquals(403, r.statusCode());
        assertEquals(
                "PERMISSION_DENIED", json(r.body()).get("error").get("status").asText());
    }

    @Test
    void claudeRoute_issuedToken_streamsAnthropicEvents() throws Exception {
        HttpResponse<String> r = post(CLAUDE, FakeVertex.ACCESS_TOKEN, CLAUDE_BODY);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("event: message_start"), r.body());
        assertTrue(r.body().contains("\"model\":\"claude-sonnet-4-5@20250929\""), r.body());
        assertTrue(r.body().contains("event: message_stop"), r.body());
    }

    @Test
    void claudeRoute_modelInBodyOrOtherVersion_400InvalidRequest() throws Exception {
        for (String body : List.of(
                CLAUDE_BODY.replace("{", "{\"model\":\"claude\","),
                CLAUDE_BODY.replace("vertex-2023-10-16", "bedrock-2023-05-31"))) {
            HttpResponse<String> r = post(CLAUDE, FakeVertex.ACCESS_TOKEN, body);
            assertEquals(400, r.statusCode());
            assertEquals(
                    "invalid_request_error",
                    json(r.body()).get("error").get("type").asText());
        }
    }

    @Test
    void claudeRoute_rateLimitedAndUnknownModel_googleShapedErrors() throws Exception {
        HttpResponse<String> limited = post(
                CLAUDE.replace("claude-sonnet-4-5@20250929", "fake-rate-limited"),
                FakeVertex.ACCESS_TOKEN,
                CLAUDE_BODY);
        assertEquals(429, limited.statusCode());
        assertEquals(
                "RESOURCE_EXHAUSTED",
                json(limited.body()).get("error").get("status").asText());
        HttpResponse<String> missing = post(
                CLAUDE.replace("claude-sonnet-4-5@20250929", "fake-no-such-model"),
                FakeVertex.ACCESS_TOKEN,
                CLAUDE_BODY);
        assertEquals(404, missing.statusCode());
        assertEquals(
                "NOT_FOUND", json(missing.body()).get("error").get("status").asText());
    }

    @Test
    void countTokens_vertexBody_inputTokens() throws Exception {
        String path = CLAUDE.replace("claude-sonnet-4-5@20250929:streamRawPredict", "count-tokens:rawPredict");
        HttpResponse<String> r = post(
                path,
                FakeVertex.ACCESS_TOKEN,
                "{\"anthropic_version\":\"vertex-2023-10-16\",\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r.body()).get("input_tokens").asInt() > 0, r.body());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("authorization", "Bearer " + token);
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) {
        return TestClient.parse(text);
    }
}
