package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Bedrock API key wins over SigV4, as BedrockRuntimeClient prefers httpBearerAuth when it is set. */
class AwsAuthTest {
    private static final FakeClock CLOCK = new FakeClock(Instant.EPOCH);

    @TempDir
    Path home;

    @Test
    void bedrock_apiKeySet_isBearerEvenWithKeys() {
        AwsAuth auth = AwsAuth.bedrock(settings(
                home,
                CLOCK,
                Map.of(
                        "AWS_BEARER_TOKEN_BEDROCK",
                        "ABSK-key-123",
                        "AWS_ACCESS_KEY_ID",
                        "AKID",
                        "AWS_SECRET_ACCESS_KEY",
                        "s")));

        AwsAuth.Bearer bearer = assertInstanceOf(AwsAuth.Bearer.class, auth);
        assertEquals("Bearer ABSK-key-123", bearer.authorization());
        assertFalse(bearer.toString().contains("ABSK-key-123"));
    }

    @Test
    void bedrock_systemProperty_winsOverTheVariable() {
        AwsAuth auth = AwsAuth.bedrock(settings(
                home,
                CLOCK,
                Map.of("AWS_BEARER_TOKEN_BEDROCK", "from-env"),
                Map.of("aws.bearerTokenBedrock", "from-prop")));

        assertEquals(
                "Bearer from-prop", assertInstanceOf(AwsAuth.Bearer.class, auth).authorization());
    }

    @Test
    void bedrock_noApiKey_isSigV4OverTheChain() {
        AwsAuth auth = AwsAuth.bedrock(settings(
                home,
                CLOCK,
                Map.of("AWS_BEARER_TOKEN_BEDROCK", "  ", "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "s")));

        assertEquals(
                "AKID",
                assertInstanceOf(AwsAuth.SigV4.class, auth)
                        .credentials()
                        .credentials()
                        .accessKeyId());
    }

    @Test
    void toString_ofTheSettingsAndTheAuth_showsNoSecret() {
        AwsSettings settings = settings(
                home,
                CLOCK,
                Map.of(
                        "AWS_ACCESS_KEY_ID",
                        "AKID",
                        "AWS_SECRET_ACCESS_KEY",
                        "wJalr-SECRET",
                        "AWS_BEARER_TOKEN_BEDROCK",
                        "ABSK-SECRET"),
                Map.of("aws.secretAccessKey", "wJalr-SECRET"));
        AwsAuth sigV4 = new AwsAuth.SigV4(AwsCredentialsChain.defaults(settings));
        sigV4.toString();
        ((AwsAuth.SigV4) sigV4).credentials().credentials();

        for (Object o : new Object[] {settings, AwsAuth.bedrock(settings), sigV4}) {
            assertFalse(o.toString().contains("SECRET"), o.toString());
        }
    }

    @Test
    void bearer_lineBreak_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AwsAuth.Bearer("a\r\nX-Evil: 1"));
    }
}
