package dev.sluice.relay.internal;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * What every relay writer over Server-Sent Events shares: an {@link SseWriter} on a response body
 * that counts the bytes it writes, with the writer's unchecked failures given back as the
 * {@link IOException}s a {@code RelayWriter} throws when its client is gone.
 *
 * <p>Threading: the subscription's thread only.
 */
public final class SseOutput {
    private final Counting counted;
    private final SseWriter writer;

    /**
     * @param out the response body; not closed
     * @throws NullPointerException if out is null
     */
    public SseOutput(OutputStream out) {
        this.counted = new Counting(Objects.requireNonNull(out, "out"));
        this.writer = new SseWriter(counted);
    }

    /**
     * Writes one event.
     *
     * @param event the event
     * @throws IOException if the client is gone
     */
    public void event(SseEvent event) throws IOException {
        try {
            writer.write(event);
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    /**
     * Writes the heartbeat, the comment {@code : ping}.
     *
     * @throws IOException if the client is gone
     */
    public void ping() throws IOException {
        try {
            writer.comment(" ping");
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    /**
     * Writes a {@code retry} line.
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

    /**
     * Pushes what was written to the client.
     *
     * @throws IOException if the client is gone
     */
    public void flush() throws IOException {
        try {
            writer.flush();
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    /** {@return the bytes written so far} */
    public long bytesWritten() {
        return counted.count;
    }

    private static IOException asIo(RuntimeException e) {
        if (e.getCause() instanceof IOException io) return io;
        if (e instanceof UncheckedIOException u)
            return Objects.requireNonNull(u.getCause(), "an UncheckedIOException has its cause");
        return new IOException(e.getMessage(), e);
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
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
