package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --provider bedrock-openai}, {@code bedrock-openai-responses} and {@code bedrock-mantle-anthropic}
 * through {@code sluice stream}, configured from AWS's variables (each host's endpoint, the API key or
 * the access key), against the test kit's Bedrock routes, which check each host's signing name; and
 * against the embedded fake when nothing is set.
 */
class BedrockEndpointsCommandsTest {
    private static final String PROMPT = "Tell me about the ocean";

    private FakeLlmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.builder().recordRequests(true).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String answer() {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            return client.messages()
                    .create(MessageRequest.builder()
                            .model("claude-sonnet-4-5")
                            .maxTokens(1024)
                            .addUserMessage(PROMPT)
                            .build())
                    .text();
        }
    }

    /** Both hosts at the fake (the mantle host under its path), signed with the fake's access key. */
    private Map<String, String> signedEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-2");
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.baseUrl().toString());
        env.put("AWS_ENDPOINT_URL_BEDROCK_MANTLE", server.baseUrl() + FakeBedrock.MANTLE_PATH);
        env.put("AWS_ACCESS_KEY_ID", FakeBedrock.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", FakeBedrock.SECRET_ACCESS_KEY);
        return env;
    }

    private RecordedRequest last() {
        List<RecordedRequest> all = server.requests().stream()
                .filter(r -> !r.path().equals("/v1/messages"))
                .toList();
        assertFalse(all.isEmpty(), "a request reached the fake's Bedrock routes");
        return all.getLast();
    }

    @Test
    void stream_bedrockOpenAiWithItsApiKey_chatCompletionsOnTheRuntimeHost() {
        String expected = answer();
        Map<String, String> env = Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                server.baseUrl().toString(),
                "AWS_BEARER_TOKEN_BEDROCK",
                FakeBedrock.API_KEY,
                "OPENAI_API_KEY",
                "sk-proj-not-for-aws");
        StreamCommandTest.Result r = StreamCommandTest.run(env, Terminal.NONE, "--provider", "bedrock-openai", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        RecordedRequest q = last();
        assertEquals("/openai/v1/chat/completions", q.path());
        assertEquals("us.openai.gpt-6-sol", q.json("/model"), "the catalog's default model");
        assertEquals("Bearer " + FakeBedrock.API_KEY, q.header("authorization"));
        assertFalse(q.headers().toString().contains("sk-proj-not-for-aws"), "no OpenAI key goes to AWS");
        assertFalse(r.err().contains(FakeBedrock.API_KEY) || r.out().contains(FakeBedrock.API_KEY));
    }

    @Test
    void stream_bedrockOpenAiResponsesSigned_theModelsPathOnTheMantleHostSignedForBedrockMantle() {
        String expected = answer();
        StreamCommandTest.Result r =
                StreamCommandTest.run(signedEnv(), Terminal.NONE, "--provider", "bedrock-openai-responses", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        RecordedRequest q = last();
        assertEquals("/mantle/openai/v1/responses", q.path(), "openai.gpt-5.6-terra is served under /openai/v1");
        assertTrue(
                q.header("authorization").contains("/us-east-2/bedrock-mantle/aws4_request, "),
                q.header("authorization"));
        assertFalse(r.err().contains(FakeBedrock.SECRET_ACCESS_KEY));
    }

    @Test
    void stream_bedrockOpenAiResponsesGptOss_theV1PathOnTheMantleHost() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                signedEnv(),
                Terminal.NONE,
                "--provider",
                "bedrock-openai-responses",
                "--model",
                "openai.gpt-oss-120b",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals("/mantle/v1/responses", last().path());
    }

    @Test
    void stream_bedrockOpenAiResponsesOnTheRuntimeHost_signedForBedrock() {
        Map<String, String> env = signedEnv();
        env.put("SLUICE_BEDROCK_RESPONSES_ENDPOINT", "runtime");
        StreamCommandTest.Result r =
                StreamCommandTest.run(env, Terminal.NONE, "--provider", "bedrock-openai-responses", PROMPT);

        assertEquals(0, r.code(), r.err());
        RecordedRequest q = last();
        assertEquals("/openai/v1/responses", q.path());
        assertTrue(q.header("authorization").contains("/us-east-2/bedrock/aws4_request, "));
    }

    @Test
    void stream_bedrockResponsesEndpointNeitherRuntimeNorMantle_usageErrorNamingItNothingSent() {
        Map<String, String> env = signedEnv();
        env.put("SLUICE_BEDROCK_RESPONSES_ENDPOINT", "both");
        StreamCommandTest.Result r =
                StreamCommandTest.run(env, Terminal.NONE, "--provider", "bedrock-openai-responses", PROMPT);

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: SLUICE_BEDROCK_RESPONSES_ENDPOINT is 'mantle'"), r.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_bedrockMantleAnthropicSigned_claudesMessagesOnTheMantleHost() {
        String expected = answer();
        StreamCommandTest.Result r =
                StreamCommandTest.run(signedEnv(), Terminal.NONE, "--provider", "bedrock-mantle-anthropic", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        RecordedRequest q = last();
        assertEquals("/mantle/anthropic/v1/messages", q.path());
        assertEquals("2023-06-01", q.header("anthropic-version"));
        assertEquals("anthropic.claude-opus-4-8", q.json("/model"));
    }

    @Test
    void stream_withoutEnvironment_theEmbeddedFakeAnswersEachOfTheThree() {
        for (String provider : List.of("bedrock-openai", "bedrock-openai-responses", "bedrock-mantle-anthropic")) {
            StreamCommandTest.Result r = StreamCommandTest.run(
                    Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, "--provider", provider, PROMPT);
            assertEquals(0, r.code(), provider + ": " + r.err());
            assertTrue(
                    r.err().startsWith("sluice: no AWS_REGION, AWS_BEARER_TOKEN_BEDROCK or AWS credentials set;"),
                    r.err());
            assertFalse(r.out().isEmpty(), provider);
        }
    }

    @Test
    void stream_converseCutMidStreamWithBedrockOpenAiResponsesAsFallback_switchesThere() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                signedEnv(),
                Terminal.NONE,
                "--provider",
                "bedrock",
                "--model",
                "fake-error-mid-stream",
                "--fallback",
                "bedrock-openai-responses:openai.gpt-5.6-terra",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("switched to bedrock-openai-responses:openai.gpt-5.6-terra after"), r.err());
        assertEquals("/mantle/openai/v1/responses", last().path());
    }
}
