package dev.sluice.internal.low.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The idle kept-alive connections of one blocking transport, per {@link Http1Connection.Key}: at
 * most {@link #maxIdlePerHost} each (Helidon 4's {@code Http1ConnectionCache} keeps 256 per key, its
 * {@code connectionCacheSize}), the most recently used taken first (as OkHttp's
 * {@code RealConnectionPool} does), none kept past {@link #keepAliveNanos} idle or past the
 * server's own {@code Keep-Alive: timeout} less a second. A connection beyond the bound is closed
 * when it comes back. A cleaner (one virtual thread, only while connections are idle) closes the
 * expired ones; {@link #close()} closes them all, and every connection given back afterwards.
 *
 * <p>A connection the server closed while it was idle is not detected here (a blocking socket
 * cannot tell without a read): the exchange that takes it fails before any byte of a response
 * arrives, and {@link BlockingHttp1} sends the request again, once, on a new connection.
 *
 * <p>Threading: any thread; every field below is guarded by {@code lock} (memory only: no I/O under
 * it; connections are closed after it is released).
 */
final class Http1Pool implements AutoCloseable {
    /** The most idle connections kept per host: Helidon's default {@code connectionCacheSize}. */
    static final int DEFAULT_MAX_IDLE_PER_HOST = 256;
    /** The longest a connection is kept idle: the JDK's HttpClient keeps its HTTP/1.1 connections 30 s. */
    static final long DEFAULT_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** What is taken off a server's own Keep-Alive timeout, so that we never send on a connection it is closing. */
    private static final long SERVER_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int maxIdlePerHost;
    private final long keepAliveNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Http1Connection.Key, ArrayDeque<Http1Connection>> idle = new HashMap<>();
    private int idleCount;
    private boolean closed;
    private boolean cleaning;

    Http1Pool(int maxIdlePerHost, long keepAliveNanos, LongSupplier nanoTime) {
        this.maxIdlePerHost = maxIdlePerHost;
        this.keepAliveNanos = keepAliveNanos;
        this.nanoTime = nanoTime;
    }

    /** {@return an idle connection to {@code key}, or null when none is kept} Expired ones met on the way are closed. */
    @Nullable
    Http1Connection take(Http1Connection.Key key) {
        List<Http1Connection> expired = null;
        Http1Connection taken = null;
        lock.lock();
        try {
            ArrayDeque<Http1Connection> q = idle.get(key);
            if (q == null) return null;
            long now = nanoTime.getAsLong();
            Http1Connection c;
            while ((c = q.pollFirst()) != null) {
                idleCount--;
                if (!expired(c, now)) {
                    taken = c;
                    break;
                }
                if (expired == null) expired = new ArrayList<>();
                expired.add(c);
            }
            if (q.isEmpty()) idle.remove(key);
        } finally {
            lock.unlock();
        }
        if (expired != null) expired.forEach(Http1Connection::close);
        return taken;
    }

    /** Keeps {@code c}, idle from now, or closes it (the pool is full for its host, or closed). */
    void offer(Http1Connection c) {
        boolean kept = false;
        boolean startCleaner = false;
        lock.lock();
        try {
            if (!closed) {
                ArrayDeque<Http1Connection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
                if (q.size() < maxIdlePerHost) {
                    c.idleSince = nanoTime.getAsLong();
                    q.addFirst(c);
                    idleCount++;
                    kept = true;
                    if (!cleaning) {
                        cleaning = true;
                        startCleaner = true;
                    }
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (!kept) c.close();
        if (startCleaner) Thread.ofVirtual().name("sluice-http1-pool-cleaner").start(this::clean);
    }

    /** {@return how many connections are idle} */
    int idleCount() {
        lock.lock();
        try {
            return idleCount;
        } finally {
            lock.unlock();
        }
    }

    private boolean expired(Http1Connection c, long now) {
        return now - c.idleSince >= limit(c);
    }

    private long limit(Http1Connection c) {
        return c.keepAliveNanos < 0
                ? keepAliveNanos
                : Math.min(keepAliveNanos, Math.max(0, c.keepAliveNanos - SERVER_MARGIN_NANOS));
    }

    /** The cleaner: closes expired connections until none is idle (or the pool is closed), then ends. */
    private void clean() {
        for (; ; ) {
            List<Http1Connection> expired = new ArrayList<>();
            lock.lock();
            try {
                long now = nanoTime.getAsLong();
                long next = Long.MAX_VALUE;
                for (Iterator<ArrayDeque<Http1Connection>> it = idle.values().iterator(); it.hasNext(); ) {
                    ArrayDeque<Http1Connection> q = it.next();
                    for (Iterator<Http1Connection> ci = q.iterator(); ci.hasNext(); ) {
                        Http1Connection c = ci.next();
                        if (expired(c, now)) {
                            ci.remove();
                            idleCount--;
                            expired.add(c);
                        } else {
                            next = Math.min(next, limit(c) - (now - c.idleSince));
                        }
                    }
                    if (q.isEmpty()) it.remove();
                }
                if (expired.isEmpty()) {
                    if (closed || idleCount == 0) {
                        cleaning = false;
                        return;
                    }
                    try {
                        changed.awaitNanos(next);
                    } catch (InterruptedException e) {
                        cleaning = false;
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
            expired.forEach(Http1Connection::close);
        }
    }

    /** Closes every idle connection; connections given back later are closed. Idempotent. */
    @Override
    public void close() {
        List<Http1Connection> all = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            idleCount = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        all.forEach(Http1Connection::close);
    }

    /**
     * One exchange's hold on a connection: ends once, either {@linkplain #release() given back}
     * (the body was read to its end and the connection may be reused) or {@linkplain #abort()
     * closed} (a cancel, a failure, a body left before its end). Any thread.
     */
    final class Lease {
        private static final int ACTIVE = 0;
        private static final int RELEASED = 1;
        private static final int ABORTED = 2;

        final Http1Connection connection;
        private final AtomicInteger state = new AtomicInteger(ACTIVE);
        private volatile boolean handedOver;

        Lease(Http1Connection connection) {
            this.connection = connection;
        }

        /** Gives the connection back to the pool, unless the lease has ended. */
        void release() {
            if (state.compareAndSet(ACTIVE, RELEASED)) offer(connection);
        }

        /** Closes the connection, unless the lease has ended. Idempotent. */
        void abort() {
            if (state.compareAndSet(ACTIVE, ABORTED)) connection.close();
        }

        /**
         * The response's body now belongs to a caller that closes it itself when cancelled (a
         * stream): {@link #abortUnlessHandedOver()}, the exchange's cancel, leaves it alone.
         */
        void handOver() {
            handedOver = true;
        }

        /** The exchange's cancel: {@link #abort()}, unless the body was handed over. */
        void abortUnlessHandedOver() {
            if (!handedOver) abort();
        }

        /** {@return whether the lease was aborted} */
        boolean aborted() {
            return state.get() == ABORTED;
        }
    }
}
