package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.sse.SseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams dropped without close() are cleaned up: no producer thread and no connection is left. */
class EventStreamLeakTest {

    /** Opens streams, reads one item from each and drops them; returns only their producer threads. */
    private static List<Thread> openAndDrop(int n, ThrowingSupplier<InputStream> connect) throws Exception {
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicReference<Thread> producer = new AtomicReference<>();
            InputStream body = connect == null ? null : connect.get();
            EventStream<String> s = EventStream.<String>builder().capacity(4).generate(out -> {
                producer.set(Thread.currentThread());
                if (body == null) {
                    out.emit("only");
                    new CountDownLatch(1).await();
                } else {
                    SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out);
                }
            });
            Iterator<String> it = s.iterator();
            it.next();
            producers.add(producer.get());
        }
        return producers;
    }

    private interface ThrowingSupplier<T> {
        T get() throws IOException;
    }

    private static boolean allEnded(List<Thread> threads) {
        System.gc();
        return threads.stream().noneMatch(Thread::isAlive);
    }

    @Test
    void droppedWithoutClose_producerBlockedElsewhere_isCleanedUp() throws Exception {
        List<Thread> producers = openAndDrop(50, null);
        assertTrue(producers.stream().allMatch(Thread::isAlive));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> allEnded(producers));
    }

    @Test
    void droppedWithoutClose_thousandLoopbackStreams_closeEveryConnectionAndEndEveryProducer() throws Exception {
        try (LoopbackBodies server = new LoopbackBodies("data: first\n\n: then nothing more\n\n")) {
            Iterator<InputStream> bodies = server.open(1000).iterator();
            List<Thread> producers = openAndDrop(1000, bodies::next);
            assertEquals(1000, server.opened());
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> allEnded(producers) && server.closedByClient(1000));
        }
    }

    @Test
    void cleaner_runsOnNoPlatformThread_soNoApplicationThreadGroupWaitsForIt() throws Exception {
        List<Thread> producers = openAndDrop(1, null); // the Cleaner exists and has a stream to clean
        // exec:java (and a servlet container) interrupts and joins the platform threads of the
        // application's thread group when it ends; the Cleaner's thread must not be among them.
        assertTrue(
                Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("sluice-stream-cleaner")),
                "the stream Cleaner runs on a platform thread");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> allEnded(producers));
    }

    @Test
    void iteratorHeldButStreamDropped_streamStaysAlive() {
        StreamController c = StreamController.create();
        Iterator<Integer> it = iteratorOnly(c);
        assertEquals(0, it.next());
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    System.gc();
                    return !c.isCancelled();
                });
        assertEquals(1, it.next());
    }

    private static Iterator<Integer> iteratorOnly(StreamController c) {
        return EventStream.<Integer>builder()
                .controller(c)
                .generate(out -> {
                    for (int i = 0; out.emit(i); i++) {
                        /* endless */
                    }
                })
                .iterator();
    }
}
