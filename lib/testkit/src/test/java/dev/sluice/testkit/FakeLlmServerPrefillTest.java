package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An assistant prefill: the answer continues from it; one ending in whitespace is refused; fake-drop spares a continuation. */
class FakeLlmServerPrefillTest {
    private static final String PROMPT = "Tell me about the ocean";

    private FakeLlmServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
        client = new TestClient(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String body(String model, String prefill) {
        return body(model, PROMPT, prefill);
    }

    private static String body(String model, String prompt, String prefill) {
        return "{\"model\":" + TestClient.quote(model) + ",\"max_tokens\":1024,\"stream\":false,\"messages\":["
                + "{\"role\":\"user\",\"content\":" + TestClient.quote(prompt) + "},"
                + "{\"role\":\"assistant\",\"content\":" + TestClient.quote(prefill) + "}]}";
    }

    private static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : message.path("content"))
            if (b.path("type").asText().equals("text")) sb.append(b.path("text").asText());
        return sb.toString();
    }

    private String whole() {
        return whole(PROMPT);
    }

    private String whole(String prompt) {
        HttpResponse<String> r = client.send(
                client.request(TestClient.body("claude-sonnet-4-5", 1024, false, prompt, java.util.Map.of()))
                        .build());
        return text(TestClient.parse(r.body()));
    }

    @Test
    void post_assistantPrefill_answerGoesOnFromIt() {
        String whole = whole();
        String prefill = whole.substring(0, whole.indexOf(' ', 20));
        HttpResponse<String> r =
                client.send(client.request(body("claude-sonnet-4-5", prefill)).build());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(whole, prefill + text(TestClient.parse(r.body())));
    }

    @Test
    void post_prefillToAPromptThatReadsAsAFollowUp_answerGoesOnFromItNotFromAnEarlierAnswer() {
        // "Why ..." asks for more on an earlier answer, when there is one: the prefill is not one
        String prompt = "Why did the Roman empire fall?";
        String whole = whole(prompt);
        String prefill = whole.substring(0, whole.indexOf(' ', 20));
        HttpResponse<String> r = client.send(
                client.request(body("claude-sonnet-4-5", prompt, prefill)).build());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(whole, prefill + text(TestClient.parse(r.body())));
    }

    @Test
    void post_prefillEndingInWhitespace_answers400LikeTheApi() {
        String whole = whole();
        String prefill = whole.substring(0, whole.indexOf(' ', 20) + 1);
        HttpResponse<String> r =
                client.send(client.request(body("claude-sonnet-4-5", prefill)).build());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("final assistant content cannot end with trailing whitespace"), r.body());
    }

    @Test
    void post_fakeDropWithPrefill_answeredInFull() {
        String whole = whole();
        String prefill = whole.substring(0, whole.indexOf(' ', 20));
        HttpResponse<String> r =
                client.send(client.request(body("fake-drop", prefill)).build());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(whole, prefill + text(TestClient.parse(r.body())));
    }
}
