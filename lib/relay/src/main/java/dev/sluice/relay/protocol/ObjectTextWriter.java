package dev.sluice.relay.protocol;

import dev.sluice.ObjectException;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One client of a relayed structured answer ({@link dev.sluice.relay.RelaySource#object}) that
 * reads the object's JSON text as it streams, {@code text/plain; charset=utf-8}: what the Vercel AI
 * SDK's {@code useObject} reads (it parses the text received so far after each piece). The body is
 * the JSON text and nothing else, in UTF-8; it has no events, ids or heartbeats (no byte can be
 * added to JSON text without changing it), and so cannot be resumed.
 *
 * <p>Nothing is written before the first piece of JSON, so that a failure before it can still be
 * answered with a status and a JSON error ({@link #failure()}, {@link #written()}). A text stream
 * cannot take back what it sent: a fallback chain's restart after the first byte
 * ({@code object} with reset) makes the text void, so this client ends there, with the failure
 * {@value #RESTARTED}; a restart before it is invisible. After the first byte a failure is kept
 * too ({@link #failure()}), for the server to end the response as it must (see
 * {@link #endsCleanly()}).
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class ObjectTextWriter implements RelayWriter {
    /** The {@code error} type of an answer that a fallback chain restarted after its text began. */
    public static final String RESTARTED = "failover_restart";

    private final OutputStream out;
    private boolean written;
    private long bytes;
    private RelayEvent.@Nullable Error failure;

    /**
     * @param out the response body; the server sets the status and {@code Content-Type} when the
     *     first byte is due
     */
    public ObjectTextWriter(OutputStream out) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 8192);
    }

    /** {@return whether anything was written to the response body (then its status is sent)} */
    public boolean written() {
        return written;
    }

    /**
     * {@return how the stream failed, when it ended with {@code error} or {@code cancelled}, or was
     * restarted after its text began ({@value #RESTARTED}); empty when it completed}
     */
    public Optional<RelayEvent.Error> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * {@return whether the response may end as a complete one}: it completed, or its whole JSON text
     * arrived and only failed validation against the server's schema ({@code schema_mismatch}; the
     * client's own validation, such as {@code useObject}'s zod schema in {@code onFinish}, reports
     * it). Otherwise a response that has begun is cut, so that the client sees a failed stream, not
     * a clean end of a text that is not the object.
     */
    public boolean endsCleanly() {
        return failure == null || !written || failure.errorType().equals(ObjectException.Kind.SCHEMA_MISMATCH.code());
    }

    @Override
    public void send(long eventId, RelayEvent event) throws IOException {
        switch (event) {
            case RelayEvent.ObjectDelta d -> {
                if (d.reset() && written) {
                    failure = new RelayEvent.Error(
                            RESTARTED,
                            "the provider failed mid-answer and the answer restarted on"
                                    + " another; the JSON text sent is void: send the request again");
                    throw new IOException("a restarted answer cannot be taken back from a text stream");
                }
                if (d.json().isEmpty()) return;
                byte[] b = d.json().getBytes(StandardCharsets.UTF_8);
                out.write(b);
                bytes += b.length;
                written = true;
            }
            case RelayEvent.Error e -> failure = e;
            case RelayEvent.Cancelled c -> failure = new RelayEvent.Error("cancelled", c.reason());
            default -> {} // start, done, and what a structured answer does not carry
        }
    }

    @Override
    public void heartbeat() {
        // nothing can be added to JSON text: the connection stays silent
    }

    @Override
    public void flush() throws IOException {
        if (written) out.flush(); // nothing before the first byte: the status is still open
    }

    @Override
    public long bytesWritten() {
        return bytes;
    }
}
