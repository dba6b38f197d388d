package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.ApiException;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import org.junit.jupiter.api.Test;

/**
 * The Converse rendering of the bench streams and the three Bedrock bench clients: each gets every
 * event and the whole content, so no client wins by skipping work; and the route refuses a request
 * that is neither signed for the test key nor carries a bearer token.
 */
class BedrockBenchClientsTest {

    @Test
    void realTextAndRealTool_everyBedrockClient_getsEveryEventAndTheWholeContent() throws Exception {
        for (BenchStream anthropic : new BenchStream[] {BenchStream.realText(300), BenchStream.realTool(300)}) {
            boolean tool = anthropic.expectedToolInput() != null;
            BenchStream converse = ConverseBenchStream.of(anthropic);
            assertEquals(
                    300 + ConverseBenchStream.TEXT_FRAME_EVENTS + (tool ? 1 : 0),
                    converse.events().size());
            Expected expected = Expected.of(converse);
            try (BenchServer server = BenchServer.startWithConverse(anthropic)) {
                for (String kind : new String[] {"bedrock-sluice", "bedrock-sdk", "bedrock-raw"}) {
                    try (BenchClient client = BenchClient.create(kind, server.baseUrl(), tool)) {
                        expected.check(kind, client.stream());
                        expected.check(kind, client.stream()); // the connection reused
                    }
                }
            }
        }
    }

    @Test
    void converseRoute_requestSignedForAnotherKey_isRefusedWith403() throws Exception {
        // every client here has a key or credentials of its own: without them the default chain would be walked, the
        // instance metadata service included, and a test never reaches past loopback
        try (BenchServer server = BenchServer.startWithConverse(BenchStream.text(3));
                BedrockClient bearer = BedrockClient.builder()
                        .baseUrl(server.baseUrl())
                        .apiKey("any-bedrock-api-key")
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            bearer.converseStream(request()).close(); // a bearer token: accepted
            try (BedrockClient wrongKey = BedrockClient.builder()
                    .region("us-east-1")
                    .baseUrl(server.baseUrl())
                    .credentials("AKIDNOTTHETESTKEY", "secret")
                    .retryPolicy(RetryPolicy.none())
                    .build()) {
                ApiException e = assertThrows(
                        ApiException.class,
                        () -> wrongKey.converseStream(request()).close());
                assertEquals(403, e.statusCode());
            }
        }
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model(ConverseBenchStream.MODEL)
                .maxTokens(16)
                .addMessage(ChatMessage.user("hi"))
                .build();
    }
}
