package dev.sluice.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeClock;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entra ID tokens for Azure OpenAI and Foundry against the test kit's Entra ID: each source of
 * azure-identity's chain (client secret, workload identity, managed identity) and the application's
 * own {@link AccessTokenProvider}; one token request shared by concurrent streams of two clients,
 * and one refresh inside azure-core's five minutes before expiry; failures as
 * {@link CredentialsException}s without a secret.
 */
class AzureTokensTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    @TempDir
    Path dir;

    static String base() {
        return fake.server().baseUrl().toString();
    }

    static Map<String, String> secretEnv(String secret) {
        return Map.of(
                "AZURE_OPENAI_ENDPOINT",
                base(),
                "AZURE_TENANT_ID",
                FakeAzure.TENANT_ID,
                "AZURE_CLIENT_ID",
                FakeAzure.CLIENT_ID,
                "AZURE_CLIENT_SECRET",
                secret,
                "AZURE_AUTHORITY_HOST",
                base());
    }

    static ChatRequest prompt(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("What is a sluice?"))
                .build();
    }

    static List<RecordedRequest> tokenRequests() {
        return fake.server().requests().stream()
                .filter(r -> r.path().endsWith("/oauth2/v2.0/token") || r.path().equals(FakeAzure.IDENTITY_PATH))
                .toList();
    }

    static List<String> bearers() {
        return fake.server().requests().stream()
                .map(r -> r.header("authorization"))
                .filter(a -> a != null)
                .toList();
    }

    /** Streams each provider's answer {@code times} times at once, on virtual threads; {@return the texts} */
    static List<String> concurrently(List<ChatProvider> providers, int times) throws Exception {
        List<Future<String>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < times; i++) {
                for (ChatProvider p : providers) {
                    futures.add(threads.submit(
                            () -> p.chat(prompt(p instanceof AnthropicClient ? "claude-sonnet-4-5" : "gpt-4o"))
                                    .text()));
                }
            }
            List<String> texts = new ArrayList<>();
            for (Future<String> f : futures) texts.add(f.get());
            return texts;
        }
    }

    @Test
    void clientSecret_concurrentStreamsOfTwoClients_oneTokenRequestThenOneRefreshBeforeExpiry() throws Exception {
        FakeClock clock = new FakeClock();
        AzureAccess access = AzureAccess.builder()
                .environment(secretEnv(FakeAzure.CLIENT_SECRET))
                .clock(clock)
                .fromEnv()
                .build();
        try (OpenAiClient openAi = OpenAiClient.builder().azure(access).build();
                AnthropicClient claude =
                        AnthropicClient.builder().foundry(access).build()) {
            List<String> texts = concurrently(List.of(openAi, claude), 4);
            assertTrue(texts.stream().noneMatch(String::isEmpty));
            assertEquals(1, tokenRequests().size(), "eight streams of two clients, one token request");
            String first = bearers().getFirst();
            assertTrue(bearers().stream().allMatch(first::equals), "every stream carried the one token");

            clock.advance(Duration.ofSeconds(FakeAzure.TOKEN_LIFETIME_SECONDS)
                    .minusMinutes(4)); // 4 min before expiry: refresh
            concurrently(List.of(openAi, claude), 4);
            assertEquals(
                    2,
                    tokenRequests().size(),
                    "one refresh, shared: the others went on with the valid token meanwhile");
            openAi.chat(prompt("gpt-4o"));
            String latest = bearers().getLast();
            assertNotEquals(first, latest, "a new token after the refresh");

            clock.advance(Duration.ofMinutes(2)); // the new token is fresh for another hour
            claude.chat(prompt("claude-sonnet-4-5"));
            assertEquals(2, tokenRequests().size());
            assertEquals(latest, bearers().getLast());
        }
    }

    @Test
    void workloadIdentity_federatedTokenFile_clientAssertionForATokenTheFakeAccepts() throws Exception {
        Path file = dir.resolve("azure-identity-token");
        Files.writeString(file, "eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.sig");
        Map<String, String> env = new HashMap<>(secretEnv("unused"));
        env.remove("AZURE_CLIENT_SECRET");
        env.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
        try (OpenAiClient client = OpenAiClient.builder()
                .azure(AzureAccess.builder().environment(env).fromEnv().build())
                .build()) {
            assertFalse(client.chat(prompt("gpt-4o")).text().isEmpty());
        }
        RecordedRequest token = tokenRequests().getFirst();
        assertTrue(
                token.body().contains("client_assertion=eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.sig"),
                token.body());
    }

    @Test
    void managedIdentity_identityEndpointAndHeader_tokenOfTheCognitiveServicesResource() {
        Map<String, String> env = Map.of(
                "ANTHROPIC_FOUNDRY_BASE_URL",
                base() + "/anthropic",
                "IDENTITY_ENDPOINT",
                base() + FakeAzure.IDENTITY_PATH,
                "IDENTITY_HEADER",
                FakeAzure.IDENTITY_HEADER);
        try (AnthropicClient client = AnthropicClient.builder()
                .foundry(AzureAccess.builder().environment(env).foundryFromEnv().build())
                .build()) {
            assertFalse(client.chat(prompt("claude-sonnet-4-5")).text().isEmpty());
        }
        RecordedRequest token = tokenRequests().getFirst();
        assertEquals("GET", token.method());
        assertEquals(FakeAzure.IDENTITY_HEADER, token.header("x-identity-header"));
        assertTrue(token.target().contains("resource=https%3A%2F%2Fcognitiveservices.azure.com"), token.target());
        assertTrue(bearers().getLast().startsWith("Bearer " + FakeAzure.TOKEN_PREFIX));
    }

    @Test
    void clientSecret_wrong_credentialsExceptionWithEntrasCodeAndNoSecret() {
        String wrong = "Wrong~secret~0000000000000000000000000";
        AzureAccess access =
                AzureAccess.builder().environment(secretEnv(wrong)).fromEnv().build();
        try (OpenAiClient client = OpenAiClient.builder()
                .azure(access)
                .retryPolicy(RetryPolicy.none())
                .build()) {
            CredentialsException e = assertThrows(CredentialsException.class, () -> client.chat(prompt("gpt-4o")));
            assertEquals(CredentialsException.Kind.FAILED, e.kind());
            assertTrue(e.getMessage().contains("AADSTS7000215"), e.getMessage());
            assertFalse(e.getMessage().contains(wrong), e.getMessage());
        }
        assertTrue(
                fake.server().requests().stream().noneMatch(r -> r.path().startsWith("/openai")),
                "no model request without a token");
    }

    /** The application's own credentials object: here, a plain client credentials request to the fake's Entra ID. */
    static final class OwnCredential implements AccessTokenProvider {
        final AtomicInteger calls = new AtomicInteger();
        private final Clock clock;

        OwnCredential(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Token token() {
            calls.incrementAndGet();
            try (HttpClient http = HttpClient.newHttpClient()) {
                String form = "grant_type=client_credentials&client_id=" + FakeAzure.CLIENT_ID + "&client_secret="
                        + FakeAzure.CLIENT_SECRET.replace("~", "%7E")
                        + "&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default";
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token"))
                                .header("content-type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
                if (!m.find()) throw new IllegalStateException("no token: " + r.statusCode());
                return new Token(m.group(1), clock.instant().plusSeconds(FakeAzure.TOKEN_LIFETIME_SECONDS));
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void tokenProvider_applicationsOwn_askedOnceForConcurrentStreamsThenBeforeExpiry() throws Exception {
        FakeClock clock = new FakeClock();
        OwnCredential own = new OwnCredential(clock);
        AzureAccess access = AzureAccess.builder()
                .endpoint(base())
                .tokenProvider(own)
                .clock(clock)
                .build();
        try (OpenAiClient client = OpenAiClient.builder().azure(access).build()) {
            concurrently(List.of(client, client.responses()), 3);
            assertEquals(1, own.calls.get());
            clock.advance(Duration.ofSeconds(FakeAzure.TOKEN_LIFETIME_SECONDS).minusMinutes(4));
            client.chat(prompt("gpt-4o"));
            assertEquals(2, own.calls.get(), "asked again within five minutes of the expiry");
        }
        assertFalse(access.toString().contains(FakeAzure.TOKEN_PREFIX));
    }

    @Test
    void tokenProvider_throws_credentialsExceptionWithItAsCause() {
        IllegalStateException failure = new IllegalStateException("the vault is sealed");
        AzureAccess access = AzureAccess.builder()
                .endpoint(base())
                .tokenProvider(() -> {
                    throw failure;
                })
                .build();
        try (AnthropicClient client = AnthropicClient.builder()
                .foundry(access)
                .retryPolicy(RetryPolicy.none())
                .build()) {
            CredentialsException e =
                    assertThrows(CredentialsException.class, () -> client.chat(prompt("claude-sonnet-4-5")));
            assertSame(failure, e.getCause());
        }
    }
}
