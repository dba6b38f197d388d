package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The consumer's short spin before parking: bounded, and it stops at an item or the end. */
class StreamCoreSpinTest {
    @Test
    void spinForItem_emptyRing_givesUpAfterItsBound() {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 4, null);
        assertFalse(core.spinForItem());
    }

    @Test
    void spinForItem_itemPublished_trueAndTheItemIsThere() {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 4, null);
        core.emitUncounted("a");
        assertTrue(core.spinForItem());
        assertSame("a", core.poll());
    }

    @Test
    void spinForItem_streamEnded_true() {
        StreamController controller =
                StreamController.of(StreamOptions.builder().build());
        StreamCore<String> core = new StreamCore<>(controller, 4, null);
        core.timeOut(new StreamTimeoutException(
                StreamTimeoutException.Timeout.TOTAL, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(core.spinForItem());
    }

    @Test
    void waited_longWaitTurnsTheSpinOff_shortWaitTurnsItBackOn() {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 4, null);
        assertTrue(core.consumerSpins() > 0, "a new stream spins");
        core.waited(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20)); // a paced stream: 20 ms between items
        assertEquals(0, core.consumerSpins());
        assertFalse(core.spinForItem());
        core.emitUncounted("a");
        assertTrue(core.spinForItem(), "without spinning it still sees an item that is there");
        core.waited(java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(10)); // a fast stream again
        assertTrue(core.consumerSpins() > 0);
    }

    @Test
    void consumerSpins_producerPublishingPerRead_noSpinUntilTheBatchCloses() {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 4, null);
        core.startBatch();
        assertEquals(0, core.consumerSpins(), "a batched producer's next items are a read away");
        assertFalse(core.spinForItem());
        core.emitUncounted("a");
        assertFalse(core.spinForItem(), "not published until the batch is");
        core.publish();
        assertTrue(core.spinForItem(), "without spinning it still sees a published item");
        core.endBatch();
        assertTrue(core.consumerSpins() > 0, "item by item again: the spin is back");
    }
}
