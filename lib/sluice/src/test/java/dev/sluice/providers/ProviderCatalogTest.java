package dev.sluice.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void ids_lowerCaseDistinctAndTheirOwnToString() {
        List<String> ids =
                ProviderCatalog.all().stream().map(ProviderCatalog::id).toList();
        assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
        for (ProviderCatalog p : ProviderCatalog.values()) {
            assertTrue(p.id().matches("[a-z][a-z0-9-]*"), p.id());
            assertEquals(p.id(), p.toString());
            assertEquals(p, ProviderCatalog.of(p.id()));
        }
    }

    @Test
    void connect_eachProvider_aClientNamingItselfByTheId() {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "GOOGLE_CLOUD_PROJECT", "my-project");
        for (ProviderCatalog p : ProviderCatalog.values()) {
            ClientOptions options = ClientOptions.builder()
                    .baseUrl("http://127.0.0.1:9")
                    .apiKey("test-key")
                    .build();
            try (ProviderClient client = p.connect(options, env)) {
                assertEquals(p.id(), client.providerName(), "the client's own name is the catalog's id");
                assertFalse(p.defaultModel().isBlank(), p.id());
            }
        }
    }

    @Test
    void connect_cloudNotConfigured_takesTheOptionsEndpointAndKeyAlone() {
        ClientOptions fake = ClientOptions.builder()
                .baseUrl("http://127.0.0.1:9/anthropic")
                .apiKey("fake-key")
                .build();
        for (ProviderCatalog p : ProviderCatalog.values()) {
            if (p.cloud() == ProviderCatalog.Cloud.GOOGLE)
                continue; // a token needs a project: the tool names the fake's
            try (ProviderClient client = p.connect(fake, Map.of())) {
                assertTrue(client.toString().contains("127.0.0.1:9"), client.toString());
            }
        }
    }

    @Test
    void options_keyAndBaseUrlFromTheEnvironment() {
        ProviderCatalog bedrock = ProviderCatalog.BEDROCK;
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_BEARER_TOKEN_BEDROCK", "token");
        ClientOptions o = bedrock.options(env).build();
        assertEquals("http://127.0.0.1:9", o.baseUrl().orElseThrow().toString().replaceAll("/$", ""));
        assertEquals("token", o.apiKey().orElseThrow());
        assertEquals("AWS_ENDPOINT_URL", bedrock.baseUrlVariable(env));
        assertTrue(bedrock.configured(env));
        assertFalse(bedrock.configured(Map.of("ANTHROPIC_API_KEY", "k")));
        assertTrue(ProviderCatalog.ANTHROPIC.cloudVariables().isEmpty());
        assertEquals(Optional.empty(), ProviderCatalog.VERTEX.keyVariable());
    }

    @Test
    void connect_unknownOrMissingSetting_refusedSayingWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.of("claude"));
        assertTrue(e.getMessage().startsWith("unknown provider 'claude'; one of anthropic, "), e.getMessage());
        IllegalStateException s = assertThrows(
                IllegalStateException.class,
                () -> ProviderCatalog.AZURE_OPENAI.connect(
                        ClientOptions.builder().build(), Map.of()));
        assertTrue(s.getMessage().contains("AZURE_OPENAI_ENDPOINT"), s.getMessage());
        s = assertThrows(
                IllegalStateException.class,
                () -> ProviderCatalog.FOUNDRY_ANTHROPIC.connect(
                        ClientOptions.builder().build(), Map.of()));
        assertTrue(s.getMessage().contains("ANTHROPIC_FOUNDRY_RESOURCE"), s.getMessage());
    }

    @Test
    void connect_foundryResource_theResourcesAnthropicEndpoint() {
        Map<String, String> env =
                Map.of("ANTHROPIC_FOUNDRY_RESOURCE", "My-Resource", "ANTHROPIC_FOUNDRY_API_KEY", "foundry-key");
        try (ProviderClient client = ProviderCatalog.FOUNDRY_ANTHROPIC.connect(
                ProviderCatalog.FOUNDRY_ANTHROPIC.options(env).build(), env)) {
            assertTrue(
                    client.toString().contains("https://my-resource.services.ai.azure.com/anthropic"),
                    client.toString());
            assertFalse(client.toString().contains("foundry-key"), client.toString());
        }
    }

    @Test
    void parse_splitsOnTheFirstColon() {
        ProviderCatalog.Target t =
                ProviderCatalog.Target.parse(" bedrock : us.anthropic.claude-sonnet-4-5-20250929-v1:0 ");
        assertEquals(ProviderCatalog.BEDROCK, t.provider());
        assertEquals(Optional.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), t.model());
        assertEquals("bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0", t.toString());
        assertEquals(
                "claude-sonnet-4-5@20250929",
                ProviderCatalog.Target.parse("vertex-anthropic:claude-sonnet-4-5@20250929")
                        .modelOrDefault());
    }

    @Test
    void parse_providerAlone_noModelTheProvidersDefault() {
        ProviderCatalog.Target t = ProviderCatalog.Target.parse("Gemini");
        assertEquals(ProviderCatalog.GEMINI, t.provider());
        assertEquals(Optional.empty(), t.model());
        assertEquals(ProviderCatalog.GEMINI.defaultModel(), t.modelOrDefault());
        assertEquals("gemini", t.toString());
    }

    @Test
    void parse_unknownProviderOrNoModelAfterTheColon_refusedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.Target.parse("claude:haiku"));
        assertTrue(
                e.getMessage().startsWith("unknown provider 'claude' in 'claude:haiku' (PROVIDER:MODEL); one of ")
                        && e.getMessage().contains("foundry-anthropic"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.Target.parse(":gpt-4o"));
        assertTrue(e.getMessage().startsWith("unknown provider ''"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.Target.parse("openai: "));
        assertEquals("no model after 'openai:' (PROVIDER:MODEL)", e.getMessage());
    }

    @Test
    void genAiProviderName_byTheClientsName_elseTheNameItself() {
        assertEquals("aws.bedrock", ProviderCatalog.genAiProviderName("bedrock-anthropic"));
        assertEquals("gcp.gemini", ProviderCatalog.genAiProviderName("gemini"));
        assertEquals("azure.ai.inference", ProviderCatalog.genAiProviderName("foundry-anthropic"));
        assertEquals("azure.ai.openai", ProviderCatalog.genAiProviderName("azure-openai"));
        assertEquals("anthropic", ProviderCatalog.genAiProviderName("anthropic"));
        assertEquals("mistral", ProviderCatalog.genAiProviderName("mistral"));
    }
}
