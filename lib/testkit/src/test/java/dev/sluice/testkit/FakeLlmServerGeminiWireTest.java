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
        HttpResponse<String> r = post(
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                null,
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        assertEquals(403, r.statusCode());
        assertEquals(
                "PERMISSION_DENIED", json(r.body()).get("error").get("status").asText());
    }

    @Test
    void generateContent_nonStreaming_wholeResponse() throws Exception {
        HttpResponse<String> r = post(
                "/v1beta/models/gemini-2.5-flash:generateContent",
                "k",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
        assertEquals(200, r.statusCode());
        JsonNode body = json(r.body());
        assertEquals("STOP", body.get("candidates").get(0).get("finishReason").asText());
        assertFalse(body.get("candidates")
                .get(0)
                .get("content")
                .get("parts")
                .get(0)
                .get("text")
                .asText()
                .isEmpty());
        assertTrue(body.get("usageMetadata").get("candidatesTokenCount").asInt() > 0);
    }

    @Test
    void parse_invalidBody_400InvalidArgument() throws Exception {
        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:generateContent", "k", "{\"contents\":[]}");
        assertEquals(400, r.statusCode());
        assertEquals(
                "INVALID_ARGUMENT", json(r.body()).get("error").get("status").asText());
    }

    @Test
    void parse_madeUpSignatureOnATextPart_400CorruptedAndCounted() throws Exception {
        long before = server.opaqueRejections();
        HttpResponse<String> r = post(
                "/v1beta/models/gemini-2.5-flash:generateContent",
                "k",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\","
                        + "\"thoughtSignature\":\"c2lnbmF0dXJl\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"again\"}]}]}");
        assertEquals(400, r.statusCode());
        assertEquals(
                "Corrupted thought signature.",
                json(r.body()).get("error").get("message").asText());
        assertEquals(before + 1, server.opaqueRejections());
    }

    @Test
    void parse_unsignedCallOnGemini25WithoutThinking_accepted_butOnGemini3Refused() throws Exception {
        String history =
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Oslo?\"}]},{\"role\":\"model\",\"parts\":["
                        + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]},{\"role\":\"user\",\"parts\":["
                        + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"sky\":\"clear\"}}}]}],"
                        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\"}]}]}";
        assertEquals(
                200,
                post("/v1beta/models/gemini-2.5-flash:generateContent", "k", history)
                        .statusCode());
        HttpResponse<String> r = post("/v1beta/models/gemini-3-flash-preview:generateContent", "k", history);
        assertEquals(400, r.statusCode());
        assertTrue(
                json(r.body())
                        .get("error")
                        .get("message")
                        .asText()
                        .startsWith("Function call is missing a thought_signature in" + " functionCall parts."),
                r.body());
    }

    @Test
    void parse_unsignedCallInAPastTurnOnGemini25WithThinking_accepted_butInTheCurrentTurnRefused() throws Exception {
        String past = "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Oslo?\"}]},{\"role\":\"model\",\"parts\":["
                + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]},{\"role\":\"user\",\"parts\":["
                + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"sky\":\"clear\"}}}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Clear.\"}]}";
        String tail = "],\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\"}]}],"
                + "\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":1024,\"includeThoughts\":true}}}";
        String nextQuestion =
                "{\"contents\":[" + past + ",{\"role\":\"user\",\"parts\":[{\"text\":\"And in Lima?\"}]}" + tail;
        assertEquals(
                200,
                post("/v1beta/models/gemini-2.5-flash:generateContent", "k", nextQuestion)
                        .statusCode(),
                "a past turn (answered before a failover) has no signature to give back; the API does not ask for it");
        String currentTurn = "{\"contents\":[" + past.substring(0, past.lastIndexOf(",{\"role\":\"model\"")) + tail;
        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:generateContent", "k", currentTurn);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(
                json(r.body())
                        .get("error")
                        .get("message")
                        .asText()
                        .startsWith("Function call is missing a thought_signature"),
                r.body());
    }

    @Test
    void stream_gemini3Reply_signsItsFirstCallAndItsLastEmptyText() throws Exception {
        HttpResponse<String> r = post(
                "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse",
                "k",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Oslo and Rome?\"}]}],"
                        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]}]}");
        assertEquals(200, r.statusCode());
        java.util.List<JsonNode> parts = new java.util.ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data: "))
                json(line.substring(6))
                        .path("candidates")
                        .path(0)
                        .path("content")
                        .path("parts")
                        .forEach(parts::add);
        }
        java.util.List<JsonNode> calls =
                parts.stream().filter(p -> p.has("functionCall")).toList();
        assertEquals(2, calls.size(), r.body());
        assertTrue(calls.get(0).path("thoughtSignature").isTextual(), "the first of parallel calls is signed");
        assertFalse(calls.get(1).has("thoughtSignature"));
        JsonNode last = parts.getLast();
        assertEquals("", last.path("text").asText("x"));
        assertTrue(
                last.path("thoughtSignature").isTextual(), "a signature on the empty text part that ends the stream");
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("x-goog-api-key", key);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode json(String text) throws Exception {
        return TestClient.parse(text);
    }
}
