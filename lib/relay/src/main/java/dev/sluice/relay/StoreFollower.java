package dev.sluice.relay;

import java.time.Duration;
import java.util.List;

/**
 * The reading loop of a replica: follows a stream another node runs by reading its stored events
 * (ids and all) from the shared {@link RelayStore} into the replica's {@link ReplayBuffer}, on its
 * own virtual thread ({@code sluice-relay-replica-ID}). While this node has clients of the stream
 * it renews their lease on the running node; when that node's liveness lapses with nothing more
 * stored, it ends the replica with {@code node_lost}; a gap in the ids (events trimmed before this
 * node read them) ends it with {@code replay_unavailable}. It waits for room in the buffer only
 * while a client of this node reads the replica or is on its way to it (bounded by the catch-up
 * wait); a replica left without one is stopped (see {@link Replicas}), which ends the wait.
 *
 * <p>Threading: {@link #load} runs on the caller's thread before the loop starts, {@link #run} on
 * the replica's thread; {@link #awaitEvent} on a subscribing client's thread. The buffer's lock
 * guards what they share; the loop's own locals are its thread's.
 */
final class StoreFollower implements Runnable {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    /** How long a read waits for the next stored event before it checks the running node's liveness. */
    static final Duration STORE_BLOCK = Duration.ofSeconds(1);
    private static final int BATCH_FROM_STORE = 256;

    private final RelayedStream stream;
    private final ReplayBuffer buffer;
    private final Relay relay;

    StoreFollower(RelayedStream stream) {
        this.stream = stream;
        this.buffer = stream.buffer;
        this.relay = stream.relay;
    }

    /**
     * Reads what the store has of the stream so far, on the first client's thread before the
     * replica is shared, never waiting: no client reads the buffer yet to make room in it. The
     * events up to {@code after}, which that client has, make room for later ones; once the buffer
     * is full of events it needs, the load stops and the replica's thread reads on as the client
     * reads (a stream larger than this node's buffer, whatever the running node's, goes through it).
     */
    void load(long after) {
        long last = 0;
        while (true) {
            List<String> got = relay.store.read(stream.id, last, BATCH_FROM_STORE, Duration.ZERO);
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
        RelayStore store = relay.store;
        String id = stream.id;
        long announced = relay.clock.now();
        try {
            while (true) {
                long after;
                boolean clients;
                buffer.lock.lock();
                try {
                    if (buffer.ended() || buffer.cancelRequested()) return;
                    after = buffer.lastId();
                    clients = stream.hasLocalClients();
                } finally {
                    buffer.lock.unlock();
                }
                if (clients && relay.clock.now() - announced >= STORE_BLOCK.toNanos()) { // renew the running node's lease
                    announced = relay.clock.now();
                    relay.replicas.announce(id, true);
                }
                List<String> got;
                try {
                    got = store.read(id, after, BATCH_FROM_STORE, STORE_BLOCK);
                } catch (RuntimeException e) { // the store is away: keep this replica's clients waiting, try again
                    LOG.log(System.Logger.Level.DEBUG, "replica " + id + ": the store cannot be read: " + e.getMessage());
                    awaitQuietly(STORE_BLOCK);
                    continue;
                }
                if (got.isEmpty()) {
                    if (nodeAlive(store)) continue;
                    // its liveness lapsed: one more look for what it stored between the read and the check
                    try {
                        got = store.read(id, after, BATCH_FROM_STORE, Duration.ZERO);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    if (got.isEmpty()) {
                        appendStored(new StoredEvents.Stored(after + 1, new RelayEvent.Error("node_lost",
                                "the relay node running this stream stopped; its stored events were all delivered")));
                        return;
                    }
                }
                for (String text : got) {
                    StoredEvents.Stored s = StoredEvents.decode(text);
                    if (!appendStored(s) || s.event().terminal()) return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + id + " failed", e);
            appendStored(new StoredEvents.Stored(lastId() + 1, FailureEvents.internalError()));
            if (e instanceof VirtualMachineError fatal) throw fatal;
        } finally {
            relay.replicas.ended(stream);
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

    private void awaitQuietly(Duration d) {
        buffer.lock.lock();
        try {
            if (!buffer.cancelRequested() && !buffer.ended()) buffer.changed.awaitNanos(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.cancel("the relay's thread was interrupted");
        } finally {
            buffer.lock.unlock();
        }
    }

    /** How {@link #append} went. */
    private enum Appended {
        YES,
        /** Loading, the buffer is full of events the first client needs: the replica's thread reads it again. */
        FULL,
        /** The replica stopped or ended. */
        STOPPED
    }

    /** Appends a stored event, waiting for room as the pump of a running stream does. {@return false if the replica stopped or ended} */
    private boolean appendStored(StoredEvents.Stored s) {
        return append(s, -1) == Appended.YES;
    }

    /**
     * Appends a stored event with its own id; a gap (events trimmed before this node read them)
     * ends the replica with an error. When loading ({@code loadingFor}, the first client's
     * {@code after}, at least 0) it never waits: events up to that id make room, or it is FULL;
     * else it waits for room as the pump of a running stream does.
     */
    private Appended append(StoredEvents.Stored s, long loadingFor) {
        RelayEvent e = s.event();
        int b = ReplayBuffer.bytesOf(e);
        buffer.lock.lock();
        try {
            if (buffer.ended()) return Appended.STOPPED;
            if (buffer.fresh()) buffer.startAt(s.id());
            if (s.id() != buffer.lastId() + 1) {
                buffer.push(new RelayEvent.Error("replay_unavailable", "events of this stream were trimmed from the store before this node read them"), 64);
                return Appended.STOPPED;
            }
            if (!e.terminal() && loadingFor < 0) {
                buffer.awaitRoom(b);
            } else if (!e.terminal()) {
                while (!buffer.fits(b)) if (!buffer.evictUpTo(loadingFor)) return Appended.FULL;
            }
            if (buffer.cancelRequested()) return Appended.STOPPED;
            buffer.push(e, b);
            return Appended.YES;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return Appended.STOPPED;
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
                left = relay.clock.awaitNanos(buffer.changed, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            buffer.lock.unlock();
        }
    }
}
