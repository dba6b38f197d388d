package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.testkit.FakeLlmServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake server's count_tokens, through the client: the count a message of the same request reports. */
class FakeLlmServerCountTokensTest {
    private FakeLlmServer server;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void countTokens_request_equalsTheInputTokensOfItsMessage() {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(200)
                .system("Answer briefly.")
                .addUserMessage("Tell me about the ocean and its tides")
                .build();

        long counted = client.messages().countTokens(request);

        assertTrue(counted > 1);
        assertEquals(client.messages().create(request).usage().inputTokens(), counted);
    }

    @Test
    void countTokens_unknownFakeModel_404() {
        MessageRequest request = MessageRequest.builder()
                .model("fake-unknown")
                .maxTokens(10)
                .addUserMessage("hi")
                .build();
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> client.messages().countTokens(request))
                        .statusCode());
    }
}
