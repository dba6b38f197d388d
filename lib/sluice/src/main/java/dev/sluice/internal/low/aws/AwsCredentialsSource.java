package dev.sluice.internal.low.aws;

/**
 * Where AWS credentials come from: a fixed pair of keys, a profile, a token service, a container or
 * instance metadata endpoint, or {@link AwsCredentialsChain the chain} that tries them in the AWS
 * SDK's order. A source that fetches temporary credentials caches them and fetches again before
 * they expire ({@link CachedCredentials}).
 *
 * <p>Implementations are safe for concurrent use. {@link #credentials()} may block (a file read, a
 * process, an HTTP call); it never holds a monitor while it does, so it may be called on virtual
 * threads.
 */
@FunctionalInterface
public interface AwsCredentialsSource {
    /**
     * {@return credentials valid now}
     *
     * @throws dev.sluice.CredentialsException if the source has none to give, is malformed, or failed
     *     to fetch them; its message holds no secret
     */
    AwsCredentials credentials();
}
