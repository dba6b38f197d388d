package dev.sluice.vertex;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeVertex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Where a VertexAccess sends requests and where its tokens come from, against the test kit's fake Vertex AI. */
class VertexAccessTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    @TempDir
    Path dir;

    private VertexAccess env(Map<String, String> variables) {
        return VertexTesting.fromEnv(variables, dir.resolve("home"));
    }

    @Test
    void fromEnv_locationUnset_globalOnAiplatform() {
        VertexAccess access = env(Map.of("GOOGLE_CLOUD_PROJECT", "my-project"));
        assertEquals("global", access.location());
        assertEquals(URI.create("https://aiplatform.googleapis.com"), access.endpoint());
        assertEquals(
                URI.create(
                        "https://aiplatform.googleapis.com/v1/projects/my-project/locations/global/publishers/google/models/"
                                + "gemini-2.5-flash:streamGenerateContent"),
                access.modelUri("google", "gemini-2.5-flash", "streamGenerateContent"));
    }

    @Test
    void fromEnv_regionalLocation_regionalHostAndPath() {
        VertexAccess access = env(Map.of("GOOGLE_CLOUD_PROJECT", "my-project", "GOOGLE_CLOUD_LOCATION", "us-east5"));
        assertEquals(
                URI.create(
                        "https://us-east5-aiplatform.googleapis.com/v1/projects/my-project/locations/us-east5/publishers/"
                                + "anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"),
                access.modelUri("anthropic", "claude-sonnet-4-5@20250929", "streamRawPredict"));
    }

    @Test
    void fromEnv_baseUrlVariable_replacesTheHostKeepsThePath() {
        VertexAccess access = env(Map.of(
                "GOOGLE_CLOUD_PROJECT",
                "p-1",
                "GOOGLE_CLOUD_LOCATION",
                "europe-west4",
                "GOOGLE_VERTEX_BASE_URL",
                "http://127.0.0.1:9/proxy/"));
        assertEquals(URI.create("http://127.0.0.1:9/proxy"), access.endpoint());
        assertEquals(
                "http://127.0.0.1:9/proxy/v1/projects/p-1/locations/europe-west4/publishers/google/models/g%20x:m",
                access.modelUri("google", "g x", "m").toString());
    }

    @Test
    void fromEnvOfAMap_theMapsVariables_aSetterAfterItWins() {
        VertexAccess access = VertexAccess.fromEnv(Map.of(
                "GOOGLE_CLOUD_PROJECT",
                "p-2",
                "GOOGLE_CLOUD_LOCATION",
                "us-east5",
                "GOOGLE_VERTEX_BASE_URL",
                "http://127.0.0.1:9"));
        assertEquals("p-2", access.project());
        assertEquals("us-east5", access.location());
        assertEquals(URI.create("http://127.0.0.1:9"), access.endpoint());
        VertexAccess over = VertexAccess.builder()
                .fromEnv(Map.of("GOOGLE_CLOUD_PROJECT", "p-2"))
                .location("europe-west4")
                .build();
        assertEquals("europe-west4", over.location());
        assertEquals("p-2", over.project());
    }

    @Test
    void fromEnv_unusableVariables_credentialsExceptionNamingTheVariable() {
        for (var bad : List.of(
                Map.of("GOOGLE_CLOUD_LOCATION", "us central/1"),
                Map.of("GOOGLE_CLOUD_PROJECT", "My Project"),
                Map.of("GOOGLE_VERTEX_BASE_URL", "ftp://example.com"))) {
            CredentialsException e = assertThrows(CredentialsException.class, () -> env(bad));
            assertEquals(CredentialsException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().startsWith(bad.keySet().iterator().next() + ": "), e.getMessage());
        }
    }

    @Test
    void fromEnv_serviceAccountFile_nothingSentUntilATokenIsAsked_thenOneTokenRequestCached() {
        VertexAccess access = VertexTesting.serviceAccount(server, dir, "us-central1");
        assertEquals(FakeVertex.PROJECT, access.project()); // the key file's project_id, read, not fetched
        assertTrue(access.toString().contains("us-central1"), access.toString());
        assertEquals(0, server.requestCount());

        assertEquals(FakeVertex.ACCESS_TOKEN, access.token().value());
        assertEquals(FakeVertex.ACCESS_TOKEN, access.token().value());

        assertEquals(1, server.requestCount());
        RecordedRequest token = server.takeRequest();
        assertEquals(FakeVertex.TOKEN_PATH, token.path());
        assertFalse(access.toString().contains(FakeVertex.ACCESS_TOKEN), access.toString());
        assertTrue(access.toString().contains(FakeVertex.CLIENT_EMAIL), access.toString());
    }

    @Test
    void fromEnv_authorizedUserFile_refreshTokenGrant() throws Exception {
        Path file = Files.writeString(dir.resolve("adc.json"), FakeVertex.authorizedUserJson(server.baseUrl()));
        VertexAccess access = env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()));
        assertEquals(FakeVertex.ACCESS_TOKEN, access.token().value());
        assertEquals(FakeVertex.PROJECT, access.project()); // its quota_project_id
        assertTrue(server.takeRequest().body().contains("grant_type=refresh_token"));
    }

    @Test
    void fromEnv_metadataServer_tokenAndProjectFromIt() {
        VertexAccess access = env(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.port()));
        assertEquals(FakeVertex.PROJECT, access.project());
        assertEquals(FakeVertex.ACCESS_TOKEN, access.token().value());
        assertEquals(
                "/computeMetadata/v1/project/project-id", server.takeRequest().path());
        RecordedRequest token = server.takeRequest();
        assertEquals("/computeMetadata/v1/instance/service-accounts/default/token", token.path());
        assertEquals("Google", token.header("metadata-flavor"));
    }

    @Test
    void project_unsetAndTheCredentialsNameNone_notFoundSayingToSetGoogleCloudProject() throws Exception {
        Path file = Files.writeString(
                dir.resolve("adc.json"),
                FakeVertex.authorizedUserJson(server.baseUrl())
                        .replace("\"quota_project_id\":\"" + FakeVertex.PROJECT + "\",", ""));
        VertexAccess access = env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()));

        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> access.modelUri("google", "gemini-2.5-flash", "streamGenerateContent"));

        assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("set GOOGLE_CLOUD_PROJECT"), e.getMessage());
        assertEquals(0, server.requestCount());
    }

    @Test
    void token_noCredentialsAnywhere_notFoundNamingWhatToSet() {
        VertexAccess access = env(Map.of("GOOGLE_CLOUD_PROJECT", "p-1", "NO_GCE_CHECK", "true"));
        CredentialsException e = assertThrows(CredentialsException.class, access::token);
        assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
        assertTrue(e.getMessage().contains("gcloud auth application-default login"), e.getMessage());
    }

    @Test
    void token_keyTheEndpointRefuses_failedWithTheEndpointsErrorAsCause() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String otherKey = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder()
                        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        Path file = Files.writeString(
                dir.resolve("key.json"),
                FakeVertex.serviceAccountJson(server.baseUrl())
                        .replace(FakeVertex.PRIVATE_KEY_PEM.replace("\n", "\\n"), otherKey));
        VertexAccess access = env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()));

        CredentialsException e = assertThrows(CredentialsException.class, access::token);

        assertEquals(CredentialsException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("Invalid JWT Signature."), e.getMessage());
        assertEquals(
                "invalid_grant",
                assertInstanceOf(ApiException.class, e.getCause()).errorType());
        assertFalse(e.getMessage().contains("PRIVATE KEY"), e.getMessage());
    }

    @Test
    void tokenProvider_throws_failedWithItAsCauseButNotItsMessage() {
        RuntimeException secret = new IllegalStateException("refresh token 1//very-secret was revoked");
        VertexAccess access = VertexAccess.builder()
                .project("p-1")
                .tokenProvider(() -> {
                    throw secret;
                })
                .build();
        CredentialsException e = assertThrows(CredentialsException.class, access::token);
        assertEquals(CredentialsException.Kind.FAILED, e.kind());
        assertSame(secret, e.getCause());
        assertFalse(e.getMessage().contains("very-secret"), e.getMessage());
    }

    @Test
    void tokenProvider_staleToken_oneRefreshWhileTheOthersGoOnWithIt() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        VertexAccess access = VertexAccess.builder()
                .project("p-1")
                .tokenProvider(() -> {
                    if (asked.incrementAndGet() == 1)
                        return new AccessTokenProvider.Token(
                                "stale", Instant.now().plusSeconds(210));
                    try {
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new AccessTokenProvider.Token("fresh", Instant.now().plusSeconds(3600));
                })
                .build();
        assertEquals("stale", access.token().value()); // 3.5 min left: within google-auth's 3 min 45 s, still usable

        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++)
            callers.add(Thread.ofVirtual().start(() -> got.add(access.token().value())));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> got.size() == 7); // the seven others go on with the stale one
        assertEquals(2, asked.get());
        release.countDown();
        for (Thread t : callers) assertTrue(t.join(Duration.ofSeconds(10)));
        assertEquals(1, got.stream().filter("fresh"::equals).count());
        assertEquals("fresh", access.token().value());
        assertEquals(2, asked.get());
    }

    /** docs/clouds.md's bridge from google-auth-library's credentials, line for line. */
    static VertexAccess bridged(GoogleCredentials credentials) {
        AccessTokenProvider tokens = () -> {
            try {
                credentials.refreshIfExpired();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AccessToken token = credentials.getAccessToken();
            return new AccessTokenProvider.Token(
                    token.getTokenValue(), token.getExpirationTime().toInstant());
        };
        VertexAccess vertex = VertexAccess.builder()
                .project("my-project")
                .location("us-east5")
                .tokenProvider(tokens)
                .build();
        return vertex;
    }

    @Test
    void tokenProvider_googleAuthCredentialsBridgedAsTheDocsShow_theirTokensCachedBySluice() throws IOException {
        GoogleCredentials credentials = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(
                        FakeVertex.serviceAccountJson(server.baseUrl()).getBytes(StandardCharsets.UTF_8)))
                .createScoped(FakeVertex.SCOPE);
        VertexAccess vertex = bridged(credentials);

        assertEquals(FakeVertex.ACCESS_TOKEN, vertex.token().value());
        assertEquals(FakeVertex.ACCESS_TOKEN, vertex.token().value());
        assertEquals(1, server.requestCount()); // google-auth's one token request
        assertEquals(FakeVertex.TOKEN_PATH, server.takeRequest().path());
    }

    @Test
    void builder_tokenProviderWithoutProject_illegalStateSayingToSetIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> VertexAccess.builder().tokenProvider(() -> null).build());
        assertTrue(e.getMessage().contains("project(..)"), e.getMessage());
    }

    @Test
    void builder_settings_checkedAndShownWithoutSecrets() {
        assertThrows(
                IllegalArgumentException.class, () -> VertexAccess.builder().location("us central1"));
        assertThrows(
                IllegalArgumentException.class, () -> VertexAccess.builder().project("Bad_Project"));
        assertThrows(
                IllegalArgumentException.class, () -> VertexAccess.builder().endpoint("https://x.example/?q=1"));
        VertexAccess access = VertexAccess.builder()
                .project("p-1")
                .location("US-CENTRAL1")
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        "ya29.secret", Instant.now().plusSeconds(3600)))
                .build();
        assertEquals("us-central1", access.location());
        assertEquals(URI.create("https://us-central1-aiplatform.googleapis.com"), access.endpoint());
        assertEquals("ya29.secret", access.token().value());
        assertEquals(
                "VertexAccess[project=p-1, location=us-central1, endpoint=https://us-central1-aiplatform.googleapis.com,"
                        + " tokens=an AccessTokenProvider]",
                access.toString());
    }
}
