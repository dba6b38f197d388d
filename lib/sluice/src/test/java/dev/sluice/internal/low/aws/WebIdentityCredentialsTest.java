package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Answer;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Endpoint;
import dev.sluice.internal.low.aws.AwsTestEnvironment.Received;
import dev.sluice.testkit.FakeClock;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AssumeRoleWithWebIdentity against a loopback STS: the request, the XML answer, errors, and XML that is refused. */
class WebIdentityCredentialsTest {
    private static final String SECRET = "wJalrXUtnFEMI-SECRET-MARKER";
    private static final String ROLE = "arn:aws:iam::123456789012:role/bedrock";

    @TempDir
    Path home;

    static String stsAnswer(String id) {
        return stsAnswer(id, "2026-11-26T13:00:00Z");
    }

    static String stsAnswer(String id, String expiration) {
        return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <AssumeRoleWithWebIdentityResult>\n"
                + "    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>\n"
                + "    <Credentials>\n"
                + "      <SessionToken>session-token</SessionToken>\n"
                + "      <SecretAccessKey>" + SECRET + "</SecretAccessKey>\n"
                + "      <Expiration>" + expiration + "</Expiration>\n"
                + "      <AccessKeyId>" + id + "</AccessKeyId>\n"
                + "    </Credentials>\n"
                + "  </AssumeRoleWithWebIdentityResult>\n"
                + "  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n"
                + "</AssumeRoleWithWebIdentityResponse>\n";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            m.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private AwsCredentialsSource chain(FakeClock clock, Path token, Endpoint sts, Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token.toString(),
                "AWS_ROLE_ARN",
                ROLE,
                "AWS_ENDPOINT_URL_STS",
                sts.url()));
        env.putAll(more);
        return AwsCredentialsChain.defaults(settings(home, clock, env));
    }

    @Test
    void credentials_postsTheFormAndReadsTheXmlCredentials() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));
        Path token = Files.writeString(home.resolve("token"), "eyJhbGciOi.token+/=\n");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, stsAnswer("ASIAFROMSTS")))) {
            AwsCredentials c = chain(clock, token, sts, Map.of("AWS_ROLE_SESSION_NAME", "my-session"))
                    .credentials();

            assertEquals(new AwsCredentials("ASIAFROMSTS", SECRET, "session-token"), c);
            Received r = sts.received.get(0);
            assertEquals("POST", r.method());
            assertEquals("/", r.path());
            assertEquals("application/x-www-form-urlencoded; charset=utf-8", r.header("content-type"));
            assertEquals(
                    Map.of(
                            "Action",
                            "AssumeRoleWithWebIdentity",
                            "Version",
                            "2011-06-15",
                            "RoleArn",
                            ROLE,
                            "RoleSessionName",
                            "my-session",
                            "WebIdentityToken",
                            "eyJhbGciOi.token+/="),
                    form(r.body()));
            assertEquals(null, r.header("authorization"), "the call is unsigned");
        }
    }

    @Test
    void credentials_withoutSessionName_namesTheSessionAsTheSdk() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));
        Path token = Files.writeString(home.resolve("token"), "jwt");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, stsAnswer("A")))) {
            chain(clock, token, sts, Map.of()).credentials();

            assertEquals(
                    "aws-sdk-java-" + clock.millis(),
                    form(sts.received.get(0).body()).get("RoleSessionName"));
        }
    }

    @Test
    void credentials_nearExpiry_fetchAgainWithTheTokenFileReadAgain() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));
        Path token = Files.writeString(home.resolve("token"), "first-jwt");
        try (Endpoint sts =
                new Endpoint(r -> new Answer(200, stsAnswer("A" + form(r.body()).get("WebIdentityToken"))))) {
            AwsCredentialsSource source = chain(clock, token, sts, Map.of());
            assertEquals("Afirst-jwt", source.credentials().accessKeyId());

            Files.writeString(token, "rotated-jwt");
            clock.advance(Duration.ofMinutes(50));
            assertEquals("Afirst-jwt", source.credentials().accessKeyId()); // expiry 13:00, prefetch from 12:55
            clock.advance(Duration.ofMinutes(6));

            assertEquals("Arotated-jwt", source.credentials().accessKeyId());
            assertEquals(2, sts.received.size());
        }
    }

    @Test
    void credentials_stsError_reportsCodeAndRequestIdWithoutTheToken() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "jwt-" + SECRET);
        String error = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>InvalidIdentityToken</Code><Message>Token jwt-" + SECRET + " is expired</Message></Error>"
                + "<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>";
        try (Endpoint sts = new Endpoint(r -> new Answer(400, error))) {
            WebIdentityCredentials fetch = new WebIdentityCredentials(
                    settings(home, new FakeClock(Instant.EPOCH), Map.of()), token, ROLE, "s", () -> sts.uri("/"));

            CredentialsException e = assertThrows(CredentialsException.class, fetch::get);

            assertEquals(CredentialsException.Kind.FAILED, e.kind());
            assertTrue(e.getMessage().contains("answered HTTP 400 InvalidIdentityToken"), e.getMessage());
            assertTrue(e.getMessage().contains("(request id c6104cbe-af31-11e0-8154-cbc7ccf896c7)"), e.getMessage());
            assertTrue(e.getMessage().contains(ROLE), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
    }

    @Test
    void credentials_stsErrorEchoesTheTokenEncodedReversedAndWithLineBreaks_messageHoldsNoneOfIt() throws Exception {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ" + SECRET;
        Path token = Files.writeString(home.resolve("token"), jwt);
        String base64 = java.util.Base64.getEncoder().encodeToString(jwt.getBytes(StandardCharsets.UTF_8));
        String reversed = new StringBuilder(jwt).reverse().toString();
        String error = "<ErrorResponse><Error><Code>InvalidIdentityToken\r\nerror: forged</Code><Message>Token "
                + base64 + " (reversed: " + reversed + ")\r\nerror: a second line</Message></Error>"
                + "<RequestId>c6104cbe-af31-11e0\n-8154</RequestId></ErrorResponse>";
        try (Endpoint sts = new Endpoint(r -> new Answer(400, error))) {
            WebIdentityCredentials fetch = new WebIdentityCredentials(
                    settings(home, new FakeClock(Instant.EPOCH), Map.of()), token, ROLE, "s", () -> sts.uri("/"));

            String message =
                    assertThrows(CredentialsException.class, fetch::get).getMessage();

            assertTrue(message.contains("answered HTTP 400 InvalidIdentityToken"), message);
            assertFalse(message.contains(SECRET), message);
            assertFalse(message.contains(base64.substring(8, 40)), message);
            assertFalse(message.contains(reversed.substring(8, 40)), message);
            assertFalse(message.contains("\r") || message.contains("\n"), message);
        }
    }

    @Test
    void credentials_xmlWithADoctype_isRefused() throws Exception {
        Path secretFile = Files.writeString(home.resolve("secret.txt"), SECRET);
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secretFile.toUri() + "\">]>\n"
                + stsAnswer("&xxe;")
                        .replace("<AccessKeyId>&amp;xxe;</AccessKeyId>", "<AccessKeyId>&xxe;</AccessKeyId>");
        Path token = Files.writeString(home.resolve("token"), "jwt");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, xxe))) {
            WebIdentityCredentials fetch = new WebIdentityCredentials(
                    settings(home, new FakeClock(Instant.EPOCH), Map.of()), token, ROLE, "s", () -> sts.uri("/"));

            CredentialsException e = assertThrows(CredentialsException.class, fetch::get);

            assertTrue(e.getMessage().contains("with a DOCTYPE, which is refused"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
    }

    @Test
    void credentials_entityExpansionBomb_isRefused() {
        String bomb =
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><l>&c;</l>";

        assertThrows(CredentialsException.class, () -> WebIdentityCredentials.parse(bomb, "STS"));
    }

    @Test
    void credentials_answerWithoutCredentials_failsTyped() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "jwt");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, "<AssumeRoleWithWebIdentityResponse/>"))) {
            WebIdentityCredentials fetch = new WebIdentityCredentials(
                    settings(home, new FakeClock(Instant.EPOCH), Map.of()), token, ROLE, "s", () -> sts.uri("/"));

            assertTrue(assertThrows(CredentialsException.class, fetch::get)
                    .getMessage()
                    .endsWith("answered without Credentials"));
        }
    }

    @Test
    void endpoint_regionalUnlessSet() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        assertEquals(
                URI.create("https://sts.eu-west-1.amazonaws.com"),
                WebIdentityCredentials.endpoint(settings(home, clock, Map.of()), () -> "eu-west-1"));
        assertEquals(
                URI.create("https://sts.cn-north-1.amazonaws.com.cn"),
                WebIdentityCredentials.endpoint(settings(home, clock, Map.of()), () -> "cn-north-1"));
        assertEquals(
                URI.create("http://localhost:4566"),
                WebIdentityCredentials.endpoint(
                        settings(home, clock, Map.of("AWS_ENDPOINT_URL", "http://localhost:4566")), () -> "x"));
        assertEquals(
                URI.create("http://sts.local"),
                WebIdentityCredentials.endpoint(
                        settings(
                                home,
                                clock,
                                Map.of(
                                        "AWS_ENDPOINT_URL",
                                        "http://localhost:4566",
                                        "AWS_ENDPOINT_URL_STS",
                                        "http://sts.local")),
                        () -> "x"));
    }

    @Test
    void chain_webIdentityWithoutRegionOrEndpoint_saysWhatToSet() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "jwt");

        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> AwsCredentialsChain.defaults(settings(
                                home,
                                new FakeClock(Instant.EPOCH),
                                Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(), "AWS_ROLE_ARN", ROLE)))
                        .credentials());

        assertTrue(
                e.getMessage().contains("web identity needs the STS endpoint: set AWS_REGION or AWS_ENDPOINT_URL_STS"),
                e.getMessage());
    }

    @Test
    void chain_profileWithRoleAndTokenFile_usesWebIdentity() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "profile-jwt");
        Files.writeString(
                Files.createDirectories(home.resolve(".aws")).resolve("config"),
                "[default]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token
                        + "\nrole_session_name = from-profile\n");
        try (Endpoint sts = new Endpoint(r -> new Answer(200, stsAnswer("FROMPROFILESTS")))) {
            AwsCredentials c = AwsCredentialsChain.defaults(settings(
                            home,
                            new FakeClock(Instant.parse("2026-11-26T12:00:00Z")),
                            Map.of("AWS_ENDPOINT_URL_STS", sts.url())))
                    .credentials();

            assertEquals("FROMPROFILESTS", c.accessKeyId());
            assertEquals("from-profile", form(sts.received.get(0).body()).get("RoleSessionName"));
            assertEquals("profile-jwt", form(sts.received.get(0).body()).get("WebIdentityToken"));
        }
    }
}
