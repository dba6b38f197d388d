package dev.sluice.internal.low.http;

import dev.sluice.internal.low.http.Http1ResponseParser.Framing;
import dev.sluice.internal.low.sse.EndAwareBody;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response body of the blocking HTTP/1.1 transport, read straight from the connection on the
 * reader's thread: Content-Length, chunked (its framing held to {@link Http1ResponseParser}'s
 * rules, trailers read and dropped) or until the server closes. Read to its end, the connection goes
 * back to the pool when the response let it (HTTP/1.1, no {@code Connection: close}); closed
 * before, the connection is closed, which is also how a read blocked on another thread is cancelled
 * (it then throws an {@link IOException}). Nothing received is lost: a read returns what arrived
 * before a failure, and the next read throws it.
 *
 * <p>Threading: one reader thread; {@link #close()} from any thread. {@code ended} is written by
 * the reader and read by {@code close()}; the rest is the reader's. Once the body has ended, it
 * never touches the connection again: another exchange may have it.
 */
final class Http1Body extends ResponseBody {
    private final Http1Pool.Lease lease;
    private final Http1Input in;
    private final Http1ResponseParser parser;
    private final Framing framing;
    private final boolean keepAlive;
    private long remaining; // LENGTH: bytes left; CHUNKED: bytes left in the chunk being read
    private boolean inChunk; // CHUNKED: a chunk's data has begun (its line break is still to read)
    private volatile boolean ended;

    Http1Body(Http1Pool.Lease lease, Http1ResponseParser parser, Http1ResponseParser.Head head) {
        this.lease = lease;
        this.in = lease.connection.in;
        this.parser = parser;
        this.framing = head.framing();
        this.keepAlive = head.keepAlive();
        this.remaining = head.framing() == Framing.LENGTH ? head.contentLength() : 0;
        lease.connection.keepAliveNanos = head.keepAliveNanos();
        if (framing == Framing.NONE || (framing == Framing.LENGTH && remaining == 0)) end();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (ended) return -1;
        if (lease.aborted()) throw new IOException("the response body is closed");
        if (len == 0) return 0;
        try {
            return switch (framing) {
                case NONE -> -1; // ended in the constructor
                case LENGTH -> readLength(b, off, len);
                case CHUNKED -> readChunked(b, off, len);
                case CLOSE -> readToClose(b, off, len);
            };
        } catch (IOException e) {
            boolean closed = lease.aborted();
            lease.abort();
            if (closed) throw new IOException("the response body is closed", e);
            throw e;
        }
    }

    private int readLength(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException(
                    "the connection was closed " + remaining + " bytes before the end of the response body");
        }
        remaining -= n;
        if (remaining == 0) end();
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        while (remaining == 0) {
            if (inChunk) parser.readChunkEnd();
            long size = parser.readChunkSize();
            if (size == 0) {
                parser.readTrailers();
                end();
                return -1;
            }
            remaining = size;
            inChunk = true;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException("the connection was closed within a chunk of the response body");
        remaining -= n;
        return n;
    }

    private int readToClose(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) end();
        return n;
    }

    /** The body was read to its end: the connection goes back to the pool, or is closed. */
    private void end() {
        ended = true;
        if (keepAlive) {
            lease.release();
        } else {
            lease.abort();
        }
    }

    @Override
    public int available() throws IOException {
        if (ended) return 0;
        if (lease.aborted()) throw new IOException("the response body is closed");
        int buffered = in.buffered();
        return framing == Framing.CLOSE ? buffered : (int) Math.min(buffered, remaining);
    }

    /**
     * Reads on to the body's end, at most {@code graceNanos} and {@code maxBytes} more, so that the
     * connection goes back to the pool; past either bound, or on a failure, the connection is closed.
     */
    @Override
    public boolean closeAtEnd(long graceNanos, int maxBytes, EndAwareBody.@Nullable Rest rest) {
        if (ended) return true;
        if (lease.aborted()) return false;
        in.deadline(Math.min(in.deadline(), System.nanoTime() + graceNanos));
        byte[] buf = new byte[512];
        long total = 0;
        try {
            for (; ; ) {
                int n = read(buf, 0, buf.length);
                if (n < 0) return true;
                total += n;
                if (total > maxBytes) return false;
                if (rest != null) rest.accept(buf, 0, n);
            }
        } catch (IOException e) {
            return false;
        } finally {
            if (!ended) lease.abort();
        }
    }

    /** Each read of the body from now on waits at most {@code nanos} for bytes (a {@link java.net.SocketTimeoutException}). */
    void idle(long nanos) {
        in.idle(nanos);
    }

    /** The body belongs to a stream, which closes it when cancelled: the exchange's cancel no longer does. */
    void handOver() {
        lease.handOver();
    }

    /** Closes the connection unless the body has ended. Idempotent, any thread. */
    @Override
    public void close() {
        if (!ended) lease.abort();
    }
}
