package dev.sluice.internal.http;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits between two attempts; injectable so that tests observe the delays without waiting.
 */
@FunctionalInterface
public interface Sleeper {
    /** Waits on the latch: returns when the delay has passed or as soon as the latch opens. */
    Sleeper REAL = new LatchSleeper();

    /**
     * Waits for {@code delay}, returning early once {@code cancelled} is counted down.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void sleep(Duration delay, CountDownLatch cancelled) throws InterruptedException;

    /** {@link #REAL} (a class, not a lambda: a fresh JVM links each lambda the first time it runs). */
    final class LatchSleeper implements Sleeper {
        private LatchSleeper() {}

        @Override
        public void sleep(Duration delay, CountDownLatch cancelled) throws InterruptedException {
            cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
