package dev.sluice.internal.low.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The SigV4 rules one by one, and AWS's published examples (the SigV4 test suite's
 * {@code get-vanilla}, {@code get-vanilla-query-order-key-case} and {@code post-vanilla}, and the IAM
 * {@code ListUsers} example of the SigV4 documentation). {@link SigV4SignerSdkTest} compares with
 * the AWS SDK's signer.
 */
class SigV4SignerTest {
    private static final AwsCredentials EXAMPLE =
            AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Clock EXAMPLE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final byte[] NONE = new byte[0];

    private static SigV4Signer suite() {
        return new SigV4Signer("us-east-1", "service", EXAMPLE_TIME, false);
    }

    @Test
    void sign_testSuiteGetVanilla_givesThePublishedSignature() {
        SigV4Headers h = suite().sign("GET", URI.create("https://example.amazonaws.com/"), Map.of(), NONE, EXAMPLE);
        assertEquals(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                h.authorization());
        assertEquals("20150830T123600Z", h.amzDate());
        assertNull(h.contentSha256());
        assertNull(h.securityToken());
    }

    @Test
    void sign_testSuiteGetVanillaQueryOrderKeyCase_sortsTheQuery() {
        SigV4Headers h = suite().sign(
                        "GET",
                        URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"),
                        Map.of(),
                        NONE,
                        EXAMPLE);
        assertTrue(
                h.authorization()
                        .endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
                h.authorization());
    }

    @Test
    void sign_testSuitePostVanilla_givesThePublishedSignature() {
        SigV4Headers h = suite().sign("POST", URI.create("https://example.amazonaws.com/"), Map.of(), NONE, EXAMPLE);
        assertTrue(
                h.authorization()
                        .endsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
                h.authorization());
    }

    @Test
    void sign_iamListUsersExample_givesThePublishedKeyHashAndSignature() {
        SigV4Signer signer = new SigV4Signer("us-east-1", "iam", EXAMPLE_TIME, false);
        URI uri = URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
        Map<String, List<String>> headers =
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        SigV4Signer.Canonical c = signer.canonicalize("GET", uri, headers, NONE, EXAMPLE);
        assertEquals("""
                GET
                /
                Action=ListUsers&Version=2010-05-08
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:iam.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                """ + EMPTY_SHA256, c.request());
        assertTrue(SigV4Signer.stringToSign(c)
                .endsWith("\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"));
        assertEquals(
                "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
                HexFormat.of().formatHex(signer.signingKey(EXAMPLE.secretAccessKey(), "20150830")));
        assertEquals(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                signer.sign("GET", uri, headers, NONE, EXAMPLE).authorization());
    }

    @Test
    void canonicalUri_bedrockModelIdColon_isEncodedTwice() {
        assertEquals(
                "/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse-stream",
                SigV4Signer.canonicalUri(
                        URI.create(
                                "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream")));
    }

    @Test
    void canonicalUri_arnModelIdWithSlash_isEncodedTwice() {
        assertEquals(
                "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123%253Ainference-profile%252Fus.x-v1%253A0/converse",
                SigV4Signer.canonicalUri(
                        URI.create(
                                "https://h/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.x-v1%3A0/converse")));
    }

    @Test
    void canonicalUri_emptyPath_isSlash() {
        assertEquals("/", SigV4Signer.canonicalUri(URI.create("https://h")));
        assertEquals("/", SigV4Signer.canonicalUri(URI.create("https://h/")));
    }

    @Test
    void canonicalUri_dotSegments_areRemovedAndATrailingSlashKept() {
        assertEquals("/a/c", SigV4Signer.canonicalUri(URI.create("https://h/a/./b/../c")));
        assertEquals("/a/c/", SigV4Signer.canonicalUri(URI.create("https://h/a/./b/../c/")));
    }

    @Test
    void canonicalQuery_sortsByNameThenValue_afterEncoding() {
        assertEquals("A=0&a=0&a=1&b=2", SigV4Signer.canonicalQuery("b=2&a=1&A=0&a=0"));
    }

    @Test
    void canonicalQuery_reEncodesNamesAndValues_plusAsSpace() {
        assertEquals("a%20b=c%20d&k=~~&s=%2F%3A%2A", SigV4Signer.canonicalQuery("a+b=c%20d&k=%7E~&s=/:*"));
        assertEquals("u=%C3%A9", SigV4Signer.canonicalQuery("u=%C3%A9"));
    }

    @Test
    void canonicalQuery_parameterWithoutEquals_hasAnEmptyValue_andAnEmptyNameIsLeftOut() {
        assertEquals("flag=&x=1", SigV4Signer.canonicalQuery("x=1&flag&=ignored&"));
        assertEquals("", SigV4Signer.canonicalQuery(null));
    }

    @Test
    void canonicalQuery_malformedEscape_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> SigV4Signer.canonicalQuery("a=%zz"));
        assertThrows(IllegalArgumentException.class, () -> SigV4Signer.canonicalQuery("a=%2"));
    }

    @Test
    void canonicalHeaders_lowercasedSortedTrimmed_valuesJoined_someLeftOut() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Multi", List.of("  one  ", "two\t\t words "));
        headers.put("Content-Type", List.of("application/json"));
        headers.put("User-Agent", List.of("sluice"));
        headers.put("Connection", List.of("keep-alive"));
        headers.put("Expect", List.of("100-continue"));
        headers.put("X-Amzn-Trace-Id", List.of("Root=1"));
        SigV4Signer.Canonical c = new SigV4Signer("us-east-1", "bedrock", EXAMPLE_TIME)
                .canonicalize("POST", URI.create("https://h:8443/p"), headers, NONE, EXAMPLE);
        assertEquals("""
                POST
                /p

                content-type:application/json
                host:h:8443
                x-amz-content-sha256:%s
                x-amz-date:20150830T123600Z
                x-multi:one,two words

                content-type;host;x-amz-content-sha256;x-amz-date;x-multi
                %s""".formatted(EMPTY_SHA256, EMPTY_SHA256), c.request());
    }

    @Test
    void host_defaultPortLeftOut_otherPortsKept() {
        assertEquals("h", SigV4Signer.host(URI.create("https://h:443/")));
        assertEquals("h", SigV4Signer.host(URI.create("http://h:80/")));
        assertEquals("h:80", SigV4Signer.host(URI.create("https://h:80/")));
        assertEquals("127.0.0.1:4566", SigV4Signer.host(URI.create("http://127.0.0.1:4566/")));
    }

    @Test
    void sign_givenHost_isSignedAsGiven() {
        SigV4Signer.Canonical c = suite().canonicalize(
                        "GET", URI.create("https://h/"), Map.of("Host", List.of("proxy.example")), NONE, EXAMPLE);
        assertTrue(c.request().contains("\nhost:proxy.example\n"), c.request());
    }

    @Test
    void sign_sessionToken_isAddedAndSigned() {
        AwsCredentials temporary = new AwsCredentials("AKID", "SECRET", "TOKEN/+=");
        SigV4Signer signer = new SigV4Signer("us-east-1", "bedrock", EXAMPLE_TIME);
        SigV4Headers h = signer.sign("POST", URI.create("https://h/"), Map.of(), NONE, temporary);
        assertEquals("TOKEN/+=", h.securityToken());
        assertTrue(
                h.authorization().contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
                h.authorization());
        assertEquals(
                List.of("X-Amz-Security-Token", "X-Amz-Date", "x-amz-content-sha256", "Authorization"),
                List.copyOf(h.asMap().keySet()));
    }

    @Test
    void sign_payload_isHashedIntoTheContentHeader() {
        SigV4Signer signer = new SigV4Signer("us-east-1", "bedrock", EXAMPLE_TIME);
        assertEquals(
                EMPTY_SHA256,
                signer.sign("POST", URI.create("https://h/"), Map.of(), NONE, EXAMPLE)
                        .contentSha256());
        assertEquals(
                "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                signer.sign("POST", URI.create("https://h/"), Map.of(), "{}".getBytes(StandardCharsets.UTF_8), EXAMPLE)
                        .contentSha256());
    }

    @Test
    void sign_givenSignerHeaders_areReplacedByTheSigners() {
        SigV4Signer signer = new SigV4Signer("us-east-1", "bedrock", EXAMPLE_TIME);
        Map<String, List<String>> headers =
                Map.of("X-Amz-Date", List.of("19990101T000000Z"), "X-Amz-Content-Sha256", List.of("x"));
        SigV4Signer.Canonical c = signer.canonicalize("POST", URI.create("https://h/"), headers, NONE, EXAMPLE);
        assertFalse(c.request().contains("1999"), c.request());
        assertTrue(c.request().contains("x-amz-content-sha256:" + EMPTY_SHA256 + "\n"), c.request());
    }

    @Test
    void sign_readsTheInjectedClock_andDerivesOneKeyPerDay() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T23:59:59Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SigV4Signer signer = new SigV4Signer("us-east-1", "bedrock", clock);
        URI uri = URI.create("https://h/");
        for (String at : List.of("2026-01-01T23:59:59Z", "2026-01-02T00:00:00Z", "2026-01-01T10:00:00Z")) {
            now.set(Instant.parse(at));
            SigV4Headers h = signer.sign("POST", uri, Map.of(), NONE, EXAMPLE);
            SigV4Headers fresh = new SigV4Signer("us-east-1", "bedrock", Clock.fixed(Instant.parse(at), ZoneOffset.UTC))
                    .sign("POST", uri, Map.of(), NONE, EXAMPLE);
            assertEquals(fresh, h, at);
            assertEquals(
                    at.substring(0, 10).replace("-", "") + "T"
                            + at.substring(11, 19).replace(":", "") + "Z",
                    h.amzDate());
        }
    }

    @Test
    void sign_authorizationHeaderGiven_throwsIllegalArgument() {
        assertThrows(
                IllegalArgumentException.class,
                () -> suite().sign(
                                "GET", URI.create("https://h/"), Map.of("authorization", List.of("x")), NONE, EXAMPLE));
    }

    @Test
    void sign_relativeUri_throwsIllegalArgument() {
        assertThrows(
                IllegalArgumentException.class,
                () -> suite().sign("GET", URI.create("/model/x"), Map.of(), NONE, EXAMPLE));
    }

    @Test
    void constructor_badScopeParts_throwIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new SigV4Signer("", "bedrock", EXAMPLE_TIME));
        assertThrows(IllegalArgumentException.class, () -> new SigV4Signer("us-east-1", "bed/rock", EXAMPLE_TIME));
        assertThrows(IllegalArgumentException.class, () -> new SigV4Signer(" us-east-1", "bedrock", EXAMPLE_TIME));
        assertThrows(NullPointerException.class, () -> new SigV4Signer("us-east-1", "bedrock", null));
    }

    @Test
    void credentials_toString_showsNeitherSecretNorToken() {
        AwsCredentials c =
                new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKENVALUE");
        assertEquals(
                "AwsCredentials[accessKeyId=AKIDEXAMPLE, secretAccessKey=<redacted>, sessionToken=<redacted>]",
                c.toString());
        assertEquals(Optional.of("SESSIONTOKENVALUE"), c.token());
    }

    @Test
    void credentials_whitespace_isTrimmed_andBlankRefused() {
        AwsCredentials c = new AwsCredentials(" AKID\n", "\tSECRET ", " TOKEN ");
        assertEquals(new AwsCredentials("AKID", "SECRET", "TOKEN"), c);
        assertThrows(IllegalArgumentException.class, () -> AwsCredentials.of(" ", "SECRET"));
        assertThrows(IllegalArgumentException.class, () -> AwsCredentials.of("AKID", ""));
        assertThrows(IllegalArgumentException.class, () -> new AwsCredentials("AKID", "SECRET", " "));
        assertThrows(NullPointerException.class, () -> AwsCredentials.of(null, "SECRET"));
    }

    @Test
    void headers_toString_showsNeitherTokenNorSignature() {
        SigV4Headers h = new SigV4Signer("us-east-1", "bedrock", EXAMPLE_TIME)
                .sign(
                        "POST",
                        URI.create("https://h/"),
                        Map.of(),
                        NONE,
                        new AwsCredentials("AKID", "SECRET", "SESSIONTOKENVALUE"));
        String signature = h.authorization().substring(h.authorization().indexOf("Signature=") + 10);
        assertFalse(h.toString().contains("SESSIONTOKENVALUE"), h.toString());
        assertFalse(h.toString().contains(signature), h.toString());
        assertTrue(h.toString().contains("Signature=<redacted>"), h.toString());
    }
}
