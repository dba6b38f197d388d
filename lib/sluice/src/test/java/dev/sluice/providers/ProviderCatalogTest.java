package dev.sluice.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatProvider;
import dev.sluice.client.ClientOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {
    @Test
    void names_everyProviderAndCloud() {
        assertEquals(
                "anthropic, openai, openai-responses, gemini, bedrock, bedrock-anthropic, bedrock-openai, "
                        + "bedrock-openai-responses, bedrock-mantle-anthropic, vertex, vertex-anthropic, azure-openai, "
                        + "azure-openai-responses, foundry-anthropic",
                ProviderCatalog.names());
    }

    @Test
    void connect_eachProvider_fromItsEnvironment_aClosableClient() throws Exception {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "GOOGLE_CLOUD_PROJECT", "my-project");
        for (ProviderCatalog.Entry e : ProviderCatalog.all()) {
            ClientOptions options = ClientOptions.builder()
                    .baseUrl("http://127.0.0.1:9")
                    .apiKey("test-key")
                    .build();
            ChatProvider client = ProviderCatalog.connect(e.name(), options, env);
            try (AutoCloseable c = assertInstanceOf(AutoCloseable.class, client, e.name())) {
                assertTrue(e.defaultModel().length() > 0, e.name());
            }
        }
    }

    @Test
    void entryOptions_keyAndBaseUrlFromTheEnvironment() {
        ProviderCatalog.Entry bedrock = ProviderCatalog.named("bedrock").orElseThrow();
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_BEARER_TOKEN_BEDROCK", "token");
        ClientOptions o = bedrock.options(env).build();
        assertEquals("http://127.0.0.1:9", o.baseUrl().orElseThrow().toString().replaceAll("/$", ""));
        assertEquals("token", o.apiKey().orElseThrow());
        assertTrue(bedrock.configured(env));
        assertEquals(List.of(), ProviderCatalog.named("anthropic").orElseThrow().cloudVariables());
    }

    @Test
    void connect_unknownOrMissingSetting_refusedSayingWhat() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderCatalog.connect("claude", ClientOptions.builder().build(), Map.of()));
        assertTrue(e.getMessage().contains("unknown provider 'claude'"), e.getMessage());
        IllegalStateException s = assertThrows(
                IllegalStateException.class,
                () -> ProviderCatalog.connect(
                        "azure-openai", ClientOptions.builder().build(), Map.of()));
        assertTrue(s.getMessage().contains("AZURE_OPENAI_ENDPOINT"), s.getMessage());
    }

    @Test
    void bedrockOpenAiPath_asAwsListsThem_openaiV1ForGpt54AndLaterAndGemma4_v1ForTheRest() {
        assertEquals("/openai/v1", ProviderCatalog.bedrockOpenAiPath("openai.gpt-5.6-terra"));
        assertEquals("/openai/v1", ProviderCatalog.bedrockOpenAiPath("us.openai.gpt-6-sol"));
        assertEquals("/openai/v1", ProviderCatalog.bedrockOpenAiPath("global.openai.gpt-6-luna"));
        assertEquals("/openai/v1", ProviderCatalog.bedrockOpenAiPath("openai.gpt-5.5"));
        assertEquals("/openai/v1", ProviderCatalog.bedrockOpenAiPath("google.gemma-4-31b"));
        assertEquals("/v1", ProviderCatalog.bedrockOpenAiPath("openai.gpt-oss-120b"));
        assertEquals("/v1", ProviderCatalog.bedrockOpenAiPath("qwen.qwen3-32b"));
        assertEquals("/v1", ProviderCatalog.bedrockOpenAiPath("deepseek.v3.2"));
    }

    @Test
    void bedrockEntries_theirHostsVariablesAndModels() {
        ProviderCatalog.Entry chat = ProviderCatalog.named("bedrock-openai").orElseThrow();
        ProviderCatalog.Entry responses =
                ProviderCatalog.named("bedrock-openai-responses").orElseThrow();
        ProviderCatalog.Entry messages =
                ProviderCatalog.named("bedrock-mantle-anthropic").orElseThrow();
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL"), chat.baseUrlVariables());
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_MANTLE", "AWS_ENDPOINT_URL"), responses.baseUrlVariables());
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_MANTLE", "AWS_ENDPOINT_URL"), messages.baseUrlVariables());
        for (ProviderCatalog.Entry e : List.of(chat, responses, messages))
            assertEquals("AWS_BEARER_TOKEN_BEDROCK", e.keyVariable(), e.name());
        assertTrue(responses.configured(Map.of(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT, "runtime")));
        assertEquals("openai.gpt-5.6-terra", responses.defaultModel());
    }

    @Test
    void connect_bedrockResponsesEndpointNeitherRuntimeNorMantle_refusedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderCatalog.connect(
                        "bedrock-openai-responses",
                        ClientOptions.builder().build(),
                        Map.of("AWS_REGION", "us-east-1", ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT, "both")));
        assertTrue(e.getMessage().contains(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT), e.getMessage());
    }
}
