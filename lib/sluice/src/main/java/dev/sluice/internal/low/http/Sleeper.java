package dev.sluice.internal.low.http;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits between two attempts: the clients' retries and the event source's reconnections. The one
 * sleeper of the library, injectable so that tests observe the delays without waiting.
 */
@FunctionalInterface
public interface Sleeper {
    /** Waits on the latch: returns when the delay has passed or as soon as the latch opens. */
    Sleeper REAL = (delay, cancelled) -> cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);

    /**
     * Waits for {@code delay}, returning early once {@code cancelled} is counted down.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void sleep(Duration delay, CountDownLatch cancelled) throws InterruptedException;
}
