package dev.sluice.relay;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A {@link RelayClient} writing Server-Sent Events to any {@link OutputStream} through an
 * {@link SseWriter}: {@code id: n}, {@code event: TYPE}, {@code data: JSON}, a blank line; and
 * {@code : ping} comments as heartbeats. The server sets the status and the
 * {@code Content-Type: text/event-stream} header before the first event.
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class SseRelayClient implements RelayClient {
    private final SseWriter writer;
    private final CountingOutputStream counted;

    /**
     * A client writing to the given response body.
     *
     * @param out the response body
     * @throws NullPointerException if out is null
     */
    public SseRelayClient(OutputStream out) {
        this.counted = new CountingOutputStream(java.util.Objects.requireNonNull(out, "out"));
        this.writer = new SseWriter(counted);
    }

    @Override
    public long bytesWritten() {
        return counted.count;
    }

    /**
     * Writes a {@code retry} line: how long the browser's {@code EventSource} waits before it
     * reconnects after a cut.
     *
     * @param millis the reconnection time, not negative
     * @throws IOException if the client is gone
     */
    public void retry(long millis) throws IOException {
        try {
            writer.retry(millis);
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public void send(long id, RelayEvent event) throws IOException {
        try {
            writer.write(new SseEvent(event.type(), event.data(), Long.toString(id)));
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public void heartbeat() throws IOException {
        try {
            writer.comment(" ping");
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            writer.flush();
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    private static IOException asIo(RuntimeException e) {
        if (e.getCause() instanceof IOException io) return io;
        if (e instanceof UncheckedIOException u) return u.getCause();
        return new IOException(e.getMessage(), e);
    }

    /** Counts the bytes written through it; the subscription's thread only. Also the protocols' writers'. */
    static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
