package dev.sluice.vertex;

import dev.sluice.CredentialsException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.internal.low.auth.AccessToken;
import dev.sluice.internal.low.auth.Environment;
import dev.sluice.internal.low.auth.GoogleCredentials;
import dev.sluice.internal.low.auth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Application Default Credentials for Vertex AI, looked for the first time a token or the project is
 * needed (a failed look is tried again the next time), their requests on a transport of their own
 * (blocking HTTP/1.1 unless a proxy is configured; redirects never followed). The access has no
 * close: the transport holds no thread, and closes a connection left idle after 30 s. What goes wrong is a {@link CredentialsException}: {@code NOT_FOUND} when
 * nothing is configured, {@code INVALID} when a file cannot be used, {@code FAILED} when a token
 * endpoint or the metadata server refuses or cannot be reached (the failure as its cause).
 *
 * <p>Threading: {@code lock} guards the one lookup of {@code credentials} and of {@code project},
 * both volatile for the reads outside it. The tokens are {@link GoogleCredentials#tokens()}'s cache.
 */
final class ApplicationDefault implements TokenSource {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Environment environment;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable GoogleCredentials credentials;
    private volatile @Nullable String project;

    ApplicationDefault(Environment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public AccessToken token() {
        GoogleCredentials found = credentials();
        try {
            return found.tokens().token();
        } catch (CredentialsException | StreamInterruptedException e) {
            throw e;
        } catch (SluiceException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED,
                    "could not get a Google access token for" + " Vertex AI: " + e.getMessage(),
                    e);
        } catch (IllegalStateException e) {
            throw new CredentialsException(CredentialsException.Kind.INVALID, "Vertex AI: " + e.getMessage(), e);
        }
    }

    /** {@return the credentials' project, asked once} @throws CredentialsException when they name none */
    String project() {
        String known = project;
        if (known != null) return known;
        GoogleCredentials found = credentials();
        lock.lock();
        try {
            String p = project;
            if (p == null) project = p = projectOf(found);
            return p;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the project found so far, or null} */
    @Nullable
    String knownProject() {
        return project;
    }

    private static String projectOf(GoogleCredentials credentials) {
        Optional<String> id;
        try {
            id = credentials.projectId();
        } catch (StreamInterruptedException e) {
            throw e;
        } catch (SluiceException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED,
                    "could not learn the Google Cloud project of " + credentials + ": " + e.getMessage() + "; set "
                            + VertexAccess.PROJECT_ENV + " to the project's id",
                    e);
        }
        if (id.isEmpty()) {
            throw new CredentialsException(
                    CredentialsException.Kind.NOT_FOUND,
                    "no Google Cloud project for Vertex AI: set " + VertexAccess.PROJECT_ENV
                            + " (or call VertexAccess.builder().project(..)); " + credentials + " names none",
                    null);
        }
        try {
            return VertexNames.project(id.get());
        } catch (IllegalArgumentException e) {
            throw new CredentialsException(
                    CredentialsException.Kind.INVALID,
                    "the project of " + credentials + " " + e.getMessage() + "; set " + VertexAccess.PROJECT_ENV,
                    null);
        }
    }

    private GoogleCredentials credentials() {
        GoogleCredentials found = credentials;
        if (found != null) return found;
        lock.lock();
        try {
            GoogleCredentials c = credentials;
            if (c == null) {
                try {
                    // find closes the transport it made when it throws
                    credentials = c = GoogleCredentials.find(
                            environment, http -> http.connectTimeout(CONNECT_TIMEOUT), Clock.systemUTC());
                } catch (IllegalStateException e) {
                    // find() says "no Google credentials found" when nothing is configured, else what is wrong with a
                    // file
                    boolean none = e.getMessage() != null && e.getMessage().startsWith("no Google credentials found");
                    throw new CredentialsException(
                            none ? CredentialsException.Kind.NOT_FOUND : CredentialsException.Kind.INVALID,
                            "Vertex AI: " + e.getMessage(),
                            null);
                }
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the credentials once found (the account and where it was found), never a secret} */
    @Override
    public String toString() {
        GoogleCredentials found = credentials;
        return found != null ? found.toString() : "Application Default Credentials";
    }
}
