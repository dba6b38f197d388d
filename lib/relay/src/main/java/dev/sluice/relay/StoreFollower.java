package dev.sluice.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * Follows a stream another node runs for a replica: the shared {@link RelayStore} hands the stored
 * events (ids and all) to {@link #stored} as they are stored ({@link RelayStore#follow}), which
 * appends them to the replica's {@link ReplayBuffer} without waiting; the replica's own virtual
 * thread ({@code sluice-relay-replica-ID}) keeps watch and does nothing per event. While this node
 * has clients of the stream it renews their lease on the running node; when that node's liveness
 * lapses with nothing more stored, it ends the replica with {@code node_lost}; a gap in the ids
 * (events trimmed before this node read them) ends it with {@code replay_unavailable}. When the
 * buffer has no room for an event the follow pauses until a client of this node has read enough
 * of it, and only while one reads the replica or is on its way to it (bounded by the catch-up
 * wait); a replica left without one is stopped (see {@link Replicas}), which ends the wait.
 *
 * <p>Threading: {@link #load} runs on the caller's thread before the follow starts, {@link #run}
 * on the replica's thread, {@link #stored} on the store's; {@link #awaitEvent} on a subscribing
 * client's thread. The buffer's lock guards what they share, {@code wanted} and {@code lastStored}
 * as well; the loop's own locals are its thread's.
 */
final class StoreFollower implements Runnable {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    /** How long the follower goes without a stored event before it checks the running node's liveness. */
    static final Duration STORE_BLOCK = Duration.ofSeconds(1);

    private static final int BATCH_FROM_STORE = 256;

    private final RelayedStream stream;
    private final ReplayBuffer buffer;
    private final RelaySettings settings;
    private final StreamHost host;
    /** Signalled when {@link #stored} pauses or stops the follow. */
    private final Condition attention;

    private int wanted; // the bytes of the event that found no room: the follow is paused until it fits
    private long lastStored; // System.nanoTime() when the store last handed on an event

    StoreFollower(RelayedStream stream) {
        this.stream = stream;
        this.buffer = stream.buffer;
        this.settings = stream.settings;
        this.host = stream.host;
        this.attention = buffer.lock.newCondition();
    }

    /**
     * Reads what the store has of the stream so far, on the first client's thread before the
     * replica is shared, never waiting: no client reads the buffer yet to make room in it. The
     * events up to {@code after}, which that client has, make room for later ones; once the buffer
     * is full of events it needs, the load stops and the follow goes on as the client reads (a
     * stream larger than this node's buffer, whatever the running node's, goes through it).
     */
    void load(long after) {
        long last = 0;
        while (true) {
            List<String> got = settings.store().read(stream.id, last, BATCH_FROM_STORE, Duration.ZERO);
            if (got.isEmpty()) return;
            for (String text : got) {
                StoredEvents.Stored s = StoredEvents.decode(text);
                if (append(s, after) != Appended.YES || s.event().terminal()) return;
                last = s.id();
            }
        }
    }

    void start() {
        Thread.ofVirtual().name("sluice-relay-replica-" + stream.id).start(this);
    }

    @Override
    public void run() {
        RelayStore store = settings.store();
        String id = stream.id;
        long announced = settings.clock().now();
        long checked = System.nanoTime(); // the store's pace is real time, as its reads' blocking is
        RelayStore.Follow follow = null;
        try {
            buffer.lock.lock();
            try {
                lastStored = checked;
            } finally {
                buffer.lock.unlock();
            }
            follow = store.follow(id, lastId(), this::stored);
            while (true) {
                long after;
                boolean clients;
                boolean resume = false;
                boolean quiet;
                buffer.lock.lock();
                try {
                    while (true) {
                        if (buffer.ended() || buffer.cancelRequested()) return;
                        if (wanted > 0 && buffer.makeRoom(wanted)) {
                            wanted = 0;
                            resume = true;
                            break;
                        }
                        long due = STORE_BLOCK.toNanos() - (System.nanoTime() - checked);
                        if (due <= 0) break;
                        (wanted > 0 ? buffer.changed : attention).awaitNanos(due); // room, or the next look
                    }
                    after = buffer.lastId();
                    clients = stream.hasLocalClients();
                    quiet = wanted == 0 && System.nanoTime() - lastStored >= STORE_BLOCK.toNanos();
                } finally {
                    buffer.lock.unlock();
                }
                if (resume) {
                    follow.resume(after);
                    continue;
                }
                checked = System.nanoTime();
                if (clients
                        && settings.clock().now() - announced
                                >= STORE_BLOCK.toNanos()) { // renew the running node's lease
                    announced = settings.clock().now();
                    host.replicas().announce(id, true);
                }
                if (quiet && !nodeAlive(store) && nodeLost(store, after)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.cancel("the relay's thread was interrupted");
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + id + " failed", e);
            append(new StoredEvents.Stored(lastId() + 1, FailureEvents.internalError()), -1); // never rethrown
        } finally {
            if (follow != null) follow.close();
            host.replicas().ended(stream);
        }
    }

    /**
     * Takes a batch the store hands on, on the store's thread: appends what fits without waiting,
     * skipping what the buffer has. {@return false when the follow is to pause (no room) or stop}
     */
    private boolean stored(List<String> texts) {
        try {
            for (String text : texts) {
                StoredEvents.Stored s = StoredEvents.decode(text);
                Appended a = append(s, -1);
                if (a != Appended.YES || s.event().terminal()) return false;
            }
            return true;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + stream.id + " failed", e);
            append(new StoredEvents.Stored(lastId() + 1, FailureEvents.internalError()), -1); // never rethrown
            return false;
        }
    }

    /**
     * The running node's liveness lapsed: one more look for what it stored since the last batch;
     * when there is nothing more, the replica ends with {@code node_lost}. {@return whether it ended}
     */
    private boolean nodeLost(RelayStore store, long after) {
        List<String> got;
        try {
            got = store.read(stream.id, after, BATCH_FROM_STORE, Duration.ZERO);
        } catch (RuntimeException e) {
            return false;
        }
        if (!got.isEmpty()) {
            stored(got);
            return false;
        }
        try {
            if (host.takeOver(stream, after)) return false; // its tasks go on from here, or from another node
        } catch (RuntimeException e) { // the store is away: asked again at the next look
            LOG.log(System.Logger.Level.DEBUG, "stream " + stream.id + ": could not take it over: " + e.getMessage());
            return false;
        }
        buffer.lock.lock();
        try {
            if (buffer.lastId() != after || buffer.ended()) return false; // something came meanwhile
            buffer.push(
                    new RelayEvent.Error(
                            "node_lost",
                            "the relay node running this stream stopped; its stored events were all delivered"),
                    64);
            return true;
        } finally {
            buffer.lock.unlock();
        }
    }

    private boolean nodeAlive(RelayStore store) {
        try {
            return store.running(stream.id);
        } catch (RuntimeException e) {
            return true; // cannot tell while the store is away
        }
    }

    private long lastId() {
        buffer.lock.lock();
        try {
            return buffer.lastId();
        } finally {
            buffer.lock.unlock();
        }
    }

    /** How {@link #append} went. */
    private enum Appended {
        YES,
        /** No room: loading, the buffer is full of events the first client needs; following, the follow pauses. */
        FULL,
        /** The replica stopped or ended. */
        STOPPED
    }

    /**
     * Appends a stored event with its own id, never waiting; one the buffer has already (handed on
     * again after a resume) is skipped, and a gap (events trimmed before this node read them) ends
     * the replica with an error. When loading ({@code loadingFor}, the first client's
     * {@code after}, at least 0) events up to that id make room; when following (negative), events
     * every client of this node has written do, and when there is none the follow pauses.
     */
    private Appended append(StoredEvents.Stored s, long loadingFor) {
        RelayEvent e = s.event();
        int b = ReplayBuffer.bytesOf(e);
        buffer.lock.lock();
        try {
            if (buffer.ended()) return Appended.STOPPED;
            if (buffer.fresh()) buffer.startAt(s.id());
            if (s.id() <= buffer.lastId()) return Appended.YES;
            if (s.id() != buffer.lastId() + 1) {
                buffer.push(
                        new RelayEvent.Error(
                                "replay_unavailable",
                                "events of this stream were trimmed from the store before this node read them"),
                        64);
                attention.signal();
                return Appended.STOPPED;
            }
            if (buffer.cancelRequested()) {
                attention.signal();
                return Appended.STOPPED;
            }
            if (!e.terminal() && loadingFor >= 0) {
                while (!buffer.fits(b)) if (!buffer.evictUpTo(loadingFor)) return Appended.FULL;
            } else if (!e.terminal() && !buffer.makeRoom(b)) {
                wanted = b;
                attention.signal();
                return Appended.FULL;
            }
            buffer.push(e, b);
            lastStored = System.nanoTime();
            if (e.terminal()) attention.signal();
            return Appended.YES;
        } finally {
            buffer.lock.unlock();
        }
    }

    /**
     * Waits until the replica has the event a resuming client names (a client that read on the
     * running node may be a batch ahead of the store), at most {@code timeout}.
     */
    void awaitEvent(long eventId, Duration timeout) {
        long left = timeout.toNanos();
        buffer.lock.lock();
        try {
            while (buffer.lastId() < eventId && !buffer.ended() && !buffer.cancelRequested() && left > 0) {
                left = settings.clock().awaitNanos(buffer.changed, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            buffer.lock.unlock();
        }
    }
}
