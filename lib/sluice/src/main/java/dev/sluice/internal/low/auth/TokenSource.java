package dev.sluice.internal.low.auth;

/**
 * Where bearer tokens come from: a token endpoint, a metadata server, or a cache in front of one
 * ({@link CachingTokenSource}). Implementations are thread-safe; {@code toString()} says which
 * credential it is (an account, a file, an endpoint), never a secret.
 */
@FunctionalInterface
public interface TokenSource {
    /**
     * {@return a token valid now} Blocks the calling thread while a token is requested.
     *
     * @throws dev.sluice.ApiException if the token endpoint refused (its error code is the
     *     {@code errorType()}, its description in the message)
     * @throws dev.sluice.TransportException if the endpoint could not be reached or did not answer in time
     * @throws dev.sluice.ProtocolException if its answer held no usable token
     * @throws dev.sluice.StreamInterruptedException if the thread was interrupted while waiting
     *     (its interrupt status is set again)
     * @throws IllegalStateException if the credential cannot be used any more (a file it reads
     *     again, such as a workload identity's token file, is gone)
     */
    AccessToken token();
}
