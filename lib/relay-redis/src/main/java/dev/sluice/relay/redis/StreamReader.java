package dev.sluice.relay.redis;

import dev.sluice.relay.RelayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.Pool;

/**
 * This node's one reader: a virtual thread ({@code sluice-redis-reader}) on one connection that
 * waits in a single {@code XREAD BLOCK} on the node's command stream ({@code c:NODE}) and every
 * stream the node follows, and hands each stream's entries to its follower's handler, and each
 * command to the command handler, from there. A stream followed or resumed while the read waits
 * is added at once: a wake-up entry ({@code w}) on the command stream ends the wait.
 *
 * <p>Threading: {@code follows}, each follow's fields and {@code early} are guarded by
 * {@code lock}; the reader thread alone uses the connection and calls the handlers, outside the
 * lock.
 */
final class StreamReader implements Runnable {
    private static final System.Logger LOG = System.getLogger(RedisRelayStore.class.getName());
    static final Duration BLOCK = Duration.ofSeconds(1);
    private static final int BATCH = 256;

    /** A followed stream: where its follower is, and whether it waits for a resume. */
    private final class Followed implements RelayStore.Follow {
        final String key;
        final RelayStore.FollowHandler handler;
        long after;
        long resumes;
        boolean paused;
        boolean closed;

        Followed(String key, long after, RelayStore.FollowHandler handler) {
            this.key = key;
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
            wake();
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                follows.remove(this);
            } finally {
                lock.unlock();
            }
        }
    }

    private final RedisRelayStore store;
    private final Pool<Connection> pool;
    private final String commands;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Followed> follows = new ArrayList<>();
    private final List<Map.Entry<String, String>> early = new ArrayList<>(); // commands read before listen()
    private final AtomicBoolean woken = new AtomicBoolean(); // a wake-up entry is on its way
    private volatile @Nullable BiConsumer<String, String> handler;

    StreamReader(RedisRelayStore store, Pool<Connection> pool, String commands) {
        this.store = store;
        this.pool = pool;
        this.commands = commands;
    }

    RelayStore.Follow follow(String key, long after, RelayStore.FollowHandler handler) {
        Followed f = new Followed(key, after, handler);
        lock.lock();
        try {
            follows.add(f);
        } finally {
            lock.unlock();
        }
        wake();
        return f;
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

    /** Ends the read that waits, so that the next one reads the streams followed since. */
    private void wake() {
        if (woken.getAndSet(true)) return;
        try {
            store.wake(commands);
        } catch (RuntimeException e) { // the read ends by itself within its block
            LOG.log(System.Logger.Level.DEBUG, "could not wake the store's reader: " + e.getMessage());
        }
    }

    @Override
    public void run() {
        StreamEntryID commandsAfter =
                new StreamEntryID(0, 0); // the node's name is new with each start: nothing old is there
        Connection connection = null;
        Jedis jedis = null;
        try {
            while (!store.closed()) {
                Map<String, StreamEntryID> ask = new LinkedHashMap<>();
                ask.put(commands, commandsAfter);
                woken.set(false);
                lock.lock();
                try {
                    for (Followed f : follows) {
                        if (!f.paused)
                            ask.merge(f.key, new StreamEntryID(f.after, 0), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                    }
                } finally {
                    lock.unlock();
                }
                List<Map.Entry<String, List<StreamEntry>>> got;
                try {
                    if (connection == null || jedis == null) {
                        connection = pool.getResource();
                        jedis = new Jedis(connection);
                    }
                    got = jedis.xread(XReadParams.xReadParams().count(BATCH).block((int) BLOCK.toMillis()), ask);
                } catch (RuntimeException e) {
                    if (store.closed()) return;
                    if (e instanceof JedisException je)
                        store.wentAway("reading this node's commands and the streams it follows", je);
                    else LOG.log(System.Logger.Level.ERROR, "the store's reader failed; it reads again in a second", e);
                    connection = drop(connection);
                    if (!pause()) return;
                    continue;
                }
                if (got == null) continue;
                for (Map.Entry<String, List<StreamEntry>> e : got) {
                    if (e.getKey().equals(commands)) {
                        for (StreamEntry entry : e.getValue()) {
                            commandsAfter = entry.getID();
                            command(
                                    entry.getFields().get("s"),
                                    entry.getFields().get("c"));
                        }
                    } else {
                        dispatch(e.getKey(), e.getValue());
                    }
                }
            }
        } finally {
            drop(connection);
        }
    }

    /** Hands a stream's entries to each of its follows, those after where the follow is. */
    private void dispatch(String key, List<StreamEntry> entries) {
        List<Followed> to = new ArrayList<>(1);
        lock.lock();
        try {
            for (Followed f : follows) if (f.key.equals(key) && !f.paused) to.add(f);
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

    private static @Nullable Connection drop(@Nullable Connection c) {
        if (c != null) {
            try {
                c.close(); // back to the pool, or destroyed when broken
            } catch (RuntimeException e) {
                // already gone
            }
        }
        return null;
    }
}
