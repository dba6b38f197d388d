package dev.sluice.benchmarks;

import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.RelayStore;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.redis.RedisRelayStore;
import dev.sluice.relay.redis.server.RedisCluster;
import dev.sluice.relay.redis.server.RedisServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.StreamCommands;

/**
 * The relay's store on Redis (issues #31 and #83) against the in-memory store, not a JMH benchmark.
 * It starts its own {@code redis-server} (no persistence) on a free loopback port, in its own
 * process, and for {@code latency} and {@code throughput} beside it a Redis Cluster of three
 * masters and three replicas (the store's tests' {@code RedisCluster}: six {@code redis-server}s on
 * free loopback ports); the relays ("nodes") run in this JVM, each with its own store and
 * connections.
 *
 * <p>No HTTP: each node is a {@code Relay} of {@code sluice-relay} with a
 * {@code RedisRelayStore} of {@code sluice-relay-redis}, as shipped, and its readers are
 * {@code Subscription}s delivering to a {@code RelayWriter} in this JVM; the figures are the store's
 * and the relay core's, without a server ({@code sluice serve --store redis://...} adds the
 * server's hop, which {@link RelayRun} measures on the in-memory store).
 *
 * <ul>
 * <li>{@code throughput}: {@code --streams} streams of {@code --events} deltas each, produced as
 *     fast as they are taken, one local reader each, on one node: events per second until every
 *     reader has the terminal event and (with Redis) the store has every event, with the
 *     in-memory store, with one Redis and with the cluster (the node's streams spread over its
 *     three masters), in turn in each round.</li>
 * <li>{@code latency}: one stream of deltas {@code --interval-us} apart, each stamped with
 *     {@code System.nanoTime()} as it is produced; one reader on the running node A, one on node
 *     B (through Redis: A's writer, the append script, B's {@code XREAD BLOCK}, B's buffer); per
 *     event the receive time minus the stamp on each, and B minus A: the Redis hop. Beside it, at
 *     the same time, the same stream on a node with the in-memory store and a local reader: the
 *     machine's noise at that moment. Each round runs it on one Redis, then on the cluster, and
 *     prints the cluster's hop p99 over one Redis's (the goal: at most 1.5). Each round prints
 *     the load average as it starts.</li>
 * <li>{@code resume}: a stream of 200 events on A; {@code --resumes} times, a client on a fresh
 *     node B subscribes with {@code Last-Event-ID: 100}: the time to its first event (one Redis).</li>
 * <li>{@code memory}: Redis's {@code used_memory} before and after {@code --streams} ended streams
 *     of {@code --events} deltas of about 20 characters, divided by the streams (one Redis).</li>
 * </ul>
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRedisRun throughput [--streams 8] [--events 50000]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRedisRun latency [--events 10000] [--interval-us 500]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRedisRun resume [--resumes 200]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRedisRun memory [--streams 1000] [--events 200]
 * </pre>
 */
public final class RelayRedisRun {
    private RelayRedisRun() {}

    /** Deltas of about 20 characters, each starting with its stamp; as fast as taken or paced. */
    static final class StampingSource implements RelaySource {
        private final int events;
        private final long intervalNanos;
        private int sent;
        private long next = System.nanoTime();
        private volatile boolean cancelled;

        StampingSource(int events, long intervalNanos) {
            this.events = events;
            this.intervalNanos = intervalNanos;
        }

        @Override
        public Optional<RelayEvent> next() {
            if (cancelled || sent == events) return Optional.empty();
            if (intervalNanos > 0) {
                next += intervalNanos;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            }
            sent++;
            return Optional.of(new RelayEvent.Delta(System.nanoTime() + " tokens"));
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
        }

        @Override
        public void close() {
            cancelled = true;
        }
    }

    /** Records each delta's latency (now minus its stamp), and the end. */
    static final class Reader implements RelayWriter {
        final long[] latencies;
        int n;
        final CountDownLatch done = new CountDownLatch(1);
        long firstAt;

        Reader(int capacity) {
            latencies = new long[capacity];
        }

        @Override
        public void send(long id, RelayEvent event) {
            long now = System.nanoTime();
            if (firstAt == 0) firstAt = now;
            if (event instanceof RelayEvent.Delta d && n < latencies.length) {
                latencies[n++] =
                        now - Long.parseLong(d.text().substring(0, d.text().indexOf(' ')));
            }
            if (event.terminal()) done.countDown();
        }

        @Override
        public void heartbeat() {}

        @Override
        public void flush() {}
    }

    @SuppressWarnings("try") // its close() may throw InterruptedException: a benchmark run ends there
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "usage: RelayRedisRun throughput|latency|resume|memory [--streams N] [--events N] [--interval-us N] [--resumes N]");
            System.exit(2);
        }
        try (RedisServer redis = RedisServer.start()) {
            switch (args[0]) {
                case "throughput" -> {
                    try (RedisCluster cluster = RedisCluster.start()) {
                        throughput(redis, cluster, arg(args, "--streams", 8), arg(args, "--events", 50_000));
                    }
                }
                case "latency" -> {
                    try (RedisCluster cluster = RedisCluster.start()) {
                        latency(redis, cluster, arg(args, "--events", 10_000), arg(args, "--interval-us", 500));
                    }
                }
                case "resume" -> resume(redis, arg(args, "--resumes", 200));
                case "memory" -> memory(redis, arg(args, "--streams", 1_000), arg(args, "--events", 200));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
        System.exit(0);
    }

    private static int arg(String[] args, String name, int dflt) {
        for (int i = 1; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return dflt;
    }

    private static Relay node(RelayStore store, int events, long intervalNanos) {
        return Relay.builder()
                .store(store)
                .limits(RelayLimits.defaults().withMaxStreams(10_000))
                .source("bench", "m", (request, controller) -> new StampingSource(events, intervalNanos))
                .build();
    }

    private static RedisRelayStore store(RedisServer redis) {
        return RedisRelayStore.builder(redis.url()).build();
    }

    /** A Redis a round runs on: one {@code redis-server}, or the cluster. */
    private record Target(String name, String url, Supplier<UnifiedJedis> client) {
        static Target of(RedisServer redis) {
            return new Target("one Redis", redis.url(), () -> new JedisPooled(redis.host(), redis.port()));
        }

        static Target of(RedisCluster cluster) {
            return new Target("cluster", cluster.seeds(), cluster::client);
        }

        RedisRelayStore store() {
            return RedisRelayStore.builder(url).build();
        }
    }

    private static final StartRequest REQUEST = new StartRequest("bench", null, null, null, null);

    private static void throughput(RedisServer redis, RedisCluster cluster, int streams, int events) throws Exception {
        List<Target> targets = List.of(Target.of(redis), Target.of(cluster));
        for (int round = 0; round < 4; round++) {
            boolean warm = round < 1;
            for (String kind : List.of("in-memory", "one Redis", "cluster")) {
                Target target = targets.stream()
                        .filter(t -> t.name().equals(kind))
                        .findFirst()
                        .orElse(null);
                RedisRelayStore rs = target == null ? null : target.store();
                Relay relay = node(rs == null ? RelayStore.inMemory() : rs, events, 0);
                long t0 = System.nanoTime();
                List<Reader> readers = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    String id = relay.start(REQUEST);
                    ids.add(id);
                    Reader r = new Reader(events);
                    readers.add(r);
                    Subscription sub = relay.subscribe(id, null);
                    Thread.ofVirtual().start(() -> sub.deliver(r));
                }
                for (Reader r : readers) r.done.await(5, TimeUnit.MINUTES);
                if (target != null) { // until the store has every stream's terminal event
                    try (UnifiedJedis j = target.client().get()) {
                        awaitStored(j, ids);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (!warm) {
                    System.out.printf(
                            "round %d %-9s %d streams x %d events: %.2f s, %,.0f events/s%n",
                            round, kind, streams, events, seconds, (double) streams * events / seconds);
                }
                relay.close();
                if (rs != null) rs.close();
            }
        }
    }

    private static void latency(RedisServer redis, RedisCluster cluster, int events, int intervalUs) throws Exception {
        for (int round = 0; round < 4; round++) {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long one = hop(Target.of(redis), round, load, events, intervalUs);
            long clustered = hop(Target.of(cluster), round, load, events, intervalUs);
            if (round > 0) {
                System.out.printf(
                        "round %d: the hop's added p99, cluster over one Redis: %.2f (goal: at most 1.5)%n",
                        round, (double) clustered / Math.max(1, one));
            }
        }
    }

    /** One round of {@code latency} on a Redis: {@return the hop's added p99, in nanoseconds} */
    private static long hop(Target target, int round, double load, int events, int intervalUs) throws Exception {
        RedisRelayStore sa = target.store();
        RedisRelayStore sb = target.store();
        Relay a = node(sa, events, intervalUs * 1_000L);
        Relay b = node(sb, 0, 0);
        Relay local = node(RelayStore.inMemory(), events, intervalUs * 1_000L); // the same stream beside it, in memory
        String id = a.start(REQUEST);
        String localId = local.start(REQUEST);
        Reader onA = new Reader(events);
        Reader onB = new Reader(events);
        Reader onLocal = new Reader(events);
        Subscription subA = a.subscribe(id, null);
        Subscription subB = b.subscribe(id, null);
        Subscription subLocal = local.subscribe(localId, null);
        Thread.ofVirtual().start(() -> subA.deliver(onA));
        Thread.ofVirtual().start(() -> subB.deliver(onB));
        Thread.ofVirtual().start(() -> subLocal.deliver(onLocal));
        onA.done.await(5, TimeUnit.MINUTES);
        onB.done.await(5, TimeUnit.MINUTES);
        onLocal.done.await(5, TimeUnit.MINUTES);
        int n = Math.min(onA.n, onB.n);
        long[] added = new long[n];
        for (int i = 0; i < n; i++) added[i] = onB.latencies[i] - onA.latencies[i];
        if (round > 0) {
            System.out.printf(
                    "round %d %-9s (load average %.2f): %d events; in-memory store beside it p50 %s p99 %s;"
                            + " node A (local) p50 %s p99 %s; node B (through Redis) p50 %s p99 %s;"
                            + " Redis hop added p50 %s p99 %s max %s%n",
                    round,
                    target.name(),
                    load,
                    n,
                    us(pct(onLocal.latencies, onLocal.n, 50)),
                    us(pct(onLocal.latencies, onLocal.n, 99)),
                    us(pct(onA.latencies, onA.n, 50)),
                    us(pct(onA.latencies, onA.n, 99)),
                    us(pct(onB.latencies, onB.n, 50)),
                    us(pct(onB.latencies, onB.n, 99)),
                    us(pct(added, n, 50)),
                    us(pct(added, n, 99)),
                    us(pct(added, n, 100)));
        }
        a.close();
        b.close();
        local.close();
        sa.close();
        sb.close();
        return pct(added, n, 99);
    }

    private static void resume(RedisServer redis, int resumes) throws Exception {
        RedisRelayStore sa = store(redis);
        RedisRelayStore sb = store(redis);
        Relay a = node(sa, 200, 0);
        Relay b = node(sb, 0, 0);
        int warm = 20;
        List<String> ids = new ArrayList<>();
        List<Reader> wholes = new ArrayList<>();
        for (int i = 0; i < resumes + warm; i++) { // ended streams of 201 events, all stored
            String id = a.start(REQUEST);
            ids.add(id);
            Reader whole = new Reader(200);
            wholes.add(whole);
            Subscription s = a.subscribe(id, null);
            Thread.ofVirtual().start(() -> s.deliver(whole));
        }
        for (Reader r : wholes) r.done.await(1, TimeUnit.MINUTES);
        try (Jedis j = new Jedis(redis.host(), redis.port())) {
            awaitStored(j, ids);
        }
        long[] took = new long[resumes];
        for (int i = 0; i < ids.size(); i++) { // node B has never read these streams: each resume reads Redis
            Reader r = new Reader(200);
            long t0 = System.nanoTime();
            Subscription sub = b.subscribe(ids.get(i), "100");
            Thread.ofVirtual().start(() -> sub.deliver(r));
            r.done.await(1, TimeUnit.MINUTES);
            if (i >= warm) took[i - warm] = r.firstAt - t0;
        }
        System.out.printf(
                "resume on another node (Last-Event-ID 100 of a 201-event stream), %d resumes: first event after p50 %s p99 %s max %s%n",
                resumes, us(pct(took, resumes, 50)), us(pct(took, resumes, 99)), us(pct(took, resumes, 100)));
        a.close();
        b.close();
        sa.close();
        sb.close();
    }

    private static void memory(RedisServer redis, int streams, int events) throws Exception {
        RedisRelayStore sa = store(redis);
        Relay a = node(sa, events, 0);
        long before;
        try (Jedis j = new Jedis(redis.host(), redis.port())) {
            before = RedisServer.usedMemory(j);
            List<Reader> readers = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Reader r = new Reader(events);
                readers.add(r);
                String id = a.start(REQUEST);
                ids.add(id);
                Subscription s = a.subscribe(id, null);
                Thread.ofVirtual().start(() -> s.deliver(r));
            }
            for (Reader r : readers) r.done.await(5, TimeUnit.MINUTES);
            awaitStored(j, ids);
            long after = RedisServer.usedMemory(j);
            System.out.printf(
                    "%d ended streams of %d deltas (~20 chars each) + start/done: Redis used_memory %,d -> %,d bytes: %,d bytes per stream (%d keys)%n",
                    streams, events, before, after, (after - before) / streams, j.dbSize());
        }
        a.close();
        sa.close();
    }

    /**
     * Waits until each stream's last stored event is its {@code done}: under {@code sluice:s:ID} on
     * one Redis, or {@code sluice:{TAG}s:ID} on a cluster (the tag is the id's first three characters).
     */
    private static void awaitStored(StreamCommands j, List<String> ids) {
        boolean cluster = j instanceof JedisCluster;
        for (String id : ids) {
            String key = cluster ? "sluice:{" + id.substring(0, 3) + "}s:" + id : "sluice:s:" + id;
            while (j.xrevrange(key, "+", "-", 1).stream()
                    .noneMatch(e -> String.valueOf(e.getFields().get("e")).contains("\"Done\""))) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    private static long pct(long[] values, int n, int p) {
        if (n == 0) return 0;
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return sorted[Math.clamp((long) Math.ceil(p / 100.0 * n) - 1, 0, n - 1)];
    }

    private static String us(long nanos) {
        return String.format("%,d µs", nanos / 1_000);
    }
}
