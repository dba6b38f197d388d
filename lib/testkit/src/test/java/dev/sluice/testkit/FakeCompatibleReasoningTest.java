package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.wire.openai.CompatibleReasoning;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake's Chat Completions reasoning as OpenAI-compatible servers stream it, and DeepSeek's and OpenRouter's strict rules. */
class FakeCompatibleReasoningTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private final TestClient http = new TestClient(FAKE.server());
    private final URI completions = FAKE.server().baseUrl().resolve("/v1/chat/completions");

    private static final String TOOL = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(completions)
                .header("authorization", "Bearer fake")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String streaming(String model, String messages, String extra) {
        return "{\"model\":" + TestClient.quote(model) + ",\"stream\":true,\"messages\":" + messages + extra + "}";
    }

    /** {@return the deltas of a streamed answer, in order} */
    private java.util.List<JsonNode> deltas(String body) {
        TestClient.Streamed s = http.stream(post(body), e -> false);
        assertEquals(200, s.statusCode());
        java.util.List<JsonNode> deltas = new java.util.ArrayList<>();
        for (TestClient.Received r : s.events()) {
            if (r.event().data().equals("[DONE]")) continue;
            JsonNode c = r.json().path("choices");
            if (!c.isEmpty()) deltas.add(c.get(0).path("delta"));
        }
        return deltas;
    }

    private static String joined(java.util.List<JsonNode> deltas, String field) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : deltas)
            if (d.path(field).isTextual()) sb.append(d.path(field).asText());
        return sb.toString();
    }

    private static final String ASK = "[{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "deepseek-v4-flash, reasoning_content, reasoning",
        "fake-reasoning-content, reasoning_content, reasoning",
        "fake-reasoning, reasoning, reasoning_content"
    })
    void stream_compatibleModel_reasoningInItsFieldBeforeTheText(String model, String field, String absent) {
        java.util.List<JsonNode> deltas = deltas(streaming(model, ASK, ""));
        assertFalse(joined(deltas, field).isEmpty(), field);
        assertTrue(joined(deltas, absent).isEmpty(), absent);
        int firstReasoning = -1, firstText = -1;
        for (int i = 0; i < deltas.size(); i++) {
            if (firstReasoning < 0 && deltas.get(i).path(field).isTextual()) firstReasoning = i;
            if (firstText < 0 && !deltas.get(i).path("content").asText("").isEmpty()) firstText = i;
        }
        assertTrue(firstReasoning < firstText);
        assertTrue(joined(deltas, "content").contains("ocean"));
    }

    @Test
    void stream_openAiModelOrDeepSeekThinkingDisabled_noReasoning() {
        for (String body : new String[] {
            streaming("gpt-4o", ASK, ""),
            streaming("deepseek-v4-flash", ASK, ",\"thinking\":{\"type\":\"disabled\"}"),
            streaming("deepseek-chat", ASK, "")
        }) {
            java.util.List<JsonNode> deltas = deltas(body);
            assertTrue(
                    joined(deltas, "reasoning_content").isEmpty()
                            && joined(deltas, "reasoning").isEmpty(),
                    body);
        }
    }

    @Test
    void stream_detailsModel_openRouterEntriesWithSignatureAndEncrypted() {
        java.util.List<JsonNode> deltas = deltas(streaming("fake-reasoning-details", ASK, ""));
        StringBuilder text = new StringBuilder();
        String signature = null, data = null;
        for (JsonNode d : deltas) {
            for (JsonNode e : d.path("reasoning_details")) {
                assertEquals("anthropic-claude-v1", e.path("format").asText());
                switch (e.path("type").asText()) {
                    case "reasoning.text" -> {
                        text.append(e.path("text").asText(""));
                        if (e.has("signature")) signature = e.path("signature").asText();
                    }
                    case "reasoning.encrypted" -> data = e.path("data").asText();
                    default -> throw new AssertionError(e.toString());
                }
            }
        }
        assertEquals(joined(deltas, "reasoning"), text.toString());
        assertTrue(ReplyPlanner.signatureMatches(text.toString(), signature));
        assertEquals(CompatibleReasoning.encrypted(text.toString()), data);
    }

    private static String toolTurn(String assistantExtra) {
        return "[{\"role\":\"user\",\"content\":\"What is the weather in Paris? Use the get_weather tool.\"},"
                + "{\"role\":\"assistant\",\"content\":null" + assistantExtra
                + ",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]";
    }

    @Test
    void deepSeek_toolCallTurnWithoutReasoningContent_400WithDeepSeeksTextAndCounted() {
        long before = FAKE.server().opaqueRejections();
        HttpResponse<String> r = http.send(post(streaming("deepseek-v4-pro", toolTurn(""), TOOL)));
        assertEquals(400, r.statusCode());
        JsonNode error = TestClient.parse(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals(
                "Missing `reasoning_content` field in the assistant message at message index 1. For more information,"
                        + " please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls",
                error.path("message").asText());
        assertEquals(before + 1, FAKE.server().opaqueRejections());
    }

    @Test
    void deepSeek_toolCallTurnWithEmptyReasoningContent_400WithTheV4TextAndCounted() {
        long before = FAKE.server().opaqueRejections();
        HttpResponse<String> r =
                http.send(post(streaming("deepseek-v4-pro", toolTurn(",\"reasoning_content\":\"\""), TOOL)));
        assertEquals(400, r.statusCode());
        assertEquals(
                "The `reasoning_content` in the thinking mode must be passed back to the API.",
                TestClient.parse(r.body()).path("error").path("message").asText());
        assertEquals(before + 1, FAKE.server().opaqueRejections());
        assertEquals(
                200,
                http.send(post(streaming("deepseek-v4-pro", toolTurn(",\"reasoning_content\":\" \""), TOOL)))
                        .statusCode(),
                "a stand-in that is not empty passes, as on the real API");
    }

    @Test
    void deepSeek_toolCallTurnWithReasoningContent_answers() {
        long before = FAKE.server().opaqueRejections();
        assertEquals(
                200,
                http.send(post(streaming(
                                "deepseek-v4-pro", toolTurn(",\"reasoning_content\":\"I call the tool.\""), TOOL)))
                        .statusCode());
        String plain = "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"},"
                + "{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]";
        assertEquals(
                200, http.send(post(streaming("deepseek-v4-pro", plain, ""))).statusCode()); // no tool call: not needed
        assertEquals(
                200,
                http.send(post(streaming("fake-reasoning", toolTurn(""), TOOL))).statusCode()); // vLLM's needs none
        assertEquals(before, FAKE.server().opaqueRejections());
    }

    @Test
    void details_alteredOrMissingInToolLoop_400AndCounted() {
        String text = "I call the tool.";
        String good = ",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"" + text + "\",\"signature\":\""
                + ReplyPlanner.signature(text) + "\",\"index\":0},{\"type\":\"reasoning.encrypted\",\"data\":\""
                + CompatibleReasoning.encrypted(text) + "\",\"index\":1}]";
        long before = FAKE.server().opaqueRejections();
        assertEquals(
                200,
                http.send(post(streaming("fake-reasoning-details", toolTurn(good), TOOL)))
                        .statusCode());
        HttpResponse<String> altered = http.send(post(streaming(
                "fake-reasoning-details", toolTurn(good.replace(text + "\",\"sig", "I call a tool.\",\"sig")), TOOL)));
        assertEquals(400, altered.statusCode());
        assertTrue(altered.body().contains("Invalid `signature` in `thinking` block"), altered.body());
        HttpResponse<String> missing = http.send(post(streaming("fake-reasoning-details", toolTurn(""), TOOL)));
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("must start with a thinking block"), missing.body());
        assertEquals(before + 2, FAKE.server().opaqueRejections());
    }

    @Test
    void unknownReasoningName_404() {
        assertEquals(
                404,
                http.send(post(streaming("fake-reasoning-detail", ASK, ""))).statusCode());
    }
}
