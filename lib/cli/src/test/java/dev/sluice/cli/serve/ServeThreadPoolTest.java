package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * {@link ServeServer#threadPool}: the platform threads a load added end together once idle for the pool's
 * idle timeout. Jetty's own pool ends one a timeout, so 32 threads past its minimum take 32 timeouts: after a
 * run to 64 streams, {@code serve} kept 32 threads' stacks for half an hour.
 */
class ServeThreadPoolTest {
    private static final int TIMEOUT_MS = 500;
    private static final int LOAD = 40;

    @Test
    void threadsALoadAdded_idleForTheTimeout_endTogether() throws Exception {
        QueuedThreadPool pool = ServeServer.threadPool(TIMEOUT_MS);
        pool.start();
        try {
            int min = pool.getMinThreads();
            CountDownLatch running = new CountDownLatch(LOAD);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < LOAD; i++) {
                pool.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(running.await(10, TimeUnit.SECONDS), "the pool ran " + LOAD + " tasks at once");
            assertTrue(pool.getThreads() >= LOAD, () -> "threads " + pool.getThreads());
            release.countDown();
            // one a timeout would take (LOAD - min) x 500 ms = 16 s at the least; together, about one timeout
            await().atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> pool.getThreads() <= min);
        } finally {
            pool.stop();
        }
    }
}
