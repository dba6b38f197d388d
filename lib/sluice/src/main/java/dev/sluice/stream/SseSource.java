package dev.sluice.stream;

import dev.sluice.internal.low.sse.EndAwareBody;
import dev.sluice.internal.low.sse.RawEventListener;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Server-Sent Events pump behind {@link SseDecoder#pump}: reads a response body, parses it and
 * hands the decoded items to an {@link Emitter}.
 */
final class SseSource {
    private static final System.Logger LOG = System.getLogger(SseSource.class.getName());

    /**
     * The read buffer's first and largest sizes. It starts small (thousands of slow streams, one
     * small event per read, hold little: the buffer is held while the stream waits for its next
     * read, 512 bytes a stream rather than 2 KiB at 10,000 streams) and doubles each time a read
     * fills it (a fast stream: larger reads mean fewer reads, and fewer wake-ups of the consumer,
     * per event; it is at the largest after six full reads).
     */
    static final int FIRST_READ_SIZE = 512;

    static final int MAX_READ_SIZE = 16384;

    private SseSource() {}

    /**
     * Reads {@code body} in reads of up to 16 KiB into an {@link SseParser} with {@code limits},
     * hands each event to {@code decoder}, and reports the bytes to {@link Emitter#bytesRead}.
     * Attaches {@code body} to the emitter first, so a cancel or timeout closes it. Returns at a
     * terminal event (later events are ignored; see {@link #finishAtTerminal} for the body, and for
     * the engine's stream, which is then completed before this returns), at the end of the body (after
     * the parser's {@code finish()} and {@link SseDecoder#endOfInput()}), or as soon as the
     * emitter is over.
     *
     * @param body the response body
     * @param limits the parser's limits
     * @param decoder turns events into items
     * @param out the stream's emitter
     * @param <T> the item type
     * @throws IOException when reading the body fails; the engine reports it as a
     *     {@link dev.sluice.TransportException}, unless the stream is already over
     * @throws dev.sluice.LimitExceededException when a parser limit or the byte limit is exceeded
     */
    static <T> void pump(InputStream body, SseLimits limits, SseDecoder<T> decoder, Emitter<T> out) throws IOException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(out, "out");
        out.attach(body);
        Dispatch<T> dispatch = new Dispatch<>(decoder, out);
        SseParser parser = new SseParser(limits, dispatch);
        byte[] buffer = new byte[FIRST_READ_SIZE];
        // The stream publishes the events of each read together: one wake-up of the consumer per
        // read instead of one per event. Everything is published before the next read. The stream is
        // the controller's: an emitter that wraps the stream's (a token budget, a resume) reaches it too.
        StreamCore<?> batch = out.controller().core();
        if (batch != null) batch.startBatch();
        try {
            while (!out.isOver()) {
                int n = body.read(buffer);
                if (n < 0) {
                    parser.finish();
                    if (!dispatch.terminal && !out.isOver()) decoder.endOfInput();
                    return;
                }
                if (n == 0) continue;
                out.bytesRead(n);
                parser.feed(buffer, 0, n);
                if (batch != null) batch.publish();
                if (dispatch.terminal) {
                    finishAtTerminal(body, batch, parser, dispatch);
                    return;
                }
                if (n == buffer.length && n < MAX_READ_SIZE) buffer = new byte[n * 2];
            }
        } finally {
            if (batch != null) batch.endBatch();
        }
    }

    /** How long a body may take, after a terminal event, to end: see {@link #finishAtTerminal}. */
    static final long TERMINAL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How much of a body after a terminal event is read waiting for its end: dropped, or parsed for
     * a decoder that wants the events after the terminal one ({@link SseDecoder#wantsEventsAfterTerminal}).
     */
    static final int TERMINAL_DRAIN_BYTES = 64 * 1024;

    /**
     * The stream has had its terminal event, so what is left of the body is, from a server that
     * follows its protocol, only its end (an HTTP/1.1 body's last chunk). A body received to its
     * end leaves its connection to the HTTP client's pool; one closed before makes the client
     * close the connection, and the next request opens another (over TLS, a handshake). So the
     * engine's own stream is ended first, as completed, and the consumer is not kept waiting;
     * then a body that can ({@link EndAwareBody}: the HTTP transport's) waits for its end, at most
     * {@link #TERMINAL_GRACE_NANOS} and {@link #TERMINAL_DRAIN_BYTES}, and is closed. Any other
     * body is closed at once. A decoder that {@linkplain SseDecoder#wantsEventsAfterTerminal wants the
     * events after the terminal one} is handed those of the terminal event's read at once, and those read
     * while waiting as they arrive; what they hold that cannot be parsed or decoded stops their
     * parsing, never the stream.
     */
    private static void finishAtTerminal(
            InputStream body, @Nullable StreamCore<?> core, SseParser parser, Dispatch<?> dispatch) throws IOException {
        if (core != null && body instanceof EndAwareBody endAware) {
            core.completeAtTerminal();
            EndAwareBody.Rest rest =
                    !dispatch.trailing ? null : (b, off, len) -> dispatch.feedAfter(parser, b, off, len);
            endAware.closeAtEnd(TERMINAL_GRACE_NANOS, TERMINAL_DRAIN_BYTES, rest);
        } else {
            body.close();
        }
    }

    /** Hands parsed events to the decoder until a terminal event or the end of the stream. */
    private static final class Dispatch<T> implements SseListener, RawEventListener {
        private final SseDecoder<T> decoder;
        private final Emitter<T> out;
        /** Whether the decoder is handed the events after the terminal one (it wants them, and no parse failed). */
        boolean trailing;

        boolean terminal;

        Dispatch(SseDecoder<T> decoder, Emitter<T> out) {
            this.decoder = decoder;
            this.out = out;
            this.trailing = decoder.wantsEventsAfterTerminal();
        }

        @Override
        public boolean onRawEvent(String type, byte[] data, int offset, int length, @Nullable String lastEventId) {
            if (terminal) return !trailing; // wanted: as an SseEvent, to onEvent
            if (out.isOver()) return true; // ignored
            SseDecoder.RawOutcome outcome = decoder.decodeRaw(type, data, offset, length, lastEventId, out);
            if (outcome == SseDecoder.RawOutcome.TERMINAL) terminal = true;
            return outcome != SseDecoder.RawOutcome.DECLINED;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (terminal) {
                if (!trailing) return;
                try {
                    decoder.decodeAfterTerminal(event);
                } catch (RuntimeException e) {
                    giveUp(e);
                }
                return;
            }
            if (out.isOver()) return;
            if (decoder.decode(event, out)) terminal = true;
        }

        /** Parses bytes read after the terminal event, for {@link #trailing}; never throws. */
        void feedAfter(SseParser parser, byte[] b, int off, int len) {
            if (!trailing) return;
            try {
                parser.feed(b, off, len);
            } catch (RuntimeException e) { // a parser limit: the rest is dropped
                giveUp(e);
            }
        }

        private void giveUp(RuntimeException e) {
            trailing = false;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "what the body sent after its terminal event is dropped: " + e);
            }
        }
    }
}
