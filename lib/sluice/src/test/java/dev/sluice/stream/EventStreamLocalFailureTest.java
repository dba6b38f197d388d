package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LocalFailureException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A producer that fails with an Error or an unexpected exception ends the stream as a failure on this side, never blamed on the server. */
class EventStreamLocalFailureTest {

    @Test
    void hasNext_producerThrowsAssertionError_localFailureAfterTheItemsBeforeIt() {
        AssertionError bug = new AssertionError("invariant broken");
        try (EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
            out.emit(1);
            throw bug;
        })) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            LocalFailureException e = assertThrows(LocalFailureException.class, it::hasNext);
            assertSame(bug, e.getCause());
            assertTrue(e.getMessage().contains("not because of anything the server sent"), e.getMessage());
            assertTrue(e.getMessage().contains("invariant broken"), e.getMessage());
            assertFalse(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("protocol"), e.getMessage());
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            assertSame(e, s.failure().orElseThrow());
        }
    }

    @Test
    void hasNext_producerRunsOutOfMemory_localFailureNamingTheJvmNotTheServer() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (thrown by the test)");
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, x) -> uncaught.add(x)); // not printed: this test's own error
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .threadName("oom-test")
                .generate(out -> {
                    throw oom;
                })) {
            LocalFailureException e =
                    assertThrows(LocalFailureException.class, () -> s.iterator().hasNext());
            assertSame(oom, e.getCause());
            assertTrue(e.getMessage().contains("the JVM ran out of resources"), e.getMessage());
            assertTrue(e.getMessage().contains("Java heap space"), e.getMessage());
            await().dontCatchUncaughtExceptions()
                    .until(() -> uncaught.contains(oom)); // rethrown on the producer thread, as documented
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
