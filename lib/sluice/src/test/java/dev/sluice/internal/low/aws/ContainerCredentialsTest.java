package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.SecretsNowhere;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Answer;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Endpoint;
import dev.sluice.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container credentials endpoint: relative and full URIs, the hosts allowed, and the authorization token. */
class ContainerCredentialsTest {
    private static final String SECRET = "wJalrXUtnFEMI-SECRET-MARKER";

    @TempDir
    Path home;

    private static String json(String id, String expiration) {
        return "{\"RoleArn\":\"arn:aws:iam::1:role/task\",\"AccessKeyId\":\"" + id + "\",\"SecretAccessKey\":\""
                + SECRET + "\",\"Token\":\"task-token\",\"Expiration\":\"" + expiration + "\"}";
    }

    @Test
    void relativeUri_isReadFromTheContainerServiceEndpoint() {
        try (Endpoint ecs = new Endpoint(r -> new Answer(200, json("FROMECS", "2026-11-26T18:00:00Z")))) {
            AwsCredentials c = AwsCredentialsChain.defaults(settings(
                            home,
                            new FakeClock(Instant.parse("2026-11-26T12:00:00Z")),
                            Map.of(
                                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                    "/v2/credentials/abc",
                                    "AWS_CONTAINER_SERVICE_ENDPOINT",
                                    ecs.url())))
                    .credentials();

            assertEquals(new AwsCredentials("FROMECS", SECRET, "task-token"), c);
            assertEquals("GET", ecs.received.get(0).method());
            assertEquals("/v2/credentials/abc", ecs.received.get(0).path());
            assertNull(ecs.received.get(0).header("authorization"));
        }
    }

    @Test
    void relativeUri_defaultsTo169254170002() {
        ContainerCredentials c = ContainerCredentials.configured(settings(
                home,
                new FakeClock(Instant.EPOCH),
                Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")));

        assertEquals("http://169.254.170.2/v2/credentials/abc", c.where());
    }

    @Test
    void fullUri_tokenFile_isTheAuthorizationHeader_readAgainAtEachFetch() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));
        Path tokenFile = Files.writeString(home.resolve("eks-token"), "first-token\n");
        try (Endpoint eks =
                new Endpoint(r -> new Answer(200, json("K" + r.header("authorization"), "2026-11-26T12:30:00Z")))) {
            AwsCredentialsSource source = AwsCredentialsChain.defaults(settings(
                    home,
                    clock,
                    Map.of(
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                            eks.url() + "/creds",
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                            tokenFile.toString(),
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                            "ignored-when-the-file-is-set")));
            assertEquals("Kfirst-token", source.credentials().accessKeyId());

            Files.writeString(tokenFile, "rotated-token");
            clock.advance(Duration.ofMinutes(16)); // 14 minutes before expiry: inside the 15-minute prefetch

            assertEquals("Krotated-token", source.credentials().accessKeyId());
        }
    }

    @Test
    void fullUri_tokenVariable_isTheAuthorizationHeader() {
        try (Endpoint ecs = new Endpoint(r -> new Answer(200, json("A", "2026-11-26T18:00:00Z")))) {
            AwsCredentialsChain.defaults(settings(
                            home,
                            new FakeClock(Instant.parse("2026-11-26T12:00:00Z")),
                            Map.of(
                                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                    ecs.url() + "/creds",
                                    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                    "Basic abc")))
                    .credentials();

            assertEquals("Basic abc", ecs.received.get(0).header("authorization"));
        }
    }

    @Test
    void fullUri_hostsAllowedAsTheSdkAllows() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        for (String ok : new String[] {
            "http://127.0.0.1:8080/c",
            "http://localhost/c",
            "http://[::1]/c",
            "http://169.254.170.2/c",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/c"
        }) {
            assertNotNull(
                    ContainerCredentials.configured(
                            settings(home, clock, Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok))),
                    ok);
        }
        for (String refused :
                new String[] {"http://169.254.169.254/latest", "http://10.0.0.1/c", "ftp://127.0.0.1/c", "not a url"}) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    () -> ContainerCredentials.configured(
                            settings(home, clock, Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused))),
                    refused);
            assertEquals(CredentialsException.Kind.INVALID, e.kind());
        }
    }

    @Test
    void token_withALineBreak_isRefusedWithoutBeingShown() {
        try (Endpoint ecs = new Endpoint(r -> new Answer(200, json("A", "2026-11-26T18:00:00Z")))) {
            CredentialsException e = assertThrows(
                    CredentialsException.class,
                    () -> AwsCredentialsChain.defaults(settings(
                                    home,
                                    new FakeClock(Instant.EPOCH),
                                    Map.of(
                                            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                            ecs.url() + "/creds",
                                            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                            SECRET + "\r\nX-Evil: 1")))
                            .credentials());

            assertTrue(
                    e.getMessage().contains("AWS_CONTAINER_AUTHORIZATION_TOKEN is empty or holds a line break"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));
            assertTrue(ecs.received.isEmpty());
        }
    }

    @Test
    void answer_errorOrMalformed_failsTypedWithoutTheBody() throws Exception {
        String unquoted = "wJalrXUtnFEMIK7MDENGbPxRfiCYUNQUOTEDKEY"; // a JSON parser's error quotes such a token
        for (Answer answer : new Answer[] {
            new Answer(500, SECRET),
            new Answer(200, "{\"AccessKeyId\":\"A\",\"x\":\"" + SECRET + "\"}"),
            new Answer(200, "{" + SECRET),
            new Answer(200, "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":" + unquoted + "}")
        }) {
            try (Endpoint ecs = new Endpoint(r -> answer)) {
                ContainerCredentials c = ContainerCredentials.configured(settings(
                        home,
                        new FakeClock(Instant.EPOCH),
                        Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.url() + "/creds")));
                // in no message, nor in a JFR event of an exception made on the way (a parser's)
                CredentialsException e =
                        SecretsNowhere.thrown(CredentialsException.class, c::get, () -> List.of(SECRET, unquoted));
                assertEquals(CredentialsException.Kind.FAILED, e.kind());
            }
        }
    }
}
