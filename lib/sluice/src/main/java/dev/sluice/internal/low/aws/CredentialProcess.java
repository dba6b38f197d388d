package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.process.ChildCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Credentials from a profile's {@code credential_process} command, as the AWS SDK for Java 2.x's
 * {@code ProcessCredentialsProvider} runs it: through {@code sh -c} ({@code cmd.exe /C} on Windows)
 * with the environment given, the command handed to the shell in that environment rather than on its
 * command line ({@link ChildCommand#shell}: JFR records every child's command line), its standard output (at most 64,000 bytes, the SDK's limit) a JSON
 * object with {@code Version} 1, {@code AccessKeyId}, {@code SecretAccessKey} and, for temporary
 * credentials, {@code SessionToken} and {@code Expiration}. Its standard error goes to this process's
 * (where the AWS CLI sends it too); its standard input is closed.
 *
 * <p>The command runs on a platform thread, which reads its output and waits for it, so a virtual
 * thread asking for credentials only parks; past the timeout the process is killed. Messages name the
 * profile, never the command (it may hold a secret) nor its output.
 */
final class CredentialProcess implements Supplier<Expiring<AwsCredentials>> {
    /** The longest a command may run. */
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    private static final int MAX_OUTPUT_BYTES = 64_000;

    private final String command;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final String what;
    private final Clock clock;

    /**
     * @param command the command line, as the profile gives it
     * @param environment the command's environment
     * @param timeout how long it may run
     * @param profile the profile's name, for messages
     * @param clock what the credentials' expiration is compared with
     */
    CredentialProcess(String command, Map<String, String> environment, Duration timeout, String profile, Clock clock) {
        this.command = Objects.requireNonNull(command, "command");
        this.environment = Map.copyOf(environment);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.what = "the credential_process of the AWS profile " + profile;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@inheritDoc} Credentials that have expired already (a command that prints what it cached, such
     * as an SSO session's) are asked for once more at once, as the AWS SDK's cache does; expired again,
     * they are refused, never sent.
     *
     * @throws CredentialsException ({@code FAILED}) naming the profile and the expiration, for
     *     expired credentials; as the command's run does
     */
    @Override
    public Expiring<AwsCredentials> get() {
        Expiring<AwsCredentials> e = runOnce();
        if (!expired(e)) return e;
        Expiring<AwsCredentials> again = runOnce();
        if (!expired(again)) return again;
        throw new CredentialsException(
                Kind.FAILED,
                what + " gave credentials that expired at " + again.expiration() + " (it is " + clock.instant()
                        + " now); renew what the command reads (for an SSO profile: aws sso login) and try again",
                null);
    }

    private boolean expired(Expiring<AwsCredentials> e) {
        return e.expiration() != null && !clock.instant().isBefore(e.expiration());
    }

    private Expiring<AwsCredentials> runOnce() {
        @Nullable String output = run();
        // never Jackson's reading: its exception would quote a secret of a malformed output
        Object value = Json.readSecretBearing(output).orElse(null);
        if (!(value instanceof Map<?, ?> m))
            throw new CredentialsException(Kind.FAILED, what + " printed something other than a JSON object", null);
        Object version = m.get("Version");
        if (!(version instanceof Number n && n.longValue() == 1 && n.doubleValue() == 1.0) && !"1".equals(version)) {
            throw new CredentialsException(Kind.FAILED, what + " printed a Version other than 1", null);
        }
        return CredentialResponses.json(output, "SessionToken", what);
    }

    private String run() {
        AtomicReference<Process> started = new AtomicReference<>();
        CompletableFuture<RunResult> done = new CompletableFuture<>();
        Thread.ofPlatform().name("sluice-credential-process").daemon().start(() -> {
            try {
                // the command through the child's environment: JFR's jdk.ProcessStart records the command line
                ProcessBuilder pb =
                        ChildCommand.shell(command, environment).redirectError(ProcessBuilder.Redirect.INHERIT);
                Process p = pb.start();
                started.set(p);
                p.getOutputStream().close();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    out = in.readNBytes(MAX_OUTPUT_BYTES + 1);
                }
                if (out.length > MAX_OUTPUT_BYTES) {
                    p.destroyForcibly();
                    done.complete(new RunResult(-1, null));
                    return;
                }
                done.complete(new RunResult(p.onExit().join().exitValue(), new String(out, StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            RunResult r = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.output == null)
                throw new CredentialsException(
                        Kind.FAILED, what + " printed more than " + MAX_OUTPUT_BYTES + " bytes", null);
            if (r.exit != 0) {
                throw new CredentialsException(
                        Kind.FAILED,
                        what + " exited with status " + r.exit + " (its standard error, above, says why)",
                        null);
            }
            return r.output;
        } catch (TimeoutException e) {
            kill(started.get());
            throw new CredentialsException(
                    Kind.FAILED, what + " did not finish within " + timeout.toSeconds() + " s; it was stopped", null);
        } catch (InterruptedException e) {
            kill(started.get());
            Thread.currentThread().interrupt();
            throw new CredentialsException(Kind.FAILED, "interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new CredentialsException(
                    Kind.FAILED,
                    what + " could not be "
                            + (e.getCause() instanceof IOException ? "started (is the command on the PATH?)" : "run"),
                    e.getCause());
        }
    }

    private static void kill(Process p) {
        if (p != null) p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (p != null) p.destroyForcibly();
    }

    private record RunResult(int exit, @Nullable String output) {}
}
