package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.aws.AwsCredentialsProvider;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's APIs on Amazon Bedrock ({@link OpenAiClient.Builder#bedrock}) over real loopback sockets,
 * against the test kit's Bedrock routes, which check the SigV4 signature for each host's signing name
 * as AWS does: Chat Completions on the runtime host, the Responses API on the mantle host under each
 * model's path, the Bedrock API key, each attempt signed afresh, no other key sent, no redirect followed.
 */
class OpenAiBedrockTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final RetryPolicy FAST =
            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5));
    /** What the catalog says of these models on mantle, written out: the openai package knows no catalog. */
    private static final Function<String, String> PATHS =
            model -> model.startsWith("openai.gpt-5.6") ? "/openai/v1" : "/v1";

    private static AwsAccess.Builder access() {
        return AwsAccess.builder()
                .region("us-east-2")
                .endpoint(FAKE.server().baseUrl())
                .mantleEndpoint(FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH);
    }

    private static AwsAccess signed() {
        return access().credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
    }

    private static ChatRequest ask(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("Why is the sky blue?"))
                .maxTokens(256)
                .build();
    }

    @Test
    void chat_runtimeHost_openaiV1PathSignedForBedrockAndTheAnswerDecoded() {
        try (OpenAiClient client =
                OpenAiClient.builder().bedrock(signed()).retryPolicy(FAST).build()) {
            ChatResponse r = client.chat(ask("us.openai.gpt-6-sol"));
            assertFalse(r.text().isEmpty());
            assertEquals("bedrock-openai", client.providerName());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/openai/v1/chat/completions", q.path());
        assertEquals("us.openai.gpt-6-sol", q.json("/model"));
        assertTrue(
                q.header("authorization")
                        .matches("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID
                                + "/\\d{8}/us-east-2/bedrock/aws4_request, .*"),
                q.header("authorization"));
        assertEquals(null, q.header("api-key"));
    }

    @Test
    void responses_mantleHost_eachModelsPathSignedForBedrockMantle() {
        try (OpenAiClient client = OpenAiClient.builder()
                .bedrock(signed().mantle(), PATHS)
                .retryPolicy(FAST)
                .build()) {
            assertFalse(
                    client.responses().chat(ask("openai.gpt-5.6-terra")).text().isEmpty());
            assertFalse(
                    client.responses().chat(ask("openai.gpt-oss-120b")).text().isEmpty());
        }
        RecordedRequest gpt = FAKE.server().takeRequest();
        assertEquals("/mantle/openai/v1/responses", gpt.path());
        assertTrue(gpt.header("authorization").contains("/us-east-2/bedrock-mantle/aws4_request, "));
        assertEquals(true, gpt.json("/stream"));
        assertEquals("/mantle/v1/responses", FAKE.server().takeRequest().path());
    }

    @Test
    void responses_runtimeHostChosen_openaiV1SignedForBedrock() {
        try (OpenAiClient client = OpenAiClient.builder()
                .bedrock(signed(), PATHS)
                .retryPolicy(FAST)
                .build()) {
            assertFalse(
                    client.responses().chat(ask("openai.gpt-oss-120b")).text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/openai/v1/responses", q.path());
        assertTrue(q.header("authorization").contains("/bedrock/aws4_request, "));
    }

    @Test
    void stream_signedForTheOtherHostsService_refusedAsAwsRefusesIt() {
        // the runtime access's signature (service bedrock) sent to the mantle host
        AwsAccess runtimeSignedAtMantle =
                signed().at("us-east-2", FAKE.server().baseUrl().resolve(FakeBedrock.MANTLE_PATH));
        try (OpenAiClient client = OpenAiClient.builder()
                .bedrock(runtimeSignedAtMantle)
                .retryPolicy(FAST)
                .build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.chat(ask("openai.gpt-oss-120b")));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.errorType());
            assertTrue(e.requestId().isPresent(), "x-amzn-RequestId");
        }
    }

    @Test
    void stream_bedrockApiKeyBesideAnOpenAiKey_onlyTheBedrockKeyIsSent() {
        String openAiKey = "sk-proj-stale-openai-key-0123456789";
        try (OpenAiClient client = OpenAiClient.builder()
                .apiKey(openAiKey)
                .organization("org-1")
                .bedrock(access().apiKey(FakeBedrock.API_KEY).build().mantle(), PATHS)
                .build()) {
            assertFalse(
                    client.responses().chat(ask("openai.gpt-5.6-terra")).text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("Bearer " + FakeBedrock.API_KEY, q.header("authorization"));
        assertFalse(q.headers().toString().contains(openAiKey), q.headers().toString());
        assertFalse(q.body().contains(openAiKey));
    }

    @Test
    void stream_retried_eachAttemptSignedAfreshWithTheCredentialsOfThatMoment() {
        AtomicInteger asked = new AtomicInteger();
        AwsCredentialsProvider expiring = () -> new AwsCredentialsProvider.Credentials(
                FakeBedrock.ACCESS_KEY_ID,
                FakeBedrock.SECRET_ACCESS_KEY,
                FakeBedrock.SESSION_TOKEN + "-" + asked.incrementAndGet(),
                Instant.now().plusSeconds(30)); // inside the refresh window: asked again for every attempt
        AwsAccess access = access().credentials(expiring).build().mantle();
        try (OpenAiClient client =
                OpenAiClient.builder().bedrock(access, PATHS).retryPolicy(FAST).build()) {
            assertFalse(client.responses().chat(ask("fake-flaky-2")).text().isEmpty());
        }
        List<RecordedRequest> attempts = FAKE.server().requests();
        assertEquals(3, attempts.size());
        Set<String> tokens = new HashSet<>();
        Set<String> signatures = new HashSet<>();
        for (RecordedRequest q : attempts) {
            tokens.add(q.header("x-amz-security-token"));
            signatures.add(q.header("authorization"));
        }
        assertEquals(3, tokens.size(), "each attempt carries the session token of its moment: " + tokens);
        assertEquals(3, signatures.size());
    }

    @Test
    void stream_redirected_notFollowedAndNothingSentElsewhere() {
        FAKE.server()
                .enqueue(FakeResponse.status(307)
                        .header("location", FAKE.server().baseUrl() + "/elsewhere/openai/v1/chat/completions"));
        try (OpenAiClient client =
                OpenAiClient.builder().bedrock(signed()).retryPolicy(FAST).build()) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> client.chat(ask("us.openai.gpt-6-sol")));
            assertTrue(e.getMessage().contains("redirect"), e.getMessage());
        }
        assertEquals(1, FAKE.server().requestCount(), "the redirect's target got nothing");
        assertNotEquals(null, FAKE.server().takeRequest().header("authorization"));
    }

    @Test
    void toString_mantle_showsTheHostAndServiceNeverTheKey() {
        try (OpenAiClient client = OpenAiClient.builder()
                .bedrock(access().apiKey(FakeBedrock.API_KEY).build().mantle(), PATHS)
                .build()) {
            String shown = client.toString();
            assertTrue(shown.contains(FakeBedrock.MANTLE_PATH + "{/v1|/openai/v1}"), shown);
            assertTrue(shown.contains("service=bedrock-mantle"), shown);
            assertFalse(shown.contains(FakeBedrock.API_KEY), shown);
        }
    }
}
