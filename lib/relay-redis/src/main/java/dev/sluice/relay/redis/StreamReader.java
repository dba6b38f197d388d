package dev.sluice.relay.redis;

import dev.sluice.relay.RelayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * This node's readers: each a virtual thread that waits in a single {@code XREAD BLOCK} on the
 * node's commands and every stream it follows, of one group, and hands each stream's entries to
 * its follower's handler, and each command to the command handler, from there. On a single Redis
 * there is one group, read by {@code sluice-redis-reader}: every stream and command of the node. On
 * a Redis Cluster, whose multi-key commands must stay in one slot, a group is a tag of the streams'
 * keys (see {@link Keys}): one reader ({@code sluice-redis-reader-TAG}) per tag in use, which is one
 * per master for the streams the nodes place, whatever their number; it runs while the node
 * follows or runs a stream of its tag. A stream followed or resumed while its group's read waits is
 * added at once: a wake-up entry ({@code w}) on the group's command stream ends the wait.
 *
 * <p>Threading: {@code groups}, {@code closed}, each group's follows, position and thread, each follow's
 * fields and {@code early} are guarded by {@code lock}; each group's thread alone reads its group
 * and calls its handlers, outside the lock.
 */
final class StreamReader {
    private static final System.Logger LOG = System.getLogger(RedisRelayStore.class.getName());
    static final Duration BLOCK = Duration.ofSeconds(1);
    private static final int BATCH = 256;

    /** A followed stream: where its follower is, and whether it waits for a resume. */
    private final class Followed implements RelayStore.Follow {
        final String key;
        final Group group;
        final RelayStore.FollowHandler handler;
        long after;
        long resumes;
        boolean paused;
        boolean closed;

        Followed(String key, Group group, long after, RelayStore.FollowHandler handler) {
            this.key = key;
            this.group = group;
            this.after = after;
            this.handler = handler;
        }

        @Override
        public void resume(long after) {
            lock.lock();
            try {
                if (closed) return;
                this.after = after;
                resumes++;
                paused = false;
            } finally {
                lock.unlock();
            }
            group.wake();
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                group.follows.remove(this);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The streams and commands of one group, and the thread that reads them. */
    private final class Group implements Runnable {
        final String name;
        final List<Followed> follows = new ArrayList<>();
        final AtomicBoolean woken = new AtomicBoolean(); // a wake-up entry is on its way
        StreamEntryID commandsAfter;

        @Nullable
        Thread thread; // while it runs

        Group(String name, StreamEntryID commandsAfter) {
            this.name = name;
            this.commandsAfter = commandsAfter;
        }

        /** Ends the read that waits, so that the next one reads the streams followed since. */
        void wake() {
            if (woken.getAndSet(true)) return;
            try {
                RedisConnections c = store.connections();
                store.wake(c.keys.commands(store.node(), name));
            } catch (RuntimeException e) { // the read ends by itself within its block
                LOG.log(System.Logger.Level.DEBUG, "could not wake the store's reader: " + e.getMessage());
            }
        }

        @Override
        public void run() {
            try {
                while (!store.closed()) {
                    RedisConnections c;
                    String commands;
                    Map<String, StreamEntryID> ask = new LinkedHashMap<>();
                    woken.set(false);
                    try {
                        c = store.connections();
                        commands = c.keys.commands(store.node(), name);
                    } catch (JedisException e) {
                        store.wentAway("reading this node's commands and the streams it follows", e);
                        if (!pause()) return;
                        continue;
                    }
                    lock.lock();
                    try {
                        if (thread != Thread.currentThread()) return; // the store closed
                        if (follows.isEmpty() && !name.isEmpty() && !store.runsIn(name)) {
                            thread = null; // nothing of this group is followed or run here any more
                            return;
                        }
                        ask.put(commands, commandsAfter);
                        for (Followed f : follows) {
                            if (!f.paused)
                                ask.merge(f.key, new StreamEntryID(f.after, 0), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                        }
                    } finally {
                        lock.unlock();
                    }
                    List<Map.Entry<String, List<StreamEntry>>> got;
                    try {
                        got = c.redis.xread(
                                XReadParams.xReadParams().count(BATCH).block((int) BLOCK.toMillis()), ask);
                    } catch (RuntimeException e) {
                        if (store.closed()) return;
                        if (e instanceof JedisException je)
                            store.wentAway("reading this node's commands and the streams it follows", je);
                        else
                            LOG.log(
                                    System.Logger.Level.ERROR,
                                    "the store's reader failed; it reads again in a second",
                                    e);
                        if (!pause()) return;
                        continue;
                    }
                    if (got == null) continue;
                    for (Map.Entry<String, List<StreamEntry>> e : got) {
                        if (e.getKey().equals(commands)) {
                            for (StreamEntry entry : e.getValue()) {
                                lock.lock();
                                try {
                                    commandsAfter = entry.getID();
                                } finally {
                                    lock.unlock();
                                }
                                command(
                                        entry.getFields().get("s"),
                                        entry.getFields().get("c"));
                            }
                        } else {
                            dispatch(this, e.getKey(), e.getValue());
                        }
                    }
                }
            } finally {
                lock.lock();
                try {
                    if (thread == Thread.currentThread()) thread = null;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private final RedisRelayStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Group> groups = new HashMap<>();
    private boolean closed;
    private final List<Map.Entry<String, String>> early = new ArrayList<>(); // commands read before listen()
    private volatile @Nullable BiConsumer<String, String> handler;

    StreamReader(RedisRelayStore store) {
        this.store = store;
    }

    /**
     * {@return a follow of a stream: its group's reader hands it the entries after {@code after}}
     *
     * @throws JedisException if the store has not found Redis yet
     */
    RelayStore.Follow follow(String streamId, long after, RelayStore.FollowHandler handler) {
        RedisConnections c = store.connections();
        Followed f;
        lock.lock();
        try {
            Group g = running(c.keys.group(streamId));
            f = new Followed(c.keys.stream(streamId), g, after, handler);
            g.follows.add(f);
        } finally {
            lock.unlock();
        }
        f.group.wake();
        return f;
    }

    /** Makes sure a group's reader runs: the node runs a stream of it, whose commands come there. */
    void reading(String group) {
        lock.lock();
        try {
            running(group);
        } finally {
            lock.unlock();
        }
    }

    /** {@return a group whose reader runs, started if need be} Holding the lock. */
    private Group running(String name) {
        // the node's name is new with each start: its commands are read from the first
        Group g = groups.computeIfAbsent(name, n -> new Group(n, new StreamEntryID(0, 0)));
        if (g.thread == null && !closed) {
            g.thread = Thread.ofVirtual()
                    .name(name.isEmpty() ? "sluice-redis-reader" : "sluice-redis-reader-" + name)
                    .start(g);
        }
        return g;
    }

    /** Starts handing the commands to {@code handler}, those read before first. */
    void listen(BiConsumer<String, String> handler) {
        List<Map.Entry<String, String>> before;
        lock.lock();
        try {
            this.handler = handler;
            before = List.copyOf(early);
            early.clear();
        } finally {
            lock.unlock();
        }
        for (Map.Entry<String, String> c : before) command(handler, c.getKey(), c.getValue());
    }

    /** Hands a stream's entries to each of its group's follows of it, those after where the follow is. */
    private void dispatch(Group group, String key, List<StreamEntry> entries) {
        List<Followed> to = new ArrayList<>(1);
        lock.lock();
        try {
            for (Followed f : group.follows) if (f.key.equals(key) && !f.paused) to.add(f);
        } finally {
            lock.unlock();
        }
        for (Followed f : to) {
            long after;
            long seen;
            lock.lock();
            try {
                if (f.closed || f.paused) continue;
                after = f.after;
                seen = f.resumes;
            } finally {
                lock.unlock();
            }
            List<String> events = new ArrayList<>(entries.size());
            long last = after;
            for (StreamEntry entry : entries) {
                if (entry.getID().getTime() <= after) continue;
                events.add(entry.getFields().get("e"));
                last = entry.getID().getTime();
            }
            if (events.isEmpty()) continue;
            lock.lock();
            try {
                if (f.resumes != seen) continue; // resumed meanwhile: read again from there
                f.after = last;
            } finally {
                lock.unlock();
            }
            boolean more;
            try {
                more = f.handler.stored(events);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.ERROR, "a followed stream's handler failed", ex);
                more = false;
            }
            if (!more) {
                lock.lock();
                try {
                    if (f.resumes == seen) f.paused = true;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void command(@Nullable String streamId, @Nullable String command) {
        if (command == null || streamId == null) return; // a wake-up (a command without its stream is none of ours)
        BiConsumer<String, String> h = handler;
        if (h == null) {
            lock.lock();
            try {
                h = handler;
                if (h == null) {
                    early.add(Map.entry(streamId, command));
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        command(h, streamId, command);
    }

    private static void command(BiConsumer<String, String> h, String streamId, String command) {
        try {
            h.accept(streamId, command);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "a relay command failed", ex);
        }
    }

    /** A pause before trying Redis again. {@return false when the store closed meanwhile} */
    private boolean pause() {
        try {
            Thread.sleep(BLOCK.toMillis()); // the retry period, not a wait for an outcome
            return !store.closed();
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Ends the readers (an interrupt ends a read that waits): the store closes. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (Group g : groups.values()) {
                Thread t = g.thread;
                g.thread = null;
                if (t != null) t.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }
}
