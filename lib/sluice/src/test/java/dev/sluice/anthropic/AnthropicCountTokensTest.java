package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.ProtocolException;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code client.messages().countTokens(request)}: POST /v1/messages/count_tokens. */
class AnthropicCountTokensTest {
    private static final String PATH = "/v1/messages/count_tokens";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        FakeServers.requestsTo(FAKE.server(), PATH); // each one a POST to the count_tokens path
    }

    private static MessageRequest request() {
        return MessageRequest.builder()
                .model("claude-test")
                .maxTokens(64)
                .temperature(0.5)
                .system("Be brief.")
                .stopSequences(java.util.List.of("END"))
                .addUserMessage("Hello")
                .build();
    }

    @Test
    void countTokens_request_postsTheCountedFieldsOnlyAndReturnsTheCount() {
        FakeServers.script(
                FAKE.server(), PATH, FakeResponse.status(200).body("application/json", "{\"input_tokens\":14}"));

        assertEquals(14, client.messages().countTokens(request()));

        List<RecordedRequest> sent = FakeServers.requestsTo(FAKE.server(), PATH);
        assertEquals(1, sent.size());
        RecordedRequest r = sent.get(0);
        assertEquals(ClientTestSupport.KEY, r.header("x-api-key"));
        assertEquals("claude-test", r.json("/model"));
        assertEquals("Be brief.", r.json("/system"));
        assertEquals("Hello", r.json("/messages/0/content/0/text"));
        assertNull(r.json("/max_tokens"));
        assertNull(r.json("/temperature"));
        assertNull(r.json("/stop_sequences"));
        assertNull(r.json("/stream"));
    }

    @Test
    void passthroughTokenCount_body_sentAsItCameWithTheModelReplaced_answerAsItCame() {
        FakeServers.script(
                FAKE.server(), PATH, FakeResponse.status(200).body("application/json", "{\"input_tokens\":21}"));

        String answer = client.passthrough()
                .orElseThrow()
                .tokenCount()
                .orElseThrow()
                .count(
                        "{\"model\":\"alias\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                        "claude-test",
                        List.of("token-counting-2024-11-01"));

        assertEquals("{\"input_tokens\":21}", answer);
        RecordedRequest r = FakeServers.requestsTo(FAKE.server(), PATH).get(0);
        assertEquals("claude-test", r.json("/model"));
        assertEquals("Be brief.", r.json("/system"));
        assertEquals("Hi", r.json("/messages/0/content"));
        String beta = r.header("anthropic-beta");
        assertTrue(beta != null && beta.contains("token-counting-2024-11-01"), beta);
    }

    @Test
    void passthroughTokenCount_throughBedrockInvokeModel_none() {
        try (AnthropicClient bedrock = AnthropicClient.builder()
                .bedrock(dev.sluice.aws.AwsAccess.builder().region("eu-west-1").build())
                .build()) {
            assertTrue(bedrock.passthrough().orElseThrow().tokenCount().isEmpty());
        }
    }

    @Test
    void countTokens_systemMessageEffort_sendsTheBetaTheFieldNeeds_andTheFakeCountsIt() {
        MessageRequest r = MessageRequest.builder()
                .model("claude-opus-5-5")
                .maxTokens(64)
                .addUserMessage("Plan it.")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Summarize.")
                .build();

        long counted = client.messages().countTokens(r); // the test kit refuses the field without its beta

        assertTrue(counted > 0, "counted " + counted);
        RecordedRequest sent = FakeServers.requestsTo(FAKE.server(), PATH).getFirst();
        assertEquals(MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA, sent.header("anthropic-beta"));
        assertEquals("low", sent.json("/messages/1/output_config/effort"));
    }

    @Test
    void countTokens_answerWithoutCount_protocolExceptionWithRequestId() {
        FakeServers.script(
                FAKE.server(),
                PATH,
                FakeResponse.status(200).header("request-id", "req_c").body("application/json", "{\"tokens\":14}"));

        ProtocolException e =
                assertThrows(ProtocolException.class, () -> client.messages().countTokens(request()));

        assertTrue(e.getMessage().contains("input_tokens"), e.getMessage());
        assertEquals("req_c", e.requestId().orElseThrow());
    }

    @Test
    void countTokens_httpError_apiException() {
        FakeServers.script(FAKE.server(), PATH, ClientTestSupport.apiError(400, "invalid_request_error"));
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> client.messages().countTokens(request()))
                        .statusCode());
    }
}
