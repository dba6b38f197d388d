package dev.sluice.internal.low.aws;

import static dev.sluice.internal.low.aws.AwsTestEnvironment.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.ProcessStarts;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A profile's credential_process, run as a small shell script written to a temporary folder. */
@DisabledOnOs(OS.WINDOWS)
class CredentialProcessTest {
    private static final String SECRET = "wJalrXUtnFEMI-SECRET-MARKER";

    @TempDir
    Path home;

    private Path script(String body) throws Exception {
        Path s = home.resolve("creds.sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static String output(String version) {
        return "cat <<'EOF'\n{\"Version\": " + version + ", \"AccessKeyId\": \"ASIAPROCESS\", \"SecretAccessKey\": \""
                + SECRET + "\", \"SessionToken\": \"proc-token\", \"Expiration\": \"2026-11-26T13:00:00+00:00\"}\nEOF";
    }

    /** The hour before the credentials the scripts print expire. */
    private static final FakeClock NOON = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));

    private CredentialProcess process(Path script, Map<String, String> env, Duration timeout) {
        return new CredentialProcess(script.toString(), env, timeout, "dev", NOON);
    }

    @Test
    void get_credentialsExpiredAlready_askedOnceMoreThenRefusedNamingTheProfile() throws Exception {
        // were used without a word, and the request failed
        Path runs = home.resolve("runs");
        Path s = script("echo run >> " + runs + "\n" + output("1"));
        CredentialProcess p = new CredentialProcess(
                s.toString(),
                Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofSeconds(30),
                "dev",
                new FakeClock(Instant.parse("2026-11-26T14:00:00Z")));

        CredentialsException e = assertThrows(CredentialsException.class, p::get);

        assertEquals(CredentialsException.Kind.FAILED, e.kind());
        assertEquals(
                "the credential_process of the AWS profile dev gave credentials that expired at 2026-11-26T13:00:00Z"
                        + " (it is 2026-11-26T14:00:00Z now); renew what the command reads (for an SSO profile:"
                        + " aws sso login) and try again",
                e.getMessage());
        assertEquals(2, Files.readAllLines(runs).size(), "asked once more, as the AWS SDK does");
    }

    @Test
    void get_expiredThenFresh_theFreshOnes() throws Exception {
        Path runs = home.resolve("runs");
        Path s = script(
                "echo run >> " + runs + "\n"
                        + "if [ \"$(wc -l < " + runs
                        + ")\" -lt 2 ]; then e=2026-11-26T11:00:00Z; else e=2026-11-26T13:00:00Z; fi\n"
                        + "printf '{\"Version\":1,\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"x\",\"Expiration\":\"%s\"}' $e");

        Expiring<AwsCredentials> e = process(s, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30))
                .get();

        assertEquals(Instant.parse("2026-11-26T13:00:00Z"), e.expiration());
        assertEquals(2, Files.readAllLines(runs).size());
    }

    @Test
    void profile_credentialProcess_givesTheCommandsCredentials() throws Exception {
        Path s = script(output("1"));
        Files.writeString(
                Files.createDirectories(home.resolve(".aws")).resolve("config"),
                "[profile dev]\ncredential_process = " + s + " --some-flag\nregion = eu-west-1\n");

        AwsCredentials c = AwsCredentialsChain.defaults(settings(
                        home, new FakeClock(Instant.parse("2026-11-26T12:00:00Z")), Map.of("AWS_PROFILE", "dev")))
                .credentials();

        assertEquals(new AwsCredentials("ASIAPROCESS", SECRET, "proc-token"), c);
    }

    /** A profile's {@code credential_process} line may hold a secret argument; JFR records every child's command line. */
    @Test
    void get_commandLineHoldsASecret_noProcessStartEventRecordsIt() throws Throwable {
        String password = "vault-pass-" + SECRET;
        Path s = script("[ \"$1\" = --password ] && [ \"$2\" = \"" + password + "\" ] || exit 3\n" + output("1"));
        CredentialProcess process = new CredentialProcess(
                s + " --password '" + password + "'",
                Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofSeconds(30),
                "dev",
                NOON);

        List<String> started = ProcessStarts.during(
                () -> assertEquals("ASIAPROCESS", process.get().value().accessKeyId()));

        assertFalse(started.isEmpty(), "the child's start was recorded");
        for (String command : started) assertFalse(command.contains(password), command);
    }

    @Test
    void get_readsTheExpiration_andRunsWithTheEnvironmentGiven() throws Exception {
        Path s = script(
                "printf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"x\",\"Expiration\":\"2026-11-26T13:00:00Z\"}' \"$KEY_FROM_ENV\"");

        Expiring<AwsCredentials> e = process(
                        s, Map.of("KEY_FROM_ENV", "AKIDFROMENV", "PATH", "/usr/bin:/bin"), Duration.ofSeconds(30))
                .get();

        assertEquals(AwsCredentials.of("AKIDFROMENV", "x"), e.value());
        assertEquals(Instant.parse("2026-11-26T13:00:00Z"), e.expiration());
    }

    @Test
    void get_calledOnAVirtualThread_runsTheCommandOnAPlatformThread() throws Exception {
        Path go = home.resolve("go");
        Path s = script("while [ ! -f " + go + " ]; do sleep 0.05; done\n" + output("1"));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Expiring<AwsCredentials>> f =
                    threads.submit(() -> process(s, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30))
                            .get());

            // while the command runs, the thread reading it is a platform thread (getAllStackTraces lists no virtual
            // one)
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().equals("sluice-credential-process") && !t.isVirtual()));
            Files.writeString(go, "");

            assertEquals("ASIAPROCESS", f.get(30, TimeUnit.SECONDS).value().accessKeyId());
        }
    }

    @Test
    void get_versionOtherThanOne_failsTyped() throws Exception {
        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> process(script(output("2")), Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30))
                        .get());

        assertEquals("the credential_process of the AWS profile dev printed a Version other than 1", e.getMessage());
    }

    @Test
    void get_nonZeroExit_namesTheStatusNotTheOutput() throws Exception {
        Path s = script("echo '" + SECRET + "'\nexit 3");

        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> process(s, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30))
                        .get());

        assertEquals(CredentialsException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(e.getMessage().contains(s.toString()), "the command is not shown: it may hold a secret");
    }

    @Test
    void get_malformedOutput_failsWithoutShowingIt() throws Exception {
        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> process(
                                script("echo '{\"AccessKeyId\": \"" + SECRET + "'"),
                                Map.of("PATH", "/usr/bin:/bin"),
                                Duration.ofSeconds(30))
                        .get());

        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void get_pastTheTimeout_killsTheCommand() throws Exception {
        Path pid = home.resolve("pid");
        Path s = script("echo $$ > " + pid + "\nexec sleep 60");

        CredentialsException e = assertThrows(
                CredentialsException.class,
                () -> process(s, Map.of("PATH", "/usr/bin:/bin"), Duration.ofMillis(500))
                        .get());

        assertTrue(e.getMessage().endsWith("did not finish within 0 s; it was stopped"), e.getMessage());
        long id = Long.parseLong(Files.readString(pid).strip());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(id).map(p -> !p.isAlive()).orElse(true));
    }
}
