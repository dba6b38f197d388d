package dev.sluice.relay.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.ApiKey;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.KeyAccount;
import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.relay.redis.server.RedisUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Minted keys on one real Redis shared by two nodes ({@link RedisRelayStore#apiKeys()}): one
 * budget for both, reserved atomically under concurrency, and keys and counts kept across a node's
 * restart.
 */
class RedisApiKeyStoreTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** The Redis the nodes share: one {@code redis-server} here, a cluster in {@link RedisApiKeyStoreOnClusterTest}. */
    static RedisUnderTest redis;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String prefix = "keys" + PREFIXES.incrementAndGet() + ":";

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    private RedisRelayStore node() {
        RedisRelayStore s = RedisRelayStore.builder(redis.url())
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(s);
        return s;
    }

    private static ApiKey key(String id, long budget) {
        return new ApiKey(
                id,
                "team " + id,
                List.of("anthropic/claude-sonnet-4-5"),
                budget,
                0,
                null,
                Instant.ofEpochSecond(1_800_000_000));
    }

    @Test
    void twoNodes_64ConcurrentReservations_oneBudgetOverrunByAtMostOneReservation() throws Exception {
        ApiKeyStore a = node().apiKeys();
        ApiKeyStore b = node().apiKeys();
        ApiKey shared = key("key_shared", 10_000);
        ApiKey other = key("key_other", 10_000);
        a.add(shared, "hash-shared");
        a.add(other, "hash-other");
        assertEquals(shared, b.find("hash-shared").orElseThrow());

        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++) {
                ApiKeyStore on = i % 2 == 0 ? a : b;
                tries.add(threads.submit(() -> {
                    go.await();
                    return on.reserve(shared, 500);
                }));
            }
            go.countDown();
        }
        int granted = 0;
        for (Future<Boolean> t : tries) if (t.get()) granted++;
        assertEquals(20, granted, "10,000 tokens hold 20 reservations of 500, whichever node takes them");
        for (int i = 0; i < granted; i++) (i % 2 == 0 ? a : b).settle(shared, 500, 520);
        KeyAccount after = account(b, "key_shared");
        assertEquals(20 * 520, after.usedTokens());
        assertTrue(after.usedTokens() <= 10_000 + 520);
        assertEquals(0, after.reservedTokens());
        assertEquals(20, after.requests());
        assertFalse(a.reserve(shared, 1), "spent");
        assertTrue(b.reserve(other, 500), "another key keeps its own budget");
    }

    @Test
    void restart_keepsKeysAndCounts_revokeSeenByEveryNode() throws Exception {
        RedisRelayStore first = node();
        first.apiKeys().add(key("key_kept", 0), "hash-kept");
        assertTrue(first.apiKeys().reserve(key("key_kept", 0), 100));
        first.apiKeys().settle(key("key_kept", 0), 100, 42);
        first.close();

        ApiKeyStore again = node().apiKeys();
        ApiKey found = again.find("hash-kept").orElseThrow();
        assertEquals("team key_kept", found.name());
        assertEquals(List.of("anthropic/claude-sonnet-4-5"), found.models());
        KeyAccount kept = account(again, "key_kept");
        assertEquals(42, kept.usedTokens());
        assertEquals(1, kept.requests());

        ApiKeyStore other = node().apiKeys();
        assertThrows(IllegalArgumentException.class, () -> other.add(key("key_kept", 0), "hash-else"));
        assertTrue(other.revoke("key_kept"));
        assertTrue(other.find("hash-kept").isEmpty(), "the node that revoked it forgets it at once");
        assertTrue(again.keys().isEmpty());
        assertFalse(again.reserve(found, 1), "every node refuses its reservation at once");
        assertTrue(again.find("hash-kept").isEmpty(), "and, refused, finds it no more");
        assertFalse(other.revoke("key_kept"));
    }

    @Test
    void foundKey_keptForItsTtl_noRoundTrip_revokedElsewhere_refusedByItsNextReservationThenForgotten()
            throws Exception {
        RedisRelayStore first = node();
        ApiKeyStore a = first.apiKeys();
        assertSame(a, first.apiKeys(), "one memory a node");
        ApiKeyStore b = node().apiKeys();
        ApiKey k = key("key_cached", 0);
        a.add(k, "hash-cached");
        assertEquals(k, a.find("hash-cached").orElseThrow());

        // gone from Redis behind the store's back: still found, with no round trip
        try (var client = redis.client()) {
            assertEquals(1, client.del(new Keys(prefix, redis.cluster()).apiKey("key_cached")));
        }
        assertEquals(Optional.of(k), a.find("hash-cached"), "kept for its TTL");
        assertFalse(a.reserve(k, 1), "the reservation finds no record");
        assertTrue(a.find("hash-cached").isEmpty(), "refused once, it is found no more");

        // revoked on another node: refused by the next reservation here, then not found
        ApiKey other = key("key_elsewhere", 0);
        a.add(other, "hash-elsewhere");
        assertTrue(a.find("hash-elsewhere").isPresent());
        assertTrue(b.revoke("key_elsewhere"));
        assertTrue(a.find("hash-elsewhere").isPresent(), "another node's revoke is not seen by a find within the TTL");
        assertFalse(a.reserve(other, 1));
        assertTrue(a.find("hash-elsewhere").isEmpty());

        // a key not found is not kept: minted on another node after a miss, found at once
        assertTrue(a.find("hash-late").isEmpty());
        b.add(key("key_late", 0), "hash-late");
        assertTrue(a.find("hash-late").isPresent());
    }

    @Test
    void keyCacheTtl_lapses_revokeElsewhereSeenByFind_zeroKeepsNone() throws Exception {
        RedisRelayStore shortLived = RedisRelayStore.builder(redis.url())
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .keyCacheTtl(Duration.ofMillis(300))
                .build();
        closing.add(shortLived);
        RedisRelayStore none = RedisRelayStore.builder(redis.url())
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .keyCacheTtl(Duration.ZERO)
                .build();
        closing.add(none);
        ApiKeyStore b = node().apiKeys();
        b.add(key("key_ttl", 0), "hash-ttl");
        assertTrue(shortLived.apiKeys().find("hash-ttl").isPresent());
        assertTrue(none.apiKeys().find("hash-ttl").isPresent());
        assertTrue(b.revoke("key_ttl"));
        assertTrue(none.apiKeys().find("hash-ttl").isEmpty(), "with no TTL every find asks Redis");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> shortLived.apiKeys().find("hash-ttl").isEmpty());

        assertThrows(
                IllegalArgumentException.class,
                () -> RedisRelayStore.builder(redis.url()).keyCacheTtl(Duration.ofMillis(-1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> RedisRelayStore.builder(redis.url()).keyCacheTtl(Duration.ofMinutes(2)));
    }

    private static KeyAccount account(ApiKeyStore store, String id) {
        return store.keys().stream()
                .filter(k -> k.key().id().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
