package dev.sluice.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.WireApi;
import dev.sluice.client.ClientOptions;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * A default is what a user with a real key gets on the first run: a model the catalog of models
     * knows, by the maker whose wire the provider speaks, with no retirement scheduled and no
     * replacement named (a retiring default was the 404 on 1 December of issue 79).
     */
    @Test
    void defaultModel_everyProvider_aCurrentModelOfTheRightMaker() {
        for (ProviderCatalog p : ProviderCatalog.values()) {
            ModelCapabilities row = ModelCatalog.find(p.defaultModel())
                    .orElseThrow(() -> new AssertionError(p + ": " + p.defaultModel() + " is not in models.tsv"));
            ModelCapabilities.Maker maker = switch (p.api()) {
                case CHAT_COMPLETIONS, RESPONSES -> ModelCapabilities.Maker.OPENAI;
                case GENERATE_CONTENT -> ModelCapabilities.Maker.GOOGLE;
                case MESSAGES, CONVERSE -> ModelCapabilities.Maker.ANTHROPIC; // Converse's default is Claude
            };
            assertEquals(maker, row.maker(), p + ": " + p.defaultModel());
            LocalDate today = LocalDate.now(ZoneOffset.UTC); // a default retiring within 60 days of the run fails
            assertTrue(
                    ModelCatalog.isCurrent(p.defaultModel(), today),
                    p + ": " + p.defaultModel() + " is not current (retires " + row.retires() + ", replaced by "
                            + row.replacement() + ")");
            assertEquals(Optional.empty(), ModelCatalog.retirementNotice(p.defaultModel(), today), p.defaultModel());
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
    void bedrockProviders_theirHostsVariablesAndModels() {
        ProviderCatalog chat = ProviderCatalog.BEDROCK_OPENAI;
        ProviderCatalog responses = ProviderCatalog.BEDROCK_OPENAI_RESPONSES;
        ProviderCatalog messages = ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC;
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL"), chat.baseUrlVariables());
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_MANTLE", "AWS_ENDPOINT_URL"), responses.baseUrlVariables());
        assertEquals(List.of("AWS_ENDPOINT_URL_BEDROCK_MANTLE", "AWS_ENDPOINT_URL"), messages.baseUrlVariables());
        for (ProviderCatalog p : List.of(chat, responses, messages)) {
            assertEquals(Optional.of("AWS_BEARER_TOKEN_BEDROCK"), p.keyVariable(), p.id());
            assertEquals(ProviderCatalog.Cloud.AWS, p.cloud(), p.id());
            assertEquals("aws.bedrock", p.genAiProviderName(), p.id());
        }
        assertEquals(WireApi.RESPONSES, responses.api());
        assertTrue(responses.configured(Map.of(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV, "runtime")));
        assertFalse(messages.configured(Map.of(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV, "runtime")));
        assertEquals("openai.gpt-5.6-terra", responses.defaultModel());
    }

    @Test
    void baseUrlVariable_bedrockResponsesPutOnTheRuntimeHost_theRuntimeHostsOnly() {
        Map<String, String> env = Map.of(
                "AWS_ENDPOINT_URL_BEDROCK_MANTLE", "http://127.0.0.1:9/mantle",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:8");
        ProviderCatalog responses = ProviderCatalog.BEDROCK_OPENAI_RESPONSES;
        assertEquals("AWS_ENDPOINT_URL_BEDROCK_MANTLE", responses.baseUrlVariable(env));
        Map<String, String> runtime = new java.util.HashMap<>(env);
        runtime.put(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV, "Runtime");
        assertEquals("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", responses.baseUrlVariable(runtime));
        assertEquals(Optional.of("http://127.0.0.1:8"), responses.baseUrl(runtime));
        assertEquals(
                "AWS_ENDPOINT_URL_BEDROCK_MANTLE",
                ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC.baseUrlVariable(runtime),
                "only the Responses API moves");
    }

    @Test
    void connect_bedrockResponsesEndpointNeitherRuntimeNorMantle_refusedNamingTheVariable() {
        Map<String, String> env =
                Map.of("AWS_REGION", "us-east-1", ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV, "both");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderCatalog.BEDROCK_OPENAI_RESPONSES.connect(
                        ClientOptions.builder().build(), env));
        assertEquals(
                "SLUICE_BEDROCK_RESPONSES_ENDPOINT is 'mantle' (the default) or 'runtime', not 'both'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.BEDROCK_OPENAI_RESPONSES.options(env));
    }
}
