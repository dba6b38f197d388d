package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryRelayStoreTest {
    private final RelayStore store = RelayStore.inMemory();

    @Test
    void takeRate_pastTheLimit_refusedWithTheWaitUntilTheNextWindow() {
        Duration window = Duration.ofMillis(500);
        assertEquals(Duration.ZERO, store.takeRate("creations:a", 2, window));
        assertEquals(Duration.ZERO, store.takeRate("creations:a", 2, window));
        Duration wait = store.takeRate("creations:a", 2, window);
        assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(window) <= 0, wait.toString());
        assertEquals(Duration.ZERO, store.takeRate("creations:b", 2, window), "another counter counts apart");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> store.takeRate("creations:a", 2, window).isZero());
    }

    @Test
    void takeRate_manyCounters_theLeastRecentlyUsedIsForgotten() {
        Duration minute = Duration.ofMinutes(1);
        assertEquals(Duration.ZERO, store.takeRate("creations:first", 1, minute));
        assertFalse(store.takeRate("creations:first", 1, minute).isZero());
        for (int i = 0; i < InMemoryRelayStore.MAX_RATES; i++) store.takeRate("creations:" + i, 1, minute);
        assertEquals(Duration.ZERO, store.takeRate("creations:first", 1, minute), "forgotten, so counted afresh");
    }
}
