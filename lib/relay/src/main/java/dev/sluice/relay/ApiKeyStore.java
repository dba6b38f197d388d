package dev.sluice.relay;

import java.util.List;
import java.util.Optional;

/**
 * Where the gateway's minted keys and their budgets live: {@link #inMemory()} for one node (gone
 * with the process), or a shared store ({@code RedisRelayStore.apiKeys()} in
 * {@code sluice-relay-redis}) that every node reads and that survives a restart. It knows no
 * HTTP: the server maps its answers.
 *
 * <p>The budget is checked and taken in one atomic step ({@link #reserve}): a request reserves the
 * most it may spend before it goes upstream and {@linkplain #settle settles} on what it used, so
 * requests in flight together can overrun a budget by at most one request's reservation, never by
 * each one's. An implementation keeps only a key's secret's hash.
 *
 * <p>Implementations are safe from any thread; a shared one throws {@link dev.sluice.RelayException}
 * of kind {@code UNAVAILABLE} while it cannot be reached.
 */
public interface ApiKeyStore {
    /**
     * {@return a store in this process's heap}
     */
    static ApiKeyStore inMemory() {
        return new InMemoryApiKeyStore();
    }

    /**
     * Keeps a new key.
     *
     * @param key the key
     * @param secretHash the lower-case hex SHA-256 of its secret, which {@link #find} is asked with
     * @throws IllegalArgumentException if a key of that id or hash is kept already
     */
    void add(ApiKey key, String secretHash);

    /**
     * {@return the key whose secret has this hash, unless it was revoked; empty when none} A shared
     * store may answer a key it found a moment before without asking again (Redis's keeps one 5 s):
     * the authority on a revoked key is then {@link #reserve}, which refuses it, after which this no
     * longer finds it.
     *
     * @param secretHash the lower-case hex SHA-256 of the secret a request came with
     */
    Optional<ApiKey> find(String secretHash);

    /** {@return every key not revoked, with its use, oldest first} */
    List<KeyAccount> keys();

    /**
     * Revokes a key: {@link #find} no longer finds it; its counts are dropped.
     *
     * @param id the key's id
     * @return whether there was such a key
     */
    boolean revoke(String id);

    /**
     * Atomically, when the key's budget is not spent ({@code used + reserved < maxTokensTotal}, or it
     * has none): reserves {@code tokens} and counts a request.
     *
     * @param key the key
     * @param tokens the most the request may spend, positive
     * @return whether it was granted; false when the budget is spent or the key was revoked
     */
    boolean reserve(ApiKey key, long tokens);

    /**
     * Ends a reservation: releases {@code reserved} and adds {@code used}; a key revoked meanwhile
     * is left alone.
     *
     * @param key the key
     * @param reserved what {@link #reserve} took
     * @param used the tokens the answer used (input and output); 0 for a request that failed before any
     */
    void settle(ApiKey key, long reserved, long used);
}
