package dev.sluice.eventsource;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The state one running event source shares between its producer thread and the threads that
 * restart or cancel it: which phase the producer is in, what to close to interrupt it, the last
 * event ID and the reconnection time. It never refers to the user-facing stream, so that stream can
 * become unreachable (and be cleaned up) while the producer runs.
 *
 * <p>It is the stream's attached source: cancelling the stream closes it, which closes the current
 * response body or abandons the request being sent.
 */
final class Session implements Closeable {
    // Threading: phase, restartRequested, current and producer are guarded by lock; the producer
    // changes the phase, restart() and close() read it from any thread. lastEventId, retryMillis
    // and uri are volatile: written by the producer, read by any thread.

    enum Phase {
        CONNECTING,
        OPEN,
        WAITING,
        ENDED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private Phase phase = Phase.CONNECTING;
    private boolean restartRequested;
    private @Nullable Closeable current;
    private @Nullable Thread producer;

    private volatile @Nullable String lastEventId;
    private volatile long retryMillis;
    private volatile URI uri;

    Session(@Nullable String lastEventId, long retryMillis, URI uri) {
        this.lastEventId = lastEventId;
        this.retryMillis = retryMillis;
        this.uri = uri;
    }

    @Nullable
    String lastEventId() {
        return lastEventId;
    }

    void lastEventId(@Nullable String id) {
        lastEventId = id;
    }

    long retryMillis() {
        return retryMillis;
    }

    void retryMillis(long millis) {
        retryMillis = millis;
    }

    URI uri() {
        return uri;
    }

    void uri(URI u) {
        uri = u;
    }

    /** The producer starts: from now on a restart may interrupt it while it waits. */
    void bind(Thread t) {
        lock.lock();
        try {
            producer = t;
        } finally {
            lock.unlock();
        }
    }

    /** The producer starts a connection attempt: a restart asked for until now is served by it. */
    void connecting(Closeable abandon) {
        lock.lock();
        try {
            if (phase == Phase.ENDED) return;
            phase = Phase.CONNECTING;
            restartRequested = false;
            current = abandon;
            if (Thread.currentThread() == producer)
                Thread.interrupted(); // a restart's interrupt that came too late to matter
        } finally {
            lock.unlock();
        }
    }

    /** A connection opened; a restart asked for while it was opening closes it at once. */
    void opened(Closeable body) {
        boolean closeNow;
        lock.lock();
        try {
            closeNow = phase == Phase.ENDED || restartRequested;
            if (phase != Phase.ENDED) phase = Phase.OPEN;
            current = body;
        } finally {
            lock.unlock();
        }
        if (closeNow) closeQuietly(body);
    }

    /** {@return whether to wait before reconnecting: not when a restart was asked for meanwhile} */
    boolean waiting() {
        lock.lock();
        try {
            if (phase != Phase.ENDED) phase = Phase.WAITING;
            current = null;
            return !restartRequested;
        } finally {
            lock.unlock();
        }
    }

    boolean restartRequested() {
        lock.lock();
        try {
            return restartRequested;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the open connection, or ends the wait, so that the producer reconnects at once. */
    void restart() {
        Closeable toClose = null;
        lock.lock();
        try {
            if (phase == Phase.ENDED) return;
            restartRequested = true;
            if (phase == Phase.OPEN) toClose = current;
            else if (phase == Phase.WAITING && producer != null) producer.interrupt();
        } finally {
            lock.unlock();
        }
        if (toClose != null) closeQuietly(toClose);
    }

    /** The stream is over (cancelled, closed, ended): close what is open; restarts do nothing from now on. */
    @Override
    public void close() {
        Closeable toClose;
        lock.lock();
        try {
            phase = Phase.ENDED;
            toClose = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (toClose != null) closeQuietly(toClose);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing is best effort: the producer notices the closed body either way
        }
    }
}
