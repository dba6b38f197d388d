package dev.sluice.internal.low.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The shared-files parser, rule by rule, and against the AWS SDK's own parser ({@code ProfileFile},
 * test scope) on the same text: the same profiles with the same properties, and an error where the
 * SDK has one.
 */
class AwsProfilesTest {

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of(
                        "plain credentials",
                        false,
                        "[default]\naws_access_key_id = AKID\naws_secret_access_key = s3cr3t\n"),
                Arguments.of(
                        "comments and blank lines",
                        false,
                        "# top\n; also\n\n[default] ; trailing\naws_access_key_id=AKID # note\n"
                                + "aws_secret_access_key = a#b;c ;gone\n\n"),
                Arguments.of(
                        "whitespace around names and values",
                        false,
                        "[  dev  ]\n  \naws_access_key_id\t=\t AKID \n[ x ]\ny=1\n  # kept\n"),
                Arguments.of("continuation lines", true, "[default]\nregion = us-east-1\nnote = one\n  two\n\tthree\n"),
                Arguments.of(
                        "sub-properties",
                        true,
                        "[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nregion = eu-west-1\n"),
                Arguments.of(
                        "config sections",
                        true,
                        "[default]\nregion = us-east-1\n[profile dev]\nregion = us-west-2\n"
                                + "[sso-session corp]\nsso_region = us-east-1\n[services my]\nbedrock_runtime =\n  endpoint_url = http://x\n"
                                + "[nope]\nregion = ap-south-1\n"),
                Arguments.of(
                        "profile default wins over default",
                        true,
                        "[profile default]\nregion = a\n[default]\nregion = b\noutput = json\n"),
                Arguments.of(
                        "default then profile default",
                        true,
                        "[default]\nregion = b\noutput = json\n[profile default]\nregion = a\n"),
                Arguments.of("profile prefix with a tab", true, "[profile\tdev]\nregion = r\n"),
                Arguments.of("duplicate sections merge", false, "[a]\nx = 1\ny = 2\n[b]\nx = 3\n[a]\ny = 4\n"),
                Arguments.of("invalid names skipped", false, "[bad name]\nx = 1\n[ok]\nbad key = 2\ngood = 3\n"),
                Arguments.of(
                        "credentials file keeps the profile prefix", false, "[profile dev]\nx = 1\n[dev]\ny = 2\n"),
                Arguments.of("value with equals signs", false, "[a]\ntoken = abc==\nurl = http://h/?q=1\n"),
                Arguments.of("CRLF line ends", false, "[a]\r\nx = 1\r\ny = 2\r\n"),
                Arguments.of("empty file", false, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parse_sameProfilesAsTheSdk(String name, boolean config, String text) {
        Map<String, Map<String, String>> ours = AwsProfiles.parse(text, config, "test");

        ProfileFile sdk = ProfileFile.builder()
                .content(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                .type(config ? ProfileFile.Type.CONFIGURATION : ProfileFile.Type.CREDENTIALS)
                .build();
        Map<String, Map<String, String>> theirs = new LinkedHashMap<>();
        for (Map.Entry<String, Profile> e : sdk.profiles().entrySet())
            theirs.put(e.getKey(), e.getValue().properties());

        assertEquals(theirs, ours);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("property before any section", "aws_secret_access_key = s3cr3t\n[default]\n", 1),
                Arguments.of("no equals sign", "[default]\naws_secret_access_key s3cr3t\n", 2),
                Arguments.of("no property name", "[default]\n = s3cr3t\n", 2),
                Arguments.of("section without closing bracket", "[default\nx = 1\n", 1),
                Arguments.of("continuation before any property", "[default]\n  s3cr3t\n", 2),
                Arguments.of("sub-property without equals sign", "[default]\ns3 =\n  s3cr3t\n", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void parse_malformed_failsWithTheLineAndWithoutTheContentAsTheSdkFails(String name, String text, int line) {
        CredentialsException e = assertThrows(
                CredentialsException.class, () -> AwsProfiles.parse(text, false, "/home/u/.aws/credentials"));

        assertEquals(CredentialsException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("/home/u/.aws/credentials is malformed at line " + line), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertThrows(
                RuntimeException.class,
                () -> ProfileFile.builder()
                        .content(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                        .type(ProfileFile.Type.CREDENTIALS)
                        .build()
                        .profiles());
    }

    @Test
    void load_credentialsFileWinsOverConfigFile_forTheSameProfile(@TempDir Path home) throws Exception {
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(aws.resolve("config"), "[profile dev]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\n");
        Files.writeString(aws.resolve("credentials"), "[dev]\naws_access_key_id = FROMCREDENTIALS\n");

        AwsProfiles p = AwsProfiles.load(AwsTestEnvironment.settings(home, Clock.systemUTC(), Map.of()));

        assertEquals(
                Map.of("region", "us-west-2", "aws_access_key_id", "FROMCREDENTIALS"),
                p.profile("dev").orElseThrow());
    }

    @Test
    void load_filesFromTheVariables_andMissingFilesAreEmpty(@TempDir Path home) throws Exception {
        Path config = Files.writeString(home.resolve("cfg"), "[profile x]\nregion = eu-north-1\n");

        AwsProfiles p = AwsProfiles.load(AwsTestEnvironment.settings(
                home,
                Clock.systemUTC(),
                Map.of(
                        "AWS_CONFIG_FILE",
                        config.toString(),
                        "AWS_SHARED_CREDENTIALS_FILE",
                        home.resolve("absent").toString())));

        assertEquals("eu-north-1", p.profile("x").orElseThrow().get("region"));
        assertTrue(p.profile("default").isEmpty());
    }

    @Test
    void load_tildeInTheVariable_isTheHomeDirectory(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("creds"), "[default]\nx = 1\n");

        AwsProfiles p = AwsProfiles.load(
                AwsTestEnvironment.settings(home, Clock.systemUTC(), Map.of("AWS_SHARED_CREDENTIALS_FILE", "~/creds")));

        assertEquals("1", p.profile("default").orElseThrow().get("x"));
    }

    @Test
    void selected_awsProfileThenDefault() {
        Path home = Path.of("/nonexistent");
        assertEquals("default", AwsProfiles.selected(AwsTestEnvironment.settings(home, Clock.systemUTC(), Map.of())));
        assertEquals(
                "dev",
                AwsProfiles.selected(
                        AwsTestEnvironment.settings(home, Clock.systemUTC(), Map.of("AWS_PROFILE", "dev"))));
        assertEquals(
                "prop",
                AwsProfiles.selected(AwsTestEnvironment.settings(
                        home, Clock.systemUTC(), Map.of("AWS_PROFILE", "dev"), Map.of("aws.profile", "prop"))));
    }
}
