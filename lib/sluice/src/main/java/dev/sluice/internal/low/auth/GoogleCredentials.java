package dev.sluice.internal.low.auth;

import dev.sluice.SluiceException;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Google Application Default Credentials, found as google-auth-library's
 * {@code GoogleCredentials.getApplicationDefault()} finds them, scoped to
 * {@value #CLOUD_PLATFORM_SCOPE}:
 * <ol>
 *   <li>{@code GOOGLE_APPLICATION_CREDENTIALS}: the JSON file it names (it must exist);</li>
 *   <li>gcloud's file {@code application_default_credentials.json} in {@code $CLOUDSDK_CONFIG}, else
 *       {@code %APPDATA%\gcloud} on Windows, else {@code ~/.config/gcloud}, when it exists;</li>
 *   <li>the metadata server ({@code GCE_METADATA_HOST}, else {@code metadata.google.internal}),
 *       unless {@code NO_GCE_CHECK=true}. google-auth first pings it; here it is asked only for a
 *       token, so off Google Cloud the first token request fails, saying what to set.</li>
 * </ol>
 * A file is of type {@code service_account} ({@link GoogleServiceAccount}) or
 * {@code authorized_user} ({@link GoogleUserAccount}); other types (external accounts,
 * impersonation) are refused, naming the type. The project is {@code GOOGLE_CLOUD_PROJECT}, else the
 * file's {@code project_id}, else its {@code quota_project_id}, else the metadata server's.
 *
 * <p>Tokens are cached with google-auth's margins ({@link CachingTokenSource#GOOGLE}). Thread-safe.
 * {@link #toString()} names the account and where it was found, never a secret.
 */
public final class GoogleCredentials implements AutoCloseable {
    /** The scope of every token: Vertex AI needs it. */
    public static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    /** The token endpoint of files without {@code token_uri}. */
    static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    static final String WELL_KNOWN_FILE = "application_default_credentials.json";
    /** The largest credentials file read. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private final TokenSource tokens;
    private final String description;
    private final @Nullable String
            fileProject; // GOOGLE_CLOUD_PROJECT or the file's; null when the metadata server tells it
    private final @Nullable GoogleMetadataServer metadata; // null for a file
    private final TokenEndpoint endpoint;
    private final ReentrantLock projectLock = new ReentrantLock();
    private volatile @Nullable String metadataProject;

    private GoogleCredentials(
            TokenSource source,
            String description,
            @Nullable String project,
            @Nullable GoogleMetadataServer metadata,
            TokenEndpoint endpoint,
            Clock clock) {
        this.tokens = new CachingTokenSource(source, CachingTokenSource.GOOGLE, clock);
        this.endpoint = endpoint;
        this.description = description;
        this.fileProject = project;
        this.metadata = metadata;
    }

    /**
     * {@return the credentials the environment names} Files are read here; nothing is sent until
     * the first token is asked for.
     *
     * @param environment the variables and home directory to look in
     * @param client the caller's client token requests go through; it must not follow redirects, and
     *     is never closed here
     * @param clock the clock of assertions and expiries
     * @throws IllegalStateException if a file named or found cannot be read or is not usable (the
     *     message names the file and the field, never a value), or no credentials are found
     *     ({@code NO_GCE_CHECK=true} and no file)
     * @throws IllegalArgumentException if the client follows redirects
     */
    public static GoogleCredentials find(Environment environment, HttpClient client, Clock clock) {
        return find(environment, TokenEndpoint.viaClient(client), clock);
    }

    /**
     * As {@link #find(Environment, HttpClient, Clock)}, the token requests through a transport of the
     * credentials' own (blocking HTTP/1.1 unless a proxy is configured), which {@link #close()} closes.
     *
     * @param http how token requests travel, set on that transport's builder (a connect timeout, a TLS
     *     context; nothing for the defaults)
     */
    public static GoogleCredentials find(Environment environment, Consumer<HttpTransport.Builder> http, Clock clock) {
        Objects.requireNonNull(environment, "environment");
        TokenEndpoint endpoint = new TokenEndpoint(http, clock, TokenEndpoint.DEFAULT_TIMEOUT, null);
        try {
            return find(environment, endpoint, clock);
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    private static GoogleCredentials find(Environment environment, TokenEndpoint endpoint, Clock clock) {
        Optional<String> project = environment.get("GOOGLE_CLOUD_PROJECT");
        Optional<String> named = environment.get("GOOGLE_APPLICATION_CREDENTIALS");
        if (named.isPresent()) {
            Path file = Path.of(named.get());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        "GOOGLE_APPLICATION_CREDENTIALS names " + file + ", which is not a file:"
                                + " point it at a service account key file, or unset it to use gcloud's credentials");
            }
            return fromFile(file, "GOOGLE_APPLICATION_CREDENTIALS " + file, project, endpoint, clock);
        }
        Path wellKnown = wellKnownFile(environment);
        if (Files.isRegularFile(wellKnown)) {
            return fromFile(
                    wellKnown, "gcloud's application default credentials " + wellKnown, project, endpoint, clock);
        }
        if (environment.get("NO_GCE_CHECK").map(Boolean::parseBoolean).orElse(false)) {
            throw new IllegalStateException(
                    "no Google credentials found: set GOOGLE_APPLICATION_CREDENTIALS to a service"
                            + " account key file, or run `gcloud auth application-default login` (" + wellKnown
                            + " does not exist, and NO_GCE_CHECK=true rules out the metadata server)");
        }
        String host = environment.get("GCE_METADATA_HOST").orElse(GoogleMetadataServer.DEFAULT_HOST);
        @Nullable
        GoogleMetadataServer metadata =
                new GoogleMetadataServer(host, CLOUD_PLATFORM_SCOPE, endpoint, TokenEndpoint.DEFAULT_TIMEOUT);
        return new GoogleCredentials(
                metadata, "the metadata server at " + host, project.orElse(null), metadata, endpoint, clock);
    }

    /** {@return gcloud's file of application default credentials, where google-auth looks for it} */
    static Path wellKnownFile(Environment environment) {
        Optional<String> config = environment.get("CLOUDSDK_CONFIG");
        Path dir;
        if (config.isPresent()) dir = Path.of(config.get());
        else if (environment.windows()) dir = Path.of(environment.get("APPDATA").orElse(""), "gcloud");
        else dir = environment.userHome().resolve(".config").resolve("gcloud");
        return dir.resolve(WELL_KNOWN_FILE);
    }

    private static GoogleCredentials fromFile(
            Path file, String origin, Optional<String> project, TokenEndpoint endpoint, Clock clock) {
        Map<?, ?> json = readJson(file);
        String type = optional(json, "type", file);
        if (type == null) {
            throw new IllegalStateException(file + " has no \"type\": it is not a Google credentials file"
                    + " (a service account key, or gcloud's application default credentials)");
        }
        URI tokenUri = tokenUri(json, file);
        String fileProject = project.orElseGet(() -> {
            String id = optional(json, "project_id", file);
            return id != null ? id : optional(json, "quota_project_id", file);
        });
        return switch (type) {
            case "service_account" -> {
                String email = required(json, "client_email", file);
                var key = readKey(required(json, "private_key", file), file);
                var source = new GoogleServiceAccount(
                        email,
                        key,
                        optional(json, "private_key_id", file),
                        tokenUri,
                        CLOUD_PLATFORM_SCOPE,
                        endpoint,
                        origin);
                yield new GoogleCredentials(
                        source,
                        "the service account " + email + " (" + origin + ")",
                        fileProject,
                        null,
                        endpoint,
                        clock);
            }
            case "authorized_user" -> {
                String clientId = required(json, "client_id", file);
                var source = new GoogleUserAccount(
                        clientId,
                        required(json, "client_secret", file),
                        required(json, "refresh_token", file),
                        tokenUri,
                        endpoint,
                        origin);
                yield new GoogleCredentials(
                        source, "gcloud user credentials (" + origin + ")", fileProject, null, endpoint, clock);
            }
            default ->
                throw new IllegalStateException(file + " holds credentials of type \"" + shown(type)
                        + "\", which Sluice does not read: use a service account key file (type service_account) or"
                        + " `gcloud auth application-default login` (type authorized_user)");
        };
    }

    private static Map<?, ?> readJson(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalStateException(
                        file + " is larger than " + MAX_FILE_BYTES + " bytes: not a credentials file");
            }
            // never Jackson's reading: its exception would quote the file's text, which holds secrets
            Optional<Object> json = Json.readSecretBearing(Files.readString(file));
            if (json.isEmpty())
                throw new IllegalStateException("cannot read the Google credentials file " + file + ": not JSON");
            if (json.get() instanceof Map<?, ?> map) return map;
            throw new IllegalStateException(file + " is not a JSON object: not a Google credentials file");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the Google credentials file " + file + ": "
                            + e.getClass().getSimpleName(),
                    null);
        }
    }

    private static URI tokenUri(Map<?, ?> json, Path file) {
        String text = optional(json, "token_uri", file);
        if (text == null) return DEFAULT_TOKEN_URI;
        try {
            URI uri = new URI(text);
            if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new IllegalStateException("the token_uri of " + file + " is not an http(s) URL: " + shown(text));
    }

    private static PrivateKey readKey(String pem, Path file) {
        try {
            return GoogleServiceAccount.readPrivateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the private_key of " + file + " cannot be used: " + e.getMessage()
                    + "; download a new key for the service account");
        }
    }

    private static String required(Map<?, ?> json, String field, Path file) {
        String value = optional(json, field, file);
        if (value == null) throw new IllegalStateException(file + " has no \"" + field + "\": the file is incomplete");
        return value;
    }

    private static @Nullable String optional(Map<?, ?> json, String field, Path file) {
        Object value = json.get(field);
        if (value == null) return null;
        if (!(value instanceof String s))
            throw new IllegalStateException("the \"" + field + "\" of " + file + " is not a string");
        return s.isBlank() ? null : s.strip();
    }

    /** Non-secret text of a file, bounded, for a message. */
    private static String shown(String text) {
        return Json.truncate(text.replaceAll("\\p{Cntrl}", "?"), 100);
    }

    /** {@return the token source: cached, refreshed 3 min 45 s before expiry} */
    public TokenSource tokens() {
        return tokens;
    }

    /**
     * {@return the project: {@code GOOGLE_CLOUD_PROJECT}, the file's, or the metadata server's}
     * Empty when a file names none. Asks the metadata server once, the first time, when that is
     * where the credentials come from and {@code GOOGLE_CLOUD_PROJECT} is unset.
     *
     * @throws SluiceException if the metadata server cannot tell it
     */
    public Optional<String> projectId() {
        if (fileProject != null || metadata == null) return Optional.ofNullable(fileProject);
        String known = metadataProject;
        if (known != null) return Optional.of(known);
        projectLock.lock(); // one question, not one per caller
        try {
            if (metadataProject == null) metadataProject = metadata.projectId();
            return Optional.of(metadataProject);
        } finally {
            projectLock.unlock();
        }
    }

    /** {@return the engine token requests go through, and why the JDK's client when it is} */
    String describeEngine() {
        return endpoint.transport().describeEngine();
    }

    /**
     * Closes the transport of the token requests when the credentials made it ({@link
     * #find(Environment, Consumer, Clock)}): its kept-alive connections. A caller's client stays
     * open. Idempotent.
     */
    @Override
    public void close() {
        endpoint.close();
    }

    /** {@return which credentials these are and where they were found, never a secret} */
    @Override
    public String toString() {
        return "GoogleCredentials[" + description + "]";
    }
}
