package dev.sluice.server;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A request body read without a thread (the Servlet API's non-blocking input): the container
 * reads what arrives into a buffer as it arrives, at most {@code limit} bytes (more than the routes
 * take: they refuse the body), and the routes' thread reads from the buffer, waiting for more no
 * longer than the body timeout from the request's start; then a read throws
 * {@link SocketTimeoutException}, which the routes answer with {@code 408}. So a body that stops
 * arriving holds neither a container thread nor, past its timeout, its connection.
 *
 * <p>Once the routes answer ({@link #stop}), what arrives is no longer read: the answer may end
 * the response, and with it the request's input, while the container calls the listener (Tomcat
 * closes both when the declared length of the response is written), and a read then fails the
 * request a second time, under the routes' own completion of it. So the listener asks and reads
 * only while holding {@code lock} and not stopped, and {@link #stop} takes the lock: no read runs
 * once it returns. A read of the input never blocks (it follows {@code isReady()}), so the lock is
 * held briefly.
 *
 * <p>Threading: the container calls the listener's methods, one at a time, on its threads; the
 * routes' thread reads and stops; {@code lock} guards the buffer, the state and the container's
 * input. {@code scratch} is the container's.
 */
final class AsyncBody extends InputStream implements ReadListener {
    private final ServletInputStream in;
    private final int limit;
    private final long deadline;
    private final byte[] scratch = new byte[8192];
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // guarded by lock:
    private byte @Nullable [] bytes = new byte[1024]; // null once read to its end
    private int filled;
    private int taken;
    private boolean ended; // the whole body has arrived
    private boolean stopped; // the routes answer: nothing more is read from the input
    private @Nullable IOException failure;

    /** Reads the body of a request in async mode from now on; call on the container's thread. */
    AsyncBody(ServletInputStream in, int limit, Duration timeout) {
        this.in = in;
        this.limit = limit;
        this.deadline = System.nanoTime() + timeout.toNanos();
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (true) {
            lock.lock();
            try {
                if (stopped || !in.isReady()) return;
                int n = in.read(scratch, 0, scratch.length);
                if (n < 0) return; // the end: onAllDataRead follows
                int keep = Math.min(n, limit - filled);
                if (keep > 0) {
                    // room left: the body is not read to its end, so the buffer is still there
                    byte[] buffer = Objects.requireNonNull(bytes, "not read to its end");
                    if (filled + keep > buffer.length)
                        bytes = buffer =
                                Arrays.copyOf(buffer, Math.min(limit, Math.max(filled + keep, 2 * buffer.length)));
                    System.arraycopy(scratch, 0, buffer, filled, keep);
                    filled += keep;
                    arrived.signalAll();
                }
                if (filled == limit) return; // more than the routes take: the rest is left unread
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void onAllDataRead() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(Throwable t) {
        lock.lock();
        try {
            failure = t instanceof IOException io ? io : new IOException(t);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        lock.lock();
        try {
            while (taken == filled) {
                if (ended || filled == limit) {
                    bytes = null; // all read: the reader holds its own copy now
                    return -1;
                }
                if (failure != null) throw failure;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException("the request body did not arrive within its timeout");
                arrived.awaitNanos(left);
            }
            int n = Math.min(len, filled - taken);
            System.arraycopy(bytes, taken, b, off, n);
            taken += n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops reading the input, for the routes answer: whatever arrives from now on is left unread
     * (the connection is closed after a refusal of a body not whole), and no read of it is in
     * progress when this returns. On the routes' thread, before the response is written or ended.
     */
    void stop() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the whole body has arrived} */
    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }
}
