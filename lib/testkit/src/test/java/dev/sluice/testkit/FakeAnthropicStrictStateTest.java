package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's Anthropic wire refuses thinking that does not come back as it issued it, in a tool-use
 * turn with thinking on, with the API's own error text, and counts every foreign or altered opaque
 * field it sees.
 */
class FakeAnthropicStrictStateTest {
    private static final String TOOLS = "[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
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

    /** {@return the first turn's answer: thinking, then a call of get_weather} */
    private static JsonNode firstTurn(TestClient client) {
        HttpResponse<String> r = client.send(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,"
                        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"tools\":" + TOOLS + ","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"call get_weather with {\\\"city\\\":\\\"Paris\\\"}\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        return TestClient.parse(r.body());
    }

    /** {@return the second turn's request body: the assistant's content as given, then the tool's result} */
    private static String secondTurn(JsonNode assistantContent) {
        String toolId = "";
        for (JsonNode b : assistantContent)
            if (b.path("type").asText().equals("tool_use"))
                toolId = b.path("id").asText();
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"call get_weather with {\\\"city\\\":\\\"Paris\\\"}\"},"
                + "{\"role\":\"assistant\",\"content\":" + assistantContent + "},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + toolId
                + "\",\"content\":\"18C\"}]}]}";
    }

    private static String error(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = TestClient.parse(r.body()).path("error");
        assertEquals("invalid_request_error", e.path("type").asText());
        return e.path("message").asText();
    }

    @Test
    void toolTurn_thinkingSentBackAsIssued_acceptedAndNothingCounted() {
        JsonNode first = firstTurn(client);
        assertEquals("thinking", first.path("content").path(0).path("type").asText());
        HttpResponse<String> r = client.send(secondTurn(first.path("content")));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, server.opaqueRejections());
    }

    @Test
    void toolTurn_signatureAltered_400InvalidSignatureAndCounted() {
        ArrayNode content = (ArrayNode) firstTurn(client).path("content").deepCopy();
        ObjectNode thinking = (ObjectNode) content.get(0);
        String signature = thinking.path("signature").asText();
        thinking.put("signature", (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1));
        assertEquals(
                "messages.1.content.0: Invalid `signature` in `thinking` block",
                error(client.send(secondTurn(content))));
        assertEquals(1, server.opaqueRejections());
    }

    @Test
    void toolTurn_thinkingTextAltered_400InvalidSignature() {
        ArrayNode content = (ArrayNode) firstTurn(client).path("content").deepCopy();
        ((ObjectNode) content.get(0))
                .put("thinking", content.get(0).path("thinking").asText() + " ");
        assertEquals(
                "messages.1.content.0: Invalid `signature` in `thinking` block",
                error(client.send(secondTurn(content))));
    }

    @Test
    void toolTurn_signatureMissing_400FieldRequired() {
        ArrayNode content = (ArrayNode) firstTurn(client).path("content").deepCopy();
        ((ObjectNode) content.get(0)).remove("signature");
        assertEquals(
                "messages.1.content.0.thinking.signature: Field required", error(client.send(secondTurn(content))));
        assertEquals(1, server.opaqueRejections());
    }

    @Test
    void toolTurn_thinkingFromAnotherServer_400AndCounted() {
        JsonNode foreign;
        try (FakeLlmServer other = FakeLlmServer.builder().tokensPerSecond(0).start();
                TestClient otherClient = new TestClient(other)) {
            foreign = firstTurn(otherClient).path("content");
        }
        JsonNode own = firstTurn(client).path("content");
        assertEquals(own.path(0).path("thinking"), foreign.path(0).path("thinking"), "the same thinking text");
        assertNotEquals(
                own.path(0).path("signature"), foreign.path(0).path("signature"), "signed with each server's own key");
        assertEquals(
                "messages.1.content.0: Invalid `signature` in `thinking` block",
                error(client.send(secondTurn(foreign))));
        assertEquals(1, server.opaqueRejections());
    }

    @Test
    void nextQuestion_pastToolTurnWithoutThinking_accepted_butTheCurrentOneRefused() {
        ArrayNode content = (ArrayNode) firstTurn(client).path("content").deepCopy();
        content.remove(0); // as after a failover: the past loop was another target's, its thinking stripped
        String second = secondTurn(content);
        String past =
                second.substring(0, second.length() - 2) + ",{\"role\":\"assistant\",\"content\":\"18C in Paris.\"}";
        HttpResponse<String> r = client.send(past + ",{\"role\":\"user\",\"content\":\"And in Oslo?\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        String refused = error(client.send(second));
        assertTrue(
                refused.startsWith(
                        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `"),
                refused);
    }

    @Test
    void textTurn_foreignCompactionAndRedactedThinking_countedNotRefused() {
        String body = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"compaction\",\"content\":\"s\",\"encrypted_content\":\"Zm9yZWlnbg==\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"RWQ=\"},{\"type\":\"text\",\"text\":\"ok\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]}";
        HttpResponse<String> r = client.send(body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, server.opaqueRejections());
    }
}
