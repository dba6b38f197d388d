package dev.sluice.relay.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(again.find("hash-kept").isEmpty());
        assertTrue(again.keys().isEmpty());
        assertFalse(again.reserve(found, 1));
        assertFalse(other.revoke("key_kept"));
    }

    private static KeyAccount account(ApiKeyStore store, String id) {
        return store.keys().stream()
                .filter(k -> k.key().id().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
