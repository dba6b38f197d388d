package dev.sluice.testkit.internal.http;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Writes {@link SseEvent}s to a response body; {@link #flush()} sends what was written (one HTTP
 * chunk). The testkit's own, so that a test of the library never checks it against its own writer.
 * Used by one request's thread.
 */
public final class SseWriter implements Flushable {
    private final OutputStream out;
    private final Function<SseEvent, byte[]> encoder;

    public SseWriter(OutputStream out) {
        this(out, SseEvent::bytes);
    }

    /** @param encoder how an event is written: a wire format's framing */
    public SseWriter(OutputStream out, Function<SseEvent, byte[]> encoder) {
        this.out = out;
        this.encoder = encoder;
    }

    /**
     * Writes one event.
     *
     * @throws UncheckedIOException if the client has gone
     */
    public void write(SseEvent event) {
        try {
            out.write(encoder.apply(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws UncheckedIOException if the client has gone */
    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
