package dev.sluice.relay.protocol;

import dev.sluice.relay.RelayEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every writer of the gateway's answers keeps about its response's first byte, which commits
 * the status: whether it was written, the failure held before it (for the server to answer with a
 * status and the dialect's error body), whether a failure written after it ended the response, and
 * the bytes written. A collecting writer has no stream: it writes nothing and holds any failure.
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
abstract sealed class FirstByteWriter implements GatewayAnswerWriter
        permits GatewayWriter, DialectWriter, PassthroughWriter {
    private final @Nullable OutputStream out;
    private long bytes;
    private int heartbeatsHeld;
    boolean written;
    boolean ended; // a failure was written mid-stream: the response is over
    RelayEvent.@Nullable Error failure;

    /** @param out the response body, or null for a collecting writer */
    FirstByteWriter(@Nullable OutputStream out) {
        this.out = out == null ? null : new BufferedOutputStream(out, 8192);
    }

    /** {@return whether the answer is gathered and written whole at the end (the writer has no stream)} */
    final boolean collecting() {
        return out == null;
    }

    /** Writes to the response body: the first bytes commit its status. */
    final void write(byte[] b) throws IOException {
        written = true;
        out().write(b);
        bytes += b.length;
    }

    /**
     * {@return true when the failure is held for a status rather than written: nothing was written
     * yet, or the writer collects} The first failure held is kept.
     */
    final boolean held(RelayEvent.Error e) {
        if (out != null && written) return false;
        if (failure == null) failure = e;
        return true;
    }

    /**
     * {@return true when a heartbeat is left out: once the response ended, and before the first byte
     * until {@value DialectWriter#HEARTBEATS_HELD} were (so that a failure before the answer still
     * gets its status)}
     */
    final boolean heartbeatLeftOut() {
        return ended || (!written && ++heartbeatsHeld <= DialectWriter.HEARTBEATS_HELD);
    }

    @Override
    public final boolean written() {
        return written;
    }

    @Override
    public final Optional<RelayEvent.Error> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@return true once a failure was written mid-stream: nothing after it is the client's} */
    @Override
    public final boolean responseEnded() {
        return ended;
    }

    @Override
    public final void flush() throws IOException {
        if (out != null && written) out.flush();
    }

    /** {@return the bytes written to the response body; -1 for a collecting writer} */
    @Override
    public final long bytesWritten() {
        return out == null ? -1 : bytes;
    }

    private OutputStream out() {
        return Objects.requireNonNull(out, "a streaming writer has its stream");
    }
}
