package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * AWS credentials found as the AWS SDK for Java 2.x's {@code DefaultCredentialsProvider} finds them,
 * trying in this order and keeping the first source that gives credentials (as the SDK reuses its
 * last provider):
 * <ol>
 *   <li>system properties {@code aws.accessKeyId}, {@code aws.secretAccessKey}, {@code aws.sessionToken};
 *   <li>environment variables {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN};
 *   <li>web identity: {@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN} (and
 *       {@code AWS_ROLE_SESSION_NAME}), exchanged at STS ({@link WebIdentityCredentials});
 *   <li>the profile {@code AWS_PROFILE} (default {@code default}) of the shared files ({@link AwsProfiles}):
 *       {@code role_arn} with {@code web_identity_token_file}, {@code credential_process}
 *       ({@link CredentialProcess}), or the keys {@code aws_access_key_id}, {@code aws_secret_access_key},
 *       {@code aws_session_token}; a profile that needs IAM Identity Center ({@code sso_*}),
 *       {@code source_profile}, {@code credential_source} or {@code login_session} is reported as not
 *       supported, with the AWS CLI command that turns it into a {@code credential_process};
 *   <li>the container endpoint ({@link ContainerCredentials});
 *   <li>the EC2 instance metadata service, IMDSv2 ({@link InstanceMetadata}).
 * </ol>
 * A source that fails is passed over, as in the SDK; when none gives credentials, the
 * {@link CredentialsException} lists each source with why it gave none, and what to set. Its kind
 * is {@code NOT_FOUND} when no source was configured, else the kind of the first configured one's failure.
 *
 * <p>Threads: any caller; the first ones wait, under {@code lock}, for one walk along the chain;
 * {@code chosen} is then read without it.
 */
public final class AwsCredentialsChain implements AwsCredentialsSource {
    private record Link(String name, Supplier<AwsCredentialsSource> open) {}

    private final List<Link> links;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable AwsCredentialsSource chosen;
    private volatile @Nullable String chosenName;

    private AwsCredentialsChain(List<Link> links) {
        this.links = List.copyOf(links);
    }

    /** {@return the chain of the AWS SDK's default credentials provider, over the settings given} */
    public static AwsCredentialsChain defaults(AwsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        List<Link> links = new ArrayList<>();
        links.add(new Link(
                "system properties",
                () -> keys(
                        settings.systemProperties().get("aws.accessKeyId"),
                        settings.systemProperties().get("aws.secretAccessKey"),
                        settings.systemProperties().get("aws.sessionToken"),
                        "aws.accessKeyId",
                        "aws.secretAccessKey")));
        links.add(new Link(
                "environment variables",
                () -> keys(
                        settings.env("AWS_ACCESS_KEY_ID"),
                        settings.env("AWS_SECRET_ACCESS_KEY"),
                        settings.env("AWS_SESSION_TOKEN"),
                        "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY")));
        links.add(new Link("web identity", () -> webIdentity(settings)));
        links.add(new Link("profile " + AwsProfiles.selected(settings), () -> profile(settings)));
        links.add(new Link("container endpoint", () -> {
            ContainerCredentials c = ContainerCredentials.configured(settings);
            if (c == null) {
                throw notFound(
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
            }
            return new CachedCredentials(c, CachedCredentials.CONTAINER, settings.clock());
        }));
        links.add(new Link("instance metadata (IMDSv2)", () -> {
            if (InstanceMetadata.disabled(settings)) throw notFound("AWS_EC2_METADATA_DISABLED is true");
            return new CachedCredentials(
                    new InstanceMetadata(settings), CachedCredentials.INSTANCE_METADATA, settings.clock());
        }));
        return new AwsCredentialsChain(links);
    }

    /**
     * {@inheritDoc} The first call walks the chain; later ones ask the source it found.
     *
     * @throws CredentialsException if no source gives credentials (the message lists them), or the
     *     source found fails later (its credentials expired and could not be fetched again)
     */
    @Override
    public AwsCredentials credentials() {
        AwsCredentialsSource c = chosen;
        if (c != null) return c.credentials();
        lock.lock();
        try {
            if (chosen != null) return chosen.credentials();
            List<String> tried = new ArrayList<>();
            CredentialsException first = null;
            for (Link link : links) {
                try {
                    AwsCredentialsSource source = link.open.get();
                    AwsCredentials credentials = source.credentials();
                    chosenName = link.name;
                    chosen = source;
                    return credentials;
                } catch (CredentialsException e) {
                    tried.add(link.name + ": " + e.getMessage());
                    if (first == null && e.kind() != Kind.NOT_FOUND) first = e;
                }
            }
            throw new CredentialsException(
                    first == null ? Kind.NOT_FOUND : first.kind(),
                    (first == null ? "no AWS credentials were found" : "no AWS credentials could be obtained")
                            + "; tried, in the AWS SDK's order: " + String.join("; ", tried)
                            + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary keys),"
                            + " choose a profile of ~/.aws/credentials or ~/.aws/config with AWS_PROFILE,"
                            + " or give a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK",
                    first);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the name of the source that gave credentials, such as {@code environment variables}; null before} */
    public @Nullable String source() {
        return chosenName;
    }

    @Override
    public String toString() {
        String name = chosenName;
        return "AwsCredentialsChain[" + (name == null ? "not resolved" : name) + "]";
    }

    private static AwsCredentialsSource keys(
            @Nullable String id, @Nullable String secret, @Nullable String token, String idName, String secretName) {
        id = blankToNull(id);
        secret = blankToNull(secret);
        if (id == null && secret == null) throw notFound(idName + " is not set");
        if (id == null || secret == null) {
            throw new CredentialsException(
                    Kind.INVALID,
                    (id == null ? secretName + " is set but " + idName : idName + " is set but " + secretName)
                            + " is not",
                    null);
        }
        AwsCredentials credentials = new AwsCredentials(id, secret, blankToNull(token));
        return () -> credentials;
    }

    private static AwsCredentialsSource webIdentity(AwsSettings settings) {
        String file = settings.setting("aws.webIdentityTokenFile", "AWS_WEB_IDENTITY_TOKEN_FILE");
        String role = settings.setting("aws.roleArn", "AWS_ROLE_ARN");
        if (file == null && role == null) throw notFound("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set");
        if (file == null || role == null) {
            throw new CredentialsException(
                    Kind.INVALID,
                    (file == null
                                    ? "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE"
                                    : "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN")
                            + " is not",
                    null);
        }
        String session = settings.setting("aws.roleSessionName", "AWS_ROLE_SESSION_NAME");
        return webIdentity(settings, settings.expand(file), role, session);
    }

    private static AwsCredentialsSource webIdentity(
            AwsSettings settings, Path file, String role, @Nullable String session) {
        Supplier<String> region = () -> AwsRegions.region(settings)
                .orElseThrow(() -> new CredentialsException(
                        Kind.INVALID,
                        "web identity needs the STS endpoint: set AWS_REGION or AWS_ENDPOINT_URL_STS",
                        null));
        WebIdentityCredentials fetch = new WebIdentityCredentials(
                settings, file, role, session, () -> WebIdentityCredentials.endpoint(settings, region));
        return new CachedCredentials(fetch, CachedCredentials.STS, settings.clock());
    }

    private static AwsCredentialsSource profile(AwsSettings settings) {
        String name = AwsProfiles.selected(settings);
        AwsProfiles profiles = AwsProfiles.load(settings);
        Map<String, String> p =
                profiles.profile(name).orElseThrow(() -> notFound("no profile " + name + " in " + profiles.files()));
        if (p.containsKey("role_arn") && p.containsKey("web_identity_token_file")) {
            return webIdentity(
                    settings,
                    settings.expand(p.get("web_identity_token_file")),
                    p.get("role_arn"),
                    blankToNull(p.get("role_session_name")));
        }
        // the SDK's next kinds, in its order: IAM Identity Center, a role assumed with other credentials, a console
        // login
        String unsupported = p.keySet().stream()
                .filter(k -> k.startsWith("sso_"))
                .findFirst()
                .orElse(
                        p.containsKey("role_arn")
                                ? "role_arn"
                                : p.containsKey("login_session") ? "login_session" : null);
        if (unsupported != null) {
            throw new CredentialsException(
                    Kind.INVALID,
                    "profile " + name + " uses " + unsupported
                            + ", which Sluice does not read; with the AWS CLI installed, select (AWS_PROFILE) a profile holding"
                            + " credential_process = aws configure export-credentials --profile " + name
                            + " --format process",
                    null);
        }
        String process = blankToNull(p.get("credential_process"));
        if (process != null) {
            return new CachedCredentials(
                    new CredentialProcess(
                            process, settings.environment(), CredentialProcess.TIMEOUT, name, settings.clock()),
                    CachedCredentials.PROCESS,
                    settings.clock());
        }
        if (p.containsKey("aws_session_token") || p.containsKey("aws_access_key_id")) {
            String id = blankToNull(p.get("aws_access_key_id"));
            String secret = blankToNull(p.get("aws_secret_access_key"));
            if (id == null || secret == null) {
                throw new CredentialsException(
                        Kind.INVALID,
                        "profile " + name + " in " + profiles.files() + " lacks "
                                + (id == null ? "aws_access_key_id" : "aws_secret_access_key"),
                        null);
            }
            AwsCredentials credentials = new AwsCredentials(id, secret, blankToNull(p.get("aws_session_token")));
            return () -> credentials;
        }
        throw notFound("profile " + name + " has no credentials (aws_access_key_id, credential_process, ...)");
    }

    private static CredentialsException notFound(String why) {
        return new CredentialsException(Kind.NOT_FOUND, why, null);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
