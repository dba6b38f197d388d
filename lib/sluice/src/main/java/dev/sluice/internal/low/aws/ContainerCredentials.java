package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.aws.CredentialResponses.Response;
import dev.sluice.internal.low.http.HttpPost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity), as the AWS
 * SDK for Java 2.x's {@code ContainerCredentialsProvider} obtains them: a GET of
 * {@code AWS_CONTAINER_SERVICE_ENDPOINT} (default {@code http://169.254.170.2}) followed by
 * {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, or of {@code AWS_CONTAINER_CREDENTIALS_FULL_URI},
 * which must be {@code https}, or {@code http} to a loopback address or to the ECS or EKS endpoint
 * ({@code 169.254.170.2}, {@code 169.254.170.23}, {@code fd00:ec2::23}). The {@code Authorization}
 * header is the content of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (read at each fetch: EKS
 * rotates it), else {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}. The answer is JSON with
 * {@code AccessKeyId}, {@code SecretAccessKey}, {@code Token} and {@code Expiration}.
 */
final class ContainerCredentials implements Supplier<Expiring<AwsCredentials>> {
    /** The deadline of a fetch, its answer's body included. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Set<String> CONTAINER_HOSTS =
            Set.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "fd00:ec2::23");

    private final AwsSettings settings;
    private final URI uri;
    private final Duration timeout;

    private ContainerCredentials(AwsSettings settings, URI uri) {
        this(settings, uri, TIMEOUT);
    }

    private ContainerCredentials(AwsSettings settings, URI uri, Duration timeout) {
        this.settings = settings;
        this.uri = uri;
        this.timeout = timeout;
    }

    /** {@return this source with another deadline for a fetch (for tests)} */
    ContainerCredentials withTimeout(Duration timeout) {
        return new ContainerCredentials(settings, uri, timeout);
    }

    /**
     * {@return the source the settings configure, or null when neither URI variable is set}
     *
     * @throws CredentialsException ({@link Kind#INVALID}) if the full URI is malformed or its host is not allowed
     */
    static @Nullable ContainerCredentials configured(AwsSettings settings) {
        String relative = settings.setting("aws.containerCredentialsPath", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        if (relative != null) {
            String base = settings.setting("aws.containerServiceEndpoint", "AWS_CONTAINER_SERVICE_ENDPOINT");
            base = base == null
                    ? "http://169.254.170.2"
                    : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            try {
                return new ContainerCredentials(
                        settings, URI.create(base + (relative.startsWith("/") ? "" : "/") + relative));
            } catch (IllegalArgumentException e) {
                throw new CredentialsException(
                        Kind.INVALID, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path", null);
            }
        }
        String full = settings.setting("aws.containerCredentialsFullUri", "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (full == null) return null;
        URI uri;
        try {
            uri = URI.create(full);
        } catch (IllegalArgumentException e) {
            throw new CredentialsException(Kind.INVALID, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL", null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new CredentialsException(
                    Kind.INVALID, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL", null);
        }
        if (scheme.equals("http") && !allowedHost(uri.getHost())) {
            throw new CredentialsException(
                    Kind.INVALID,
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI (" + AwsRegions.shown(uri)
                            + ") has a host that is not allowed: with http, it must be a loopback address or the ECS or EKS"
                            + " container endpoint (169.254.170.2, 169.254.170.23, [fd00:ec2::23]); else use https",
                    null);
        }
        return new ContainerCredentials(settings, uri);
    }

    /** {@return whether an http URL may go to the host: every address it resolves to is loopback, or it is the ECS or EKS endpoint} */
    static boolean allowedHost(String host) {
        if (CONTAINER_HOSTS.contains(host)) return true;
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) return false;
            }
            return all.length > 0;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** {@return the endpoint, as messages name it} */
    String where() {
        return AwsRegions.shown(uri);
    }

    @Override
    public Expiring<AwsCredentials> get() {
        String authorization = authorization();
        // the Authorization header's value is a credential header's: never in a message
        HttpPost request = HttpPost.get(uri, authorization == null ? Map.of() : Map.of("Authorization", authorization))
                .withTimeout(timeout);
        String what = "the container credentials endpoint " + where();
        Response r = CredentialResponses.send(settings.http(), request, what, Kind.FAILED);
        if (r.status() != 200) throw new CredentialsException(Kind.FAILED, what + " answered HTTP " + r.status(), null);
        return CredentialResponses.json(r.body(), "Token", what);
    }

    private @Nullable String authorization() {
        String file = settings.setting("aws.containerAuthorizationTokenFile", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        String token;
        String from;
        if (file != null) {
            from = "the file of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (" + file + ")";
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new CredentialsException(
                        Kind.INVALID,
                        from + " could not be read (" + e.getClass().getSimpleName() + ")",
                        e);
            }
        } else {
            from = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
            token = settings.setting("aws.containerAuthorizationToken", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
            if (token == null) return null;
        }
        if (token.isEmpty() || token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
            throw new CredentialsException(Kind.INVALID, from + " is empty or holds a line break", null);
        }
        return token;
    }
}
