package dev.sluice.internal.low.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.CredentialsException;
import dev.sluice.LoopbackWireMock;
import dev.sluice.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP fetch of AWS credentials (the container endpoint, IMDSv2, STS's web identity exchange)
 * and of the instance's region has one deadline that covers the whole answer, its body included: an
 * endpoint that sends its headers at once and then trickles the body a few bytes a second (a
 * degraded ECS or EKS Pod Identity agent, IMDS or proxy) is given up on when the deadline passes,
 * where the request's own timeout, which bounds only the wait for the headers, and a per-read timeout
 * would wait for ever. The trickle is WireMock's chunked dribble: 60 s for a body each source would
 * accept, against a deadline of 1 s.
 */
class CredentialFetchDeadlineTest {
    @RegisterExtension
    static final WireMockExtension SERVER = LoopbackWireMock.server();

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /**
     * Well past the deadline, well before the trickle would end: on a busy machine too (CI runs other
     * modules' suites beside this one on two cores; TokenFetchDeadlineTest's twin took 11 s there).
     */
    private static final Duration GIVEN_UP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @BeforeEach
    void trickle() {
        String json = "{\"AccessKeyId\":\"AKIDTRICKLE\",\"SecretAccessKey\":\"trickled-secret\",\"Token\":\"t\","
                + "\"Expiration\":\"2030-01-01T00:00:00Z\",\"padding\":\"" + "p".repeat(200) + "\"}";
        SERVER.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(json)
                        .withChunkedDribbleDelay(120, 60_000)));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + SERVER.getPort() + path;
    }

    private static CredentialsException givenUpAtTheDeadline(Runnable fetch) {
        long start = System.nanoTime();
        CredentialsException e = assertThrows(CredentialsException.class, fetch::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(GIVEN_UP_WITHIN) < 0, "given up after " + took + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("did not answer in full within 1 s"), e.getMessage());
        return e;
    }

    @Test
    void container_bodyTrickles_failsAtTheDeadline() {
        ContainerCredentials container = ContainerCredentials.configured(settings(
                        home,
                        new FakeClock(Instant.EPOCH),
                        Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v2/credentials"))))
                .withTimeout(DEADLINE);

        CredentialsException e = givenUpAtTheDeadline(container::get);

        assertEquals(CredentialsException.Kind.FAILED, e.kind());
    }

    @Test
    void instanceMetadata_bodyTrickles_failsAtTheDeadline_asNotFound() {
        InstanceMetadata imds = new InstanceMetadata(settings(
                home,
                new FakeClock(Instant.EPOCH),
                Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", url(""), "AWS_METADATA_SERVICE_TIMEOUT", "1")));

        CredentialsException e = givenUpAtTheDeadline(imds::get);

        assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind()); // the chain goes on, as with no answer
    }

    @Test
    void instanceMetadataRegion_bodyTrickles_noRegionAtTheDeadline() {
        InstanceMetadata imds = new InstanceMetadata(settings(
                home,
                new FakeClock(Instant.EPOCH),
                Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", url(""), "AWS_METADATA_SERVICE_TIMEOUT", "1")));
        long start = System.nanoTime();

        Optional<String> region = imds.region();

        assertEquals(Optional.empty(), region);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(GIVEN_UP_WITHIN) < 0);
    }

    @Test
    void sts_bodyTrickles_failsAtTheDeadline() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "jwt");
        WebIdentityCredentials sts = new WebIdentityCredentials(
                settings(home, new FakeClock(Instant.EPOCH), Map.of()),
                token,
                "arn:aws:iam::123456789012:role/r",
                "s",
                () -> java.net.URI.create(url("/")),
                DEADLINE);

        givenUpAtTheDeadline(sts::get);
    }
}
