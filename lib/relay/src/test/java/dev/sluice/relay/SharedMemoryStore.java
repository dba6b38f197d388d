package dev.sluice.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A store shared by relays in one JVM as Redis is by nodes: each relay takes a {@link #node} of
 * it. Streams' events, their owners, the commands sent to them and the counters are shared; a
 * blocking read waits in real time, as Redis's does. Nodes never lapse unless {@link #lose} says so.
 */
final class SharedMemoryStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final Map<String, Stored> streams = new HashMap<>(); // guarded by lock
    private final Map<String, BiConsumer<String, String>> listeners = new ConcurrentHashMap<>();
    private final RelayStore counters = RelayStore.inMemory();

    private static final class Stored {
        final String node;
        final TreeMap<Long, String> events = new TreeMap<>();

        Stored(String node) {
            this.node = node;
        }
    }

    /** {@return the view of one node, named {@code name}} */
    RelayStore node(String name) {
        return new Node(name);
    }

    /** The threads that have written events (the running nodes' store writers). */
    final java.util.Set<Thread> appenders = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Drops a stream's newest events, as a Redis primary that failed over to a replica that had not
     * got them yet, or a Redis that restarted empty ({@code n} at least what it holds).
     */
    void loseNewest(String streamId, int n) {
        lock.lock();
        try {
            Stored s = streams.get(streamId);
            for (int i = 0; i < n && s != null && !s.events.isEmpty(); i++) s.events.pollLastEntry();
        } finally {
            lock.unlock();
        }
    }

    /** {@return a stream's stored events, oldest first} */
    List<String> events(String streamId) {
        lock.lock();
        try {
            Stored s = streams.get(streamId);
            return s == null ? List.of() : List.copyOf(s.events.values());
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many events of a stream are stored} */
    int stored(String streamId) {
        lock.lock();
        try {
            Stored s = streams.get(streamId);
            return s == null ? 0 : s.events.size();
        } finally {
            lock.unlock();
        }
    }

    private final class Node implements RelayStore {
        private final String name;

        Node(String name) {
            this.name = name;
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String node() {
            return name;
        }

        @Override
        public boolean acquire(String counter, int limit) {
            return counters.acquire(counter, limit);
        }

        @Override
        public void release(String counter) {
            counters.release(counter);
        }

        @Override
        public Duration takeRate(String counter, int limit, Duration window) {
            return counters.takeRate(counter, limit, window);
        }

        @Override
        public void register(String streamId, Duration ttl) {
            lock.lock();
            try {
                streams.putIfAbsent(streamId, new Stored(name));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long append(String streamId, long firstId, List<String> events, long keepFrom, Duration ttl) {
            appenders.add(Thread.currentThread());
            lock.lock();
            try {
                Stored s = streams.computeIfAbsent(streamId, id -> new Stored(name));
                long last = s.events.isEmpty() ? 0 : s.events.lastKey();
                if (Math.max(last + 1, keepFrom) <= firstId - 1) return last; // a hole it must not leave
                for (int i = 0; i < events.size(); i++) s.events.putIfAbsent(firstId + i, events.get(i));
                s.events.headMap(keepFrom).clear();
                appended.signalAll();
                return Math.max(last, firstId + events.size() - 1);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public List<String> read(String streamId, long after, int max, Duration block) {
            long left = block.toNanos();
            lock.lock();
            try {
                while (true) {
                    Stored s = streams.get(streamId);
                    List<String> got = new ArrayList<>();
                    if (s != null)
                        for (String e : s.events.tailMap(after, false).values()) {
                            if (got.size() == max) break;
                            got.add(e);
                        }
                    if (!got.isEmpty() || left <= 0) return got;
                    left = appended.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean exists(String streamId) {
            lock.lock();
            try {
                return streams.containsKey(streamId);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean running(String streamId) {
            lock.lock();
            try {
                return streams.containsKey(streamId); // no node stops here
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean send(String streamId, String command) {
            String owner;
            lock.lock();
            try {
                Stored s = streams.get(streamId);
                if (s == null) return false;
                owner = s.node;
            } finally {
                lock.unlock();
            }
            BiConsumer<String, String> l = listeners.get(owner);
            if (l != null) l.accept(streamId, command);
            return true;
        }

        @Override
        public void listen(BiConsumer<String, String> commands) {
            listeners.put(name, commands);
        }

        @Override
        public void close() {}
    }
}
