package dev.sluice.relay.redis;

import dev.sluice.relay.ApiKey;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.KeyAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The minted keys on Redis ({@link RedisRelayStore#apiKeys()}), through the relay store's
 * connections. A key's record and its counts are one hash, so that a reservation checks and takes
 * the budget in one script.
 *
 * <p>A key found is kept in this node's memory for {@link RedisRelayStore.Builder#keyCacheTtl} (5 s by
 * default), so that a request's {@link #find} costs no round trip while its key was found that recently: a
 * request that spends still reaches Redis once, for its {@link #reserve}, whose script finds no record of a
 * revoked key, refuses it and drops it from this memory. A key revoked on this node is dropped from it at
 * once. A key not found is not kept: one minted on another node works here at once. Safe from any thread.
 */
final class RedisApiKeyStore implements ApiKeyStore {
    /** The most keys kept found at once; past it the memory is emptied and filled again. */
    private static final int CACHED_KEYS = 10_000;

    /** KEYS: the record, the hash index, the id index; ARGV: id, hash, created ms, then the members. */
    private static final String ADD = """
            if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'hash', ARGV[2], 'created', ARGV[3], 'name', ARGV[4], 'models', ARGV[5],
              'max_tokens', ARGV[6], 'rpm', ARGV[7], 'expires', ARGV[8], 'used', 0, 'reserved', 0, 'requests', 0)
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
            return 1
            """;
    /** KEYS: the record, the hash index, the id index; ARGV: the id. */
    private static final String REVOKE = """
            local hash = redis.call('HGET', KEYS[1], 'hash')
            if not hash then return 0 end
            redis.call('HDEL', KEYS[2], hash)
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('DEL', KEYS[1])
            return 1
            """;
    /**
     * KEYS: the hash index; ARGV: the record's name but its id, the hash. Answers the id then the
     * record's members and values, in one round trip (the record is in the index's slot).
     */
    private static final String FIND = """
            local id = redis.call('HGET', KEYS[1], ARGV[2])
            if not id then return {} end
            local r = redis.call('HGETALL', ARGV[1] .. id)
            if #r == 0 then return {} end
            table.insert(r, 1, id)
            return r
            """;
    /**
     * KEYS: the record; ARGV: the tokens. Reserves them while the budget is not spent; counts the request.
     * Answers 1 when granted, 0 when spent, -1 when there is no record (revoked).
     */
    private static final String RESERVE = """
            local k = redis.call('HMGET', KEYS[1], 'max_tokens', 'used', 'reserved')
            if not k[1] then return -1 end
            local max = tonumber(k[1])
            if max > 0 and tonumber(k[2]) + tonumber(k[3]) >= max then return 0 end
            redis.call('HINCRBY', KEYS[1], 'reserved', ARGV[1])
            redis.call('HINCRBY', KEYS[1], 'requests', 1)
            return 1
            """;
    /** KEYS: the record; ARGV: the tokens reserved, the tokens used. */
    private static final String SETTLE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(ARGV[1])) < 0 then
              redis.call('HSET', KEYS[1], 'reserved', 0)
            end
            redis.call('HINCRBY', KEYS[1], 'used', ARGV[2])
            return 1
            """;

    private final RedisRelayStore store;
    private final long ttlNanos;
    /** Keys found, by their secret's hash, with when each was found ({@link System#nanoTime()}). */
    private final Map<String, Found> found = new ConcurrentHashMap<>();

    private record Found(ApiKey key, long at) {}

    RedisApiKeyStore(RedisRelayStore store, Duration cacheTtl) {
        this.store = store;
        this.ttlNanos = cacheTtl.toNanos();
    }

    @Override
    public void add(ApiKey key, String secretHash) {
        Object added = store.call("addKey", () -> {
            RedisConnections c = store.connections();
            return c.redis.eval(
                    ADD,
                    List.of(c.keys.apiKey(key.id()), c.keys.apiKeyHashes(), c.keys.apiKey("")),
                    List.of(
                            key.id(),
                            secretHash,
                            Long.toString(key.createdAt().toEpochMilli()),
                            key.name(),
                            String.join("\n", key.models()),
                            Long.toString(key.maxTokensTotal()),
                            Integer.toString(key.maxRequestsPerMinute()),
                            key.expiresAt() == null
                                    ? ""
                                    : Long.toString(key.expiresAt().toEpochMilli())));
        });
        if (!Long.valueOf(1).equals(added))
            throw new IllegalArgumentException("the key " + key.id() + " is kept already");
    }

    @Override
    public Optional<ApiKey> find(String secretHash) {
        Found kept = found.get(secretHash);
        if (kept != null) {
            if (System.nanoTime() - kept.at() < ttlNanos) return Optional.of(kept.key());
            found.remove(secretHash, kept);
        }
        Optional<ApiKey> key = findInRedis(secretHash);
        if (key.isPresent() && ttlNanos > 0) {
            if (found.size() >= CACHED_KEYS) found.clear();
            found.put(secretHash, new Found(key.get(), System.nanoTime()));
        }
        return key;
    }

    private Optional<ApiKey> findInRedis(String secretHash) {
        return store.call("findKey", () -> {
            RedisConnections c = store.connections();
            Object found = c.redis.eval(FIND, List.of(c.keys.apiKeyHashes()), List.of(c.keys.apiKey(""), secretHash));
            if (!(found instanceof List<?> r) || r.size() < 3) return Optional.<ApiKey>empty();
            Map<String, String> record = new HashMap<>();
            for (int i = 1; i + 1 < r.size(); i += 2)
                record.put(String.valueOf(r.get(i)), String.valueOf(r.get(i + 1)));
            return Optional.of(key(String.valueOf(r.getFirst()), record));
        });
    }

    @Override
    public List<KeyAccount> keys() {
        return store.call("listKeys", () -> {
            RedisConnections c = store.connections();
            List<KeyAccount> all = new ArrayList<>();
            for (String id : c.redis.zrange(c.keys.apiKey(""), 0, -1)) {
                Map<String, String> r = c.redis.hgetAll(c.keys.apiKey(id));
                if (r.isEmpty()) continue; // revoked meanwhile
                all.add(new KeyAccount(
                        key(id, r),
                        Math.max(0, number(r, "used")),
                        Math.max(0, number(r, "reserved")),
                        Math.max(0, number(r, "requests"))));
            }
            return all;
        });
    }

    @Override
    public boolean revoke(String id) {
        forget(id);
        boolean revoked = Long.valueOf(1).equals(store.call("revokeKey", () -> {
            RedisConnections c = store.connections();
            return c.redis.eval(
                    REVOKE, List.of(c.keys.apiKey(id), c.keys.apiKeyHashes(), c.keys.apiKey("")), List.of(id));
        }));
        forget(id); // a find that ran meanwhile may have kept it again
        return revoked;
    }

    /** Drops the key of this id from the keys found. */
    private void forget(String id) {
        found.values().removeIf(f -> f.key().id().equals(id));
    }

    @Override
    public boolean reserve(ApiKey key, long tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("tokens must be positive: " + tokens);
        Object granted = store.call("reserveKey", () -> {
            RedisConnections c = store.connections();
            return c.redis.eval(RESERVE, List.of(c.keys.apiKey(key.id())), List.of(Long.toString(tokens)));
        });
        if (Long.valueOf(-1).equals(granted)) forget(key.id()); // revoked, on another node: found no more
        return Long.valueOf(1).equals(granted);
    }

    @Override
    public void settle(ApiKey key, long reserved, long used) {
        store.call("settleKey", () -> {
            RedisConnections c = store.connections();
            return c.redis.eval(
                    SETTLE,
                    List.of(c.keys.apiKey(key.id())),
                    List.of(Long.toString(reserved), Long.toString(Math.max(0, used))));
        });
    }

    private static ApiKey key(String id, Map<String, String> r) {
        String models = r.getOrDefault("models", "");
        String expires = r.getOrDefault("expires", "");
        return new ApiKey(
                id,
                r.getOrDefault("name", id),
                models.isEmpty() ? List.of() : Arrays.asList(models.split("\n")),
                number(r, "max_tokens"),
                (int) number(r, "rpm"),
                expires.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(expires)),
                Instant.ofEpochMilli(number(r, "created")));
    }

    private static long number(Map<String, String> r, String member) {
        String v = r.get(member);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "RedisApiKeyStore[" + store + "]";
    }
}
