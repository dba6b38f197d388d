package dev.sluice.internal.low.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SecretsNowhere;
import dev.sluice.TransportException;
import dev.sluice.testkit.FakeClock;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AzureCredentialsTest {
    static final String SECRET = "Xy8Q~abcdefGHIJKLmnopQRSTuvwxYZ0123456789";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00000000-1111-2222-3333-444444444444";
    static final String SCOPE = AzureCredentials.COGNITIVE_SERVICES_SCOPE;

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    static FakeLlmServer server;
    static HttpClient client;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    @BeforeAll
    static void start() {
        server = FAKE.server();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    Environment env(Map<String, String> variables) {
        return Environment.of(variables, dir);
    }

    Map<String, String> secretVariables() {
        return Map.of(
                "AZURE_TENANT_ID",
                TENANT,
                "AZURE_CLIENT_ID",
                CLIENT,
                "AZURE_CLIENT_SECRET",
                SECRET,
                "AZURE_AUTHORITY_HOST",
                server.baseUrl() + "/");
    }

    @Test
    void tokens_clientSecret_postsClientCredentialsToTenantEndpoint() {
        server.enqueue(TokenAnswers.token("eyJ0eXAi.secret-flow", 3599));
        AzureCredentials credentials = AzureCredentials.find(env(secretVariables()), client, clock, SCOPE);

        AccessToken token = credentials.tokens().token();

        assertEquals("eyJ0eXAi.secret-flow", token.value());
        assertEquals(clock.instant().plusSeconds(3599), token.expiresAt());
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.method());
        assertEquals("/" + TENANT + "/oauth2/v2.0/token", request.path());
        assertEquals(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_info",
                        "1",
                        "scope",
                        "openid profile offline_access " + SCOPE,
                        "client_id",
                        CLIENT,
                        "client_secret",
                        SECRET),
                TokenAnswers.form(request));
    }

    @Test
    void find_noAuthorityHost_microsoftOnlineLogin() {
        Map<String, String> variables = new HashMap<>(secretVariables());
        variables.remove("AZURE_AUTHORITY_HOST");
        AzureCredentials credentials = AzureCredentials.find(env(variables), client, clock, SCOPE);
        assertTrue(
                credentials
                        .tokens()
                        .toString()
                        .contains("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token"),
                credentials.tokens().toString());
    }

    @Test
    void tokens_workloadIdentity_fileReadAgainForEachToken() throws Exception {
        Path file = dir.resolve("azure-identity-token");
        Files.writeString(file, "eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig\n");
        Map<String, String> variables = Map.of(
                "AZURE_TENANT_ID",
                TENANT,
                "AZURE_CLIENT_ID",
                CLIENT,
                "AZURE_FEDERATED_TOKEN_FILE",
                file.toString(),
                "AZURE_AUTHORITY_HOST",
                server.baseUrl().toString());
        server.enqueue(TokenAnswers.token("wi-1", 3600), TokenAnswers.token("wi-2", 3600));
        AzureCredentials credentials = AzureCredentials.find(env(variables), client, clock, SCOPE);

        assertEquals("wi-1", credentials.tokens().token().value());
        RecordedRequest first = server.takeRequest();
        assertEquals("/" + TENANT + "/oauth2/v2.0/token", first.path());
        assertEquals(
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_info",
                        "1",
                        "scope",
                        "openid profile offline_access " + SCOPE,
                        "client_id",
                        CLIENT,
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        "eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig"),
                TokenAnswers.form(first));

        Files.writeString(file, "eyJhbGciOiJSUzI1NiJ9.rotated-projected-token.sig"); // Kubernetes rotates it
        clock.advance(Duration.ofMinutes(56)); // within azure's 5 min
        assertEquals("wi-2", credentials.tokens().token().value());
        assertEquals(
                "eyJhbGciOiJSUzI1NiJ9.rotated-projected-token.sig",
                TokenAnswers.form(server.takeRequest()).get("client_assertion"));
    }

    @Test
    void tokens_appServiceManagedIdentity_getWithIdentityHeaderAndEpochExpiry() {
        long expiresOn = clock.instant().plusSeconds(86_399).getEpochSecond();
        server.enqueue(
                FakeResponse.status(200)
                        .body(
                                "application/json",
                                "{\"access_token\":\"mi-token\",\"expires_on\":\"" + expiresOn
                                        + "\",\"resource\":\"https://cognitiveservices.azure.com\",\"token_type\":\"Bearer\",\"client_id\":\"x\"}"));
        Map<String, String> variables = Map.of(
                "IDENTITY_ENDPOINT",
                server.baseUrl() + "/msi/token",
                "IDENTITY_HEADER",
                "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a");
        AzureCredentials credentials = AzureCredentials.find(env(variables), client, clock, SCOPE);

        AccessToken token = credentials.tokens().token();

        assertEquals("mi-token", token.value());
        assertEquals(expiresOn, token.expiresAt().getEpochSecond());
        RecordedRequest request = server.takeRequest();
        assertEquals("GET", request.method());
        assertEquals("/msi/token", request.path());
        assertEquals(
                Map.of("api-version", "2019-08-01", "resource", "https://cognitiveservices.azure.com"),
                TokenAnswers.queryOf(request));
        assertEquals("853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a", request.header("x-identity-header"));
        assertFalse(credentials.toString().contains("853b9a84"), credentials.toString());
        assertFalse(
                credentials.tokens().toString().contains("853b9a84"),
                credentials.tokens().toString());
    }

    @Test
    void tokens_userAssignedManagedIdentity_clientIdSent() {
        server.enqueue(FakeResponse.status(200)
                .body(
                        "application/json",
                        "{\"access_token\":\"mi-user\",\"expires_on\":"
                                + clock.instant().plusSeconds(3600).getEpochSecond() + "}"));
        Map<String, String> variables = Map.of(
                "IDENTITY_ENDPOINT",
                server.baseUrl() + "/msi/token",
                "IDENTITY_HEADER",
                "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a",
                "AZURE_CLIENT_ID",
                CLIENT);
        assertEquals(
                "mi-user",
                AzureCredentials.find(env(variables), client, clock, SCOPE)
                        .tokens()
                        .token()
                        .value());
        assertEquals(CLIENT, TokenAnswers.queryOf(server.takeRequest()).get("client_id"));
    }

    @Test
    void tokens_nothingSet_instanceMetadataService() {
        server.enqueue(
                FakeResponse.status(200)
                        .body(
                                "application/json",
                                "{\"access_token\":\"imds-token\",\"expires_in\":\"86399\","
                                        + "\"expires_on\":\"1\",\"resource\":\"https://cognitiveservices.azure.com\",\"token_type\":\"Bearer\"}"));
        AzureCredentials credentials = AzureCredentials.find(
                env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", server.baseUrl().toString())), client, clock, SCOPE);
        AccessToken token = credentials.tokens().token();
        assertEquals("imds-token", token.value());
        assertEquals(clock.instant().plusSeconds(86_399), token.expiresAt());
        RecordedRequest request = server.takeRequest();
        assertEquals("/metadata/identity/oauth2/token", request.path());
        assertEquals("true", request.header("metadata"));
        assertEquals(
                Map.of("api-version", "2018-02-01", "resource", "https://cognitiveservices.azure.com"),
                TokenAnswers.queryOf(request));
    }

    @Test
    void find_everyFlavourSet_secretThenWorkloadThenManagedIdentity() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "projected");
        Map<String, String> all = new HashMap<>(secretVariables());
        all.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
        all.put("IDENTITY_ENDPOINT", server.baseUrl() + "/msi/token");
        all.put("IDENTITY_HEADER", "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a");
        assertTrue(
                AzureCredentials.find(env(all), client, clock, SCOPE).toString().contains("AZURE_CLIENT_SECRET"));
        all.remove("AZURE_CLIENT_SECRET");
        assertTrue(
                AzureCredentials.find(env(all), client, clock, SCOPE).toString().contains("workload identity"));
        all.remove("AZURE_FEDERATED_TOKEN_FILE");
        assertTrue(
                AzureCredentials.find(env(all), client, clock, SCOPE).toString().contains("IDENTITY_ENDPOINT"));
        all.remove("IDENTITY_ENDPOINT");
        assertTrue(
                AzureCredentials.find(env(all), client, clock, SCOPE).toString().contains("instance metadata"));
    }

    @Test
    void find_incompleteOrUnsupported_illegalStateNamingTheVariables() {
        IllegalStateException noTenant = assertThrows(
                IllegalStateException.class,
                () -> AzureCredentials.find(
                        env(Map.of("AZURE_CLIENT_ID", CLIENT, "AZURE_CLIENT_SECRET", SECRET)), client, clock, SCOPE));
        assertTrue(noTenant.getMessage().contains("AZURE_TENANT_ID"), noTenant.getMessage());
        assertFalse(noTenant.getMessage().contains(SECRET), noTenant.getMessage());
        IllegalStateException certificate = assertThrows(
                IllegalStateException.class,
                () -> AzureCredentials.find(
                        env(Map.of(
                                "AZURE_TENANT_ID",
                                TENANT,
                                "AZURE_CLIENT_ID",
                                CLIENT,
                                "AZURE_CLIENT_CERTIFICATE_PATH",
                                "/c.pem")),
                        client,
                        clock,
                        SCOPE));
        assertTrue(certificate.getMessage().contains("AZURE_CLIENT_CERTIFICATE_PATH"), certificate.getMessage());
        IllegalStateException federated = assertThrows(
                IllegalStateException.class,
                () -> AzureCredentials.find(env(Map.of("AZURE_FEDERATED_TOKEN_FILE", "/t")), client, clock, SCOPE));
        assertTrue(federated.getMessage().contains("AZURE_CLIENT_ID"), federated.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> AzureCredentials.find(
                        env(Map.of(
                                "AZURE_TENANT_ID",
                                "../evil",
                                "AZURE_CLIENT_ID",
                                CLIENT,
                                "AZURE_CLIENT_SECRET",
                                SECRET)),
                        client,
                        clock,
                        SCOPE));
    }

    @Test
    void token_workloadIdentityFileGone_illegalStateNamingTheFile() {
        Map<String, String> variables = Map.of(
                "AZURE_TENANT_ID",
                TENANT,
                "AZURE_CLIENT_ID",
                CLIENT,
                "AZURE_FEDERATED_TOKEN_FILE",
                dir.resolve("gone").toString(),
                "AZURE_AUTHORITY_HOST",
                server.baseUrl().toString());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AzureCredentials.find(env(variables), client, clock, SCOPE)
                        .tokens()
                        .token());
        assertTrue(e.getMessage().contains("AZURE_FEDERATED_TOKEN_FILE"), e.getMessage());
    }

    @Test
    void token_invalidClientSecret_apiErrorWithAadstsCodeButNoSecret() throws Exception {
        server.enqueue(TokenAnswers.error(
                        401,
                        "invalid_client",
                        "AADSTS7000215: Invalid client secret provided. Ensure the secret"
                                + " being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                                + CLIENT + "'. " + SecretsNowhere.echo("Received", SECRET)
                                + " Trace ID: 0b1c Correlation ID: 9f2e")
                .header("x-ms-request-id", "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab"));
        AzureCredentials credentials = AzureCredentials.find(env(secretVariables()), client, clock, SCOPE);
        // in no message, and in no JFR event: the transport's own exception is made without it too
        ApiException e = SecretsNowhere.thrown(
                ApiException.class, () -> credentials.tokens().token(), () -> List.of(SECRET));
        server.takeRequest();
        assertEquals(401, e.statusCode());
        assertEquals("invalid_client", e.errorType());
        assertEquals(Optional.of("0b1c2d3e-aaaa-bbbb-cccc-1234567890ab"), e.requestId());
        assertTrue(e.getMessage().contains("AADSTS7000215"), e.getMessage());
        assertTrue(e.getMessage().contains("check AZURE_CLIENT_SECRET"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET.substring(10, 30)), e.getMessage());
    }

    @Test
    void token_managedIdentityEndpointEchoesItsHeader_headerInNoMessageNorJfrEvent() throws Exception {
        String header = "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a";
        server.enqueue(FakeResponse.status(400)
                .body(
                        "application/json",
                        "{\"error\":{\"code\":\"BadRequest\",\"message\":\"wrong "
                                + SecretsNowhere.echo("X-IDENTITY-HEADER", header) + "\"}}"));
        AzureCredentials credentials = AzureCredentials.find(
                env(Map.of("IDENTITY_ENDPOINT", server.baseUrl() + "/msi/token", "IDENTITY_HEADER", header)),
                client,
                clock,
                SCOPE);

        ApiException e = SecretsNowhere.thrown(
                ApiException.class, () -> credentials.tokens().token(), () -> List.of(header));

        server.takeRequest();
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("wrong X-IDENTITY-HEADER: [redacted]"), e.getMessage());
    }

    @Test
    void token_managedIdentityEndpointDown_transportErrorSaysWhatToCheck() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AzureCredentials credentials = AzureCredentials.find(
                env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + closedPort)),
                client,
                clock,
                SCOPE);
        TransportException e = assertThrows(
                TransportException.class, () -> credentials.tokens().token());
        assertTrue(e.getMessage().contains("AZURE_CLIENT_SECRET"), e.getMessage());
    }

    @Test
    void toString_secretCredentials_showNoSecret() {
        AzureCredentials credentials = AzureCredentials.find(env(secretVariables()), client, clock, SCOPE);
        assertFalse(credentials.toString().contains(SECRET), credentials.toString());
        assertFalse(
                credentials.tokens().toString().contains(SECRET),
                credentials.tokens().toString());
        assertTrue(credentials.toString().contains(CLIENT), credentials.toString());
    }
}
