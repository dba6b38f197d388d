package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake server's OpenAI Chat Completions wire format, read with the JDK's HttpClient and Jackson. */
class FakeLlmServerOpenAiWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private final TestClient http = new TestClient(FAKE.server());
    private final URI completions = FAKE.server().baseUrl().resolve("/v1/chat/completions");

    @AfterEach
    void stop() {
        http.close();
    }

    private static String body(String model, boolean stream, String extra) {
        return "{\"model\":" + TestClient.quote(model) + ",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]" + extra + "}";
    }

    private HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(completions)
                .header("authorization", "Bearer fake")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void stream_textAnswer_chunksThenUsageThenDone() {
        TestClient.Streamed s = http.stream(post(body("gpt-4o", true, "")).build(), e -> false);
        assertEquals(200, s.statusCode());
        assertTrue(s.header("x-request-id").startsWith("req_fake_"));
        List<TestClient.Received> events = s.events();
        assertEquals("[DONE]", events.getLast().event().data());
        JsonNode first = events.getFirst().json();
        assertEquals("chat.completion.chunk", first.path("object").asText());
        assertEquals(
                "assistant",
                first.path("choices").get(0).path("delta").path("role").asText());
        JsonNode usage = events.get(events.size() - 2).json();
        assertTrue(usage.path("choices").isEmpty());
        assertTrue(usage.path("usage").path("total_tokens").asInt() > 0);
        assertEquals(
                "stop",
                events.get(events.size() - 3)
                        .json()
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
        StringBuilder text = new StringBuilder();
        for (TestClient.Received r : events.subList(0, events.size() - 1)) {
            JsonNode c = r.json().path("choices");
            if (!c.isEmpty()) text.append(c.get(0).path("delta").path("content").asText(""));
        }
        assertTrue(text.toString().contains("ocean"), text.toString());
    }

    @Test
    void missingBearerKey_401InvalidApiKey() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(completions)
                .header("content-type", "application/json")
                .header("authorization", "Bearer  ")
                .POST(HttpRequest.BodyPublishers.ofString(body("gpt-4o", true, "")))
                .build());
        assertEquals(401, r.statusCode());
        JsonNode error = TestClient.parse(r.body()).path("error");
        assertEquals("invalid_api_key", error.path("code").asText());
        assertTrue(error.has("param"));
    }

    @Test
    void invalidBody_400NamesTheField() {
        HttpResponse<String> r = http.send(post("{\"model\":\"gpt-4o\",\"stream\":false,\"stream_options\":{}}")
                .build());
        assertEquals(400, r.statusCode());
        assertEquals(
                "invalid_request_error",
                TestClient.parse(r.body()).path("error").path("type").asText());
        HttpResponse<String> options =
                http.send(post(body("gpt-4o", false, ",\"stream_options\":{\"include_usage\":true}"))
                        .build());
        assertEquals(400, options.statusCode());
        assertTrue(TestClient.parse(options.body())
                .path("error")
                .path("message")
                .asText()
                .contains("stream_options"));
    }
}
