package dev.sluice.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.openai.OpenAiClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link AzureAccess} reads of the environment and the builder, and what it refuses; nothing is sent. */
class AzureAccessTest {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String SECRET = "Xy8Q~abcdefGHIJKLmnopQRSTuvwxYZ0123456789";

    static AzureAccess.Builder env(Map<String, String> variables) {
        return AzureAccess.builder().environment(variables);
    }

    @Test
    void build_entraIdAgainAndAgain_noHttpClientOfItsOwnForAnyAccess() {
        Map<String, String> secret = Map.of(
                "AZURE_OPENAI_ENDPOINT", "https://my-res.openai.azure.com",
                "AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "AZURE_CLIENT_ID", "00000000-1111-2222-3333-444444444444",
                "AZURE_CLIENT_SECRET", SECRET);
        // a workload identity without its tenant and client: refused once the client would have been made
        Map<String, String> refused =
                Map.of("AZURE_OPENAI_ENDPOINT", "https://my-res.openai.azure.com", "AZURE_FEDERATED_TOKEN_FILE", "/t");
        List<AzureAccess> kept = new ArrayList<>(List.of(env(secret).fromEnv().build())); // the shared client, made
        long before = httpClientThreads();

        for (int i = 0; i < 4; i++) {
            kept.add(env(secret).fromEnv().build());
            assertThrows(
                    IllegalStateException.class, () -> env(refused).fromEnv().build());
        }

        // a client of its own would each have started its selector thread, running until the client is closed or
        // collected: nothing closes an access
        assertTrue(httpClientThreads() <= before, "HttpClient threads: " + before + " -> " + httpClientThreads());
        assertEquals(5, kept.size());
    }

    /** {@return the JDK HttpClients' selector threads running now: one a client, from its creation to its close} */
    private static long httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t ->
                        t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .count();
    }

    @Test
    void fromEnv_endpointAndKey_theKeyAndTheEndpointWithoutSlash() {
        AzureAccess a = env(Map.of(
                        "AZURE_OPENAI_ENDPOINT", "https://my-res.openai.azure.com/", "AZURE_OPENAI_API_KEY", KEY))
                .fromEnv()
                .build();
        assertEquals(URI.create("https://my-res.openai.azure.com"), a.endpoint());
        assertEquals(KEY, a.apiKey().orElseThrow());
        assertTrue(a.tokens().isEmpty());
        assertFalse(a.toString().contains(KEY), a.toString());
    }

    @Test
    void fromEnvOfAMap_theMapsVariables_notTheProcesss() {
        AzureAccess openAi = AzureAccess.fromEnv(
                Map.of("AZURE_OPENAI_ENDPOINT", "https://my-res.openai.azure.com", "AZURE_OPENAI_API_KEY", KEY));
        assertEquals(URI.create("https://my-res.openai.azure.com"), openAi.endpoint());
        assertEquals(KEY, openAi.apiKey().orElseThrow());
        AzureAccess foundry = AzureAccess.foundryFromEnv(
                Map.of("ANTHROPIC_FOUNDRY_RESOURCE", "my-res", "ANTHROPIC_FOUNDRY_API_KEY", KEY));
        assertEquals(URI.create("https://my-res.services.ai.azure.com/anthropic"), foundry.endpoint());
        assertThrows(IllegalStateException.class, () -> AzureAccess.fromEnv(Map.of()));
    }

    @Test
    void foundryResource_theResourcesAnthropicEndpoint_elseRefusedNamingIt() {
        AzureAccess a =
                AzureAccess.builder().foundryResource(" My-Res ").apiKey(KEY).build();
        assertEquals(URI.create("https://my-res.services.ai.azure.com/anthropic"), a.endpoint());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> AzureAccess.builder().foundryResource("my res"));
        assertEquals("resource is not a resource's name (letters, digits and hyphens): 'my res'", e.getMessage());
    }

    @Test
    void fromEnv_noEndpoint_illegalStateNamingTheVariable() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> env(Map.of("AZURE_OPENAI_API_KEY", KEY)).fromEnv().build());
        assertTrue(e.getMessage().contains("AZURE_OPENAI_ENDPOINT"), e.getMessage());
    }

    @Test
    void fromEnv_noKey_entraClientSecretFoundWithoutFetching() {
        AzureAccess a = env(Map.of(
                        "AZURE_OPENAI_ENDPOINT",
                        "https://my-res.openai.azure.com",
                        "AZURE_TENANT_ID",
                        "tenant-1",
                        "AZURE_CLIENT_ID",
                        "client-1",
                        "AZURE_CLIENT_SECRET",
                        SECRET))
                .fromEnv()
                .build();
        assertTrue(a.apiKey().isEmpty());
        assertTrue(a.tokens().isPresent());
        assertTrue(a.toString().contains("client-1") && a.toString().contains("AZURE_CLIENT_SECRET"), a.toString());
        assertFalse(a.toString().contains(SECRET), a.toString());
    }

    @Test
    void fromEnv_secretWithoutTenant_illegalStateNamingTheVariables() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> env(Map.of(
                                "AZURE_OPENAI_ENDPOINT",
                                "https://my-res.openai.azure.com",
                                "AZURE_CLIENT_SECRET",
                                SECRET))
                        .fromEnv()
                        .build());
        assertTrue(
                e.getMessage().contains("AZURE_TENANT_ID") && e.getMessage().contains("AZURE_CLIENT_ID"),
                e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void foundryFromEnv_resource_servicesAiAzureComAnthropic() {
        AzureAccess a = env(Map.of("ANTHROPIC_FOUNDRY_RESOURCE", "my-res", "ANTHROPIC_FOUNDRY_API_KEY", KEY))
                .foundryFromEnv()
                .build();
        assertEquals(URI.create("https://my-res.services.ai.azure.com/anthropic"), a.endpoint());
        assertEquals(KEY, a.apiKey().orElseThrow());
    }

    @Test
    void foundryFromEnv_baseUrl_asGiven() {
        AzureAccess a = env(Map.of(
                        "ANTHROPIC_FOUNDRY_BASE_URL",
                        "https://gw.example.com/claude/",
                        "ANTHROPIC_FOUNDRY_API_KEY",
                        KEY))
                .foundryFromEnv()
                .build();
        assertEquals(URI.create("https://gw.example.com/claude"), a.endpoint());
    }

    @Test
    void foundryFromEnv_bothOrNeitherOfResourceAndBaseUrl_illegalStateNamingThem() {
        for (Map<String, String> vars : java.util.List.of(
                Map.of("ANTHROPIC_FOUNDRY_API_KEY", KEY),
                Map.of(
                        "ANTHROPIC_FOUNDRY_API_KEY",
                        KEY,
                        "ANTHROPIC_FOUNDRY_RESOURCE",
                        "r",
                        "ANTHROPIC_FOUNDRY_BASE_URL",
                        "https://r.services.ai.azure.com/anthropic"))) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> env(vars).foundryFromEnv().build());
            assertTrue(
                    e.getMessage().contains("ANTHROPIC_FOUNDRY_RESOURCE")
                            && e.getMessage().contains("ANTHROPIC_FOUNDRY_BASE_URL"),
                    e.getMessage());
        }
    }

    @Test
    void foundryFromEnv_resourceNotAName_illegalArgument() {
        assertThrows(
                IllegalArgumentException.class,
                () -> env(Map.of("ANTHROPIC_FOUNDRY_RESOURCE", "evil.com/x", "ANTHROPIC_FOUNDRY_API_KEY", KEY))
                        .foundryFromEnv());
    }

    @Test
    void build_noAuthorization_illegalStateSayingWhatToCall() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AzureAccess.builder()
                        .endpoint("https://my-res.openai.azure.com")
                        .build());
        assertTrue(
                e.getMessage().contains("apiKey(..)") && e.getMessage().contains("defaultCredentials()"),
                e.getMessage());
    }

    @Test
    void endpoint_notHttpOrWithQuery_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> AzureAccess.builder().endpoint("ftp://x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> AzureAccess.builder().endpoint("https://x.openai.azure.com?api-version=1"));
        assertThrows(IllegalArgumentException.class, () -> AzureAccess.builder().apiKey("a\nb"));
    }

    @Test
    void clients_toString_endpointOfTheV1ApiAndNoKey() {
        AzureAccess a = AzureAccess.builder()
                .endpoint("https://my-res.openai.azure.com")
                .apiKey(KEY)
                .build();
        try (OpenAiClient openAi = OpenAiClient.builder().azure(a).build();
                AnthropicClient claude = AnthropicClient.builder()
                        .foundry(AzureAccess.builder()
                                .endpoint("https://my-res.services.ai.azure.com/anthropic")
                                .apiKey(KEY)
                                .build())
                        .build()) {
            assertTrue(
                    openAi.toString().contains("https://my-res.openai.azure.com/openai/v1/chat/completions"),
                    openAi.toString());
            assertTrue(
                    claude.toString().contains("https://my-res.services.ai.azure.com/anthropic/v1/messages"),
                    claude.toString());
            assertFalse(openAi.toString().contains(KEY) || claude.toString().contains(KEY));
        }
    }

    @Test
    void azure_endpointEndingInOpenAiOrV1_pathNotDoubled() {
        for (String endpoint :
                java.util.List.of("https://r.openai.azure.com/openai/v1/", "https://r.openai.azure.com/openai")) {
            try (OpenAiClient c = OpenAiClient.builder()
                    .azure(AzureAccess.builder().endpoint(endpoint).apiKey(KEY).build())
                    .build()) {
                assertTrue(
                        c.toString().contains("endpoint=https://r.openai.azure.com/openai/v1/chat/completions,"),
                        c.toString());
            }
        }
    }
}
