package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Answer;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Endpoint;
import dev.sluice.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The chain's order, source by source (the AWS SDK's {@code DefaultCredentialsProvider}'s), what it
 * does when a source fails, and the message when nothing gives credentials. The sources' own
 * protocols are in {@link WebIdentityCredentialsTest}, {@link ContainerCredentialsTest},
 * {@link InstanceMetadataTest} and {@link CredentialProcessTest}.
 */
class AwsCredentialsChainTest {
    private static final String SECRET = "wJalrXUtnFEMI-SECRET-MARKER";
    private static final FakeClock CLOCK = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));

    @TempDir
    Path home;

    static String containerJson(String id) {
        return "{\"AccessKeyId\":\"" + id + "\",\"SecretAccessKey\":\"" + SECRET
                + "\",\"Token\":\"tok\",\"Expiration\":\"2026-11-26T18:00:00Z\"}";
    }

    private AwsCredentials resolve(Map<String, String> env) {
        return AwsCredentialsChain.defaults(settings(home, CLOCK, env)).credentials();
    }

    private void profileFile(String text) throws Exception {
        Files.writeString(Files.createDirectories(home.resolve(".aws")).resolve("credentials"), text);
    }

    @Test
    void systemProperties_winOverEnvironment() {
        AwsCredentialsChain chain = AwsCredentialsChain.defaults(settings(
                home,
                CLOCK,
                Map.of("AWS_ACCESS_KEY_ID", "FROMENV", "AWS_SECRET_ACCESS_KEY", SECRET),
                Map.of("aws.accessKeyId", "FROMPROPS", "aws.secretAccessKey", SECRET, "aws.sessionToken", "session")));

        AwsCredentials c = chain.credentials();

        assertEquals("FROMPROPS", c.accessKeyId());
        assertEquals("session", c.sessionToken());
        assertEquals("system properties", chain.source());
    }

    @Test
    void environment_keysAndSessionToken() {
        AwsCredentials c = resolve(
                Map.of("AWS_ACCESS_KEY_ID", " AKID ", "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", "tok"));

        assertEquals(new AwsCredentials("AKID", SECRET, "tok"), c);
    }

    @Test
    void environment_winsOverWebIdentity_whichIsNotCalled() throws Exception {
        try (Endpoint sts = new Endpoint(r -> new Answer(500, ""))) {
            Path token = Files.writeString(home.resolve("token"), "jwt");
            AwsCredentials c = resolve(Map.of(
                    "AWS_ACCESS_KEY_ID",
                    "FROMENV",
                    "AWS_SECRET_ACCESS_KEY",
                    SECRET,
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    token.toString(),
                    "AWS_ROLE_ARN",
                    "arn:aws:iam::1:role/r",
                    "AWS_ENDPOINT_URL_STS",
                    sts.url()));

            assertEquals("FROMENV", c.accessKeyId());
            assertTrue(sts.received.isEmpty());
        }
    }

    @Test
    void webIdentity_winsOverProfile() throws Exception {
        profileFile("[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = " + SECRET + "\n");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, WebIdentityCredentialsTest.stsAnswer("FROMSTS")))) {
            Path token = Files.writeString(home.resolve("token"), "jwt");
            AwsCredentials c = resolve(Map.of(
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    token.toString(),
                    "AWS_ROLE_ARN",
                    "arn:aws:iam::1:role/r",
                    "AWS_ENDPOINT_URL_STS",
                    sts.url()));

            assertEquals("FROMSTS", c.accessKeyId());
        }
    }

    @Test
    void profile_winsOverContainer_whichIsNotCalled() throws Exception {
        profileFile("[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = " + SECRET + "\n");
        try (Endpoint container = new Endpoint(r -> new Answer(200, containerJson("FROMCONTAINER")))) {
            AwsCredentials c = resolve(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds"));

            assertEquals("FROMPROFILE", c.accessKeyId());
            assertTrue(container.received.isEmpty());
        }
    }

    @Test
    void container_winsOverInstanceMetadata_whichIsNotCalled() throws Exception {
        try (Endpoint container = new Endpoint(r -> new Answer(200, containerJson("FROMCONTAINER")));
                Endpoint imds = new Endpoint(r -> new Answer(500, ""))) {
            AwsCredentials c = resolve(Map.of(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    container.url() + "/creds",
                    "AWS_EC2_METADATA_DISABLED",
                    "false",
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                    imds.url()));

            assertEquals("FROMCONTAINER", c.accessKeyId());
            assertTrue(imds.received.isEmpty());
        }
    }

    @Test
    void instanceMetadata_whenNothingElse() throws Exception {
        try (Endpoint imds = InstanceMetadataTest.imds("FROMIMDS")) {
            AwsCredentialsChain chain = AwsCredentialsChain.defaults(settings(
                    home,
                    CLOCK,
                    Map.of("AWS_EC2_METADATA_DISABLED", "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())));

            assertEquals("FROMIMDS", chain.credentials().accessKeyId());
            assertEquals("instance metadata (IMDSv2)", chain.source());
        }
    }

    @Test
    void aFailingSource_isPassedOver_asTheSdkDoes() throws Exception {
        profileFile("[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = " + SECRET + "\n");

        AwsCredentials c = resolve(Map.of(
                "AWS_ACCESS_KEY_ID",
                "HALF", // no secret: the environment fails
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                home.resolve("absent").toString(),
                "AWS_ROLE_ARN",
                "arn:aws:iam::1:role/r",
                "AWS_ENDPOINT_URL_STS",
                "http://127.0.0.1:9"));

        assertEquals("FROMPROFILE", c.accessKeyId());
    }

    @Test
    void credentials_afterTheFirst_askTheSourceFoundWithoutWalkingAgain() throws Exception {
        try (Endpoint container = new Endpoint(r -> new Answer(200, containerJson("FROMCONTAINER")))) {
            Map<String, String> env =
                    new HashMap<>(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds"));
            AwsCredentialsChain chain = AwsCredentialsChain.defaults(settings(home, CLOCK, env));

            chain.credentials();
            profileFile("[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = " + SECRET + "\n");

            assertEquals("FROMCONTAINER", chain.credentials().accessKeyId());
            assertEquals(1, container.received.size(), "cached until the prefetch time");
        }
    }

    @Test
    void profile_selectedByAwsProfile_withSessionToken() throws Exception {
        profileFile("[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = x\n"
                + "[dev]\naws_access_key_id = DEV\naws_secret_access_key = " + SECRET
                + "\naws_session_token = devtoken\n");

        assertEquals(new AwsCredentials("DEV", SECRET, "devtoken"), resolve(Map.of("AWS_PROFILE", "dev")));
    }

    @Test
    void profile_staticKeys_sameAsTheSdksProfileCredentialsProvider() throws Exception {
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Path config = Files.writeString(
                aws.resolve("config"),
                "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n"
                        + "aws_secret_access_key = configsecret ; comment\n[default]\naws_access_key_id = D\naws_secret_access_key = DS\n");
        Path credentials = Files.writeString(
                aws.resolve("credentials"),
                "# keys\n[dev]\naws_access_key_id = FROMCREDS\n" + "aws_session_token = tok#en\n");

        for (String profile : new String[] {"dev", "default"}) {
            AwsCredentials ours = resolve(Map.of("AWS_PROFILE", profile));
            // as ProfileFile.defaultProfileFile() aggregates them: the credentials file first, the earliest winning
            ProfileFile files = ProfileFile.aggregator()
                    .addFile(ProfileFile.builder()
                            .content(credentials)
                            .type(ProfileFile.Type.CREDENTIALS)
                            .build())
                    .addFile(ProfileFile.builder()
                            .content(config)
                            .type(ProfileFile.Type.CONFIGURATION)
                            .build())
                    .build();
            var theirs = ProfileCredentialsProvider.builder()
                    .profileFile(files)
                    .profileName(profile)
                    .build()
                    .resolveCredentials();

            assertEquals(theirs.accessKeyId(), ours.accessKeyId(), profile);
            assertEquals(theirs.secretAccessKey(), ours.secretAccessKey(), profile);
            assertEquals(
                    theirs instanceof AwsSessionCredentials s ? s.sessionToken() : null, ours.sessionToken(), profile);
        }
    }

    @Test
    void profile_ssoProfile_isReportedWithTheCliCommandThatReplacesIt() throws Exception {
        Files.writeString(
                Files.createDirectories(home.resolve(".aws")).resolve("config"),
                "[profile corp]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n");

        CredentialsException e = assertThrows(CredentialsException.class, () -> resolve(Map.of("AWS_PROFILE", "corp")));

        assertEquals(CredentialsException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("profile corp uses sso_"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "credential_process = aws configure export-credentials --profile corp --format process"),
                e.getMessage());
    }

    @Test
    void nothingFound_listsEverySourceTriedAndWhatToSet() {
        CredentialsException e = assertThrows(CredentialsException.class, () -> resolve(Map.of()));

        assertEquals(CredentialsException.Kind.NOT_FOUND, e.kind());
        String m = e.getMessage();
        assertTrue(m.startsWith("no AWS credentials were found; tried, in the AWS SDK's order: "), m);
        for (String part : new String[] {
            "system properties: aws.accessKeyId is not set",
            "environment variables: AWS_ACCESS_KEY_ID is not set",
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set",
            "profile default: no profile default in " + home.resolve(".aws/credentials"),
            "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            "instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED is true",
            "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            "AWS_PROFILE",
            "AWS_BEARER_TOKEN_BEDROCK"
        }) {
            assertTrue(m.contains(part), part + " in: " + m);
        }
    }

    @Test
    void nothingObtained_sourcesThatFailed_namedWithoutTheirSecrets() throws Exception {
        profileFile("[default]\naws_session_token = t\naws_secret_access_key = " + SECRET + "\n");
        Path token = Files.writeString(home.resolve("token"), "jwt-" + SECRET);

        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> AwsCredentialsChain.defaults(settings(
                                home,
                                CLOCK,
                                Map.of(
                                        "AWS_SECRET_ACCESS_KEY",
                                        SECRET,
                                        "AWS_WEB_IDENTITY_TOKEN_FILE",
                                        token.toString(),
                                        "AWS_ROLE_ARN",
                                        "arn:aws:iam::1:role/r",
                                        "AWS_ENDPOINT_URL_STS",
                                        "http://127.0.0.1:9"),
                                Map.of("aws.secretAccessKey", SECRET)))
                        .credentials());

        assertEquals(CredentialsException.Kind.INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("no AWS credentials could be obtained"), e.getMessage());
        assertTrue(
                e.getMessage().contains("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"), e.getMessage());
        assertTrue(e.getMessage().contains("lacks aws_access_key_id"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "web identity: AWS STS (AssumeRoleWithWebIdentity at http://127.0.0.1:9/) could not be reached"),
                e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.toString().contains(SECRET));
    }

    @Test
    void toString_namesTheSourceOnly() {
        AwsCredentialsChain chain = AwsCredentialsChain.defaults(
                settings(home, CLOCK, Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", SECRET)));
        assertNull(chain.source());
        chain.credentials();

        assertEquals("AwsCredentialsChain[environment variables]", chain.toString());
    }
}
