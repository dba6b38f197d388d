package dev.sluice.relay;

import java.util.Objects;

/**
 * A key and its use so far, as {@link ApiKeyStore#keys()} lists them.
 *
 * @param key the key (without its secret)
 * @param usedTokens the tokens its settled answers used, input and output
 * @param reservedTokens the tokens its requests in flight hold
 * @param requests the requests it was granted
 */
public record KeyAccount(ApiKey key, long usedTokens, long reservedTokens, long requests) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public KeyAccount {
        Objects.requireNonNull(key, "key");
        if (usedTokens < 0 || reservedTokens < 0 || requests < 0)
            throw new IllegalArgumentException("a key's counts must not be negative");
    }
}
