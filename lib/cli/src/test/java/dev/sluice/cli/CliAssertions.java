package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on the tool's stderr shared by the commands' tests. */
final class CliAssertions {
    private CliAssertions() {}

    /**
     * {@return the exit code of {@code command}, run on a thread of its own} Fails when it has
     * not returned within ten seconds (a server command that started instead of refusing), and
     * then interrupts it, which stops it.
     */
    static int exitCodeWithin10s(java.util.function.IntSupplier command) {
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread running = Thread.ofVirtual().start(() -> exit.set(command.getAsInt()));
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> exit.get() != -1);
        } finally {
            running.interrupt();
        }
        return exit.get();
    }

    /** A usage error: one {@code error:} line, then where to get help, and not the whole usage text. */
    static void assertUsageError(String err, String command) {
        String[] lines = err.split("\n", -1);
        assertTrue(lines[0].startsWith("error: "), err);
        assertEquals("run 'sluice " + command + " --help' for its flags and arguments", lines[1], err);
        assertEquals(3, lines.length, "two lines: " + err);
    }
}
