package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Each side wakes the other once per wait, not once per item it takes or publishes until the woken
 * thread runs again. The test holds the stream's lock across the items, so the woken thread cannot
 * run (it must take the lock to leave its wait): what the other side does meanwhile is what it
 * does while a woken thread waits to be scheduled on a busy machine.
 */
class StreamCoreWakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void poll_producerParkedOnAFullRing_wokenOnceAsTheRingDrains() throws InterruptedException {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 8, null);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 9; i++) core.emitUncounted("item" + i); // the ninth waits for room
        });
        await().atMost(WAIT).until(() -> parkedOnACondition(producer));
        core.lock.lock();
        try {
            for (int i = 0; i < 8; i++) assertEquals("item" + i, core.poll());
            assertNull(core.poll(), "the producer has not run since it was woken");
            assertEquals(
                    1,
                    core.wakeCalls(),
                    "the producer was woken at half the ring, and not again for the four items after");
        } finally {
            core.lock.unlock();
        }
        producer.join(WAIT);
        assertEquals("item8", core.poll());
    }

    @Test
    void publish_consumerParkedOnAnEmptyRing_wokenOnceForTheItemsAfter() throws InterruptedException {
        StreamCore<String> core =
                new StreamCore<>(StreamController.of(StreamOptions.builder().build()), 8, null);
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                core.awaitItem(TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(WAIT).until(() -> parkedOnACondition(consumer));
        core.lock.lock();
        try {
            for (int i = 0; i < 5; i++) core.emitUncounted("item" + i); // each published at once: no batch
            assertEquals(
                    1, core.wakeCalls(), "the consumer was woken by the first item, and not again for the four after");
        } finally {
            core.lock.unlock();
        }
        consumer.join(WAIT);
        assertEquals(Thread.State.TERMINATED, consumer.getState(), "the consumer left its wait");
        assertEquals("item0", core.poll());
    }

    /** {@return whether {@code t} is parked in a {@code Condition}'s wait (not, say, for the lock)} */
    private static boolean parkedOnACondition(Thread t) {
        return LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer.ConditionObject;
    }
}
