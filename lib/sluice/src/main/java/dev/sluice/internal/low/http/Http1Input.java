package dev.sluice.internal.low.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The buffered reading side of one HTTP/1.1 connection: the response parser reads lines from it,
 * a body reads bytes (from the buffer, or straight from the socket into the reader's array when the
 * buffer is empty and the read is large). Before each blocking read of the socket the socket's read
 * timeout is set to what is left of the current {@linkplain #deadline(long) deadline}, at most the
 * {@linkplain #idle(long) longest wait of one read}, so a head wait, an overall deadline, a grace or
 * a body's idle timeout is a timed socket read, not another thread.
 *
 * <p>Threading: one reader at a time (the exchange's thread, then the body's reader); not thread-safe.
 */
final class Http1Input {
    /** No deadline: blocking reads wait as long as the socket does. */
    static final long NONE = Long.MAX_VALUE;

    private final InputStream in;
    private final @Nullable Socket socket; // whose read timeout the deadline sets; null: none
    private final byte[] buf;
    private int pos;
    private int lim;
    private long deadline = NONE;
    private long idleNanos = NONE; // the longest one blocking read waits, NONE: the deadline alone
    private int timeoutMillis; // the socket's read timeout now
    private long received; // bytes read from the stream since the last reset

    Http1Input(InputStream in, @Nullable Socket socket, int bufferSize) {
        this.in = in;
        this.socket = socket;
        this.buf = new byte[bufferSize];
    }

    /**
     * Blocking reads from now on end by this {@link System#nanoTime()} deadline ({@link #NONE}: no
     * limit), with a {@link SocketTimeoutException}.
     */
    void deadline(long deadlineNanos) {
        this.deadline = deadlineNanos;
    }

    /**
     * Each blocking read from now on waits at most {@code nanos} ({@link #NONE}: as long as the
     * deadline lets it), with a {@link SocketTimeoutException}; whichever of it and the deadline
     * comes first ends it. For a body's idle timeout; a connection back in the pool has none.
     */
    void idle(long nanos) {
        this.idleNanos = nanos;
    }

    /** {@return the deadline blocking reads end by} */
    long deadline() {
        return deadline;
    }

    /** {@return the bytes received from the stream since the last {@link #resetReceived()}} */
    long received() {
        return received;
    }

    void resetReceived() {
        received = 0;
    }

    /** {@return how many bytes are buffered, unread} */
    int buffered() {
        return lim - pos;
    }

    /** {@return the next byte, -1 at the end of the stream} */
    int read() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** {@return the next byte} @throws EOFException at the end of the stream */
    int readByte() throws IOException {
        int b = read();
        if (b < 0) throw new EOFException("the connection was closed");
        return b;
    }

    /** {@return up to {@code len} bytes into {@code b}: buffered ones first; -1 at the end of the stream} */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == lim) {
            if (len >= buf.length) return readStream(b, off, len); // no copy through the buffer
            if (!fill()) return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Refills the empty buffer. {@return false at the end of the stream} */
    private boolean fill() throws IOException {
        int n = readStream(buf, 0, buf.length);
        if (n < 0) return false;
        pos = 0;
        lim = n;
        return true;
    }

    private int readStream(byte[] b, int off, int len) throws IOException {
        armTimeout();
        int n;
        do {
            n = in.read(b, off, len);
        } while (n == 0);
        if (n > 0) received += n;
        return n;
    }

    private void armTimeout() throws IOException {
        if (socket == null) return;
        int millis = 0;
        if (deadline != NONE || idleNanos != NONE) {
            long left = deadline == NONE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("the deadline passed");
            left = Math.min(Math.min(left, idleNanos), Long.MAX_VALUE - 999_999);
            millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
        }
        if (millis != timeoutMillis) {
            socket.setSoTimeout(millis);
            timeoutMillis = millis;
        }
    }
}
