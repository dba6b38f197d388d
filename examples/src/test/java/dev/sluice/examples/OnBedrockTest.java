package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.aws.AwsAccess;
import dev.sluice.aws.AwsCredentialsProvider;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * docs/clouds.md's Amazon Bedrock examples against the test kit's fake Bedrock, and its bridge from
 * the AWS SDK's own {@code AwsCredentialsProvider} (the SDK on the test class path only) to Sluice's.
 */
class OnBedrockTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    /** The bridge of docs/clouds.md ("Your own credentials object"). */
    static AwsCredentialsProvider fromSdk(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider sdk) {
        return () -> {
            AwsCredentials c = sdk.resolveCredentials();
            return new AwsCredentialsProvider.Credentials(
                    c.accessKeyId(),
                    c.secretAccessKey(),
                    c instanceof AwsSessionCredentials s ? s.sessionToken() : null,
                    c.expirationTime().orElse(null));
        };
    }

    private static AwsAccess signedBySdkProvider() {
        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider sdk = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY));
        return AwsAccess.builder()
                .region("us-east-1")
                .endpoint(FAKE.server().baseUrl())
                .credentials(fromSdk(sdk))
                .build();
    }

    @Test
    void converse_signedWithTheSdksCredentials_answered() {
        FAKE.server().enqueue(FakeResponse.answer().text("Rayleigh ", "scattering."));
        assertEquals("Rayleigh scattering.", OnBedrock.converse(signedBySdkProvider()));
    }

    @Test
    void claude_throughBedrock_plannedAnswerAccepted() {
        assertFalse(OnBedrock.claude(signedBySdkProvider()).isEmpty());
    }

    @Test
    void fromSdk_sessionCredentials_tokenAndExpirationCarried() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        AwsCredentialsProvider ours = fromSdk(StaticCredentialsProvider.create(AwsSessionCredentials.builder()
                .accessKeyId("AKID")
                .secretAccessKey("secret")
                .sessionToken("token")
                .expirationTime(expires)
                .build()));
        assertEquals(new AwsCredentialsProvider.Credentials("AKID", "secret", "token", expires), ours.credentials());
    }
}
