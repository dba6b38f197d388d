package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake server's Gemini wire format, read with the JDK's HttpClient and Jackson. */
class FakeLlmServerGeminiWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();
    private final FakeLlmServer server = FAKE.server();

    @Test
    void stream_missingKey_403PermissionDenied() throws Exception {
        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", null,
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        assertEquals(403, r.statusCode());
        assertEquals("PERMISSION_DENIED", json(r.body()).get("error").get("status").asText());
    }

    @Test
    void generateContent_nonStreaming_wholeResponse() throws Exception {
        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:generateContent", "k",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
        assertEquals(200, r.statusCode());
        JsonNode body = json(r.body());
        assertEquals("STOP", body.get("candidates").get(0).get("finishReason").asText());
        assertFalse(body.get("candidates").get(0).get("content").get("parts").get(0).get("text").asText().isEmpty());
        assertTrue(body.get("usageMetadata").get("candidatesTokenCount").asInt() > 0);
    }

    @Test
    void parse_invalidBody_400InvalidArgument() throws Exception {
        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:generateContent", "k", "{\"contents\":[]}");
        assertEquals(400, r.statusCode());
        assertEquals("INVALID_ARGUMENT", json(r.body()).get("error").get("status").asText());
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("x-goog-api-key", key);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode json(String text) throws Exception {
        return TestClient.parse(text);
    }
}
