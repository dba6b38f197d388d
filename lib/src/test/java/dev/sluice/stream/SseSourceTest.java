package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SseSourceTest {

    /** A body that returns at most {@code chunk} bytes per read and records whether it was closed. */
    private static final class Body extends FilterInputStream {
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
        try (EventStream<String> s = EventStream.<String>builder().fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of("héllo", "ping", "a\nb"), drain(s));
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, s.metrics().bytes());
            assertEquals(2, s.metrics().items(), "the ping is not counted");
            assertTrue(body.closed.get());
        }
    }

    @Test
    void pump_terminalEvent_returnsClosesTheBodyAndIgnoresLaterEvents() {
        Body body = new Body("data: a\n\nevent: stop\ndata: x\n\ndata: late\n\n", 8192);
        try (EventStream<String> s = EventStream.<String>builder().generate(out ->
                SseSource.pump(body, SseLimits.defaults(), new LineDecoder(), out))) {
            assertEquals(List.of("a"), drain(s));
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
            assertTrue(body.closed.get());
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
        try (EventStream<String> s = EventStream.<String>builder()
                .fromSse(new Body(text, 16), new SseLimits(64, 1024), new LineDecoder())) {
            Iterator<String> it = s.iterator();
            assertEquals("ok", it.next());
            assertEquals("maxLineBytes", assertThrows(LimitExceededException.class, it::hasNext).limit());
        }
    }

    @Test
    void pump_emitterOverBeforeStart_closesTheBodyWithoutReading() throws Exception {
        StreamController c = StreamController.defaults();
        c.cancel();
        Body body = new Body("data: a\n\n", 8192);
        try (EventStream<String> s = EventStream.<String>builder().controller(c)
                .fromSse(body, SseLimits.defaults(), new LineDecoder())) {
            assertEquals(List.of(), drain(s));
        }
        org.awaitility.Awaitility.await().until(body.closed::get);
    }

    @Test
    void pump_nullArguments_throw() {
        InputStream in = InputStream.nullInputStream();
        assertThrows(NullPointerException.class, () -> SseSource.pump(in, null, new LineDecoder(), null));
    }
}
