package dev.sluice.relay;

import dev.sluice.RelayException;
import dev.sluice.RelayException.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The streams of other nodes that this node follows through the shared {@link RelayStore}: one
 * replica per stream, made when a client here first asks for it and loaded with what the store
 * has, at most {@link RelayLimits#maxStreams()} at once. A replica follows only for this node's
 * clients: it is forgotten, its place given back, when it ends, when the one client on its way to
 * it was refused, or when its last client left the resume window ago; a later client reads the
 * store afresh. While this node's clients read a replica, it holds the running node's stream by a
 * lease ({@code attach NODE}, renewed; {@code detach NODE} when the last leaves).
 *
 * <p>Threading: {@code streams} is the relay's concurrent map; {@code lock} guards the count. Any
 * client's thread follows and attaches, a replica's own thread or the client refused ends it.
 */
final class Replicas {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    /** How long a resuming client waits for another node's buffer to catch up with the events it already has. */
    private static final Duration CATCH_UP = Duration.ofSeconds(2);

    private final RelaySettings settings;
    private final StreamHost host;
    private final Map<String, RelayedStream> streams;
    private final ReentrantLock lock = new ReentrantLock();
    private int count;

    Replicas(RelaySettings settings, StreamHost host, Map<String, RelayedStream> streams) {
        this.settings = settings;
        this.host = host;
        this.streams = streams;
    }

    /**
     * Attaches a client to this node's replica of another node's stream, after the replica has
     * caught up with the client's {@code after} (or the wait ran out); follows the stream first when
     * this node does not yet, loading what the store has. A replica the client was refused from
     * stops following at once unless another client of this node reads it.
     *
     * @return the subscription; null if the store knows no such stream
     * @throws RelayException {@code TOO_MANY_STREAMS} when this node follows as many streams as it
     *     may; as {@link RelayedStream#attach}; {@code UNAVAILABLE} while the store cannot be reached
     */
    @Nullable
    Subscription subscribe(String streamId, long after) {
        RelayedStream replica = joined(streamId, after);
        if (replica == null) return null;
        Subscription s;
        try {
            Objects.requireNonNull(replica.follower, "a replica has its follower")
                    .awaitEvent(after, CATCH_UP);
            s = replica.attach(after);
        } finally {
            replica.joined();
        }
        Thread.ofVirtual()
                .name("sluice-relay-announce-" + replica.id)
                .start(() -> announce(replica.id, true)); // not on the client's path
        return s;
    }

    /** {@return the replica of the stream, {@linkplain RelayedStream#join joined} by the caller; made and loaded when there is none; null if the store knows no such stream} */
    private @Nullable RelayedStream joined(String streamId, long after) {
        while (true) {
            RelayedStream known = streams.get(streamId);
            if (known != null) {
                if (known.join()) return known;
                ended(known); // it stopped following: this client reads the store afresh
                continue;
            }
            if (!settings.store().exists(streamId)) return null;
            lock.lock();
            try {
                if (count >= settings.limits().maxStreams()) {
                    throw new RelayException(
                            Kind.TOO_MANY_STREAMS,
                            "this relay already follows " + count
                                    + " streams of other nodes, its limit; try again when one has ended");
                }
                count++;
            } finally {
                lock.unlock();
            }
            RelayedStream r = new RelayedStream(settings, host, streamId);
            r.join();
            try {
                Objects.requireNonNull(r.follower, "a replica has its follower").load(after);
            } catch (RuntimeException e) {
                countGone();
                throw e;
            }
            if (streams.putIfAbsent(streamId, r) != null) { // another client's came first: join that one
                countGone();
                continue;
            }
            r.follower.start();
            return r;
        }
    }

    /** Tells the node running a stream that this node's clients hold it (renewing the lease), or left. */
    void announce(String streamId, boolean attached) {
        try {
            settings.store()
                    .send(
                            streamId,
                            (attached ? "attach " : "detach ")
                                    + settings.store().node());
        } catch (RuntimeException e) { // the lease lapses by itself; the next renewal tries again
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "stream " + streamId + ": could not tell its node about this node's clients: " + e.getMessage());
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
