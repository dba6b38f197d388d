package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's default credential chain against the testkit's fake AWS credential endpoints (the ones
 * {@code FakeAwsCredentialsSdkTest} shows the AWS SDK's own providers accept), then Bedrock with
 * what they gave: web identity through STS, the container endpoint, IMDSv2. Settings are injected:
 * no real environment, profile or metadata service is read.
 */
class BedrockCredentialSourcesTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @TempDir
    Path home;

    private AwsAccess access(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        all.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        all.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", FAKE.server().baseUrl().toString());
        return AwsAccess.fromEnv(all);
    }

    /** {@return the session token the fake Bedrock was signed with, after a stream it accepted} */
    private static String streamedWith(AwsAccess access) {
        try (BedrockClient client = BedrockClient.builder().access(access).build();
                EventStream<MessageChunk> chunks = client.stream(ChatRequest.builder()
                        .model("amazon.nova-lite-v1:0")
                        .addMessage(ChatMessage.user("Hi"))
                        .maxTokens(20)
                        .build())) {
            StringBuilder text = new StringBuilder();
            chunks.forEach(c -> text.append(c.text()));
            assertFalse(text.isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertTrue(
                q.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/"));
        return q.header("x-amz-security-token");
    }

    @Test
    void profileWithoutRegion_refusedForItsRegion_theErrorSaysWhichRegionAndWhereItCameFrom() throws IOException {
        // signed for us-east-1 without a word, and AWS's 403 did not say which region or why
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(
                aws.resolve("credentials"),
                "[dev]\naws_access_key_id = " + FakeBedrock.ACCESS_KEY_ID + "\naws_secret_access_key = "
                        + FakeBedrock.SECRET_ACCESS_KEY + "\n");
        AwsAccess access = access(Map.of("AWS_PROFILE", "dev"));
        assertEquals("us-east-1", access.region());
        FAKE.server()
                .enqueue(FakeResponse.apiError(
                        403, "InvalidSignatureException", "Credential should be scoped to a valid region."));
        ApiException e = assertThrows(ApiException.class, () -> streamedWith(access));
        assertEquals(
                "Credential should be scoped to a valid region. (sent for region us-east-1, the default for an endpoint"
                        + " whose host names no region, with no region configured: set AWS_REGION or the profile's"
                        + " region)",
                e.errorMessage());
    }

    @Test
    void regionSource_eachPlaceARegionComesFrom_namesIt() throws IOException {
        Files.writeString(
                Files.createDirectories(home.resolve(".aws")).resolve("config"), "[profile dev]\nregion = eu-west-1\n");
        assertEquals(
                "from AWS_REGION", access(Map.of("AWS_REGION", "eu-west-2")).regionSource());
        assertEquals(
                "from the AWS profile 'dev'",
                access(Map.of("AWS_PROFILE", "dev")).regionSource());
        assertEquals("eu-west-1", access(Map.of("AWS_PROFILE", "dev")).region());
        assertEquals(
                "from AWS_DEFAULT_REGION",
                access(Map.of("AWS_DEFAULT_REGION", "eu-west-3")).regionSource());
        assertEquals(
                "as given in code",
                AwsAccess.builder().region("eu-west-1").build().regionSource());
        assertEquals(
                "from the endpoint's host",
                AwsAccess.builder()
                        .endpoint("https://bedrock-runtime.eu-central-1.amazonaws.com")
                        .build()
                        .regionSource());
    }

    @Test
    void webIdentity_tokenFileAndRoleExchangedAtTheFakeSts_bedrockAccepts() throws IOException {
        Path token = Files.writeString(home.resolve("token"), FakeBedrock.WEB_IDENTITY_TOKEN);
        AwsAccess access = access(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token.toString(),
                "AWS_ROLE_ARN",
                FakeBedrock.ROLE_ARN,
                "AWS_ENDPOINT_URL_STS",
                FAKE.server().baseUrl() + FakeBedrock.STS_PATH));
        assertEquals(FakeBedrock.SESSION_TOKEN + "-sts", streamedWith(access));
    }

    @Test
    void webIdentity_wrongToken_credentialsExceptionNamingTheSourceNoRequestToBedrock() throws IOException {
        Path token = Files.writeString(home.resolve("token"), "not-the-token");
        AwsAccess access = access(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token.toString(),
                "AWS_ROLE_ARN",
                FakeBedrock.ROLE_ARN,
                "AWS_ENDPOINT_URL_STS",
                FAKE.server().baseUrl() + FakeBedrock.STS_PATH));
        try (BedrockClient client = BedrockClient.builder().access(access).build()) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    () -> client.stream(ChatRequest.builder()
                            .model("m")
                            .addMessage(ChatMessage.user("Hi"))
                            .build()));
            assertTrue(e.getMessage().contains("web identity"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-token"), e.getMessage());
        }
        assertEquals(0, FAKE.server().requestCount());
    }

    @Test
    void container_fullUriAndAuthorizationTokenFile_bedrockAccepts() throws IOException {
        Path token = Files.writeString(home.resolve("container-token"), FakeBedrock.CONTAINER_AUTHORIZATION_TOKEN);
        AwsAccess access = access(Map.of(
                "AWS_REGION",
                "eu-west-1",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                FAKE.server().baseUrl() + FakeBedrock.CONTAINER_CREDENTIALS_PATH,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token.toString()));
        assertEquals(FakeBedrock.SESSION_TOKEN + "-container", streamedWith(access));
    }

    @Test
    void fromEnv_noRegionNoEndpoint_theInstanceMetadataServicesRegion() {
        Map<String, String> env = Map.of(
                "HOME",
                home.toString(),
                "AWS_EC2_METADATA_DISABLED",
                "false",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                FAKE.server().baseUrl().toString());
        AwsAccess access = AwsAccess.fromEnv(env);
        assertEquals("us-east-1", access.region());
        assertEquals(
                "https://bedrock-runtime.us-east-1.amazonaws.com",
                access.endpoint().toString());
    }

    @Test
    void instanceMetadata_imdsV2AtTheFake_bedrockAccepts() {
        AwsAccess access = access(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_EC2_METADATA_DISABLED",
                "false",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                FAKE.server().baseUrl().toString()));
        assertEquals(FakeBedrock.SESSION_TOKEN + "-imds", streamedWith(access));
    }
}
