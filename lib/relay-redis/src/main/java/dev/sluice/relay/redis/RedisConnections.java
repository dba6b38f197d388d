package dev.sluice.relay.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What a store talks to, once it has found out what the URL names: a single Redis (a pool of
 * connections, one writer) or a Redis Cluster (Jedis's {@link JedisCluster}, which follows
 * {@code MOVED} and {@code ASK} and learns a failover's new map, and a writer per master). The
 * first seed that answers says which: a node whose {@code INFO cluster} has
 * {@code cluster_enabled:1}, a replica as well as a master, is one of a cluster.
 *
 * <p>Threading: safe from any thread. The writers' map is concurrent; the home tags are replaced
 * whole, by the store's liveness thread.
 */
final class RedisConnections implements AutoCloseable {
    /** The characters of the tags tried, in order, for each master's home tag (those of a stream id). */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static final int SLOTS = 16_384;
    /**
     * How long a command may spend on a cluster's redirections and reconnections before it fails: a
     * redirection takes a round trip, and a failover seconds, which the store's callers wait out
     * themselves (the writers and readers try again, a request is refused with {@code 503}), so a
     * request does not wait for the cluster before it is refused.
     */
    static final Duration CLUSTER_RETRIES = Duration.ofMillis(500);

    final UnifiedJedis redis;
    final Keys keys;
    private final @Nullable ClusterConnectionProvider cluster;
    private final @Nullable AppendPipeline single;
    private final Map<HostAndPort, AppendPipeline> writers = new ConcurrentHashMap<>();
    private final AtomicInteger next = // the master the next placed stream goes to; nodes start apart
            new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));
    private volatile List<String> homeTags = List.of(); // one per master, in the order of the masters' addresses

    private RedisConnections(JedisPooled single, Keys keys) {
        this.redis = single;
        this.keys = keys;
        this.cluster = null;
        this.single = new AppendPipeline(single.getPool());
    }

    private RedisConnections(ClusterConnectionProvider cluster, Keys keys) {
        this.cluster = cluster;
        this.redis = new JedisCluster(cluster, 5, CLUSTER_RETRIES);
        this.keys = keys;
        this.single = null;
        renewHomeTags();
    }

    /**
     * {@return the connections to what the URL names: the first seed that answers tells whether it
     * is a node of a Redis Cluster (then every seed may serve to find the others) or a single Redis
     * (then that seed is the store)}
     *
     * @param config the settings of every connection, for a database
     * @throws JedisException if no seed answers
     * @throws IllegalArgumentException if it is a cluster and the URL names a database other than 0
     */
    static RedisConnections open(
            RedisUrl url, String prefix, IntFunction<JedisClientConfig> config, ConnectionPoolConfig pool) {
        JedisException first = null;
        for (HostAndPort seed : url.seeds()) {
            boolean cluster;
            try (Jedis probe = new Jedis(seed, config.apply(0))) { // a cluster refuses SELECT of another
                cluster = probe.info("cluster").lines().anyMatch(l -> l.strip().equals("cluster_enabled:1"));
            } catch (JedisException e) {
                if (first == null) first = e;
                continue;
            }
            if (!cluster) {
                return new RedisConnections(
                        new JedisPooled(pool, seed, config.apply(url.database())), new Keys(prefix, false));
            }
            if (url.database() != 0) {
                throw new IllegalArgumentException(url + " names database " + url.database() + ", and " + seed
                        + " is a node of a Redis Cluster, which has database 0 only: drop the /"
                        + url.database() + " (give each relay deployment its own key prefix instead)");
            }
            return new RedisConnections(
                    new ClusterConnectionProvider(new HashSet<>(url.seeds()), config.apply(0), pool),
                    new Keys(prefix, true));
        }
        throw first != null ? first : new JedisConnectionException("no Redis address to connect to");
    }

    boolean clustered() {
        return cluster != null;
    }

    /**
     * {@return the id a new stream gets: on a cluster, the id with the home tag of the next master in
     * turn in place of its first characters; on a single Redis, the id as it is}
     */
    String place(String randomId) {
        List<String> tags = homeTags;
        if (tags.isEmpty()) return randomId;
        String tag = tags.get(Math.floorMod(next.getAndIncrement(), tags.size()));
        return tag + randomId.substring(Keys.TAG);
    }

    /** {@return the home tags: one per master} */
    List<String> homeTags() {
        return homeTags;
    }

    /**
     * Finds each master's home tag again from the map of slots Jedis holds (after a failover or a
     * resharding the masters change): for each master, the first tag in a fixed order whose slot it
     * owns, so that every node finds the same ones.
     */
    void renewHomeTags() {
        ClusterConnectionProvider c = cluster;
        if (c == null) return;
        Map<HostAndPort, String> found = new LinkedHashMap<>();
        Set<HostAndPort> masters = new HashSet<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            HostAndPort m = c.getNode(slot);
            if (m != null) masters.add(m);
        }
        for (int i = 0;
                found.size() < masters.size() && i < ALPHABET.length() * ALPHABET.length() * ALPHABET.length();
                i++) {
            String tag = "" + ALPHABET.charAt(i / 4096) + ALPHABET.charAt(i / 64 % 64) + ALPHABET.charAt(i % 64);
            HostAndPort m = c.getNode(JedisClusterCRC16.getSlot(tag));
            if (m != null) found.putIfAbsent(m, tag);
        }
        List<Map.Entry<HostAndPort, String>> byAddress = new ArrayList<>(found.entrySet());
        byAddress.sort(Map.Entry.comparingByKey(Comparator.comparing(HostAndPort::toString)));
        homeTags = byAddress.stream().map(Map.Entry::getValue).toList();
    }

    /** Asks a cluster for its map of slots again (a failover or a resharding may have changed it). */
    void renewSlots() {
        ClusterConnectionProvider c = cluster;
        if (c != null) c.renewSlotCache();
    }

    /**
     * Runs a script through the writer of the master of its first key's slot, in that writer's next
     * round. On a cluster, when the slot moved or its master is gone, the script runs once more
     * through the cluster client, which follows the redirection and learns the new map, and waits
     * out a slot's migration ({@code TRYAGAIN}); the scripts sent this way store what they are
     * given once whichever way they went.
     *
     * @throws JedisException if Redis cannot be reached or refused the script
     */
    @SuppressWarnings("deprecation") // Jedis's PipelineBase, as AppendPipeline.Write takes it
    Object evalInRound(String script, List<String> keys, List<String> args) {
        HostAndPort master = null;
        AppendPipeline writer;
        ClusterConnectionProvider c = cluster;
        if (c == null) {
            writer = Objects.requireNonNull(single, "a single Redis has its writer");
        } else {
            int slot = JedisClusterCRC16.getSlot(keys.getFirst());
            master = c.getNode(slot);
            ConnectionPool pool = master == null ? null : c.getNodes().get(master.toString());
            if (master == null || pool == null) return evalRedirected(script, keys, args);
            writer = writers.computeIfAbsent(master, m -> new AppendPipeline(pool));
        }
        List<Response<Object>> answer = new ArrayList<>(1);
        try {
            writer.write(new AppendPipeline.Write() {
                @Override
                public void queue(PipelineBase p) {
                    answer.add(p.eval(script, keys, args));
                }

                @Override
                public void check() {
                    answer.getFirst().get();
                }
            });
            return answer.getFirst().get();
        } catch (JedisException e) {
            if (c == null
                    || !(e instanceof JedisRedirectionException || e instanceof JedisConnectionException || moving(e)))
                throw e;
            if (!(e instanceof JedisRedirectionException) && writers.remove(master, writer)) writer.close();
            return evalRedirected(script, keys, args);
        }
    }

    /** Runs a script through the cluster client, waiting out a slot's migration for up to the cluster's retry time. */
    private Object evalRedirected(String script, List<String> keys, List<String> args) {
        long deadline = System.nanoTime() + CLUSTER_RETRIES.toNanos();
        while (true) {
            try {
                return redis.eval(script, keys, args);
            } catch (JedisDataException e) {
                if (!moving(e) || System.nanoTime() - deadline > 0) throw e;
                LockSupport.parkNanos(
                        Duration.ofMillis(50).toNanos()); // Redis's advice for TRYAGAIN: a moment, then again
            }
        }
    }

    /** {@return whether Redis refused a command because its keys' slot is being moved: try again in a moment} */
    static boolean moving(JedisException e) {
        return e instanceof JedisDataException && String.valueOf(e.getMessage()).startsWith("TRYAGAIN");
    }

    /**
     * {@return whether a failure is the store being away for a while (a connection that failed, a
     * cluster failing over, a slot moving) rather than Redis refusing the command}
     */
    static boolean outage(JedisException e) {
        if (!(e instanceof JedisDataException) || e instanceof JedisRedirectionException) return true;
        if (e instanceof JedisClusterException) return true; // CLUSTERDOWN
        String m = String.valueOf(e.getMessage());
        for (String transientError : List.of("TRYAGAIN", "CLUSTERDOWN", "LOADING", "MASTERDOWN", "READONLY"))
            if (m.startsWith(transientError)) return true;
        return m.contains("cluster is down");
    }

    /** {@return what went wrong, for the log: a cluster's redirections and refusals described, not quoted} */
    static String describe(JedisException e) {
        String m = String.valueOf(e.getMessage());
        String tls = RedisTls.describe(e);
        if (tls != null) return tls;
        if (e instanceof JedisRedirectionException) return "a slot moved to another node";
        if (m.startsWith("TRYAGAIN")) return "a slot is being moved to another node";
        if (e instanceof JedisClusterException || m.startsWith("CLUSTERDOWN") || m.contains("cluster is down"))
            return "the cluster is down (failing over?)";
        if (e instanceof JedisClusterOperationException) return "no node of the cluster answered";
        if (m.startsWith("READONLY")) return "a node that was a master is a replica now";
        return e.getClass().getSimpleName() + ": " + m;
    }

    @Override
    public void close() {
        if (single != null) single.close();
        for (AppendPipeline w : writers.values()) w.close();
        redis.close();
    }
}
