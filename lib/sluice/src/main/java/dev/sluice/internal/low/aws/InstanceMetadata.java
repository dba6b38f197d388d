package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.aws.CredentialResponses.Response;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.ServerText;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The EC2 instance metadata service, version 2 (IMDSv2), as the AWS SDK for Java 2.x's
 * {@code InstanceProfileCredentialsProvider} and {@code InstanceProfileRegionProvider} use it: a
 * session token from {@code PUT /latest/api/token} ({@code x-aws-ec2-metadata-token-ttl-seconds: 21600}),
 * sent as {@code x-aws-ec2-metadata-token} with each read: the role's name from
 * {@code /latest/meta-data/iam/security-credentials/}, then its credentials from
 * {@code /latest/meta-data/iam/security-credentials/ROLE}; the region from
 * {@code /latest/dynamic/instance-identity/document}.
 *
 * <p>The endpoint is {@code aws.ec2MetadataServiceEndpoint} / {@code AWS_EC2_METADATA_SERVICE_ENDPOINT},
 * else {@code http://[fd00:ec2::254]} when {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE} is
 * {@code IPv6}, else {@code http://169.254.169.254}. Each call must answer within
 * {@code AWS_METADATA_SERVICE_TIMEOUT} seconds (default 1, the SDK's), so that a machine that is not
 * an EC2 instance fails fast; {@code AWS_EC2_METADATA_DISABLED=true} turns the service off. Unlike the
 * SDK, there is no fallback to IMDSv1 when the token cannot be had, and no retry.
 */
final class InstanceMetadata implements Supplier<Expiring<AwsCredentials>> {
    private static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

    private final AwsSettings settings;
    private final URI endpoint;
    private final Duration timeout;

    InstanceMetadata(AwsSettings settings) {
        this.settings = settings;
        this.endpoint = endpoint(settings);
        this.timeout = timeout(settings);
    }

    /** {@return whether {@code aws.disableEc2Metadata} / {@code AWS_EC2_METADATA_DISABLED} is {@code true}} */
    static boolean disabled(AwsSettings settings) {
        return "true".equalsIgnoreCase(settings.setting("aws.disableEc2Metadata", "AWS_EC2_METADATA_DISABLED"));
    }

    static URI endpoint(AwsSettings settings) {
        String url = settings.setting("aws.ec2MetadataServiceEndpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT");
        if (url != null) return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        String mode = settings.setting("aws.ec2MetadataServiceEndpointMode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
        return URI.create("ipv6".equalsIgnoreCase(mode) ? "http://[fd00:ec2::254]" : "http://169.254.169.254");
    }

    private static Duration timeout(AwsSettings settings) {
        String t = settings.setting("aws.ec2MetadataServiceTimeout", "AWS_METADATA_SERVICE_TIMEOUT");
        if (t == null) return Duration.ofSeconds(1);
        try {
            double seconds = Double.parseDouble(t);
            if (seconds > 0 && seconds <= 3600) return Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new CredentialsException(
                Kind.INVALID, "AWS_METADATA_SERVICE_TIMEOUT is not a number of seconds between 0 and 3600", null);
    }

    /** {@return the service's endpoint, as messages name it} */
    String where() {
        return AwsRegions.shown(endpoint);
    }

    @Override
    public Expiring<AwsCredentials> get() {
        String token = token();
        Response roles = read(CREDENTIALS_PATH, token);
        if (roles.status() == 404) {
            throw new CredentialsException(
                    Kind.NOT_FOUND,
                    "the instance metadata service at " + where()
                            + " has no IAM role for this instance (attach an instance profile)",
                    null);
        }
        String role = roles.body()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse(null);
        if (roles.status() != 200 || role == null || role.contains("/")) {
            throw new CredentialsException(
                    Kind.FAILED,
                    "the instance metadata service at " + where() + " answered HTTP " + roles.status()
                            + " without a role name",
                    null);
        }
        Response r = read(CREDENTIALS_PATH + role, token);
        String what = "the instance metadata service at " + where() + " (role " + role + ")";
        if (r.status() != 200) throw new CredentialsException(Kind.FAILED, what + " answered HTTP " + r.status(), null);
        // a malformed answer is reported by json(..) below; never Jackson's reading, whose exception would quote it
        if (Json.readSecretBearing(r.body()).orElse(null) instanceof Map<?, ?> m
                && m.get("Code") instanceof String code
                && !code.equals("Success")) {
            throw new CredentialsException(
                    Kind.FAILED,
                    what + " answered with Code "
                            + ServerText.clean(
                                    code.substring(0, Math.min(64, code.length())),
                                    Map.of("x-aws-ec2-metadata-token", token)),
                    null);
        }
        return CredentialResponses.json(r.body(), "Token", what);
    }

    /** {@return the region of the instance's identity document, when the service answers with one} */
    Optional<String> region() {
        try {
            Response r = read("/latest/dynamic/instance-identity/document", token());
            if (r.status() != 200) return Optional.empty();
            return Json.readValue(r.body()) instanceof Map<?, ?> m
                            && m.get("region") instanceof String region
                            && !region.isBlank()
                    ? Optional.of(region.strip())
                    : Optional.empty();
        } catch (CredentialsException | IOException e) {
            return Optional.empty();
        }
    }

    private String token() {
        HttpPost put = new HttpPost(
                endpoint.resolve("/latest/api/token"),
                Map.of("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
                "",
                timeout,
                timeout,
                "PUT");
        Response r = CredentialResponses.send(
                settings.http(), put, "the instance metadata service at " + where(), Kind.NOT_FOUND);
        String token = r.body().strip();
        if (r.status() == 403 || r.status() == 404 || r.status() == 405) {
            // where the SDK would fall back to IMDSv1: no IMDSv2 here
            throw new CredentialsException(
                    Kind.NOT_FOUND,
                    "the instance metadata service at " + where() + " gave no IMDSv2 session token (HTTP " + r.status()
                            + "); IMDSv1 is not used",
                    null);
        }
        if (r.status() != 200 || token.isEmpty() || token.contains("\n") || token.contains("\r")) {
            throw new CredentialsException(
                    Kind.FAILED,
                    "the instance metadata service at " + where() + " answered HTTP " + r.status()
                            + " without an IMDSv2 session token",
                    null);
        }
        return token;
    }

    private Response read(String path, String token) {
        // the session token is a secret: the transport's messages are made without it
        HttpPost get = HttpPost.get(endpoint.resolve(path), Map.of("x-aws-ec2-metadata-token", token))
                .withTimeout(timeout)
                .withSecrets(List.of(token));
        return CredentialResponses.send(
                settings.http(), get, "the instance metadata service at " + where(), Kind.NOT_FOUND);
    }
}
