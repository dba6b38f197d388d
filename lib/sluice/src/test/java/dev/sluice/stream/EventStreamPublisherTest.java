package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LimitExceededException;
import dev.sluice.TransportException;
import dev.sluice.sse.SseLimits;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventStreamPublisherTest {

    /** Records every signal; requests nothing by itself. */
    static class Recorder<T> implements Flow.Subscriber<T> {
        final List<T> items = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicReference<Thread> onNextThread = new AtomicReference<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(T item) {
            onNextThread.set(Thread.currentThread());
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
            completed.set(true);
        }

        void request(long n) {
            subscription.get().request(n);
        }

        boolean terminated() {
            return completed.get() || error.get() != null;
        }
    }

    @Test
    void publisher_subscriberWithoutDemand_blocksTheServerWritesUntilRequested() throws Exception {
        int events = 150_000; // about 10 MB: far more than the socket buffers and the queue hold
        String event = "data: 0123456789012345678901234567890123456789012345678901234567890\n\n";
        try (FakeLlmServer server = FakeLlmServer.start();
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            server.enqueue(FakeResponse.sse(event.repeat(events)));
            InputStream body = http.send(
                            HttpRequest.newBuilder(server.baseUrl().resolve("/events"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                    .body();
            AtomicReference<Thread> producer = new AtomicReference<>();
            EventStream<String> stream = EventStream.<String>builder()
                    .capacity(16)
                    .generate(out -> {
                        producer.set(Thread.currentThread());
                        SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out);
                    });
            Recorder<String> r = new Recorder<>();
            stream.publisher().subscribe(r);
            r.request(1);
            await().until(() -> r.items.size() == 1);
            // no more demand: the queue fills, the producer blocks on it, the buffers fill and the server's writes
            // block
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.get().getState() == Thread.State.WAITING);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.activeRequests() == 1);
            assertEquals(1, r.items.size(), "the server could not write everything without demand");

            r.request(Long.MAX_VALUE);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.activeRequests() == 0); // written: the body's end completes the stream
            await().atMost(Duration.ofSeconds(30)).until(() -> r.items.size() == events);
            await().until(r::terminated);
            assertTrue(r.completed.get(), () -> "expected onComplete, got " + r.error.get());
        }
    }

    @Test
    void publisher_requestsOneByOne_deliversInOrderOnAVirtualThreadAndCompletes() {
        EventStream<Integer> stream = EventStream.<Integer>builder().generate(out -> {
            for (int i = 0; i < 5; i++) out.emit(i);
        });
        Recorder<Integer> r = new Recorder<>();
        stream.publisher().subscribe(r);
        for (int i = 1; i <= 5; i++) {
            r.request(1);
            int n = i;
            await().until(() -> r.items.size() == n);
        }
        await().until(r::terminated);
        assertEquals(List.of(0, 1, 2, 3, 4), r.items);
        assertTrue(r.completed.get());
        assertTrue(r.onNextThread.get().isVirtual());
        assertTrue(r.onNextThread.get().getName().startsWith("sluice-flow-"));
        assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
    }

    @Test
    void publisher_completesWithoutDemand_whenTheStreamIsEmpty() {
        Recorder<String> r = new Recorder<>();
        EventStream.<String>builder().generate(out -> {}).publisher().subscribe(r);
        await().until(r::terminated);
        assertTrue(r.completed.get());
        assertTrue(r.items.isEmpty());
    }

    @Test
    void cancel_whileTheProducerWaits_cancelsTheStreamAndEndsTheProducer() {
        AtomicReference<Thread> producer = new AtomicReference<>();
        EventStream<String> stream = EventStream.<String>builder().generate(out -> {
            producer.set(Thread.currentThread());
            out.emit("first");
            new CountDownLatch(1).await();
        });
        Recorder<String> r = new Recorder<>();
        stream.publisher().subscribe(r);
        r.request(10);
        await().until(() -> r.items.size() == 1);
        r.subscription.get().cancel();
        await().until(() -> stream.endReason().isPresent());
        assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
        assertEquals(
                "the Flow subscriber cancelled",
                stream.controller().cancelReason().orElseThrow());
        await().until(() -> !producer.get().isAlive());
        await().during(Duration.ofMillis(100)).until(() -> !r.terminated()); // no signal after cancel (§1.8)
    }

    @Test
    void failure_afterItems_deliversTheItemsThenTheSameTypedException() {
        TransportException lost = new TransportException("the connection to 127.0.0.1:9 was lost", null);
        EventStream<String> stream = EventStream.<String>builder().generate(out -> {
            out.emit("a");
            out.emit("b");
            throw lost;
        });
        Recorder<String> r = new Recorder<>();
        stream.publisher().subscribe(r);
        r.request(Long.MAX_VALUE);
        await().until(r::terminated);
        assertEquals(List.of("a", "b"), r.items);
        assertEquals(lost, r.error.get());
        assertEquals(EndReason.FAILED, stream.endReason().orElseThrow());
    }

    @Test
    void failure_withoutDemand_isSignalledAtOnce() {
        Recorder<String> r = new Recorder<>();
        EventStream.<String>builder()
                .options(StreamOptions.builder().maxBytes(1).build())
                .generate(out -> {
                    out.bytesRead(10);
                })
                .publisher()
                .subscribe(r);
        await().until(r::terminated);
        assertInstanceOf(LimitExceededException.class, r.error.get());
    }

    @Test
    void subscribe_secondSubscriber_getsOnSubscribeThenIllegalState() {
        EventStream<String> stream = EventStream.<String>builder().generate(out -> new CountDownLatch(1).await());
        Flow.Publisher<String> publisher = stream.publisher();
        Recorder<String> first = new Recorder<>();
        Recorder<String> second = new Recorder<>();
        publisher.subscribe(first);
        publisher.subscribe(second);
        assertTrue(second.subscription.get() != null);
        assertInstanceOf(IllegalStateException.class, second.error.get());
        assertNull(first.error.get());
        first.subscription.get().cancel();
        assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
    }

    @Test
    void subscribe_afterTheIteratorWasTaken_getsIllegalState() {
        try (EventStream<String> stream = EventStream.<String>builder().generate(out -> out.emit("x"))) {
            stream.iterator();
            Recorder<String> r = new Recorder<>();
            stream.publisher().subscribe(r);
            assertInstanceOf(IllegalStateException.class, r.error.get());
        }
    }

    @Test
    void request_nonPositive_signalsIllegalArgumentAndCancelsTheStream() {
        EventStream<String> stream = EventStream.<String>builder().generate(out -> new CountDownLatch(1).await());
        Recorder<String> r = new Recorder<>();
        stream.publisher().subscribe(r);
        r.request(0);
        await().until(r::terminated);
        assertInstanceOf(IllegalArgumentException.class, r.error.get());
        assertTrue(r.error.get().getMessage().contains("3.9"));
        assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
    }

    @Test
    void onNext_throwing_cancelsTheStream() {
        AtomicReference<Thread> producer = new AtomicReference<>();
        EventStream<Integer> stream = EventStream.<Integer>builder().generate(out -> {
            producer.set(Thread.currentThread());
            for (int i = 0; ; i++) if (!out.emit(i)) return;
        });
        Recorder<Integer> r = new Recorder<>() {
            @Override
            public void onNext(Integer item) {
                throw new IllegalStateException("subscriber bug");
            }
        };
        try (LogCapture log = new LogCapture(IteratingPublisher.class)) {
            stream.publisher().subscribe(r);
            r.request(1);
            await().until(() -> stream.endReason().isPresent());
            assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
            await().until(() -> !producer.get().isAlive());
            assertTrue(!r.terminated());
            await().until(() -> log.records.stream()
                    .anyMatch(x -> x.getThrown() != null
                            && "subscriber bug".equals(x.getThrown().getMessage())));
        }
    }
}
