package dev.sluice.internal.low.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link HttpClient}s of a transport that makes its own, opened one more at a time as the
 * servers' limit on streams per HTTP/2 connection requires.
 *
 * <p>Why: over HTTPS the JDK's client speaks HTTP/2 and keeps one connection per host; a request
 * beyond the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} on it fails at once with an
 * {@code IOException} ("too many concurrent streams", JDK-8225647) rather than waiting or opening
 * a second connection. The providers' APIs allow about a hundred streams a connection, so a
 * service with more streams open at once would see the rest fail. Each client here has its own
 * connection pool, so a second client is a second connection: when a client's connection refuses
 * a stream, the refusal is {@linkplain #refused learned} (the streams the transport had open on
 * it, about the server's limit) and the exchange moves to a client with room, a new one if none
 * has. The refused request never left this process, so sending it again is safe. Over HTTP/1.1,
 * where the JDK opens a connection per exchange in flight, nothing is refused and one client is
 * used.
 *
 * <p>A client's connection is opened by its first exchange alone ({@link #awaitOpened}): the
 * JDK shares no connection attempt, so a burst sent on a client with no connection yet would
 * open one TLS connection per exchange (measured: 300 for 300 streams; with the wait, 3).
 *
 * <p>Each client has its JDK selector thread: at 10,000 streams and 100 a connection, 100
 * clients. At most {@link #MAX_CLIENTS} are opened; beyond that the refusal is the caller's, as a
 * connection failure (retryable).
 *
 * <p>Threading: thread-safe. The count of a client's open exchanges is taken when an exchange is
 * placed on it and given back once when it ends.
 */
final class ClientLanes {
    /** The most clients one transport opens. */
    static final int MAX_CLIENTS = 256;
    /** The JDK's message for a stream its connection may not open (Http2Connection.reserveStream). */
    private static final String REFUSED = "too many concurrent streams";

    /** A client and the exchanges open on it. */
    static final class Lane {
        final HttpClient client;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicBoolean opening = new AtomicBoolean();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition(); // signalled when opened, and on a waiter's cancel
        private volatile boolean opened; // set before wakeAll takes the lock: a waiter reads it under the lock

        private Lane(HttpClient client) {
            this.client = client;
        }

        /** Wakes every exchange waiting for this lane to open, to look again. */
        private void wakeAll() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final Supplier<HttpClient> newClient;
    private final int maxClients;
    /**
     * How long exchanges placed on a lane wait for its first exchange to get a response (or fail)
     * before going ahead anyway: the first opens the lane's HTTP/2 connection, which the others
     * then share; sent at once, each would open a connection of its own (the JDK coalesces no
     * connection attempts), and a burst of thousands would be thousands of TLS handshakes. The
     * clients' connect timeout: as long as opening the connection may take.
     */
    private final long openingWaitNanos;

    private final CopyOnWriteArrayList<Lane> lanes = new CopyOnWriteArrayList<>();
    private final ReentrantLock adding = new ReentrantLock();
    private volatile int perClient = Integer.MAX_VALUE; // streams a connection takes, as learned

    /**
     * @param newClient makes a client as the transport's first: each call a new one
     * @param connectTimeout the clients' connect timeout, the longest wait for a lane's first exchange
     */
    ClientLanes(Supplier<HttpClient> newClient, Duration connectTimeout) {
        this(newClient, MAX_CLIENTS, connectTimeout);
    }

    ClientLanes(Supplier<HttpClient> newClient, int maxClients, Duration connectTimeout) {
        this.newClient = newClient;
        this.maxClients = maxClients;
        this.openingWaitNanos = connectTimeout.toNanos();
        lanes.add(new Lane(newClient.get()));
    }

    /** {@return the first client, which every exchange uses until one is refused} */
    HttpClient first() {
        return lanes.getFirst().client;
    }

    /** {@return how many clients are open} */
    int size() {
        return lanes.size();
    }

    /** {@return the exchanges open on all clients} */
    int open() {
        return lanes.stream().mapToInt(l -> l.open.get()).sum();
    }

    /** {@return the streams a connection takes, as learned; {@code Integer.MAX_VALUE} before any refusal} */
    int perClient() {
        return perClient;
    }

    /**
     * {@return the lane for a new exchange, its count taken: the first with room, else a new one;
     * with the most clients open and none with room, the last (whose refusal is the caller's)}
     */
    Lane acquire() {
        Lane lane = withRoom(null);
        if (lane == null) lane = added(null);
        if (lane == null) {
            lane = lanes.getLast();
            lane.open.incrementAndGet();
        }
        return lane;
    }

    /** {@return a lane other than {@code skip} with room, its count taken, or null} */
    private @Nullable Lane withRoom(@Nullable Lane skip) {
        int limit = perClient;
        for (Lane lane : lanes) {
            if (lane == skip) continue;
            for (int n = lane.open.get(); n < limit; n = lane.open.get()) {
                if (lane.open.compareAndSet(n, n + 1)) return lane;
            }
        }
        return null;
    }

    /** {@return a lane with room, opened if needed, its count taken; null when none has room and no more may be opened} */
    private @Nullable Lane added(@Nullable Lane skip) {
        adding.lock();
        try {
            Lane lane = withRoom(skip); // another thread may have added one
            if (lane != null || lanes.size() >= maxClients) return lane;
            lane = new Lane(newClient.get());
            lane.open.incrementAndGet();
            lanes.add(lane);
            return lane;
        } finally {
            adding.unlock();
        }
    }

    /**
     * Before an exchange that may go over HTTP/2 is sent on {@code lane}: the lane's first goes at
     * once, the others wait until it has {@linkplain #opened settled}, at most the connect
     * timeout, or until the {@code cancellation}'s cancel. {@return true for the lane's first
     * exchange, which must call {@link #opened} when its response comes or it fails}
     *
     * <p>Settled means that its response came or it failed, not merely that its request went out
     * on the new connection: the JDK offers a connection to its pool before the server's
     * {@code SETTINGS} (its limit on streams) have arrived, and waiters let go at that point were
     * sent past the limit, and the server reset the connection under them ({@code H2BenchServer
     * --first-byte-ms 1000}, 5,000 streams at once: 2,191 to 4,796 connections, 3,057 to 4,851
     * streams failing with "Broken pipe"; waiting for the response, 43 to 48 connections and none).
     *
     * <p>A waiter is woken only by those three, never by a timer to look at its cancellation: a
     * cancel wakes the lane's waiters (each looks at its own). Polling every 20 ms, 19,999 streams
     * waiting on a burst's first lane woke about a million times a second, which on 2 cores kept
     * the first exchange from its connection for longer than the connect timeout; the waiters
     * then went ahead at once, and the JDK opened a TLS connection for each (12,382 connections
     * for a burst of 20,000 streams, nearly all of them failing their connect timeout).
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean awaitOpened(Lane lane, Cancellation cancellation) throws InterruptedException {
        if (lane.opened) return false;
        if (lane.opening.compareAndSet(false, true)) return true;
        cancellation.onCancel().accept(lane::wakeAll);
        lane.lock.lock();
        try {
            for (long left = openingWaitNanos;
                    !lane.opened && left > 0 && !cancellation.isCancelled().getAsBoolean(); ) {
                left = lane.changed.awaitNanos(left);
            }
        } finally {
            lane.lock.unlock();
        }
        return false;
    }

    /** The lane's first exchange got its response or failed: the others go. */
    void opened(Lane lane) {
        lane.opened = true;
        lane.wakeAll();
    }

    /** Gives back the count an exchange took on {@code lane}. */
    void release(Lane lane) {
        lane.open.decrementAndGet();
    }

    /**
     * The exchange on {@code lane} was refused a stream: the limit is learned from the other
     * exchanges open on it. {@return another lane with room (opened if needed), the exchange's
     * count moved there; or null, the count left on {@code lane}, when there is none and no more
     * clients may be opened}
     */
    @Nullable
    Lane refused(Lane lane) {
        int others = lane.open.get() - 1;
        if (others > 0 && others < perClient) perClient = others;
        Lane next = withRoom(lane);
        if (next == null) next = added(lane);
        if (next != null) release(lane);
        return next;
    }

    /** {@return whether {@code failure} is the JDK's refusal of a stream beyond the connection's limit} */
    static boolean isRefusal(@Nullable Throwable failure) {
        Throwable t =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof IOException && REFUSED.equals(t.getMessage());
    }

    /** Closes every client. */
    void close() {
        for (Lane lane : lanes) lane.client.close();
    }
}
