package dev.sluice.relay.redis.server;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster of three masters, each with a replica: six {@link RedisServer}s on free
 * loopback ports (each with its cluster bus port, 10,000 above it, free too), formed by
 * {@code redis-cli --cluster create}, as a managed cluster is. Redis's own rules, but for two
 * timings: a node is taken for failed after one second without an answer (Redis's default is 15 s),
 * a replica takes over however long it was cut off from its master, and a master sends a replica
 * its data at once (not five seconds later, in case more replicas come). A master can be killed (its
 * replica takes over, after the cluster answered {@code CLUSTERDOWN} for a while) and started again
 * (it comes back as a replica), a replica made to lag, a slot moved while it is used; the whole
 * cluster killed and started again empty, with its slots where they were.
 */
public final class RedisCluster implements RedisUnderTest {
    private static final List<String> OPTIONS = List.of(
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "1000",
            "--cluster-replica-validity-factor",
            "0",
            "--enable-debug-command",
            "local",
            "--repl-diskless-sync-delay",
            "0",
            "--loglevel", // a node's failovers and syncs in its log, for a cluster that is not healthy in time
            "notice");

    /** One line of {@code CLUSTER NODES}: a node's id, address, whether it is a master, and whether it is failed. */
    public record Node(String id, int port, boolean master, boolean failed, String masterId) {}

    /** The longest wait for a cluster to be healthy after a start, a failover or a restart. */
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    /** {@return a cluster of three masters and three replicas, every slot served and every replica in sync} */
    public static RedisCluster start() throws IOException, InterruptedException {
        return start(1, port -> List.of());
    }

    /**
     * {@return a cluster of three masters, each with as many replicas as asked, every slot served
     * and every replica in sync; each node started with more options, given a second free port
     * whose bus port (10,000 above) is free too: a {@code --tls-port}, whose bus port it is with
     * {@code --tls-cluster yes}}
     */
    public static RedisCluster start(int replicas, IntFunction<List<String>> more)
            throws IOException, InterruptedException {
        List<RedisServer> servers = new ArrayList<>();
        try {
            Set<Integer> taken = new HashSet<>();
            for (int i = 0; i < 3 * (1 + replicas); i++) {
                int port = freePort(taken);
                List<String> options = new ArrayList<>(OPTIONS);
                options.addAll(more.apply(freePort(taken)));
                servers.add(RedisServer.start(port, options));
            }
            List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
            for (RedisServer s : servers) command.add("127.0.0.1:" + s.port());
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            Path log = Files.createTempFile("sluice-redis-cluster", ".log");
            Process create = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed: " + Files.readString(log));
            }
            Files.deleteIfExists(log);
            RedisCluster cluster = new RedisCluster(servers);
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (RedisServer s : servers) s.close();
            throw e;
        }
    }

    /** {@return {@code redis-cli}: beside the {@code redis-server} the tests run} */
    private static String cli() {
        File beside = new File(new File(RedisServer.binary()).getParentFile(), "redis-cli");
        return beside.canExecute() ? beside.getPath() : "redis-cli";
    }

    /** {@return a free port whose cluster bus port (10,000 above) is free too, both kept free for a restart} */
    private static int freePort(Set<Integer> taken) throws IOException {
        int port = RedisServer.restartablePort(taken, 10_000);
        taken.add(port);
        taken.add(port + 10_000);
        return port;
    }

    /**
     * Waits until every live node says the cluster is ok, every slot served by a live master and each
     * live replica in sync with it: within {@link #HEALTHY_WITHIN} (a cluster started again whole elects
     * and syncs in a few seconds, longer on a machine the rest of the suite keeps busy). One that is not
     * fails saying what each node said, and the end of each node's log.
     *
     * @throws IllegalStateException if the cluster is not healthy within the bound
     */
    public void awaitHealthy() {
        try {
            await().atMost(HEALTHY_WITHIN)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(this::healthy);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "the Redis Cluster was not healthy within " + HEALTHY_WITHIN.toSeconds() + " s:\n" + state(), e);
        }
    }

    private boolean healthy() {
        for (RedisServer s : live()) {
            try (Jedis j = jedis(s)) {
                if (!j.clusterInfo().contains("cluster_state:ok")) return false;
                String replication = j.info("replication");
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) return false;
            }
        }
        List<Node> nodes = nodes();
        return nodes.stream().filter(n -> n.master() && !n.failed()).count() == 3
                && nodes.stream().filter(Node::master).allMatch(n -> n.failed() || alive(n.port()));
    }

    /** {@return what each node says of the cluster (or that it is down or does not answer), and its log's end} */
    private String state() {
        StringBuilder b = new StringBuilder();
        for (RedisServer s : servers) {
            b.append("node ")
                    .append(s.port())
                    .append(s.alive() ? "" : " (down)")
                    .append(": ");
            if (s.alive()) {
                try (Jedis j = jedis(s)) {
                    String info = j.clusterInfo();
                    b.append(info.lines()
                            .filter(l -> l.startsWith("cluster_state:"))
                            .findFirst()
                            .orElse("?"));
                    j.info("replication")
                            .lines()
                            .filter(l -> l.startsWith("role:") || l.startsWith("master_link_status:"))
                            .forEach(l -> b.append(", ").append(l));
                    b.append("\n").append(j.clusterNodes().strip().indent(2));
                } catch (RuntimeException unanswered) {
                    b.append("no answer: ").append(unanswered.getMessage()).append('\n');
                }
            } else {
                b.append('\n');
            }
            b.append("  its log's end:\n").append(s.logTail(10).indent(4));
        }
        return b.toString();
    }

    /** {@return the nodes as a live node sees them} */
    public List<Node> nodes() {
        try (Jedis j = jedis(live().getFirst())) {
            return j.clusterNodes()
                    .lines()
                    .map(l -> {
                        String[] f = l.split(" ");
                        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                        return new Node(
                                f[0],
                                port,
                                f[2].contains("master"),
                                f[2].contains("fail") && !f[2].contains("fail?"),
                                f[3]);
                    })
                    .toList();
        }
    }

    /** {@return the port of the master that serves a key's slot now} */
    public int masterOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        try (Jedis j = jedis(live().getFirst())) {
            for (Object range : j.clusterSlots()) {
                List<?> r = (List<?>) range;
                if (slot >= (Long) r.get(0) && slot <= (Long) r.get(1))
                    return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** {@return the port of the replica of the master on {@code masterPort}} */
    public int replicaOf(int masterPort) {
        List<Node> nodes = nodes();
        String id = nodes.stream()
                .filter(n -> n.port() == masterPort)
                .findFirst()
                .orElseThrow()
                .id();
        return nodes.stream()
                .filter(n -> id.equals(n.masterId()) && alive(n.port()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the master on " + masterPort + " has no live replica"))
                .port();
    }

    /**
     * Kills the master on a port (SIGKILL) and returns at once: the cluster answers
     * {@code CLUSTERDOWN} once it takes it for failed, until its replica takes over.
     */
    public void killNode(int port) throws InterruptedException {
        server(port).kill();
    }

    /** Starts a killed node again; it comes back as a replica of whoever took its place. */
    public void startNode(int port) throws IOException {
        server(port).startAgain();
    }

    /**
     * Cuts a replica off from its master and keeps it so for a while: its link to the master killed
     * ({@code CLIENT KILL TYPE master}) and, in the same round, the replica put to sleep
     * ({@code DEBUG SLEEP}) before it can link again. Meanwhile the master takes writes the replica
     * never gets (they wait in the master's backlog). The sleep runs on a thread of its own, returned.
     */
    public Thread cutOffAndSleep(int replicaPort, Duration howLong) {
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try (Jedis j = new Jedis(
                    new HostAndPort("127.0.0.1", replicaPort),
                    DefaultJedisClientConfig.builder()
                            .socketTimeoutMillis((int) howLong.toMillis() + 5_000)
                            .build())) {
                redis.clients.jedis.commands.ProtocolCommand debug =
                        () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                redis.clients.jedis.Pipeline p = j.pipelined();
                p.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "master");
                p.sendCommand(debug, "SLEEP", Double.toString(howLong.toMillis() / 1e3));
                p.syncAndReturnAll(); // both in one write: the sleep begins before the replica can link again
            } catch (RuntimeException e) {
                // the node was killed meanwhile
            }
        });
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> { // asleep: it answers nothing
                            try (Jedis j = new Jedis("127.0.0.1", replicaPort, 100)) {
                                j.ping();
                                return false;
                            } catch (RuntimeException e) {
                                return true;
                            }
                        });
        return t;
    }

    /**
     * Moves a slot, keys and all, to the master on another port, as {@code redis-cli --cluster
     * reshard} does: the target imports it, the source migrates it ({@code ASK} for the keys moved,
     * {@code TRYAGAIN} for a command whose keys are split), the keys go ten at a time, then every
     * node gives the slot to the target.
     */
    public void moveSlot(int slot, int toPort) {
        int fromPort = -1;
        try (Jedis j = jedis(live().getFirst())) {
            for (Object range : j.clusterSlots()) {
                List<?> r = (List<?>) range;
                if (slot >= (Long) r.get(0) && slot <= (Long) r.get(1))
                    fromPort = ((Long) ((List<?>) r.get(2)).get(1)).intValue();
            }
        }
        List<Node> nodes = nodes();
        int from = fromPort;
        String fromId = nodes.stream()
                .filter(n -> n.port() == from)
                .findFirst()
                .orElseThrow()
                .id();
        String toId = nodes.stream()
                .filter(n -> n.port() == toPort)
                .findFirst()
                .orElseThrow()
                .id();
        try (Jedis source = jedis(server(from));
                Jedis target = jedis(server(toPort))) {
            target.clusterSetSlotImporting(slot, fromId);
            source.clusterSetSlotMigrating(slot, toId);
            for (List<String> keys; !(keys = source.clusterGetKeysInSlot(slot, 10)).isEmpty(); ) {
                source.migrate(
                        "127.0.0.1",
                        toPort,
                        0,
                        5_000,
                        redis.clients.jedis.params.MigrateParams.migrateParams(),
                        keys.toArray(String[]::new));
            }
            for (Node n : nodes) {
                if (!n.master() || n.failed() || !alive(n.port())) continue;
                try (Jedis j = jedis(server(n.port()))) {
                    j.clusterSetSlotNode(slot, toId);
                }
            }
        }
    }

    /** {@return the slot of a key} */
    public static int slot(String key) {
        return JedisClusterCRC16.getSlot(key);
    }

    private List<RedisServer> live() {
        return servers.stream().filter(RedisServer::alive).toList();
    }

    private boolean alive(int port) {
        return servers.stream().anyMatch(s -> s.port() == port && s.alive());
    }

    private RedisServer server(int port) {
        return servers.stream()
                .filter(s -> s.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node on " + port));
    }

    private static Jedis jedis(RedisServer s) {
        return new Jedis("127.0.0.1", s.port(), 5_000);
    }

    /** {@return the URL of a node that runs (the first, unless it was killed)} */
    @Override
    public String url() {
        return "redis://127.0.0.1:" + live().getFirst().port();
    }

    /** {@return the URL of one node on a port} */
    public static String url(int port) {
        return "redis://127.0.0.1:" + port;
    }

    /** {@return a seed list of every node: {@code redis://127.0.0.1:P1,127.0.0.1:P2,...}} */
    public String seeds() {
        return "redis://" + servers.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    @Override
    public UnifiedJedis client() {
        Set<HostAndPort> seeds = new HashSet<>();
        for (RedisServer s : live()) seeds.add(new HostAndPort("127.0.0.1", s.port()));
        return new JedisCluster(seeds);
    }

    @Override
    public List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        for (Node n : nodes()) {
            if (!n.master() || n.failed() || !alive(n.port())) continue;
            try (Jedis j = jedis(server(n.port()))) {
                keys.addAll(j.keys(pattern));
            }
        }
        return keys;
    }

    @Override
    public List<String> clientList() {
        List<String> lines = new ArrayList<>();
        for (RedisServer s : live()) {
            try (Jedis j = jedis(s)) {
                lines.addAll(
                        j.clientList().lines().map(l -> l + " node=" + s.port()).toList());
            }
        }
        return lines;
    }

    @Override
    public boolean cluster() {
        return true;
    }

    /** Kills every node at once (SIGKILL); their slots stay in their {@code nodes.conf}. */
    @Override
    public void kill() throws InterruptedException {
        for (RedisServer s : servers) if (s.alive()) s.kill();
    }

    /** Starts every node that is down again, empty, with its slots as they were, and waits until the cluster is ok. */
    @Override
    public void startAgain() throws IOException {
        for (RedisServer s : servers) if (!s.alive()) s.startAgain();
        awaitHealthy();
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisServer s : servers) s.close();
    }
}
