package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claude's Messages API on Amazon Bedrock's mantle host ({@link AnthropicClient.Builder#bedrock} with
 * {@link AwsAccess#mantle()}) over real loopback sockets, against the test kit's mantle route, which
 * checks the signature for {@code bedrock-mantle} and the {@code anthropic-version} header: the body
 * unchanged, Anthropic's events decoded unchanged (thinking and its signature, tool use).
 */
class AnthropicBedrockMantleTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String MODEL = "anthropic.claude-opus-4-8";
    private static final RetryPolicy FAST =
            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5));

    private static AwsAccess.Builder access() {
        return AwsAccess.builder()
                .region("us-east-1")
                .mantleEndpoint(FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH);
    }

    private static AwsAccess signed() {
        return access().credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build()
                .mantle();
    }

    private static MessageRequest request(String model) {
        return MessageRequest.builder()
                .model(model)
                .maxTokens(2048)
                .addUserMessage("Why is the sky blue?")
                .build();
    }

    @Test
    void stream_signedForBedrockMantle_theMessagesBodyUnchangedAndTheVersionHeader() {
        try (AnthropicClient client =
                AnthropicClient.builder().bedrock(signed()).retryPolicy(FAST).build()) {
            assertEquals("bedrock-mantle-anthropic", client.providerName());
            assertFalse(client.messages().stream(request(MODEL)).result().text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/mantle/anthropic/v1/messages", q.path());
        assertEquals(MODEL, q.json("/model"));
        assertEquals(true, q.json("/stream"));
        assertEquals(null, q.json("/anthropic_version"));
        assertEquals("2023-06-01", q.header("anthropic-version"));
        assertTrue(q.header("authorization").contains("/us-east-1/bedrock-mantle/aws4_request, "));
        assertEquals(null, q.header("x-api-key"));
    }

    @Test
    void stream_apiKey_bearerAndNoAnthropicKey() {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("sk-ant-stale-anthropic-key")
                .bedrock(access().apiKey(FakeBedrock.API_KEY).build().mantle())
                .build()) {
            assertFalse(client.messages().stream(request(MODEL)).result().text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("Bearer " + FakeBedrock.API_KEY, q.header("authorization"));
        assertFalse(q.headers().toString().contains("sk-ant-stale"), q.headers().toString());
    }

    @Test
    void stream_thinkingWithItsSignature_decodedUnchanged() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Light scatters", " off molecules.")
                        .text("Rayleigh", " scattering.")
                        .usage(12, 4));
        List<StreamEvent> seen = new ArrayList<>();
        Message m;
        try (AnthropicClient client =
                        AnthropicClient.builder().bedrock(signed()).build();
                MessageStream stream = client.messages().stream(request(MODEL))) {
            stream.forEach(seen::add);
            m = stream.result();
        }
        assertEquals("Rayleigh scattering.", m.text());
        assertTrue(
                m.content().getFirst() instanceof ThinkingBlock t
                        && !t.signature().isEmpty(),
                m.toString());
        assertTrue(
                seen.stream().anyMatch(e -> e instanceof ContentBlockDelta d && d.delta() instanceof SignatureDelta));
    }

    @Test
    void countTokens_mantle_countedAtItsPath() {
        try (AnthropicClient client =
                AnthropicClient.builder().bedrock(signed()).build()) {
            assertTrue(client.messages().countTokens(request(MODEL)) > 0);
        }
        assertEquals(
                "/mantle/anthropic/v1/messages/count_tokens",
                FAKE.server().takeRequest().path());
    }

    @Test
    void stream_wrongSecret_awsForbiddenWithTheRequestId() {
        AwsAccess wrong =
                access().credentials(FakeBedrock.ACCESS_KEY_ID, "wrong").build().mantle();
        try (AnthropicClient client = AnthropicClient.builder().bedrock(wrong).build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.messages().stream(request(MODEL)));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.errorType());
            assertTrue(e.requestId().isPresent());
        }
    }
}
