package dev.sluice.internal.low.http;

import dev.sluice.internal.low.sse.EndAwareBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A response body as an {@link InputStream} that loses nothing: every byte received before the
 * connection failed is read before the failure is thrown (as an {@link IOException}).
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: the JDK's stream checks for a failure before
 * draining the buffers it has already received, so the events that arrived just before a
 * connection reset can be thrown away, depending on timing. A stream client promises that events
 * received before a failure are always delivered.
 *
 * <p>{@link HttpTransport} makes one per exchange, in a body handler that also keeps it for the
 * case where the HttpClient fails the response future after the headers (see
 * {@code HttpTransport.ResponseCapture}).
 *
 * <p>Flow control: {@link #PREFETCH} lists of buffers are requested ahead, and, each time the
 * reader has taken half that many, as many more; so at most {@code PREFETCH} wait unread and a
 * slow reader slows the socket (backpressure). Over HTTP/2 the measure is bytes instead: while
 * fewer than {@link #AHEAD_BYTES} wait unread, lists are asked for as they arrive, without
 * waiting for the reader (see there why). {@link #close()}
 * cancels the subscription, unless the body has already ended, and unblocks a blocked
 * {@link #read()}, which then throws an {@code IOException}.
 *
 * <p>Connections: over HTTP/1.1 the JDK's client gives a connection back to its pool when the
 * body has been received to its end, and closes it when the body's subscription is cancelled
 * before (building an {@code IOException} for it either way, even after the end). A reader that
 * has what it needs before the end (a stream's terminal event) calls {@link #closeAtEnd}, which
 * waits a little for the end, so the next request reuses the connection.
 */
final class LosslessBodyStream extends ResponseBody implements HttpResponse.BodySubscriber<InputStream> {
    // Threading: written by the HttpClient's threads (onSubscribe/onNext/onError/onComplete) and
    // read by the one reader thread; close() from any thread. Every field below is guarded by lock.
    //  subscription: set once by onSubscribe. queue: lists received, not yet taken by the reader.
    //  current: the list the reader is on, and its iterator/buffer (reader's, under lock too).
    //  failure/complete: the end signalled by the publisher. closed: close() was called.

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /**
     * How many lists of buffers may be asked for ahead of the reader. More than one keeps the
     * HttpClient's demand positive while the reader works through a list; asking for them in
     * halves means that when the reader is the slower side, the HttpClient's socket reader is
     * paused and resumed (a selector wake-up each time) once per half, not once per list.
     */
    static final int PREFETCH = 16;

    private static final int REFILL = PREFETCH / 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<List<ByteBuffer>> queue = new ArrayDeque<>();
    private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
    private Flow.@Nullable Subscription subscription;
    private @Nullable Iterator<ByteBuffer> currentList;
    private ByteBuffer current = EMPTY;
    private @Nullable Throwable failure;
    private boolean complete;
    private boolean closed;
    private int taken; // lists taken since the last request
    // Over HTTP/2 only: lists asked for and not yet received; bytes received, not yet taken.
    private int outstanding;
    private long queuedBytes;

    /**
     * Over HTTP/2, how many received bytes may wait unread before the demand waits for the
     * reader. Below it, every list that arrives is replaced by asking for more, so the JDK's client
     * hands each DATA frame over as soon as it is decoded: a frame it keeps (while no demand is
     * left) is a slice of the TLS record it decrypted, and keeps that record's 16 KiB array alive
     * for a frame of a hundred bytes. A reader that fell behind (20,000 streams on 2 cores) had
     * up to a prefetch of frames waiting inside the JDK per stream, 150–200 KB each: a 2 GiB heap
     * ran out. Taken at once, the small frames are {@linkplain #copySmall copied}, and what waits
     * is their own bytes, at most this many and a prefetch of lists past it.
     */
    static final int AHEAD_BYTES = 64 * 1024;

    /**
     * Received buffers shorter than this are copied when they arrive, with {@link #copySmall}:
     * over HTTP/2 and TLS the JDK's client hands each DATA frame over as a slice of the record it
     * decrypted, and a slice keeps its whole record's array alive while it waits to be read. At
     * 5,000 streams of small events over 50 connections, a client that was behind kept 905–1,052
     * MiB after collections (the whole 1 GiB heap) without the copies, 350–691 MiB with them.
     * Not over HTTP/1.1, whose slices of a stream's own read buffer would only be copied for
     * nothing (the bulk benchmarks' text is 12 MB a stream).
     */
    static final int COPY_BELOW = 4096;

    private final Runnable ended;
    private final boolean http2; // small buffers copied, demand by bytes ahead
    private final @Nullable Drains drains; // null: nobody cuts a wait for the end short

    /**
     * The bodies of one transport that wait for their end ({@link #closeAtEnd}), so that closing
     * the transport cuts their waits short: the JDK's {@code HttpClient.close()} waits for its
     * exchanges, and a server that holds a body's end back would keep it waiting for the grace.
     * Thread-safe.
     */
    static final class Drains {
        private final Set<LosslessBodyStream> waiting = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        /** Closes the bodies that wait for their end, and any that starts waiting later. */
        void close() {
            closed = true; // before the bodies are read: a wait that starts now sees the flag
            for (LosslessBodyStream body : waiting) body.close();
        }
    }

    /** A body whose end nothing else needs to know of. */
    LosslessBodyStream() {
        this(() -> {});
    }

    /**
     * @param ended run, outside the lock, when the body ends: completed, failed or closed (it may
     *     run more than once, so it must act once itself, and must not block); before a reader can
     *     see the end
     */
    LosslessBodyStream(Runnable ended) {
        this(ended, false);
    }

    /**
     * @param http2 whether the body comes over HTTP/2: buffers shorter than {@link #COPY_BELOW} are
     *     copied as they arrive, and lists asked for by {@link #AHEAD_BYTES}
     */
    LosslessBodyStream(Runnable ended, boolean http2) {
        this(ended, http2, null);
    }

    /** @param drains where a wait for the end is registered, so that the transport's close can cut it */
    LosslessBodyStream(Runnable ended, boolean http2, @Nullable Drains drains) {
        this.ended = Objects.requireNonNull(ended, "ended");
        this.http2 = http2;
        this.drains = drains;
    }

    // ---------------------------------------------------------------- publisher side

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        boolean cancel;
        lock.lock();
        try {
            cancel = closed || subscription != null;
            if (subscription == null) {
                subscription = s;
                if (!cancel) outstanding = PREFETCH;
            }
        } finally {
            lock.unlock();
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(PREFETCH);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        Objects.requireNonNull(item, "item");
        if (http2) item = copySmall(item);
        int more = 0;
        Flow.Subscription s;
        lock.lock();
        try {
            if (closed) return;
            queue.add(item);
            s = subscription;
            if (http2) {
                outstanding = Math.max(0, outstanding - 1);
                queuedBytes += remaining(item);
                more = topUp();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (more > 0 && s != null)
            s.request(more); // outside the lock: it may deliver at once (onNext follows onSubscribe)
    }

    /**
     * Over HTTP/2, under the lock: while fewer than {@link #AHEAD_BYTES} wait unread and at most
     * half the prefetch is still asked for, asks (the caller, outside the lock) for the rest of it.
     * {@return how many lists to ask for, 0 for none}
     */
    private int topUp() {
        if (closed || failure != null || complete || queuedBytes >= AHEAD_BYTES || outstanding > REFILL) return 0;
        int more = PREFETCH - outstanding;
        outstanding = PREFETCH;
        return more;
    }

    private static long remaining(List<ByteBuffer> item) {
        long n = 0;
        for (int i = 0; i < item.size(); i++) n += item.get(i).remaining();
        return n;
    }

    /** {@return the buffers, each shorter than {@link #COPY_BELOW} replaced by a copy of its own} */
    static List<ByteBuffer> copySmall(List<ByteBuffer> item) {
        List<ByteBuffer> copied = null;
        for (int i = 0; i < item.size(); i++) {
            ByteBuffer b = item.get(i);
            if (b.remaining() >= COPY_BELOW) continue;
            if (copied == null) copied = new ArrayList<>(item);
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            copied.set(i, ByteBuffer.wrap(bytes));
        }
        return copied == null ? item : copied;
    }

    // onError and onComplete run `ended` before the reader can see the end: a reader that has read
    // a body to its end never finds its exchange still counted as open.

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "throwable");
        ended.run();
        lock.lock();
        try {
            if (failure == null && !complete) failure = t;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onComplete() {
        ended.run();
        lock.lock();
        try {
            if (failure == null) complete = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reader side

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return read(b, off, len, -1);
    }

    /** What {@link #read(byte[], int, int, long)} returns when its wait ran out. */
    private static final int TIMED_OUT = -2;

    /**
     * {@link #read(byte[], int, int)}, waiting at most {@code timeoutNanos} when that is not
     * negative. {@return the bytes read, -1 at the end, {@link #TIMED_OUT} when the wait ran out}
     */
    private int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        long left = timeoutNanos;
        Flow.Subscription toRequest = null;
        int toRequestCount = REFILL;
        int n = TIMED_OUT;
        lock.lock();
        try {
            fill:
            for (; ; ) {
                if (closed) throw new IOException("the response body is closed");
                if (current.hasRemaining()) break;
                if (currentList != null && currentList.hasNext()) {
                    current = currentList.next();
                    continue;
                }
                currentList = null;
                List<ByteBuffer> next = queue.poll();
                if (next != null) {
                    currentList = next.iterator();
                    if (http2) {
                        queuedBytes -= remaining(next);
                        int more = topUp();
                        if (more > 0) {
                            toRequest = subscription;
                            toRequestCount = more;
                        }
                    } else if (++taken == REFILL && failure == null && !complete) {
                        taken = 0;
                        toRequest = subscription; // half taken: as many more asked for
                    }
                    continue;
                }
                if (failure != null) throw asIOException(failure);
                if (complete) return -1;
                try {
                    if (timeoutNanos < 0) {
                        changed.await();
                    } else {
                        if (left <= 0) break fill; // n stays TIMED_OUT
                        left = changed.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the response body");
                }
            }
            if (current.hasRemaining()) {
                n = Math.min(len, current.remaining());
                current.get(b, off, n);
            }
        } finally {
            lock.unlock();
        }
        if (toRequest != null) toRequest.request(toRequestCount); // outside the lock: it may deliver at once
        return n;
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            if (closed) throw new IOException("the response body is closed");
            return current.remaining();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reader needs nothing more of the body: waits at most {@code graceNanos} for its end,
     * handing what arrives before it (at most {@code maxBytes}) to {@code rest}, or dropping it,
     * then {@linkplain #close closes} it. A body that ended (and was not cancelled) leaves its HTTP/1.1 connection to the JDK's
     * pool; past either bound, or if the wait is interrupted, the subscription is cancelled as
     * {@code close()} does, which makes the JDK close the connection.
     */
    @Override
    public boolean closeAtEnd(long graceNanos, int maxBytes, EndAwareBody.@Nullable Rest rest) {
        long deadline = System.nanoTime() + graceNanos;
        byte[] dropped = null;
        long droppedBytes = 0;
        boolean registered = false;
        try {
            for (; ; ) {
                lock.lock();
                try {
                    // The common case: the end came with the terminal event's bytes. The JDK has
                    // pooled the connection already; what was not read is dropped with the body,
                    // unless the reader wants it (read below without waiting: it has all arrived).
                    if (complete && rest == null) return true;
                } finally {
                    lock.unlock();
                }
                if (dropped == null) {
                    dropped = new byte[512];
                    if (drains != null) { // it is to wait: the transport's close must be able to cut it
                        drains.waiting.add(this);
                        registered = true;
                        if (drains.closed) return false;
                    }
                }
                int n = read(dropped, 0, dropped.length, Math.max(0, deadline - System.nanoTime()));
                if (n == -1) return true;
                if (n == TIMED_OUT) return false;
                droppedBytes += n;
                if (droppedBytes > maxBytes) return false;
                if (rest != null) rest.accept(dropped, 0, n);
            }
        } catch (IOException e) {
            return false; // failed, closed meanwhile (the transport's close, say), or interrupted
        } finally {
            close();
            if (registered && drains != null) drains.waiting.remove(this);
        }
    }

    /**
     * Drops what was not read, wakes a blocked reader and, unless the body has already ended
     * (received whole, or failed), cancels the subscription. Idempotent.
     */
    @Override
    public void close() {
        Flow.Subscription s;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            // After the end the subscription is over (Reactive Streams 2.4); the JDK's HTTP/1.1
            // exchange would still take a cancel as a failure, and build an IOException for it.
            s = complete || failure != null ? null : subscription;
            queue.clear();
            currentList = null;
            current = EMPTY;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (s != null) s.cancel();
        ended.run();
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof IOException e) {
            // A fresh exception each time, keeping the original as the cause, so a second read sees it too.
            return new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        return new IOException("the response body failed: " + t, t);
    }
}
