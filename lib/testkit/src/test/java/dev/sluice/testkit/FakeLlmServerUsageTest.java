package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.internal.wire.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The planned answer's usage is the same estimate of tokens in the four wire formats, and max_tokens cuts at it. */
class FakeLlmServerUsageTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String PROMPT = "Tell me how rivers shape the land.";

    /** One wire format's answer: its text, its output tokens and its stop reason. */
    private record Answer(String text, int outputTokens, String stop) {}

    private Answer anthropic(int max) throws Exception {
        JsonNode m = post(
                "/v1/messages",
                List.of("x-api-key", "k", "anthropic-version", "2023-06-01"),
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":" + max
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "}]}");
        return new Answer(
                m.path("content").get(0).path("text").asText(),
                m.path("usage").path("output_tokens").asInt(),
                m.path("stop_reason").asText());
    }

    private Answer chat(int max) throws Exception {
        JsonNode c = post(
                "/v1/chat/completions",
                List.of("authorization", "Bearer k"),
                "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":" + max
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + TestClient.quote(PROMPT) + "}]}");
        JsonNode choice = c.path("choices").get(0);
        return new Answer(
                choice.path("message").path("content").asText(),
                c.path("usage").path("completion_tokens").asInt(),
                choice.path("finish_reason").asText());
    }

    private Answer responses(int max) throws Exception {
        JsonNode r = post(
                "/v1/responses",
                List.of("authorization", "Bearer k"),
                "{\"model\":\"gpt-4o-mini\",\"max_output_tokens\":" + max + ",\"input\":" + TestClient.quote(PROMPT)
                        + "}");
        return new Answer(
                r.path("output").get(0).path("content").get(0).path("text").asText(),
                r.path("usage").path("output_tokens").asInt(),
                r.path("status").asText());
    }

    private Answer gemini(int max) throws Exception {
        JsonNode g = post(
                "/v1beta/models/gemini-2.5-flash:generateContent",
                List.of("x-goog-api-key", "k"),
                "{\"generationConfig\":{\"maxOutputTokens\":" + max
                        + "},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + TestClient.quote(PROMPT)
                        + "}]}]}");
        JsonNode candidate = g.path("candidates").get(0);
        return new Answer(
                candidate.path("content").path("parts").get(0).path("text").asText(),
                g.path("usageMetadata").path("candidatesTokenCount").asInt(),
                candidate.path("finishReason").asText());
    }

    @Test
    void usage_everyWireFormat_countsTheSameEstimatedTokens() throws Exception {
        Answer a = anthropic(1024);
        int tokens = Tokens.of(a.text());
        assertTrue(
                Math.abs(a.outputTokens() - tokens) <= a.text().length() / 10,
                "about the tokens of the text: " + a.outputTokens() + " for " + tokens);
        assertTrue(
                a.outputTokens() > a.text().length() / 6
                        && a.outputTokens() < a.text().length() / 3,
                "about four to five characters a token: " + a.outputTokens() + " tokens, "
                        + a.text().length() + " characters");
        for (Answer other : List.of(chat(1024), responses(1024), gemini(1024))) {
            assertEquals(a.text(), other.text());
            assertEquals(a.outputTokens(), other.outputTokens(), other.toString());
        }
    }

    @Test
    void maxTokens_everyWireFormat_cutsAtThatManyTokens() throws Exception {
        List<Answer> cut = List.of(anthropic(20), chat(20), responses(20), gemini(20));
        for (Answer c : cut) {
            assertEquals(20, c.outputTokens(), c.toString());
            assertEquals(cut.getFirst().text(), c.text());
            assertTrue(Math.abs(Tokens.of(c.text()) - 20) <= 2, "twenty tokens' worth of text: " + c.text());
        }
        assertEquals(
                List.of("max_tokens", "length", "incomplete", "MAX_TOKENS"),
                cut.stream().map(Answer::stop).toList());
    }

    private static JsonNode post(String path, List<String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(FAKE.server().baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.size(); i += 2) b.header(headers.get(i), headers.get(i + 1));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return TestClient.parse(r.body());
        }
    }
}
