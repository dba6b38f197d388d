package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Answer;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Endpoint;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Received;
import dev.sluice.testkit.FakeClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IMDSv2 against a loopback metadata service: the token, then the role, then its credentials; and turning it off. */
class InstanceMetadataTest {
    static final String TOKEN = "AQAEAImdsSessionToken==";

    @TempDir
    Path home;

    /** {@return a metadata service that gives a token, the role {@code bedrock-role} and its credentials} */
    static Endpoint imds(String accessKeyId) {
        return new Endpoint(r -> {
            if (r.method().equals("PUT") && r.path().equals("/latest/api/token")) {
                return "21600".equals(r.header("x-aws-ec2-metadata-token-ttl-seconds"))
                        ? new Answer(200, TOKEN)
                        : new Answer(400, "");
            }
            if (!TOKEN.equals(r.header("x-aws-ec2-metadata-token"))) return new Answer(401, "");
            return switch (r.path()) {
                case "/latest/meta-data/iam/security-credentials/" -> new Answer(200, "bedrock-role\n");
                case "/latest/meta-data/iam/security-credentials/bedrock-role" ->
                    new Answer(
                            200,
                            "{\"Code\":\"Success\","
                                    + "\"LastUpdated\":\"2026-11-26T11:00:00Z\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\""
                                    + accessKeyId
                                    + "\",\"SecretAccessKey\":\"imds-secret\",\"Token\":\"imds-token\",\"Expiration\":\"2026-11-26T18:00:00Z\"}");
                case "/latest/dynamic/instance-identity/document" ->
                    new Answer(200, "{\"region\":\"ap-northeast-1\",\"instanceId\":\"i-1\"}");
                default -> new Answer(404, "");
            };
        });
    }

    @Test
    void credentials_tokenThenRoleThenCredentials() {
        try (Endpoint service = imds("ASIAFROMIMDS")) {
            InstanceMetadata imds = new InstanceMetadata(settings(
                    home,
                    new FakeClock(Instant.EPOCH),
                    Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", service.url() + "/")));

            var e = imds.get();

            assertEquals(new AwsCredentials("ASIAFROMIMDS", "imds-secret", "imds-token"), e.value());
            assertEquals(Instant.parse("2026-11-26T18:00:00Z"), e.expiration());
            List<String> calls = service.received.stream()
                    .map(r -> r.method() + " " + r.path())
                    .toList();
            assertEquals(
                    List.of(
                            "PUT /latest/api/token",
                            "GET /latest/meta-data/iam/security-credentials/",
                            "GET /latest/meta-data/iam/security-credentials/bedrock-role"),
                    calls);
            for (Received r : service.received.subList(1, 3)) assertEquals(TOKEN, r.header("x-aws-ec2-metadata-token"));
        }
    }

    @Test
    void region_fromTheIdentityDocument() {
        try (Endpoint service = imds("A")) {
            assertEquals(
                    Optional.of("ap-northeast-1"),
                    new InstanceMetadata(settings(
                                    home,
                                    new FakeClock(Instant.EPOCH),
                                    Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", service.url())))
                            .region());
        }
    }

    @Test
    void disabled_theServiceIsNotCalled() {
        try (Endpoint service = imds("A")) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    () -> AwsCredentialsChain.defaults(settings(
                                    home,
                                    new FakeClock(Instant.EPOCH),
                                    Map.of(
                                            "AWS_EC2_METADATA_DISABLED",
                                            "TRUE",
                                            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                            service.url())))
                            .credentials());

            assertTrue(
                    e.getMessage().contains("instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED is true"),
                    e.getMessage());
            assertTrue(service.received.isEmpty());
        }
    }

    @Test
    void noService_isNotFound() {
        URI closed;
        try (Endpoint gone = new Endpoint(r -> new Answer(200, ""))) {
            closed = gone.uri("");
        }
        InstanceMetadata imds = new InstanceMetadata(settings(
                home, new FakeClock(Instant.EPOCH), Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed.toString())));

        CredentialsException e = assertThrows(CredentialsException.class, imds::get);

        assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
        assertTrue(
                e.getMessage().startsWith("the instance metadata service at " + closed + " could not be reached"),
                e.getMessage());
    }

    @Test
    @Timeout(30)
    void silentService_isNotFoundAfterTheTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (Endpoint silent = new Endpoint(r -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Answer(200, TOKEN);
        })) {
            InstanceMetadata imds = new InstanceMetadata(settings(
                    home,
                    new FakeClock(Instant.EPOCH),
                    Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.url(), "AWS_METADATA_SERVICE_TIMEOUT", "0.2")));

            CredentialsException e = assertThrows(CredentialsException.class, imds::get);

            assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("did not answer in full within 200 ms"), e.getMessage());
        } finally {
            never.countDown();
        }
    }

    @Test
    void tokenRefused_isNotFound_asWhereTheSdkFallsBackToImdsV1() {
        try (Endpoint service = new Endpoint(r -> new Answer(403, ""))) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    new InstanceMetadata(settings(
                            home,
                            new FakeClock(Instant.EPOCH),
                            Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", service.url())))::get);

            assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("gave no IMDSv2 session token (HTTP 403)"), e.getMessage());
        }
    }

    @Test
    void noRole_isNotFound() {
        try (Endpoint service =
                new Endpoint(r -> r.method().equals("PUT") ? new Answer(200, TOKEN) : new Answer(404, ""))) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    new InstanceMetadata(settings(
                            home,
                            new FakeClock(Instant.EPOCH),
                            Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", service.url())))::get);

            assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains("has no IAM role for this instance"), e.getMessage());
        }
    }

    @Test
    void endpoint_defaultAndIpv6Mode() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        assertEquals(URI.create("http://169.254.169.254"), InstanceMetadata.endpoint(settings(home, clock, Map.of())));
        assertEquals(
                URI.create("http://[fd00:ec2::254]"),
                InstanceMetadata.endpoint(
                        settings(home, clock, Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"))));
    }
}
