package dev.sluice.eventsource;

import java.time.Duration;

/**
 * Waits out a reconnection delay on the stream's producer thread. The default is
 * {@link Thread#sleep(Duration)}; tests pass one that advances a fake clock instead, so back-off is
 * checked without waiting.
 *
 * <p>A sleeper must return early with an {@link InterruptedException} when the thread is
 * interrupted: that is how a cancel, a close and {@link EventSourceStream#restart()} end the wait.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for {@code delay}.
     *
     * @param delay the time to wait, not negative
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration delay) throws InterruptedException;

    /** {@return the sleeper that waits in real time, with {@link Thread#sleep(Duration)}} */
    static Sleeper system() {
        return Thread::sleep;
    }
}
