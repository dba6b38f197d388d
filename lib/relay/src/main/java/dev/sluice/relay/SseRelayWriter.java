package dev.sluice.relay;

import dev.sluice.relay.internal.SseOutput;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link RelayWriter} writing Server-Sent Events to any {@link OutputStream} through an
 * {@link SseWriter}: {@code id: n}, {@code event: TYPE}, {@code data: JSON}, a blank line; and
 * {@code : ping} comments as heartbeats. The server sets the status and the
 * {@code Content-Type: text/event-stream} header before the first event.
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class SseRelayWriter implements RelayWriter {
    private final SseOutput out;

    /**
     * A writer to the given response body.
     *
     * @param out the response body; not closed
     * @throws NullPointerException if out is null
     */
    public SseRelayWriter(OutputStream out) {
        this.out = new SseOutput(out);
    }

    @Override
    public long bytesWritten() {
        return out.bytesWritten();
    }

    /**
     * Writes a {@code retry} line: how long the browser's {@code EventSource} waits before it
     * reconnects after a cut.
     *
     * @param millis the reconnection time, not negative
     * @throws IOException if the client is gone
     */
    public void retry(long millis) throws IOException {
        out.retry(millis);
    }

    @Override
    public void send(long id, RelayEvent event) throws IOException {
        out.event(new SseEvent(event.type(), event.data(), Long.toString(id)));
    }

    @Override
    public void heartbeat() throws IOException {
        out.ping();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
