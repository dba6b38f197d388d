package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.internal.low.aws.AwsTestEnvironment.Endpoint;
import dev.sluice.testkit.FakeClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The region chain (the AWS SDK's) and Bedrock Runtime's endpoint. */
class AwsRegionsTest {
    private static final FakeClock CLOCK = new FakeClock(Instant.EPOCH);

    @TempDir
    Path home;

    private void config(String text) throws Exception {
        Files.writeString(Files.createDirectories(home.resolve(".aws")).resolve("config"), text);
    }

    @Test
    void region_systemPropertyThenVariableThenProfileThenMetadata() throws Exception {
        config("[default]\nregion = eu-central-1\n[profile dev]\nregion = eu-west-3\n");
        try (Endpoint imds = InstanceMetadataTest.imds("A")) {
            Map<String, String> metadata =
                    Map.of("AWS_EC2_METADATA_DISABLED", "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
            assertEquals(
                    Optional.of("us-west-2"),
                    AwsRegions.region(settings(
                            home, CLOCK, Map.of("AWS_REGION", "us-east-1"), Map.of("aws.region", "us-west-2"))));
            assertEquals(
                    Optional.of("us-east-1"),
                    AwsRegions.region(settings(home, CLOCK, Map.of("AWS_REGION", "us-east-1"))));
            assertEquals(Optional.of("eu-central-1"), AwsRegions.region(settings(home, CLOCK, Map.of())));
            assertEquals(
                    Optional.of("eu-west-3"), AwsRegions.region(settings(home, CLOCK, Map.of("AWS_PROFILE", "dev"))));
            assertEquals(
                    Optional.of("ap-northeast-1"),
                    AwsRegions.region(settings(
                            home,
                            CLOCK,
                            new java.util.HashMap<>(Map.of(
                                    "AWS_PROFILE",
                                    "none",
                                    "AWS_EC2_METADATA_DISABLED",
                                    "false",
                                    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                    imds.url())))));
            assertEquals(Optional.of("eu-central-1"), AwsRegions.region(settings(home, CLOCK, metadata)));
        }
    }

    @Test
    void region_awsDefaultRegion_isNotRead_asTheSdkDoesNot() {
        assertEquals(
                Optional.empty(), AwsRegions.region(settings(home, CLOCK, Map.of("AWS_DEFAULT_REGION", "us-east-1"))));
    }

    @Test
    void bedrockEndpoint_serviceVariableThenGlobalThenProfileThenDefault() throws Exception {
        config("[default]\nendpoint_url = http://from-profile:1\n");
        assertEquals(
                URI.create("http://bedrock.local:8080"),
                AwsRegions.bedrockRuntimeEndpoint(
                        settings(
                                home,
                                CLOCK,
                                Map.of(
                                        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                                        "http://bedrock.local:8080",
                                        "AWS_ENDPOINT_URL",
                                        "http://all.local")),
                        "us-east-1"));
        assertEquals(
                URI.create("http://all.local"),
                AwsRegions.bedrockRuntimeEndpoint(
                        settings(home, CLOCK, Map.of("AWS_ENDPOINT_URL", "http://all.local")), "us-east-1"));
        assertEquals(
                URI.create("http://from-profile:1"),
                AwsRegions.bedrockRuntimeEndpoint(settings(home, CLOCK, Map.of()), "us-east-1"));
        assertEquals(
                URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"),
                AwsRegions.bedrockRuntimeEndpoint(
                        settings(
                                home,
                                CLOCK,
                                Map.of(
                                        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                        "true",
                                        "AWS_ENDPOINT_URL",
                                        "http://all.local")),
                        "us-east-1"));
        assertEquals(
                URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"),
                AwsRegions.bedrockRuntimeEndpoint(settings(home, CLOCK, Map.of("AWS_PROFILE", "none")), "cn-north-1"));
    }

    @Test
    void bedrockEndpoint_notAnHttpUrl_isRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> AwsRegions.bedrockRuntimeEndpoint(
                        settings(home, CLOCK, Map.of("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "ftp://x")), "us-east-1"));
    }
}
