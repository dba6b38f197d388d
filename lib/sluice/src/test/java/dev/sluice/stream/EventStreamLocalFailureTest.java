package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LocalFailureException;
import java.time.Duration;
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
            // never rethrown on the producer thread: nothing printed as "Exception in thread oom-test"
            await().dontCatchUncaughtExceptions()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(uncaught::isEmpty);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    /** The other threads that produce a stream's items: a pushing stream's sink, a Flow subscriber's delivery. */
    @Test
    void pushSinkAndFlowSubscriberRunOutOfMemory_theStreamEnds_noErrorEscapesTheirThreads() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, x) -> uncaught.add(x));
        try {
            java.util.concurrent.CompletableFuture<EndReason> pushed = new java.util.concurrent.CompletableFuture<>();
            EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
                for (int i = 0; i < 1000 && !out.isOver(); i++) out.emit(i);
            });
            if (s.pushTo(new EventStream.Sink<Integer>() {
                @Override
                public void accept(Integer item) {
                    if (item == 3) throw new OutOfMemoryError("Java heap space (thrown by the test's sink)");
                }

                @Override
                public void end(EndReason reason, dev.sluice.SluiceException failure) {
                    pushed.complete(reason);
                }
            })) {
                assertEquals(
                        EndReason.FAILED,
                        pushed.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                                .join());
            }
            java.util.concurrent.CompletableFuture<Void> cancelled = new java.util.concurrent.CompletableFuture<>();
            EventStream<Integer> flowed = EventStream.<Integer>builder().generate(out -> {
                for (int i = 0; i < 1000 && !out.isOver(); i++) out.emit(i);
                cancelled.complete(null);
            });
            flowed.publisher().subscribe(new java.util.concurrent.Flow.Subscriber<Integer>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Integer item) {
                    if (item == 3) throw new StackOverflowError("thrown by the test's subscriber");
                }

                @Override
                public void onError(Throwable throwable) {}

                @Override
                public void onComplete() {}
            });
            cancelled.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
            await().dontCatchUncaughtExceptions()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(uncaught::isEmpty);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
