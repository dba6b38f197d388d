package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.testkit.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    private static Producer<Integer> range(int n) {
        return out -> {
            for (int i = 0; i < n; i++) {
                if (!out.emit(i)) return;
            }
        };
    }

    @Test
    void iterate_producerCompletes_deliversAllItemsInOrderAndEndsCompleted() {
        try (EventStream<Integer> s = EventStream.<Integer>builder().capacity(4).generate(range(1000))) {
            List<Integer> got = new ArrayList<>();
            for (int i : s) got.add(i);
            assertEquals(IntStream.range(0, 1000).boxed().toList(), got);
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(s.failure().isEmpty());
            assertEquals(1000, s.metrics().items());
        }
    }

    @Test
    void javadocExample_printsTheTokens() {
        StringBuilder printed = new StringBuilder();
        // the example in EventStream's Javadoc, with System.out.print replaced
        try (EventStream<String> tokens = EventStream.<String>builder().generate(emitter -> {
            for (String t : List.of("Hello", ", ", "world")) {
                if (!emitter.emit(t)) return;
            }
        })) {
            for (String t : tokens) printed.append(t);
        }
        assertEquals("Hello, world", printed.toString());
    }

    @Test
    void iterate_manyItemsThroughATinyQueue_nothingLostOrReordered() {
        int n = 200_000;
        try (EventStream<Integer> s = EventStream.<Integer>builder().capacity(3).generate(range(n))) {
            int expected = 0;
            for (int i : s) {
                assertEquals(expected++, i);
            }
            assertEquals(n, expected);
        }
    }

    @Test
    void hasNext_afterIoException_deliversEarlierItemsThenThrowsTransportOnceThenFalse() {
        IOException cause = new IOException("connection reset");
        try (EventStream<Integer> s = EventStream.<Integer>builder().capacity(2).generate(out -> {
            for (int i = 0; i < 10; i++) out.emit(i);
            throw cause;
        })) {
            Iterator<Integer> it = s.iterator();
            List<Integer> got = new ArrayList<>();
            TransportException e = assertThrows(TransportException.class, () -> {
                while (it.hasNext()) got.add(it.next());
            });
            assertEquals(IntStream.range(0, 10).boxed().toList(), got);
            assertSame(cause, e.getCause());
            assertTrue(e.getMessage().startsWith("connection lost while reading the stream"), e.getMessage());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            assertSame(e, s.failure().orElseThrow());
        }
    }

    @Test
    void hasNext_producerThrowsSluiceException_throwsItAsIs() {
        ApiException api = new ApiException(200, "overloaded_error", "Overloaded", true, null);
        try (EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
            out.emit(1);
            throw api;
        })) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            assertSame(api, assertThrows(ApiException.class, it::hasNext));
        }
    }

    @Test
    void hasNext_producerThrowsOtherException_throwsLocalFailureNamingIt() {
        try (EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
            throw new IllegalStateException("decoder bug");
        })) {
            LocalFailureException e =
                    assertThrows(LocalFailureException.class, () -> s.iterator().hasNext());
            assertTrue(e.getMessage().contains("not because of anything the server sent"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("IllegalStateException")
                            && e.getMessage().contains("decoder bug"),
                    e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void failure_withFailureContext_carriesRequestIdAndPartialComputedAfterItemHooks() {
        StringBuilder acc = new StringBuilder();
        try (EventStream<String> s = EventStream.<String>builder()
                .onItem(acc::append)
                .failureContext(() -> "req_1", acc::toString)
                .generate(out -> {
                    out.emit("a");
                    out.emit("b");
                    throw new IOException("reset");
                })) {
            SluiceException e = assertThrows(SluiceException.class, () -> s.forEach(x -> {}));
            assertEquals("req_1", e.requestId().orElseThrow());
            assertEquals("ab", e.partial(String.class).orElseThrow());
        }
    }

    @Test
    void failure_partialSupplierThrowsAnError_theStreamsOwnFailureThrownWithTheErrorSuppressed() {
        StackOverflowError local = new StackOverflowError("a snapshot walked too deep");
        try (EventStream<String> s = EventStream.<String>builder()
                .failureContext(() -> "req_1", () -> {
                    throw local;
                })
                .generate(out -> {
                    out.emit("a");
                    throw new IOException("reset");
                })) {
            SluiceException e = assertThrows(SluiceException.class, () -> s.forEach(x -> {}));
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            assertSame(local, e.getSuppressed()[0]);
        }
    }

    @Test
    void iterator_calledTwice_throwsIllegalState() {
        try (EventStream<Integer> s = EventStream.<Integer>builder().generate(range(1))) {
            s.iterator();
            assertThrows(IllegalStateException.class, s::iterator);
            assertThrows(IllegalStateException.class, s::stream);
        }
    }

    @Test
    void stream_collected_givesItemsAndCloseClosesTheEventStream() {
        EventStream<Integer> s = EventStream.<Integer>builder().generate(range(5));
        try (var items = s.stream()) {
            assertEquals("0,1,2", items.limit(3).map(String::valueOf).collect(Collectors.joining(",")));
        }
        assertTrue(s.controller().isCancelled());
        assertEquals("closed", s.controller().cancelReason().orElseThrow());
    }

    @Test
    void close_fromManyThreads_isIdempotentAndEndsOnceCancelled() throws Exception {
        AtomicInteger ends = new AtomicInteger();
        EventStream<Integer> s = EventStream.<Integer>builder()
                .onEnd(ends::incrementAndGet)
                .generate(out -> {
                    while (out.emit(1)) {
                        /* until closed */
                    }
                });
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                s.close();
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        s.close();
        assertEquals(1, ends.get());
        assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        assertFalse(s.iterator().hasNext());
    }

    @Test
    void hasNext_afterClose_isFalseEvenWithQueuedItems() {
        EventStream<Integer> s = EventStream.<Integer>builder().generate(range(10));
        Iterator<Integer> it = s.iterator();
        assertTrue(it.hasNext());
        await().until(() -> s.endReason().isPresent());
        s.close();
        assertFalse(it.hasNext());
        assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow(), "the end decided first is kept");
    }

    @Test
    void next_closedFromAnotherThreadAfterHasNext_returnsTheAnnouncedItemThenHasNextFalse() throws Exception {
        EventStream<Integer> s = EventStream.<Integer>builder().generate(range(10));
        Iterator<Integer> it = s.iterator();
        assertTrue(it.hasNext());
        Thread.ofVirtual().start(s::close).join();
        assertEquals(0, it.next(), "hasNext() said true: next() returns that item");
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    /** Waits for the latch however often the thread is interrupted (the stream's end interrupts its producer). */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        for (; ; ) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the stream ended: keep waiting for the test's go-ahead
            }
        }
    }

    @Test
    void next_itemHookThrowsSluiceException_endsFailedWithItClosesTheSourceAndEndsTheProducer() {
        CountDownLatch sourceClosed = new CountDownLatch(1);
        AtomicReference<Thread> producer = new AtomicReference<>();
        StringBuilder acc = new StringBuilder();
        try (EventStream<String> s = EventStream.<String>builder()
                .onItem(item -> {
                    if (item.equals("bad")) throw new ProtocolException("cannot take " + item, null);
                    acc.append(item);
                })
                .failureContext(() -> "req_1", acc::toString)
                .generate(out -> {
                    producer.set(Thread.currentThread());
                    out.attach(sourceClosed::countDown);
                    out.emit("a");
                    out.emit("bad");
                    out.emit("never seen");
                    awaitUninterruptibly(sourceClosed);
                })) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            ProtocolException e = assertThrows(ProtocolException.class, it::next);
            assertEquals("req_1", e.requestId().orElseThrow());
            assertEquals("a", e.partial(String.class).orElseThrow());
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            assertSame(e, s.failure().orElseThrow());
            assertFalse(it.hasNext(), "iteration does not go on after the failure");
            await().until(() -> sourceClosed.getCount() == 0);
            await().until(() -> !producer.get().isAlive());
            assertFalse(s.controller().isCancelled(), "a failure, not a cancel");
        }
    }

    @Test
    void next_itemHookFailsAfterTheProducerCompleted_theEndReportedIsTheFailure() {
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .onItem(i -> {
                    if (i == 2) throw new ProtocolException("item " + i + " is impossible here", null);
                })
                .generate(range(5))) {
            await().until(() -> s.endReason().isPresent());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            Iterator<Integer> it = s.iterator();
            assertEquals(0, it.next());
            assertEquals(1, it.next());
            ProtocolException e = assertThrows(ProtocolException.class, it::next);
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            assertEquals(EndReason.FAILED, s.metrics().endReason().orElseThrow());
            assertSame(e, s.failure().orElseThrow());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void next_itemHookThrowsAnotherException_cancelsTheStreamAndThrowsItAsItIs() {
        IllegalStateException bug = new IllegalStateException("a bug in the hook");
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .onItem(i -> {
                    if (i == 1) throw bug;
                })
                .generate(out -> {
                    for (int i = 0; out.emit(i); i++) {
                        /* until the stream ends */
                    }
                })) {
            Iterator<Integer> it = s.iterator();
            assertEquals(0, it.next());
            assertSame(bug, assertThrows(IllegalStateException.class, it::next));
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
            assertTrue(s.failure().isEmpty());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void metrics_itemsEmittedAfterTheStreamWasCancelled_notCounted() {
        CountDownLatch cancelled = new CountDownLatch(1);
        List<Boolean> accepted = new ArrayList<>();
        AtomicReference<Thread> producer = new AtomicReference<>();
        EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> {
            producer.set(Thread.currentThread());
            out.emit(0);
            awaitUninterruptibly(cancelled);
            accepted.add(out.emit(1)); // a producer that does not check isOver()
            accepted.add(out.emit(2));
        });
        assertEquals(0, s.iterator().next());
        s.close();
        cancelled.countDown();
        await().until(() -> producer.get() != null && !producer.get().isAlive());
        assertEquals(List.of(false, false), accepted);
        assertEquals(1, s.metrics().items(), "the refused items are not counted");
    }

    @Test
    void emit_consumerStopsReading_producerBlocksAfterCapacityItems() {
        AtomicInteger emitted = new AtomicInteger();
        AtomicReference<Thread> producer = new AtomicReference<>();
        try (EventStream<Integer> s = EventStream.<Integer>builder().capacity(8).generate(out -> {
            producer.set(Thread.currentThread());
            for (int i = 0; ; i++) {
                if (!out.emit(i)) return;
                emitted.incrementAndGet();
            }
        })) {
            await().until(() -> producer.get() != null && producer.get().getState() == Thread.State.WAITING);
            assertEquals(8, emitted.get());
            Iterator<Integer> it = s.iterator();
            for (int i = 0; i < 4; i++) assertEquals(i, it.next()); // drained to half: the producer may refill
            await().until(() -> emitted.get() == 12 && producer.get().getState() == Thread.State.WAITING);
        }
        await().until(() -> !producer.get().isAlive());
    }

    @Test
    void iterate_maxChunks_deliversExactlyThatManyCountedItemsAndEndsChunkLimit() {
        AtomicReference<Thread> producer = new AtomicReference<>();
        StreamController c =
                StreamController.of(StreamOptions.builder().maxChunks(5).build());
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            producer.set(Thread.currentThread());
            out.emitUncounted("ping");
            for (int i = 0; ; i++) {
                if (!out.emit("item" + i)) return;
            }
        })) {
            List<String> got = new ArrayList<>();
            s.forEach(got::add);
            assertEquals(List.of("ping", "item0", "item1", "item2", "item3", "item4"), got);
            assertEquals(EndReason.CHUNK_LIMIT, s.endReason().orElseThrow());
            assertTrue(s.failure().isEmpty());
        }
        await().until(() -> !producer.get().isAlive());
    }

    @Test
    void bytesRead_pastMaxBytes_failsWithLimitExceededAfterEarlierItems() {
        StreamController c =
                StreamController.of(StreamOptions.builder().maxBytes(100).build());
        try (EventStream<String> s = EventStream.<String>builder().controller(c).generate(out -> {
            out.bytesRead(60);
            out.emit("a");
            out.bytesRead(60);
            out.emit("never");
        })) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            LimitExceededException e = assertThrows(LimitExceededException.class, it::hasNext);
            assertEquals("maxBytes", e.limit());
            assertEquals(100, e.configuredValue());
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            assertEquals(120, s.metrics().bytes());
        }
    }

    @Test
    void generate_controllerUsedTwice_throwsIllegalStateAndLeavesTheFirstStreamAlone() {
        StreamController c = StreamController.create();
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .controller(c)
                .generate(out -> {
                    for (int i = 0; out.emit(i); i++) {
                        /* endless */
                    }
                })) {
            assertThrows(
                    IllegalStateException.class,
                    () -> EventStream.<Integer>builder().controller(c).generate(range(1)));
            // the failed second stream must leave nothing behind that could cancel the shared controller
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        System.gc();
                        return !c.isCancelled();
                    });
            assertEquals(List.of(0, 1, 2), s.stream().limit(3).toList());
        }
    }

    @Test
    void producerThread_hasTheGivenName() throws Exception {
        AtomicReference<Thread> producer = new AtomicReference<>();
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .threadName("my-stream")
                .generate(out -> {
                    producer.set(Thread.currentThread());
                })) {
            assertFalse(s.iterator().hasNext());
            assertEquals("my-stream", producer.get().getName());
            assertTrue(producer.get().isVirtual());
        }
        try (EventStream<Integer> s =
                EventStream.<Integer>builder().generate(out -> producer.set(Thread.currentThread()))) {
            s.iterator().hasNext();
            assertTrue(
                    producer.get().getName().startsWith("sluice-stream-"),
                    producer.get().getName());
        }
    }

    @Test
    void onEnd_throwing_isLoggedAndTheStreamStillEnds() {
        try (LogCapture log = new LogCapture(EventStream.class);
                EventStream<Integer> s = EventStream.<Integer>builder()
                        .onEnd(() -> {
                            throw new IllegalStateException("boom");
                        })
                        .generate(range(2))) {
            assertEquals(List.of(0, 1), s.stream().toList());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            await().until(() -> log.records.stream()
                    .anyMatch(r ->
                            r.getThrown() != null && "boom".equals(r.getThrown().getMessage())));
        }
    }

    @Test
    void builder_badArguments_throwNamingThem() {
        var b = EventStream.<Integer>builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.capacity(0))
                .getMessage()
                .contains("capacity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.threadName(" "))
                .getMessage()
                .contains("threadName"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.onItem(null))
                .getMessage()
                .contains("onItem"));
        assertThrows(NullPointerException.class, () -> b.generate(null));
    }

    @Test
    void emit_null_failsTheStreamAsALocalFailure() {
        try (EventStream<Integer> s = EventStream.<Integer>builder().generate(out -> out.emit(null))) {
            assertInstanceOf(
                    NullPointerException.class,
                    assertThrows(LocalFailureException.class, () -> s.iterator().hasNext())
                            .getCause());
        }
    }

    @Test
    void metrics_duringAndAfter_countItemsAndGaps() {
        FakeClock clock = new FakeClock();
        StreamController c =
                StreamController.of(StreamOptions.builder().nanoTime(clock).build());
        CountDownLatch step = new CountDownLatch(1);
        try (EventStream<Integer> s = EventStream.<Integer>builder()
                .controller(c)
                .generate(out -> {
                    clock.advance(Duration.ofMillis(5));
                    out.bytesRead(10);
                    clock.advance(Duration.ofMillis(5));
                    out.emit(1);
                    step.await();
                    clock.advance(Duration.ofMillis(100));
                    out.emit(2);
                })) {
            Iterator<Integer> it = s.iterator();
            assertEquals(1, it.next());
            assertEquals(1, s.metrics().items());
            step.countDown();
            assertEquals(2, it.next());
            assertFalse(it.hasNext());
            StreamMetrics.Snapshot m = s.metrics().snapshot();
            assertEquals(Duration.ofMillis(5), m.timeToFirstByte().orElseThrow());
            assertEquals(Duration.ofMillis(10), m.timeToFirstItem().orElseThrow());
            assertEquals(Duration.ofMillis(100), m.gaps().orElseThrow().max());
            assertEquals(10.0, m.itemsPerSecond(), 1e-9);
            assertEquals(Duration.ofMillis(110), m.duration());
            assertEquals(EndReason.COMPLETED, m.endReason().orElseThrow());
        }
    }
}
