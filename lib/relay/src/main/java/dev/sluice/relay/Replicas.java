package dev.sluice.relay;

import dev.sluice.RelayException;
import dev.sluice.RelayException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of other nodes that this node follows through the shared {@link RelayStore}: one
 * replica per stream, made when a client here first asks for it and loaded with what the store
 * has, at most {@link RelayLimits#maxStreams()} at once; forgotten when it ends, so that a later
 * client reads the store afresh. While this node's clients read a replica, it holds the running
 * node's stream by a lease ({@code attach NODE}, renewed; {@code detach NODE} when the last leaves).
 *
 * <p>Threading: {@code streams} is the relay's concurrent map; {@code lock} guards the count. Any
 * client's thread follows and attaches, a replica's own thread ends it.
 */
final class Replicas {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    /** How long a resuming client waits for another node's buffer to catch up with the events it already has. */
    private static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final Relay relay;
    private final Map<String, RelayedStream> streams;
    private final ReentrantLock lock = new ReentrantLock();
    private int count;

    Replicas(Relay relay, Map<String, RelayedStream> streams) {
        this.relay = relay;
        this.streams = streams;
    }

    /** {@return this node's replica of another node's stream, loaded with what the store has; null if the store knows no such stream} */
    RelayedStream follow(String streamId) {
        if (!relay.store.exists(streamId)) return null;
        lock.lock();
        try {
            if (count >= relay.limits.maxStreams()) {
                throw new RelayException(Kind.TOO_MANY_STREAMS, "this relay already follows " + count
                        + " streams of other nodes, its limit; try again when one has ended");
            }
            count++;
        } finally {
            lock.unlock();
        }
        RelayedStream r = new RelayedStream(relay, streamId);
        RelayedStream prior;
        try {
            r.follower.load();
            prior = streams.putIfAbsent(streamId, r);
        } catch (RuntimeException e) {
            countGone();
            throw e;
        }
        if (prior != null) {
            countGone();
            return prior;
        }
        r.follower.start();
        return r;
    }

    /** Attaches a client to a replica after the replica has caught up with the client's {@code after} (or the wait ran out). */
    Subscription attach(RelayedStream replica, long after) {
        replica.follower.awaitEvent(after, CATCH_UP);
        Subscription s = replica.attach(after);
        Thread.ofVirtual().name("sluice-relay-announce-" + replica.id).start(() -> announce(replica.id, true)); // not on the client's path
        return s;
    }

    /** Tells the node running a stream that this node's clients hold it (renewing the lease), or left. */
    void announce(String streamId, boolean attached) {
        try {
            relay.store.send(streamId, (attached ? "attach " : "detach ") + relay.store.node());
        } catch (RuntimeException e) { // the lease lapses by itself; the next renewal tries again
            LOG.log(System.Logger.Level.DEBUG, "stream " + streamId + ": could not tell its node about this node's clients: " + e.getMessage());
        }
    }

    /** A replica stopped following: forgotten, so that a client that comes later reads the store afresh. */
    void ended(RelayedStream replica) {
        if (streams.remove(replica.id, replica)) countGone();
    }

    private void countGone() {
        lock.lock();
        try {
            count--;
        } finally {
            lock.unlock();
        }
    }
}
