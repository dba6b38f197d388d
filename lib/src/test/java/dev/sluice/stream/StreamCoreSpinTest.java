package dev.sluice.stream;

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
        StreamCore<String> core = new StreamCore<>(StreamController.builder().build(), 4, null);
        assertFalse(core.spinForItem());
    }

    @Test
    void spinForItem_itemPublished_trueAndTheItemIsThere() {
        StreamCore<String> core = new StreamCore<>(StreamController.builder().build(), 4, null);
        core.emitUncounted("a");
        assertTrue(core.spinForItem());
        assertSame("a", core.poll());
    }

    @Test
    void spinForItem_streamEnded_true() {
        StreamController controller = StreamController.builder().build();
        StreamCore<String> core = new StreamCore<>(controller, 4, null);
        core.timeOut(new StreamTimeoutException(StreamTimeoutException.Timeout.TOTAL, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(core.spinForItem());
    }
}
