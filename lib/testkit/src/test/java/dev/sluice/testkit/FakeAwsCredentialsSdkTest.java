package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The fake's AWS credential endpoints read by the AWS SDK for Java 2.x's own providers, each pointed
 * at the loopback server as a user would point it (the SDK's system properties, which it reads
 * before the environment variables of the same settings): STS {@code AssumeRoleWithWebIdentity}
 * ({@code aws.endpointUrlSts}), the container endpoint ({@code aws.containerCredentialsFullUri},
 * {@code aws.containerAuthorizationToken}), IMDSv2 ({@code aws.ec2MetadataServiceEndpoint}). Each
 * gives the test key with a session token and an expiration; a wrong token is refused.
 */
class FakeAwsCredentialsSdkTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @TempDir
    Path dir;

    private final Map<String, String> saved = new HashMap<>();

    private void set(String property, String value) {
        saved.putIfAbsent(property, System.getProperty(property));
        System.setProperty(property, value);
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    private static void assertTestKey(AwsCredentials c, String tokenSuffix) {
        AwsSessionCredentials s = assertInstanceOf(AwsSessionCredentials.class, c);
        assertEquals(FakeBedrock.ACCESS_KEY_ID, s.accessKeyId());
        assertEquals(FakeBedrock.SECRET_ACCESS_KEY, s.secretAccessKey());
        assertEquals(FakeBedrock.SESSION_TOKEN + tokenSuffix, s.sessionToken());
        assertTrue(
                s.expirationTime().orElseThrow().isAfter(Instant.now().plusSeconds(1800)),
                s.expirationTime().toString());
    }

    private WebIdentityTokenFileCredentialsProvider webIdentity(String token) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), token);
        set("aws.region", "us-east-1");
        set("aws.endpointUrlSts", FAKE.server().baseUrl() + FakeBedrock.STS_PATH);
        return WebIdentityTokenFileCredentialsProvider.builder()
                .roleArn(FakeBedrock.ROLE_ARN)
                .roleSessionName("sluice-test")
                .webIdentityTokenFile(file)
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    @Test
    void webIdentity_sdkProviderAgainstTheFakeSts_theTestKeyWithASessionToken() throws IOException {
        try (WebIdentityTokenFileCredentialsProvider provider = webIdentity(FakeBedrock.WEB_IDENTITY_TOKEN)) {
            assertTestKey(provider.resolveCredentials(), "-sts");
        }
    }

    @Test
    void webIdentity_wrongToken_refusedAsInvalidIdentityToken() throws IOException {
        try (WebIdentityTokenFileCredentialsProvider provider = webIdentity("not-the-token")) {
            SdkException e = assertThrows(SdkException.class, provider::resolveCredentials);
            assertTrue(
                    String.valueOf(e.getMessage()).contains("InvalidIdentityToken")
                            || String.valueOf(e.getCause()).contains("InvalidIdentityToken")
                            || String.valueOf(e.getMessage()).contains("web identity token"),
                    e.toString());
        }
    }

    @Test
    void container_sdkProviderWithTheAuthorizationToken_theTestKey() {
        set("aws.containerCredentialsFullUri", FAKE.server().baseUrl() + FakeBedrock.CONTAINER_CREDENTIALS_PATH);
        set("aws.containerAuthorizationToken", FakeBedrock.CONTAINER_AUTHORIZATION_TOKEN);
        try (ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder()
                .asyncCredentialUpdateEnabled(false)
                .build()) {
            assertTestKey(provider.resolveCredentials(), "-container");
        }
    }

    @Test
    void container_wrongAuthorizationToken_refused() {
        set("aws.containerCredentialsFullUri", FAKE.server().baseUrl() + FakeBedrock.CONTAINER_CREDENTIALS_PATH);
        set("aws.containerAuthorizationToken", "wrong");
        try (ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder()
                .asyncCredentialUpdateEnabled(false)
                .build()) {
            assertThrows(SdkException.class, provider::resolveCredentials);
        }
    }

    @Test
    void instanceMetadata_sdkProviderAgainstTheFakeImdsV2_theTestKey() {
        set("aws.ec2MetadataServiceEndpoint", FAKE.server().baseUrl().toString());
        set("aws.disableEc2Metadata", "false");
        try (InstanceProfileCredentialsProvider provider = InstanceProfileCredentialsProvider.builder()
                .asyncCredentialUpdateEnabled(false)
                .build()) {
            assertTestKey(provider.resolveCredentials(), "-imds");
        }
    }

    @Test
    void instanceMetadata_getWithoutASessionToken_unauthorized() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> r = http.send(
                java.net.http.HttpRequest.newBuilder(
                                FAKE.server().baseUrl().resolve("/latest/meta-data/iam/security-credentials/"))
                        .GET()
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals(0, FAKE.server().requests().size()); // the credential endpoints are not recorded
    }
}
