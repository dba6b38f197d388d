package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.sse.SseParser;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The body stream delivers every received byte before a failure; flow control and close. */
class LosslessBodyStreamTest {
    private static final int EVENTS = 20;

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final CountDownLatch headersReceived = new CountDownLatch(1);
    private HttpTransport transport;

    /**
     * The server sends the headers, waits until the client has them (so the failure cannot
     * overtake the response itself), writes EVENTS complete events of a chunked body, and closes
     * the connection without the terminating chunk. (A close, not a TCP reset: after a reset the
     * kernel itself discards what the client has not read yet.)
     */
    @BeforeEach
    void start() {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < EVENTS; i++)
            events.append("event: n\ndata: ").append(i).append("\n\n");
        FAKE.server()
                .enqueue(FakeResponse.sse(events.toString())
                        .pauseAfter(0, headersReceived)
                        .cutAfter(EVENTS));
        transport =
                HttpTransport.builder().engine(HttpTransport.Engine.HTTP_CLIENT).build();
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    @RepeatedTest(50)
    void read_connectionResetAfterCompleteEvents_deliversEveryEventThenThrows() throws Exception {
        HttpPost post = HttpPost.json(FAKE.server().baseUrl().resolve("/v1/messages"), Map.of(), "{}");
        List<String> data = new ArrayList<>();
        try (StreamResponse response = transport.openStream(post, Cancellation.NONE)) {
            headersReceived.countDown();
            SseParser parser = new SseParser(e -> data.add(e.data()));
            byte[] buf = new byte[8192];
            assertThrows(IOException.class, () -> {
                int n;
                while ((n = response.body().read(buf)) >= 0) parser.feed(buf, 0, n);
            });
        }
        assertEquals(EVENTS, data.size(), () -> "events: " + data);
        for (int i = 0; i < EVENTS; i++) assertEquals(String.valueOf(i), data.get(i));
    }

    @Test
    void onNext_http2_aSmallSliceIsCopiedOnArrival_theRecordsArrayIsNotKept() throws IOException {
        byte[] record = new byte[16 * 1024]; // a decrypted TLS record; the DATA frame is a slice of it
        System.arraycopy("data: hi\n\n".getBytes(StandardCharsets.US_ASCII), 0, record, 100, 10);
        LosslessBodyStream body = new LosslessBodyStream(() -> {}, true);
        body.onSubscribe(new RecordingSubscription());
        body.onNext(List.of(ByteBuffer.wrap(record, 100, 10).slice().asReadOnlyBuffer()));
        java.util.Arrays.fill(record, (byte) 'x'); // the body no longer reads from the record's array
        assertEquals("data: hi\n\n", new String(body.readNBytes(10), StandardCharsets.US_ASCII));
    }

    @Test
    void onNext_http1_buffersKeptAsReceived() throws IOException {
        byte[] read = "data: hi\n\n".getBytes(StandardCharsets.US_ASCII);
        LosslessBodyStream body = new LosslessBodyStream();
        body.onSubscribe(new RecordingSubscription());
        body.onNext(List.of(ByteBuffer.wrap(read)));
        java.util.Arrays.fill(read, (byte) 'x');
        assertEquals("xxxxxxxxxx", new String(body.readNBytes(10), StandardCharsets.US_ASCII), "no copy over HTTP/1.1");
    }

    @Test
    void copySmall_onlyBuffersShorterThanTheThreshold_othersTheSameInstance() {
        ByteBuffer small = ByteBuffer.wrap(new byte[LosslessBodyStream.COPY_BELOW - 1]);
        ByteBuffer large = ByteBuffer.wrap(new byte[LosslessBodyStream.COPY_BELOW]);
        List<ByteBuffer> none = List.of(large);
        assertSame(none, LosslessBodyStream.copySmall(none));
        List<ByteBuffer> copied = LosslessBodyStream.copySmall(List.of(small, large));
        assertNotSame(small, copied.get(0));
        assertEquals(small, copied.get(0));
        assertSame(large, copied.get(1));
    }

    @Test
    void read_bufferedThenFailed_bytesBeforeFailure() throws IOException {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("ab".getBytes()), ByteBuffer.wrap("c".getBytes())));
        body.onError(new IOException("reset"));
        assertEquals('a', body.read());
        assertEquals('b', body.read());
        assertEquals('c', body.read());
        IOException e = assertThrows(IOException.class, body::read);
        assertEquals("reset", e.getMessage());
        assertThrows(IOException.class, body::read); // thrown again, not an end of stream
    }

    @Test
    void read_asksForPrefetchListsAheadThenHalfAgainEachHalfTaken_boundedBackpressure() throws IOException {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        int prefetch = LosslessBodyStream.PREFETCH;
        int half = prefetch / 2;
        assertTrue(half > 1, "more than one list per request keeps the socket reader from pausing per list");
        assertEquals(prefetch, subscription.requested.get());
        for (int i = 0; i < prefetch; i++) body.onNext(List.of(ByteBuffer.wrap(new byte[] {(byte) i})));
        assertEquals(prefetch, subscription.requested.get(), "nothing more requested before the reader takes a list");
        for (int i = 0; i < half - 1; i++) assertEquals(i, body.read());
        assertEquals(prefetch, subscription.requested.get(), "nothing more before half the lists are taken");
        byte[] one = new byte[10];
        assertEquals(1, body.read(one, 0, 10), "a read never spans two lists");
        assertEquals(half - 1, one[0]);
        assertEquals(prefetch + half, subscription.requested.get(), "half taken: as many more asked for");
        body.onComplete();
        for (int i = half; i < prefetch; i++) assertEquals(i, body.read());
        assertEquals(-1, body.read());
        assertEquals(prefetch + half, subscription.requested.get(), "after completion nothing more is asked for");
    }

    @Test
    void overHttp2_readerTakesNothing_smallListsAreAskedForAsTheyArriveUntilTheBytesAheadThenAsTheReaderTakes()
            throws IOException {
        LosslessBodyStream body = new LosslessBodyStream(() -> {}, true);
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        assertEquals(LosslessBodyStream.PREFETCH, subscription.requested.get());
        int size = 100; // a small DATA frame: copied as it arrives
        int delivered = 0;
        while (delivered < subscription.requested.get()
                && delivered < 10_000) { // as the JDK delivers: what was asked for
            body.onNext(List.of(ByteBuffer.wrap(new byte[size])));
            delivered++;
        }
        assertTrue(
                (long) delivered * size >= LosslessBodyStream.AHEAD_BYTES,
                "asked for while under the bytes ahead, the reader taking nothing: " + delivered + " lists");
        assertTrue(
                (long) delivered * size <= LosslessBodyStream.AHEAD_BYTES + (long) LosslessBodyStream.PREFETCH * size,
                "and no further than a prefetch past them: " + delivered + " lists");
        assertEquals(delivered, subscription.requested.get(), "then the demand waits for the reader");

        byte[] one = new byte[size];
        int taken = 0;
        while (subscription.requested.get() == delivered) {
            assertEquals(size, body.read(one, 0, size));
            taken++;
        }
        assertTrue((long) (delivered - taken) * size < LosslessBodyStream.AHEAD_BYTES, "asked again once under them");
    }

    @Test
    void close_readerBlocked_unblocksWithIOExceptionAndCancels() throws Exception {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean reading = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                reading.set(true);
                body.read();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> reading.get() && reader.getState() == Thread.State.WAITING);
        body.close();
        reader.join(Duration.ofSeconds(5));
        assertTrue(thrown.get() instanceof IOException, String.valueOf(thrown.get()));
        assertTrue(subscription.cancelled.get());
        body.close(); // idempotent
    }

    @Test
    void close_afterTheBodyEnded_doesNotCancel_theExchangeIsOverAlready() {
        // Reactive Streams 2.4: after onComplete or onError the subscription is over. The JDK's
        // HTTP/1.1 exchange takes a cancel as a failure all the same (and may close the connection).
        AtomicInteger ended = new AtomicInteger();
        LosslessBodyStream completed = new LosslessBodyStream(ended::incrementAndGet);
        RecordingSubscription first = new RecordingSubscription();
        completed.onSubscribe(first);
        completed.onNext(List.of(ByteBuffer.wrap("unread".getBytes(StandardCharsets.US_ASCII))));
        completed.onComplete();
        completed.close();
        assertFalse(first.cancelled.get(), "a body received whole is not cancelled, read or not");

        LosslessBodyStream failed = new LosslessBodyStream(ended::incrementAndGet);
        RecordingSubscription second = new RecordingSubscription();
        failed.onSubscribe(second);
        failed.onError(new IOException("reset"));
        failed.close();
        assertFalse(second.cancelled.get(), "nor a failed one");
        assertTrue(ended.get() >= 2, "each body's end reported");
    }

    @Test
    void closeAtEnd_theEndAlreadyIn_trueAtOnceAndNotCancelled() {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII))));
        body.onComplete();
        assertTrue(body.closeAtEnd(0, 0), "what is left before the end is dropped, within the bounds or not");
        assertFalse(subscription.cancelled.get());
        assertThrows(IOException.class, body::read, "closed");
    }

    @Test
    void closeAtEnd_theEndArrivesWhileItWaits_dropsTheBytesBeforeItAndIsNotCancelled() throws Exception {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual()
                .start(() ->
                        ended.complete(body.closeAtEnd(Duration.ofSeconds(30).toNanos(), 1024)));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        body.onNext(List.of(ByteBuffer.wrap(new byte[600]), ByteBuffer.wrap(new byte[300])));
        body.onComplete();
        assertTrue(ended.get(5, TimeUnit.SECONDS));
        assertFalse(subscription.cancelled.get());
    }

    @Test
    void closeAtEnd_theTransportsDrainsClosed_cutsAWaitShort_andOneThatStartsLater() throws Exception {
        LosslessBodyStream.Drains drains = new LosslessBodyStream.Drains();
        LosslessBodyStream body = new LosslessBodyStream(() -> {}, false, drains);
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual()
                .start(() ->
                        ended.complete(body.closeAtEnd(Duration.ofSeconds(30).toNanos(), 1024)));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        drains.close();
        assertFalse(ended.get(5, TimeUnit.SECONDS));
        assertTrue(subscription.cancelled.get());

        LosslessBodyStream later = new LosslessBodyStream(() -> {}, false, drains);
        RecordingSubscription second = new RecordingSubscription();
        later.onSubscribe(second);
        assertFalse(
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5),
                        () -> later.closeAtEnd(Duration.ofSeconds(30).toNanos(), 1024)),
                "no wait once the transport closed");
        assertTrue(second.cancelled.get());
    }

    @Test
    void closeAtEnd_noEndWithinTheGrace_cancels() {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        assertFalse(body.closeAtEnd(Duration.ofMillis(1).toNanos(), 1024));
        assertTrue(subscription.cancelled.get());
    }

    @Test
    void closeAtEnd_moreBytesThanTheBoundBeforeTheEnd_cancelsWithoutWaiting() {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap(new byte[2000])));
        assertFalse(body.closeAtEnd(Duration.ofSeconds(30).toNanos(), 1024), "past 1,024 bytes: given up, not waited");
        assertTrue(subscription.cancelled.get());
    }

    @Test
    void closeAtEnd_interrupted_cancelsAndKeepsTheInterrupt() {
        LosslessBodyStream body = new LosslessBodyStream();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        Thread.currentThread().interrupt();
        try {
            assertFalse(body.closeAtEnd(Duration.ofSeconds(30).toNanos(), 1024));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertTrue(subscription.cancelled.get());
    }

    @Test
    void onSubscribe_afterClose_cancelsAtOnce() {
        LosslessBodyStream body = new LosslessBodyStream();
        body.close();
        RecordingSubscription subscription = new RecordingSubscription();
        body.onSubscribe(subscription);
        assertTrue(subscription.cancelled.get());
        assertEquals(0, subscription.requested.get());
    }

    private static final class RecordingSubscription implements Flow.Subscription {
        final AtomicInteger requested = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {
            requested.addAndGet((int) n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }
}
