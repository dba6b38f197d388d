package dev.sluice.internal.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientExecutorTest {
    private final ClientExecutor executor = new ClientExecutor();

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    @Test
    void execute_fewExchangesOpen_runsOnAVirtualThread() throws Exception {
        executor.opened();
        assertTrue(runOne().isVirtual());
    }

    @Test
    void execute_moreExchangesOpenThanTheLimit_runsOnADaemonPlatformThreadUntilTheyEnd() throws Exception {
        List<Runnable> endings = new ArrayList<>();
        for (int i = 0; i <= ClientExecutor.VIRTUAL_LIMIT; i++) endings.add(executor.opened());
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
    void opened_endingRunTwice_leavesTheCountOnce() {
        Runnable first = executor.opened();
        executor.opened();
        first.run();
        first.run();
        assertEquals(1, executor.open());
    }

    @Test
    void execute_afterShutdown_rejected() {
        executor.shutdown();
        assertTrue(executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
    }

    private Thread runOne() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        executor.execute(() -> ran.complete(Thread.currentThread()));
        return ran.get(5, TimeUnit.SECONDS);
    }
}
