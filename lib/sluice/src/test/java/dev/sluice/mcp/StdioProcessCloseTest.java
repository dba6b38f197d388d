package dev.sluice.mcp;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StdioProcessCloseTest {
    /**
     * A server that outlives its stdin and ignores SIGTERM takes the whole close to end (stdin,
     * SIGTERM, then SIGKILL). Two threads close it at once, as a command's thread and the JVM's
     * shutdown hook do: neither may return while the process still runs, or the JVM halts and leaves
     * it behind.
     */
    @Test
    void close_fromTwoThreadsAtOnce_neitherReturnsBeforeTheProcessHasEnded() throws Exception {
        StdioProcess stdio = new StdioProcess(
                List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done"), Map.of(), "stubborn", 1 << 20);
        Process process = stdio.process();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> closes = List.of(
                    threads.submit(() -> closeThenSeeItEnded(stdio, process)),
                    threads.submit(() -> closeThenSeeItEnded(stdio, process)));
            for (Future<?> close : closes) close.get();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void closeThenSeeItEnded(StdioProcess stdio, Process process) {
        stdio.close();
        await().atMost(Duration.ofSeconds(1)).until(() -> !process.isAlive());
    }
}
