package dev.sluice.internal.low.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SecretsNowhere;
import dev.sluice.TransportException;
import dev.sluice.testkit.FakeClock;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GoogleCredentialsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    static FakeLlmServer server;
    static HttpClient client;
    static KeyPair keys;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    @BeforeAll
    static void start() throws Exception {
        server = FAKE.server();
        client = HttpClient.newHttpClient();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static String serviceAccountJson(String tokenUri, String project) {
        return "{\"type\":\"service_account\",\"project_id\":\"" + project + "\",\"private_key_id\":\"key-id-1\","
                + "\"private_key\":" + jsonString(pem(keys)) + ",\"client_email\":\"sa@" + project
                + ".iam.gserviceaccount.com\","
                + "\"client_id\":\"1234567890\",\"token_uri\":\"" + tokenUri + "\"}";
    }

    static String userJson(String tokenUri) {
        return "{\"type\":\"authorized_user\",\"client_id\":\"client-123.apps.googleusercontent.com\","
                + "\"client_secret\":\"d-FL95Q19q7MQmFpd7hHD0Ty\",\"refresh_token\":\"1//0gRefreshTokenValueThatIsSecret\","
                + "\"quota_project_id\":\"quota-proj\""
                + (tokenUri == null ? "" : ",\"token_uri\":\"" + tokenUri + "\"") + "}";
    }

    static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    String tokenUri() {
        return server.baseUrl() + "/token";
    }

    Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    Environment env(Map<String, String> variables) {
        return Environment.of(variables, dir.resolve("home"));
    }

    /** {@return the JWT's header and claims, checked to verify with the public key} */
    static Map<?, ?>[] verify(String jwt, PublicKey key) throws Exception {
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length, "a JWS in compact form");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "the signature verifies with the public key");
        Base64.Decoder d = Base64.getUrlDecoder();
        return new Map<?, ?>[] {
            (Map<?, ?>)
                    dev.sluice.internal.low.json.Json.readValue(new String(d.decode(parts[0]), StandardCharsets.UTF_8)),
            (Map<?, ?>)
                    dev.sluice.internal.low.json.Json.readValue(new String(d.decode(parts[1]), StandardCharsets.UTF_8))
        };
    }

    @Test
    void tokens_serviceAccountFile_postsSignedAssertionToTokenUri() throws Exception {
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        server.enqueue(TokenAnswers.token("ya29.service-token", 3599));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);

        AccessToken token = credentials.tokens().token();

        assertEquals("ya29.service-token", token.value());
        assertEquals(clock.instant().plusSeconds(3599), token.expiresAt());
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.method());
        assertEquals("/token", request.path());
        assertEquals("application/x-www-form-urlencoded", request.header("content-type"));
        Map<String, String> form = TokenAnswers.form(request);
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
        Map<?, ?>[] jwt = verify(form.get("assertion"), keys.getPublic());
        assertEquals(Map.of("alg", "RS256", "typ", "JWT", "kid", "key-id-1"), jwt[0]);
        Map<?, ?> claims = jwt[1];
        assertEquals("sa@proj-a.iam.gserviceaccount.com", claims.get("iss"));
        assertEquals("https://www.googleapis.com/auth/cloud-platform", claims.get("scope"));
        assertEquals("https://oauth2.googleapis.com/token", claims.get("aud"));
        assertEquals(clock.instant().getEpochSecond(), claims.get("iat"));
        assertEquals(clock.instant().getEpochSecond() + 3600, claims.get("exp"));
        assertEquals(Optional.of("proj-a"), credentials.projectId());
    }

    @Test
    void tokens_serviceAccountFile_sameAssertionAsGoogleAuthLibrary() throws Exception {
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        server.enqueue(TokenAnswers.token("from-google-auth", 3599), TokenAnswers.token("from-sluice", 3599));
        com.google.auth.oauth2.GoogleCredentials reference;
        try (var in = Files.newInputStream(file)) {
            reference = com.google.auth.oauth2.ServiceAccountCredentials.fromStream(in)
                    .createScoped(GoogleCredentials.CLOUD_PLATFORM_SCOPE);
        }
        assertEquals("from-google-auth", reference.refreshAccessToken().getTokenValue());
        Map<String, String> theirs = TokenAnswers.form(server.takeRequest());

        GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock)
                .tokens()
                .token();
        Map<String, String> ours = TokenAnswers.form(server.takeRequest());

        assertEquals(theirs.keySet(), ours.keySet());
        assertEquals(theirs.get("grant_type"), ours.get("grant_type"));
        Map<?, ?>[] theirJwt = verify(theirs.get("assertion"), keys.getPublic());
        Map<?, ?>[] ourJwt = verify(ours.get("assertion"), keys.getPublic());
        assertEquals(theirJwt[0], ourJwt[0], "the header");
        assertEquals(theirJwt[1].keySet(), ourJwt[1].keySet(), "the claims' names");
        for (String claim : new String[] {"iss", "scope", "aud"})
            assertEquals(theirJwt[1].get(claim), ourJwt[1].get(claim), claim);
        assertEquals(
                (Long) theirJwt[1].get("exp") - (Long) theirJwt[1].get("iat"),
                (Long) ourJwt[1].get("exp") - (Long) ourJwt[1].get("iat"));
    }

    @Test
    void tokens_authorizedUserFile_sameRefreshRequestAsGoogleAuthLibrary() throws Exception {
        Path file = write("user.json", userJson(tokenUri()));
        server.enqueue(TokenAnswers.token("from-google-auth", 3599), TokenAnswers.token("ya29.user-token", 3599));
        try (var in = Files.newInputStream(file)) {
            com.google.auth.oauth2.UserCredentials.fromStream(in).refreshAccessToken();
        }
        Map<String, String> theirs = TokenAnswers.form(server.takeRequest());

        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
        assertEquals("ya29.user-token", credentials.tokens().token().value());
        Map<String, String> ours = TokenAnswers.form(server.takeRequest());

        assertEquals(theirs, ours);
        assertEquals("refresh_token", ours.get("grant_type"));
        assertEquals("1//0gRefreshTokenValueThatIsSecret", ours.get("refresh_token"));
        assertEquals(Optional.of("quota-proj"), credentials.projectId());
    }

    @Test
    void token_sixteenVirtualThreadsAtOnce_oneTokenRequest() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        try (FakeLlmServer held = FakeLlmServer.start()) {
            held.setDispatcher(request -> {
                asked.incrementAndGet();
                try {
                    assertTrue(answer.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return TokenAnswers.token("ya29.shared", 3599);
            });
            Path file = write("sa.json", serviceAccountJson(held.baseUrl() + "/token", "proj-a"));
            TokenSource tokens = GoogleCredentials.find(
                            env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock)
                    .tokens();
            Set<String> got = ConcurrentHashMap.newKeySet();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 16; i++)
                callers.add(
                        Thread.ofVirtual().start(() -> got.add(tokens.token().value())));
            // all parked: one waiting for the held answer, fifteen for that one
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> asked.get() == 1
                            && callers.stream()
                                    .allMatch(t -> t.getState() == Thread.State.WAITING
                                            || t.getState() == Thread.State.TIMED_WAITING));
            answer.countDown();
            for (Thread t : callers) assertTrue(t.join(Duration.ofSeconds(10)));
            assertEquals(Set.of("ya29.shared"), got);
            assertEquals(1, asked.get());
            assertEquals(1, held.requestCount());
        }
    }

    @Test
    void find_authorizedUserWithoutTokenUri_usesGooglesTokenEndpoint() throws Exception {
        Path file = write("user.json", userJson(null));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
        assertTrue(
                credentials.tokens().toString().contains("https://oauth2.googleapis.com/token"),
                credentials.tokens().toString());
    }

    @Test
    void find_variableAndWellKnownFile_variableWins() throws Exception {
        Path named = write("named.json", serviceAccountJson(tokenUri(), "named-proj"));
        write("config/" + GoogleCredentials.WELL_KNOWN_FILE, userJson(tokenUri()));
        GoogleCredentials credentials = GoogleCredentials.find(
                env(Map.of(
                        "GOOGLE_APPLICATION_CREDENTIALS",
                        named.toString(),
                        "CLOUDSDK_CONFIG",
                        dir.resolve("config").toString())),
                client,
                clock);
        assertTrue(credentials.toString().contains("sa@named-proj.iam.gserviceaccount.com"), credentials.toString());
        assertTrue(credentials.toString().contains("GOOGLE_APPLICATION_CREDENTIALS"), credentials.toString());
    }

    @Test
    void find_cloudsdkConfig_wellKnownFileThere() throws Exception {
        write("config/" + GoogleCredentials.WELL_KNOWN_FILE, userJson(tokenUri()));
        write("home/.config/gcloud/" + GoogleCredentials.WELL_KNOWN_FILE, serviceAccountJson(tokenUri(), "home-proj"));
        GoogleCredentials credentials = GoogleCredentials.find(
                env(Map.of("CLOUDSDK_CONFIG", dir.resolve("config").toString())), client, clock);
        assertTrue(credentials.toString().contains("gcloud user credentials"), credentials.toString());
    }

    @Test
    void find_nothingButHomeConfig_wellKnownFileInHome() throws Exception {
        write("home/.config/gcloud/" + GoogleCredentials.WELL_KNOWN_FILE, serviceAccountJson(tokenUri(), "home-proj"));
        GoogleCredentials credentials = GoogleCredentials.find(env(Map.of()), client, clock);
        assertTrue(credentials.toString().contains("sa@home-proj"), credentials.toString());
        assertEquals(Optional.of("home-proj"), credentials.projectId());
    }

    @Test
    void find_windows_wellKnownFileUnderAppData() throws Exception {
        write("appdata/gcloud/" + GoogleCredentials.WELL_KNOWN_FILE, serviceAccountJson(tokenUri(), "win-proj"));
        Environment windows =
                Environment.of(Map.of("APPDATA", dir.resolve("appdata").toString()), dir.resolve("home"), true);
        assertEquals(
                dir.resolve("appdata/gcloud/" + GoogleCredentials.WELL_KNOWN_FILE),
                GoogleCredentials.wellKnownFile(windows));
        assertTrue(GoogleCredentials.find(windows, client, clock).toString().contains("sa@win-proj"));
    }

    @Test
    void projectId_environmentVariable_winsOverTheFile() throws Exception {
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "file-proj"));
        GoogleCredentials credentials = GoogleCredentials.find(
                env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString(), "GOOGLE_CLOUD_PROJECT", "env-proj")),
                client,
                clock);
        assertEquals(Optional.of("env-proj"), credentials.projectId());
    }

    @Test
    void find_noFile_metadataServerTokenAndProject() {
        Environment environment = env(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.port()));
        server.enqueue(
                TokenAnswers.token("ya29.metadata-token", 1800),
                FakeResponse.status(200).body("application/text", "metadata-proj"));
        GoogleCredentials credentials = GoogleCredentials.find(environment, client, clock);

        assertEquals("ya29.metadata-token", credentials.tokens().token().value());
        RecordedRequest token = server.takeRequest();
        assertEquals("GET", token.method());
        assertEquals("/computeMetadata/v1/instance/service-accounts/default/token", token.path());
        assertEquals("Google", token.header("metadata-flavor"));
        assertEquals(Map.of("scopes", GoogleCredentials.CLOUD_PLATFORM_SCOPE), TokenAnswers.queryOf(token));

        assertEquals(Optional.of("metadata-proj"), credentials.projectId());
        RecordedRequest project = server.takeRequest();
        assertEquals("/computeMetadata/v1/project/project-id", project.path());
        assertEquals("Google", project.header("metadata-flavor"));
        assertEquals(Optional.of("metadata-proj"), credentials.projectId()); // asked once
        assertEquals(2, server.requestCount() - countBefore);
    }

    int countBefore;

    @BeforeEach
    void count() {
        countBefore = server.requestCount();
    }

    @Test
    void projectId_metadataServerWithoutProject_apiErrorSaysWhatToSet() {
        server.enqueue(FakeResponse.status(404).body("text/html", "<html>Not Found</html>"));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.port())), client, clock);
        ApiException e = assertThrows(ApiException.class, credentials::projectId);
        assertEquals(
                "/computeMetadata/v1/project/project-id", server.takeRequest().path());
        assertEquals(404, e.statusCode());
        assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT"), e.getMessage());
    }

    @Test
    void token_metadataServerUnreachable_transportErrorSaysWhatToSet() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GCE_METADATA_HOST", "127.0.0.1:" + closedPort)), client, clock);
        TransportException e = assertThrows(
                TransportException.class, () -> credentials.tokens().token());
        assertTrue(e.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
        assertTrue(e.getMessage().contains("gcloud auth application-default login"), e.getMessage());
    }

    @Test
    void find_noGceCheckAndNoFile_illegalStateNamingTheFixes() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> GoogleCredentials.find(env(Map.of("NO_GCE_CHECK", "true")), client, clock));
        assertTrue(e.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
    }

    @Test
    void find_variableNamesMissingFile_illegalState() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> GoogleCredentials.find(
                        env(Map.of(
                                "GOOGLE_APPLICATION_CREDENTIALS",
                                dir.resolve("missing.json").toString())),
                        client,
                        clock));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }

    @Test
    void find_unreadableFiles_illegalStateWithoutTheirContents() throws Exception {
        Map<String, String> cases = Map.of(
                "external.json", "{\"type\":\"external_account\",\"audience\":\"x\"}",
                "broken.json", "{\"type\":\"authorized_user\",\"client_secret\":\"d-FL95Q19q7MQmFpd7hHD0Ty\" oops",
                "nokey.json",
                        "{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n"
                                + "bm90IGEga2V5IGF0IGFsbA==\\n-----END PRIVATE KEY-----\\n\"}",
                "incomplete.json",
                        "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"d-FL95Q19q7MQmFpd7hHD0Ty\"}");
        for (var c : cases.entrySet()) {
            Path file = write(c.getKey(), c.getValue());
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> GoogleCredentials.find(
                            env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock),
                    c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()), e.getMessage());
            assertFalse(e.getMessage().contains("d-FL95Q19q7MQmFpd7hHD0Ty"), e.getMessage());
            assertFalse(e.getMessage().contains("bm90IGEga2V5"), e.getMessage());
        }
    }

    @Test
    void token_endpointRefusesAssertion_apiErrorWithCodeAndDescriptionButNoSecret() throws Exception {
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        server.enqueue(TokenAnswers.error(400, "invalid_grant", "Invalid JWT Signature."));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
        ApiException e =
                assertThrows(ApiException.class, () -> credentials.tokens().token());
        String assertion = TokenAnswers.form(server.takeRequest()).get("assertion");
        assertEquals(400, e.statusCode());
        assertEquals("invalid_grant", e.errorType());
        assertTrue(e.getMessage().contains("Invalid JWT Signature."), e.getMessage());
        assertTrue(e.getMessage().contains("sa@proj-a.iam.gserviceaccount.com"), e.getMessage());
        assertFalse(e.getMessage()
                .contains(assertion.substring(assertion.lastIndexOf('.') + 1, assertion.lastIndexOf('.') + 20)));
        assertFalse(e.getMessage().contains("PRIVATE KEY"), e.getMessage());
    }

    @Test
    void token_endpointEchoesRefreshToken_redactedFromTheError() throws Exception {
        Path file = write("user.json", userJson(tokenUri()));
        server.enqueue(TokenAnswers.error(
                400,
                "invalid_grant",
                "Token has been expired or revoked: "
                        + SecretsNowhere.echo("refresh token", "1//0gRefreshTokenValueThatIsSecret")
                        + " for client secret " + SecretsNowhere.echo("secret", "d-FL95Q19q7MQmFpd7hHD0Ty")));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
        // in no message, and in no JFR event: the transport's own exception is made without them too
        ApiException e = SecretsNowhere.thrown(
                ApiException.class,
                () -> credentials.tokens().token(),
                () -> List.of("1//0gRefreshTokenValueThatIsSecret", "d-FL95Q19q7MQmFpd7hHD0Ty"));
        server.takeRequest();
        assertEquals("invalid_grant", e.errorType());
        assertTrue(e.getMessage().contains("Token has been expired or revoked"), e.getMessage());
        assertTrue(e.getMessage().contains("gcloud auth application-default login"), e.getMessage());
        assertFalse(e.getMessage().contains("RefreshTokenValue"), e.getMessage());
        assertFalse(e.getMessage().contains("d-FL95Q19q7MQmFpd7hHD0Ty"), e.getMessage());
    }

    @Test
    void token_answerWithoutAccessToken_protocolErrorNotShowingTheBody() throws Exception {
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        server.enqueue(FakeResponse.status(200)
                .body("application/json", "{\"id_token\":\"eyJsecret-id-token\",\"expires_in\":3600}"));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> credentials.tokens().token());
        server.takeRequest();
        assertTrue(e.getMessage().contains("no access_token"), e.getMessage());
        assertFalse(e.getMessage().contains("eyJsecret"), e.getMessage());
    }

    @Test
    void token_answerNotJsonAroundTheToken_protocolErrorAndTheTokenInNoJfrEvent() throws Exception {
        String token = "ya29UnquotedAccessTokenOfAMalformedAnswer0123"; // a JSON parser's error quotes such a token
        Path file = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        server.enqueue(FakeResponse.status(200)
                .body("application/json", "{\"access_token\":" + token + ",\"expires_in\":3600}"));
        GoogleCredentials credentials =
                GoogleCredentials.find(env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);

        ProtocolException e = SecretsNowhere.thrown(
                ProtocolException.class, () -> credentials.tokens().token(), () -> List.of(token));

        server.takeRequest();
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void toString_everyGoogleSource_showsNoSecret() throws Exception {
        Path sa = write("sa.json", serviceAccountJson(tokenUri(), "proj-a"));
        Path user = write("user.json", userJson(tokenUri()));
        String privateKeyPart = Base64.getEncoder()
                .encodeToString(keys.getPrivate().getEncoded())
                .substring(100, 140);
        for (Path file : new Path[] {sa, user}) {
            GoogleCredentials credentials = GoogleCredentials.find(
                    env(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString())), client, clock);
            for (String shown :
                    new String[] {credentials.toString(), credentials.tokens().toString()}) {
                assertFalse(shown.contains(privateKeyPart), shown);
                assertFalse(shown.contains("d-FL95Q19q7MQmFpd7hHD0Ty"), shown);
                assertFalse(shown.contains("RefreshTokenValue"), shown);
            }
        }
        String environment = Environment.of(Map.of("AZURE_CLIENT_SECRET", "d-FL95Q19q7MQmFpd7hHD0Ty"), dir)
                .toString();
        assertFalse(environment.contains("d-FL95Q19q7MQmFpd7hHD0Ty"), environment);
    }
}
