package dev.sluice.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.SluiceException;
import dev.sluice.internal.low.sse.EndAwareBody;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.testkit.FakeClock;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SseSourceTest {

    /** A body that returns at most {@code chunk} bytes per read and records whether it was closed. */
    private static class Body extends FilterInputStream {
        final AtomicBoolean closed = new AtomicBoolean();
        private final int chunk;

        Body(String text, int chunk) {
            super(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }

        @Override
        public void close() throws IOException {
            closed.set(true);
            super.close();
        }
    }

    private static List<String> drain(EventStream<String> s) {
        List<String> got = new ArrayList<>();
        s.forEach(got::add);
        return got;
    }

    @Test
    void fromSse_bodyInOneByteReads_decodesEveryEventAndCountsBytes() {
        String text = "data: héllo\n\nevent: ping\ndata: {}\n\ndata: a\ndata: b\n\n";
        Body body = new Body(text, 1);
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of("héllo", "ping", "a\nb"), drain(s));
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertEquals(
                    text.getBytes(StandardCharsets.UTF_8).length, s.metrics().bytes());
            assertEquals(2, s.metrics().items(), "the ping is not counted");
            org.awaitility.Awaitility.await().until(body.closed::get); // closed by the producer as it ends
        }
    }

    @Test
    void pump_terminalEvent_returnsClosesTheBodyAndIgnoresLaterEvents() {
        Body body = new Body("data: a\n\nevent: stop\ndata: x\n\ndata: late\n\n", 8192);
        try (EventStream<String> s = EventStream.<String>builder()
                .generate(out -> SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out))) {
            assertEquals(List.of("a"), drain(s));
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(body.closed.get());
        }
    }

    /** A body that waits for its end: its {@code closeAtEnd} blocks until the test lets it return. */
    private static final class EndAware extends Body implements EndAwareBody {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile long grace;
        volatile int maxBytes;
        /** What the body sends while it waits for its end (handed to a reader that wants it). */
        volatile String later = "";

        EndAware(String text) {
            super(text, 8192);
        }

        @Override
        public boolean closeAtEnd(long graceNanos, int maxBytes, @org.jspecify.annotations.Nullable Rest rest) {
            this.grace = graceNanos;
            this.maxBytes = maxBytes;
            if (rest != null) {
                byte[] b = later.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < b.length; i += 3) rest.accept(b, i, Math.min(3, b.length - i));
            }
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closed.set(true);
            return true;
        }
    }

    @Test
    void pump_terminalEvent_endAwareBody_streamCompletesFirstThenTheBodyWaitsForItsEnd() throws Exception {
        EndAware body = new EndAware("data: a\n\nevent: stop\ndata: x\n\ndata: late\n\n");
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of("a"), drain(s), "the consumer is not kept waiting for the body's end");
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(body.entered.await(10, TimeUnit.SECONDS));
            assertEquals(SseSource.TERMINAL_GRACE_NANOS, body.grace);
            assertEquals(SseSource.TERMINAL_DRAIN_BYTES, body.maxBytes);
            assertFalse(body.closed.get());
            body.release.countDown();
            org.awaitility.Awaitility.await().until(body.closed::get);
        }
    }

    /** A decoder that wants the events after the terminal one. */
    private static final class TrailingDecoder implements SseDecoder<String> {
        final List<String> after = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public boolean decode(SseEvent event, Emitter<String> out) {
            return new LineDecoder().decode(event, out);
        }

        @Override
        public boolean wantsEventsAfterTerminal() {
            return true;
        }

        @Override
        public void decodeAfterTerminal(SseEvent event) {
            if (event.data().equals("boom")) throw new IllegalStateException("a decoder's failure");
            after.add(event.data());
        }
    }

    @Test
    void pump_terminalEvent_trailingListener_getsTheEventsAfterItFromTheSameReadAndTheDrainUntilOneFails()
            throws Exception {
        EndAware body = new EndAware("data: a\n\nevent: stop\ndata: x\n\ndata: same-read\n\ndata: spl");
        body.later = "it\n\ndata: boom\n\ndata: dropped\n\n";
        TrailingDecoder decoder = new TrailingDecoder();
        try (EventStream<String> s = EventStream.<String>builder().fromSse(body, SseLimits.defaults(), decoder)) {
            assertEquals(List.of("a"), drain(s), "the events after the terminal one are no items");
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(body.entered.await(10, TimeUnit.SECONDS));
            body.release.countDown();
            org.awaitility.Awaitility.await().until(body.closed::get);
            assertEquals(List.of("same-read", "split"), decoder.after, "a failure stops the parsing, not the stream");
            assertTrue(s.failure().isEmpty());
        }
    }

    @Test
    void pump_terminalEvent_trailingListenerPastTheParsersLimit_dropsTheRestStreamCompleted() throws Exception {
        EndAware body = new EndAware("event: stop\ndata: x\n\n");
        body.later = "data: ok\n\ndata: " + "y".repeat(300) + "\n\ndata: z\n\n";
        TrailingDecoder decoder = new TrailingDecoder();
        SseLimits limits = SseLimits.defaults().withMaxEventBytes(100);
        try (EventStream<String> s = EventStream.<String>builder().fromSse(body, limits, decoder)) {
            assertEquals(List.of(), drain(s));
            assertTrue(body.entered.await(10, TimeUnit.SECONDS));
            body.release.countDown();
            org.awaitility.Awaitility.await().until(body.closed::get);
            assertEquals(List.of("ok"), decoder.after, "the parser's limits hold after the terminal event too");
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
    }

    /** A user's decoder with the raw path: "raw" events from their bytes, "end" ends the stream, the rest declined. */
    private static final class RawLineDecoder implements SseDecoder<String> {
        final List<String> decoded = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public RawOutcome decodeRaw(
                String type, byte[] data, int offset, int length, String lastEventId, Emitter<String> out) {
            if (type.equals("end")) return RawOutcome.TERMINAL;
            if (!type.equals("raw")) return RawOutcome.DECLINED;
            out.emit("raw:" + new String(data, offset, length, StandardCharsets.UTF_8) + "@" + lastEventId);
            return RawOutcome.CONTINUE;
        }

        @Override
        public boolean decode(SseEvent event, Emitter<String> out) {
            decoded.add(event.data());
            out.emit(event.data());
            return false;
        }
    }

    @Test
    void fromSse_userDecoderWithDecodeRaw_takesTheBytesAndDeclinedEventsComeAsSseEvents() {
        RawLineDecoder decoder = new RawLineDecoder();
        Body body = new Body(
                "id: 7\nevent: raw\ndata: x1\ndata: x2\n\ndata: plain\n\nevent: end\ndata: z\n\ndata: late\n\n", 3);
        try (EventStream<String> s = EventStream.<String>builder().fromSse(body, SseLimits.defaults(), decoder)) {
            assertEquals(List.of("raw:x1\nx2@7", "plain"), drain(s));
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertEquals(List.of("plain"), decoder.decoded, "only the declined event was made an SseEvent");
        }
    }

    /** An emitter wrapping the stream's, as a token budget's or a resume's does. */
    private static final class Wrapping implements Emitter<String> {
        private final Emitter<String> out;

        Wrapping(Emitter<String> out) {
            this.out = out;
        }

        @Override
        public boolean emit(String item) {
            return out.emit(item);
        }

        @Override
        public boolean emitUncounted(String item) {
            return out.emitUncounted(item);
        }

        @Override
        public void bytesRead(long n) {
            out.bytesRead(n);
        }

        @Override
        public void attach(java.io.Closeable source) {
            out.attach(source);
        }

        @Override
        public boolean end(EndReason reason) {
            return out.end(reason);
        }

        @Override
        public boolean isOver() {
            return out.isOver();
        }

        @Override
        public StreamController controller() {
            return out.controller();
        }
    }

    @Test
    void pump_wrappedEmitter_endAwareBody_streamCompletesFirstAsWithTheStreamsOwn() throws Exception {
        EndAware body = new EndAware("data: a\n\nevent: stop\ndata: x\n\ndata: late\n\n");
        try (EventStream<String> s = EventStream.<String>builder()
                .generate(out -> SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), new Wrapping(out)))) {
            assertEquals(List.of("a"), drain(s), "the consumer is not kept waiting for the body's end");
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(body.entered.await(10, TimeUnit.SECONDS), "the body was given its grace to end");
            assertFalse(body.closed.get());
            body.release.countDown();
            org.awaitility.Awaitility.await().until(body.closed::get);
        }
    }

    @Test
    void pump_terminalEvent_endAwareBody_pushedEndComesBeforeTheBodyEnds() throws Exception {
        EndAware body = new EndAware("data: a\n\nevent: stop\ndata: x\n\ndata: late\n\n");
        List<String> items = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            s.pushTo(new EventStream.Sink<>() {
                @Override
                public void accept(String item) {
                    items.add(item);
                }

                @Override
                public void end(EndReason reason, dev.sluice.SluiceException failure) {
                    ended.countDown();
                }
            });
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the sink is not kept waiting for the body's end");
            assertEquals(List.of("a"), items);
            assertFalse(body.closed.get());
            body.release.countDown();
            org.awaitility.Awaitility.await().until(body.closed::get);
        }
    }

    @Test
    void pump_endOfInputWithoutTerminal_decoderMayFailTheStream() {
        SseDecoder<String> strict = new SseDecoder<>() {
            @Override
            public boolean decode(SseEvent event, Emitter<String> out) {
                out.emit(event.data());
                return false;
            }

            @Override
            public void endOfInput() {
                throw new IncompleteStreamException("the body ended before message_stop");
            }
        };
        try (EventStream<String> s = EventStream.<String>builder()
                .fromSse(new Body("data: a\n\ndata: incomplete", 3), SseLimits.defaults(), strict)) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            assertThrows(IncompleteStreamException.class, it::hasNext);
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
        }
    }

    @Test
    void pump_lineOverLimit_failsWithLimitExceeded() {
        String text = "data: ok\n\ndata: " + "x".repeat(100) + "\n\n";
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(new Body(text, 16), new SseLimits(64, 1024), new LineDecoder())) {
            Iterator<String> it = s.iterator();
            assertEquals("ok", it.next());
            assertEquals(
                    "maxLineBytes",
                    assertThrows(LimitExceededException.class, it::hasNext).limit());
        }
    }

    @Test
    void pump_emitterOverBeforeStart_closesTheBodyWithoutReading() throws Exception {
        StreamController c = StreamController.create();
        c.cancel();
        Body body = new Body("data: a\n\n", 8192);
        try (EventStream<String> s =
                EventStream.<String>builder().controller(c).fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of(), drain(s));
        }
        org.awaitility.Awaitility.await().until(body.closed::get);
    }

    /** A body that serves its text in one read, then blocks until closed (a live stream between events). */
    private static final class StallingBody extends InputStream {
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        private byte[] first;

        StallingBody(String text) {
            this.first = text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (first != null) {
                int n = Math.min(len, first.length);
                System.arraycopy(first, 0, b, off, n);
                first = n == first.length ? null : java.util.Arrays.copyOfRange(first, n, first.length);
                return n;
            }
            stalled.countDown();
            try {
                closed.await(); // a blocked socket read; close() ends it
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void pump_eventsOfOneReadThenTheSourceStalls_allDeliveredWhileTheProducerWaits() throws Exception {
        // The events of one read are published together: all of them, before the next read blocks.
        StallingBody body = new StallingBody("data: a\n\ndata: b\n\nevent: ping\ndata: x\n\ndata: c\n\n");
        StreamController c = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(java.time.Duration.ofSeconds(10))
                .idleTimeout(java.time.Duration.ofSeconds(10))
                .build()); // a lost publication fails in 10 s, not 60
        try (EventStream<String> s =
                EventStream.<String>builder().controller(c).fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            Iterator<String> it = s.iterator();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) got.add(it.next());
            assertEquals(List.of("a", "b", "ping", "c"), got);
            assertTrue(body.stalled.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(s.endReason().isEmpty(), "still running: the producer is blocked in the next read");
        }
        assertTrue(body.closed.await(5, java.util.concurrent.TimeUnit.SECONDS), "close() closed the stalled body");
    }

    @Test
    void pump_chunkLimitReachedInsideOneRead_deliversExactlyTheLimit() {
        StreamController c =
                StreamController.of(StreamOptions.builder().maxChunks(2).build());
        Body body = new Body("data: a\n\ndata: b\n\ndata: c\n\ndata: d\n\n", 8192);
        try (EventStream<String> s =
                EventStream.<String>builder().controller(c).fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of("a", "b"), drain(s));
            assertEquals(EndReason.CHUNK_LIMIT, s.endReason().orElseThrow());
        }
    }

    @Test
    void pump_decoderFailsInsideOneRead_theEventsBeforeItAreDeliveredFirst() {
        SseDecoder<String> failsOnBad = new SseDecoder<>() {
            @Override
            public boolean decode(SseEvent event, Emitter<String> out) {
                if (event.data().equals("bad")) throw new dev.sluice.ProtocolException("bad event", null);
                out.emit(event.data());
                return false;
            }
        };
        Body body = new Body("data: a\n\ndata: b\n\ndata: bad\n\ndata: never\n\n", 8192);
        try (EventStream<String> s = EventStream.<String>builder().fromSse(body, SseLimits.defaults(), failsOnBad)) {
            Iterator<String> it = s.iterator();
            assertEquals("a", it.next());
            assertEquals("b", it.next());
            assertEquals(
                    "bad event",
                    assertThrows(dev.sluice.ProtocolException.class, it::hasNext)
                            .getMessage());
        }
    }

    /** Records the length of every read asked of it; each read fills what was asked, up to the text's end. */
    private static final class RecordingBody extends ByteArrayInputStream {
        final List<Integer> asked = new ArrayList<>();

        RecordingBody(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            asked.add(len);
            return super.read(b, off, len);
        }
    }

    @Test
    void pump_readsThatFillTheBuffer_growItToTheMaximumThenKeepIt() {
        String event = "data: " + "x".repeat(94) + "\n\n"; // 102 bytes
        RecordingBody body = new RecordingBody(event.repeat(1000).getBytes(StandardCharsets.UTF_8));
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(1000, drain(s).size());
        }
        List<Integer> doubling = new ArrayList<>();
        for (int n = SseSource.FIRST_READ_SIZE; n < SseSource.MAX_READ_SIZE; n *= 2) doubling.add(n);
        doubling.add(SseSource.MAX_READ_SIZE);
        doubling.add(SseSource.MAX_READ_SIZE);
        assertEquals(doubling, body.asked.subList(0, doubling.size()));
    }

    @Test
    void pump_readsThatDoNotFillTheBuffer_keepItSmall() {
        Body body = new Body("data: a\n\n".repeat(50), 9); // one small event per read, like a paced stream
        RecordingBody recording = new RecordingBody(new byte[0]);
        InputStream counting = new FilterInputStream(body) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                recording.asked.add(len);
                return super.read(b, off, len);
            }
        };
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(counting, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(50, drain(s).size());
        }
        assertTrue(recording.asked.stream().allMatch(n -> n == SseSource.FIRST_READ_SIZE), recording.asked.toString());
    }

    @Test
    void pump_eventsOfOneRead_takeTheTimeOfThatRead() {
        FakeClock clock = new FakeClock();
        StreamController c =
                StreamController.of(StreamOptions.builder().nanoTime(clock).build());
        // three events in the first read, two in the second; the clock moves 5 ms during each read,
        // and 1 ms while each event is decoded (which must not count: the event had arrived)
        java.util.Iterator<String> reads = List.of("data: a\n\ndata: b\n\ndata: c\n\n", "data: d\n\ndata: e\n\n")
                .iterator();
        InputStream body = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!reads.hasNext()) return -1;
                clock.advance(java.time.Duration.ofMillis(5));
                byte[] next = reads.next().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(next, 0, b, off, next.length);
                return next.length;
            }
        };
        SseDecoder<String> slow = new SseDecoder<>() {
            @Override
            public boolean decode(SseEvent event, Emitter<String> out) {
                clock.advance(java.time.Duration.ofMillis(1));
                out.emit(event.data());
                return false;
            }
        };
        try (EventStream<String> s =
                EventStream.<String>builder().controller(c).fromSse(body, SseLimits.defaults(), slow)) {
            assertEquals(List.of("a", "b", "c", "d", "e"), drain(s));
            assertEquals(
                    java.time.Duration.ofMillis(5),
                    s.metrics().timeToFirstItem().orElseThrow());
            StreamMetrics.Gaps gaps = s.metrics().gaps().orElseThrow();
            assertEquals(4, gaps.count());
            assertEquals(java.time.Duration.ZERO, gaps.min(), "events of one read arrived together");
            assertEquals(
                    java.time.Duration.ofMillis(8), gaps.max(), "the next read came 8 ms later (3 decodes, then 5 ms)");
        }
    }

    @Test
    void pump_nullArguments_throw() {
        InputStream in = InputStream.nullInputStream();
        assertThrows(NullPointerException.class, () -> SseSource.pump(in, null, new LineDecoder(), null));
    }

    /**
     * A pushing stream tells its sink when it has handed over every item of a read ({@link
     * EventStream.Sink#flush}): a gateway writes the events of one read out together, as a proxy
     * copying the read would, rather than one write each.
     */
    @Test
    void fromSse_pushed_sinkFlushedOnceAfterEachReadsItems() {
        CountDownLatch attached = new CountDownLatch(1);
        ConcurrentLinkedDeque<String> reads = new ConcurrentLinkedDeque<>(
                List.of("data: a\n\ndata: b\n\n", "data: c\n\n", "data: d\n\nevent: ping\ndata: {}\n\n"));
        InputStream body = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    attached.await(); // every read after the sink is attached: the producer delivers them
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                String next = reads.poll();
                if (next == null) return -1;
                byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, b, off, bytes.length);
                return bytes.length;
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventStream<String> s =
                EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertTrue(s.pushTo(new EventStream.Sink<String>() {
                @Override
                public void accept(String item) {
                    seen.add(item);
                }

                @Override
                public void flush() {
                    seen.add("|");
                }

                @Override
                public void end(EndReason reason, SluiceException failure) {
                    seen.add("end:" + reason);
                }
            }));
            attached.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("end:COMPLETED"));
        }
        assertEquals(List.of("a", "b", "|", "c", "|", "d", "ping", "|", "end:COMPLETED"), seen);
    }
}
