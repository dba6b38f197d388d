package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientExecutorTest {
    private static final Runnable NOTHING = () -> {};

    private final ClientExecutor executor = new ClientExecutor();

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    @Test
    void execute_fewExchangesOpen_runsOnAVirtualThread() throws Exception {
        executor.opened(NOTHING);
        assertTrue(runOne().isVirtual());
    }

    @Test
    void execute_moreExchangesOpenThanTheLimit_runsOnADaemonPlatformThreadUntilTheyEnd() throws Exception {
        List<Runnable> endings = new ArrayList<>();
        for (int i = 0; i <= ClientExecutor.VIRTUAL_LIMIT; i++) endings.add(executor.opened(NOTHING));
        Thread t = runOne();
        assertFalse(t.isVirtual(), t.toString());
        assertTrue(t.isDaemon(), t.toString()); // never keeps a JVM alive
        assertTrue(t.getName().startsWith("sluice-http-"), t.getName());

        endings.getFirst().run();
        assertEquals(ClientExecutor.VIRTUAL_LIMIT, executor.open());
        assertTrue(runOne().isVirtual());

        executor.shutdown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !t.isAlive()); // the pool's threads end with it
    }

    @Test
    void opened_withAnActionOnEnd_runsItOnceWithTheEnd() {
        java.util.concurrent.atomic.AtomicInteger ends = new java.util.concurrent.atomic.AtomicInteger();
        Runnable ending = executor.opened(ends::incrementAndGet);
        assertEquals(0, ends.get());
        ending.run();
        ending.run();
        assertEquals(1, ends.get());
        assertEquals(0, executor.open());
    }

    @Test
    void opened_endingRunTwice_leavesTheCountOnce() {
        Runnable first = executor.opened(NOTHING);
        executor.opened(NOTHING);
        first.run();
        first.run();
        assertEquals(1, executor.open());
    }

    @Test
    void execute_afterShutdown_rejected() {
        executor.shutdown();
        assertTrue(executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> {}));
    }

    @Test
    void platformThreads_idleLongerThanTheKeepAlive_endWhileTheExecutorIsStillOpen() throws Exception {
        ClientExecutor brief = new ClientExecutor(Duration.ofMillis(100));
        try {
            for (int i = 0; i <= ClientExecutor.VIRTUAL_LIMIT; i++)
                brief.opened(NOTHING); // tasks go to the platform threads
            CountDownLatch running = new CountDownLatch(ClientExecutor.THREADS);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> threads = new CopyOnWriteArrayList<>();
            for (int i = 0; i < ClientExecutor.THREADS; i++) {
                brief.execute(() -> {
                    threads.add(Thread.currentThread());
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(running.await(5, TimeUnit.SECONDS)); // a burst: every platform thread busy
            assertEquals(ClientExecutor.THREADS, brief.platformThreads());
            assertTrue(threads.stream().noneMatch(Thread::isVirtual));
            release.countDown();

            await().atMost(Duration.ofSeconds(5)).until(() -> brief.platformThreads() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.stream().noneMatch(Thread::isAlive));
            assertFalse(brief.isShutdown());
            assertFalse(runOn(brief).isVirtual(), "still taking tasks: a new thread starts when one is needed");
        } finally {
            brief.shutdown();
        }
    }

    private Thread runOne() throws Exception {
        return runOn(executor);
    }

    private static Thread runOn(ClientExecutor executor) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        executor.execute(() -> ran.complete(Thread.currentThread()));
        return ran.get(5, TimeUnit.SECONDS);
    }
}
