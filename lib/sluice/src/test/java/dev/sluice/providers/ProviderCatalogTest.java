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
                "anthropic, openai, openai-responses, gemini, bedrock, bedrock-anthropic, vertex, vertex-anthropic, azure-openai, "
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
}
