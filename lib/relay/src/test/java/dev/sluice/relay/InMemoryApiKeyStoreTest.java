package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryApiKeyStoreTest {
    private static ApiKey key(String id, long budget) {
        return new ApiKey(id, "team", List.of(), budget, 0, null, Instant.EPOCH);
    }

    @Test
    void reserve_64AtOnce_grantedWhileUsedAndReservedAreBelowTheBudget() throws Exception {
        ApiKeyStore store = ApiKeyStore.inMemory();
        ApiKey k = key("key_a", 10_000);
        store.add(k, "h");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++)
                tries.add(threads.submit(() -> {
                    go.await();
                    return store.reserve(k, 500);
                }));
            go.countDown();
        }
        int granted = 0;
        for (Future<Boolean> t : tries) if (t.get()) granted++;
        assertEquals(20, granted);
        KeyAccount a = store.keys().getFirst();
        assertEquals(10_000, a.reservedTokens());
        assertEquals(20, a.requests());
        store.settle(k, 500, 120);
        assertEquals(120, store.keys().getFirst().usedTokens());
        assertEquals(9_500, store.keys().getFirst().reservedTokens());
        assertTrue(store.reserve(k, 500), "below the budget again");
    }

    @Test
    void revoke_notFoundThenNorReserved_duplicateRefused() {
        ApiKeyStore store = ApiKeyStore.inMemory();
        ApiKey k = key("key_b", 0);
        store.add(k, "h");
        assertThrows(IllegalArgumentException.class, () -> store.add(key("key_c", 0), "h"));
        assertEquals(k, store.find("h").orElseThrow());
        assertTrue(store.reserve(k, 1_000_000), "no budget: always granted");
        assertTrue(store.revoke("key_b"));
        assertTrue(store.find("h").isEmpty());
        assertFalse(store.reserve(k, 1));
        assertFalse(store.revoke("key_b"));
        assertTrue(store.keys().isEmpty());
    }

    @Test
    void apiKey_badValues_refusedNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> key("nokey", 0));
        assertThrows(IllegalArgumentException.class, () -> key("key_d", -1));
        assertTrue(new ApiKey("key_e", "x", List.of(), 0, 0, Instant.EPOCH, Instant.EPOCH).expired(Instant.now()));
        assertTrue(new ApiKey("key_f", "x", List.of("a/b"), 0, 0, null, Instant.EPOCH).allows("a/b"));
        assertFalse(new ApiKey("key_f", "x", List.of("a/b"), 0, 0, null, Instant.EPOCH).allows("a/c"));
    }
}
