package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Responses API fake's encrypted reasoning: issued when asked for, refused as OpenAI refuses it when altered or foreign. */
class FakeResponsesEncryptedReasoningTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private final TestClient http = new TestClient(FAKE.server());

    @AfterEach
    void close() {
        http.close();
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(FAKE.server().baseUrl().resolve("/v1/responses"))
                .header("authorization", "Bearer k")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** {@return the reasoning item of a streamed answer to a request with reasoning, or null when there is none} */
    private JsonNode reasoningItem(String include) {
        TestClient.Streamed s = http.stream(
                post("{\"model\":\"gpt-5.2\",\"stream\":true,\"store\":false,"
                        + "\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}" + include
                        + ",\"input\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}"),
                e -> false);
        assertEquals(200, s.statusCode());
        for (TestClient.Received e : s.events()) {
            JsonNode item = e.json().path("item");
            if (e.json().path("type").asText().equals("response.output_item.done")
                    && item.path("type").asText().equals("reasoning")) {
                return item;
            }
        }
        return null;
    }

    /** The next turn: the reasoning item given back, then the user's next message. */
    private HttpResponse<String> nextTurn(JsonNode reasoning) {
        return http.send(post("{\"model\":\"gpt-5.2\",\"stream\":true,\"store\":false,\"input\":["
                + "{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}," + reasoning + ","
                + "{\"role\":\"user\",\"content\":\"And at sunset?\"}]}"));
    }

    @Test
    void reasoning_includeEncryptedContent_issuedAndAcceptedBackVerbatim() {
        JsonNode item = reasoningItem(",\"include\":[\"reasoning.encrypted_content\"]");
        assertNotNull(item);
        String encrypted = item.path("encrypted_content").asText();
        assertTrue(encrypted.startsWith("gAAAAB"), encrypted);
        assertFalse(item.path("summary").path(0).path("text").asText().isEmpty());
        assertEquals(200, nextTurn(item).statusCode());
        assertEquals(0, FAKE.server().opaqueRejections());
    }

    @Test
    void reasoning_withoutInclude_noEncryptedContent() {
        JsonNode item = reasoningItem("");
        assertNotNull(item);
        assertNull(item.get("encrypted_content"));
    }

    @Test
    void nextTurn_alteredEncryptedContent_400InvalidEncryptedContentCounted() {
        ObjectNode item = (ObjectNode) reasoningItem(",\"include\":[\"reasoning.encrypted_content\"]");
        String encrypted = item.path("encrypted_content").asText();
        int at = encrypted.length() / 2;
        item.put(
                "encrypted_content",
                encrypted.substring(0, at) + (encrypted.charAt(at) == 'A' ? 'B' : 'A') + encrypted.substring(at + 1));
        HttpResponse<String> r = nextTurn(item);
        assertEquals(400, r.statusCode());
        JsonNode error = TestClient.parse(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("invalid_encrypted_content", error.path("code").asText());
        assertEquals(
                "The encrypted content for item " + item.path("id").asText()
                        + " could not be verified. Reason: Encrypted" + " content could not be decrypted or parsed.",
                error.path("message").asText());
        assertEquals(1, FAKE.server().opaqueRejections());
    }

    @Test
    void nextTurn_anotherServersEncryptedContent_refusedCounted() {
        JsonNode item = reasoningItem(",\"include\":[\"reasoning.encrypted_content\"]");
        try (FakeLlmServer other = FakeLlmServer.start()) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(other.baseUrl().resolve("/v1/responses"))
                            .header("authorization", "Bearer k")
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5.2\",\"input\":[" + item
                                    + ",{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                            .build());
            assertEquals(400, r.statusCode());
            assertEquals(1, other.opaqueRejections());
        }
        assertEquals(0, FAKE.server().opaqueRejections());
    }

    @Test
    void nextTurn_compactionNotIssuedHere_refused() {
        HttpResponse<String> r = nextTurn(TestClient.parse(
                "{\"type\":\"compaction\",\"id\":\"cmp_1\",\"encrypted_content\":\"gAAAABforged.AAAA\"}"));
        assertEquals(400, r.statusCode());
        assertEquals(1, FAKE.server().opaqueRejections());
    }
}
