package dev.sluice.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catalog's Bedrock providers on the OpenAI-compatible and mantle endpoints, connected from an
 * environment as the AWS SDKs read it and streamed from the test kit's Bedrock routes: each host's
 * endpoint variable, the path per model on mantle, the runtime host chosen for the Responses API.
 */
class ProviderCatalogBedrockTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static RecordedRequest streamed(ProviderCatalog provider, String model, Map<String, String> env) {
        try (ProviderClient client = provider.connect(provider.options(env).build(), env)) {
            assertEquals(provider.id(), client.providerName());
            String text = client.chat(ChatRequest.builder()
                            .model(model)
                            .addMessage(ChatMessage.user("Why is the sky blue?"))
                            .maxTokens(128)
                            .build())
                    .text();
            assertFalse(text.isEmpty());
        }
        return FAKE.server().takeRequest();
    }

    private static Map<String, String> signed(String variable, String endpoint) {
        return Map.of(
                "AWS_REGION",
                "us-east-2",
                variable,
                endpoint,
                "AWS_ACCESS_KEY_ID",
                FakeBedrock.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                FakeBedrock.SECRET_ACCESS_KEY,
                "AWS_EC2_METADATA_DISABLED",
                "true",
                "AWS_CONFIG_FILE",
                "/nonexistent/config",
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/credentials");
    }

    @Test
    void bedrockOpenAi_runtimeEndpointVariable_chatCompletionsSignedForBedrock() {
        RecordedRequest q = streamed(
                ProviderCatalog.BEDROCK_OPENAI,
                "us.openai.gpt-6-sol",
                signed(
                        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                        FAKE.server().baseUrl().toString()));
        assertEquals("/openai/v1/chat/completions", q.path());
        assertTrue(q.header("authorization").contains("/us-east-2/bedrock/aws4_request, "));
    }

    @Test
    void bedrockOpenAiResponses_mantleEndpointVariable_eachModelsPathSignedForBedrockMantle() {
        Map<String, String> env =
                signed("AWS_ENDPOINT_URL_BEDROCK_MANTLE", FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH);
        RecordedRequest gpt = streamed(ProviderCatalog.BEDROCK_OPENAI_RESPONSES, "openai.gpt-5.6-terra", env);
        assertEquals("/mantle/openai/v1/responses", gpt.path());
        assertTrue(gpt.header("authorization").contains("/us-east-2/bedrock-mantle/aws4_request, "));
        assertEquals(
                "/mantle/v1/responses",
                streamed(ProviderCatalog.BEDROCK_OPENAI_RESPONSES, "openai.gpt-oss-120b", env)
                        .path());
    }

    @Test
    void bedrockOpenAiResponses_runtimeChosenBesideAMantleEndpoint_theRuntimeHostsResponsesWithTheApiKey() {
        RecordedRequest q = streamed(
                ProviderCatalog.BEDROCK_OPENAI_RESPONSES,
                "us.openai.gpt-6-sol",
                Map.of(
                        "AWS_REGION",
                        "us-east-1",
                        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                        FAKE.server().baseUrl().toString(),
                        "AWS_BEARER_TOKEN_BEDROCK",
                        FakeBedrock.API_KEY,
                        ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV,
                        "runtime",
                        "AWS_ENDPOINT_URL_BEDROCK_MANTLE",
                        FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH));
        assertEquals("/openai/v1/responses", q.path());
        assertEquals("Bearer " + FakeBedrock.API_KEY, q.header("authorization"));
    }

    @Test
    void bedrockMantleAnthropic_globalEndpointWithAKeyAndNoRegion_messagesOnTheMantleHost() {
        ClientOptions options = ClientOptions.builder()
                .baseUrl(FAKE.server().baseUrl() + FakeBedrock.MANTLE_PATH)
                .apiKey(FakeBedrock.API_KEY)
                .build();
        try (ProviderClient client = ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC.connect(options, Map.of())) {
            assertFalse(client.chat(ChatRequest.builder()
                            .model("anthropic.claude-opus-4-8")
                            .addMessage(ChatMessage.user("Hi"))
                            .maxTokens(64)
                            .build())
                    .text()
                    .isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/mantle/anthropic/v1/messages", q.path());
        assertEquals("2023-06-01", q.header("anthropic-version"));
    }
}
