package dev.sluice.relay.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.redis.server.RedisCluster;
import dev.sluice.relay.redis.server.RedisUnderTest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link ManyNodesTest} again, on a real Redis Cluster of three masters and three
 * replicas ({@link RedisCluster}, Debian's {@code redis-server}): resume on another node, cancel and
 * approvals across nodes, a lost node, the limits across nodes, the whole cluster going away and
 * coming back empty. And what only a cluster does: the keys laid out by slot, a node found from a
 * replica or a seed list whose first seed is down, a cluster's single database, a master killed
 * while streams are read (its replica promoted, the cluster down meanwhile), a replica promoted
 * without the last events its master had taken, a slot moved while its streams run. Nothing that
 * Redis Cluster says to redirect a command reaches a client or the log.
 */
class ManyNodesOnClusterTest extends ManyNodesTest {

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisCluster.start();
    }

    @Override
    RedisUnderTest own() throws Exception {
        return RedisCluster.start();
    }

    private static RedisCluster cluster() {
        return (RedisCluster) redis;
    }

    @Test
    void place_aStreamsKeysShareOneSlot_theStreamsOfANodeAreSpreadOverTheMasters_onePerMasterSlot() {
        RedisRelayStore store = store(redis);
        Relay a = node(store);
        Map<Integer, Set<Integer>> slotsByMaster = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String id = start(a);
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            Keys k = keys();
            int slot = RedisCluster.slot(k.stream(id));
            assertEquals(slot, RedisCluster.slot(k.record(id)));
            assertEquals(slot, RedisCluster.slot(k.commandsPrefix(id) + store.node()));
            slotsByMaster
                    .computeIfAbsent(cluster().masterOf(k.stream(id)), m -> new HashSet<>())
                    .add(slot);
        }
        assertEquals(3, slotsByMaster.size(), "the streams are spread over the masters: " + slotsByMaster);
        assertTrue(
                slotsByMaster.values().stream().allMatch(s -> s.size() == 1), "one slot per master: " + slotsByMaster);
        Keys k = keys();
        assertEquals(RedisCluster.slot(k.liveness("a")), RedisCluster.slot(k.counter("client:10.0.0.1")));
        assertEquals(RedisCluster.slot(k.liveness("a")), RedisCluster.slot(k.rate("creations:10.0.0.1")));
        assertTrue(store.toString().contains("Redis Cluster"), store.toString());
    }

    @Test
    void build_fromAReplica_andFromASeedListWhoseFirstSeedIsDown_findsTheCluster() throws Exception {
        int replica = cluster().replicaOf(cluster().masterOf(keys().liveness("x")));
        int down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = s.getLocalPort(); // nothing listens there once it is closed
        }
        keys(); // this test's prefix
        RedisRelayStore onReplica = RedisRelayStore.builder(RedisCluster.url(replica))
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(onReplica);
        RedisRelayStore onSeeds = RedisRelayStore.builder(
                        "redis://127.0.0.1:" + down + "," + cluster().seeds().substring("redis://".length()))
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(onSeeds);
        Relay a = node(onReplica);
        Relay b = node(onSeeds);
        String id = start(a);
        await().until(() -> sources.size() == 1);
        for (int i = 0; i < 5; i++) sources.getFirst().delta("w" + i + " ");
        sources.getFirst().end();
        Follower onB = Follower.follow(b.subscribe(id, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.outcome != null);
        assertEquals("w0 w1 w2 w3 w4 ", onB.text());
        assertEquals(oneTo(6), onB.ids());
        assertTrue(onReplica.toString().contains("Redis Cluster"), onReplica.toString());
    }

    @Test
    void build_clusterWithADatabaseOtherThan0_refusedSayingWhy() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RedisRelayStore.builder(redis.url() + "/2").build());
        assertTrue(e.getMessage().contains("Redis Cluster") && e.getMessage().contains("database 0"), e.getMessage());
    }

    /**
     * Twenty streams run on node A, each read whole on node B; the master that holds most of them
     * is killed mid-stream (SIGKILL). The cluster answers {@code CLUSTERDOWN} until the master's
     * replica takes over (longer than the stores' one-second liveness), then the streams go on:
     * each of the twenty completes on B with every event once, none ends with {@code node_lost}.
     */
    @Test
    void masterKilled_while20StreamsAreRead_everyStreamCompletes_nothingLostNothingTwice() throws Exception {
        RedisUnderTest own = own();
        closing.add(own); // closed after the nodes on it
        try (Logged log = new Logged()) {
            RedisCluster c = (RedisCluster) own;
            Relay a = node(store(own));
            Relay b = node(store(own));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) ids.add(start(a));
            await().until(() -> sources.size() == 20);
            List<Follower> onB = new ArrayList<>();
            for (String id : ids) onB.add(Follower.follow(b.subscribe(id, null)));
            Map<Integer, Integer> streamsByMaster = new HashMap<>();
            for (String id : ids) streamsByMaster.merge(c.masterOf(keys().stream(id)), 1, Integer::sum);
            int victim = streamsByMaster.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();

            int events = 150;
            Thread producer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < events; i++) {
                    for (ScriptedSource src : sources) src.delta("w" + i + " ");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the model's pace
                }
                for (ScriptedSource src : sources) src.end();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().allMatch(f -> f.got.size() >= 20));
            long killed = System.nanoTime();
            c.killNode(victim);
            producer.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> onB.stream().allMatch(f -> f.outcome != null));
            System.out.printf(
                    "master killed (%d of 20 streams on it): every stream read whole on the other node %.1f s later%n",
                    streamsByMaster.get(victim), (System.nanoTime() - killed) / 1e9);
            String expected = String.join(
                    "",
                    java.util.stream.IntStream.range(0, events)
                            .mapToObj(i -> "w" + i + " ")
                            .toList());
            int complete = 0;
            for (Follower f : onB) {
                assertEquals(oneTo(events + 1), f.ids(), "every event once, in order: " + f.outcome + " " + f.last());
                assertEquals(expected, f.text());
                assertInstanceOf(RelayEvent.Done.class, f.last());
                complete++;
            }
            assertEquals(20, complete);
            log.assertNoRedirectionNorError();
        }
    }

    /**
     * The master of a stream's slot takes five more events after its replica was cut off from it
     * (the replica's link killed, and the replica put to sleep so that it cannot link again); the
     * master is killed while the stream goes on, and the replica, promoted, lacks them. The running
     * node's writer, whose writes failed meanwhile, finds that out at its next batch and writes them
     * again: a follower that had read them from the master goes on with nothing twice, and a reader
     * from the start gets every event once.
     */
    @Test
    void replicaPromotedWithoutTheLastEventsItsMasterTook_theWriterWritesThemAgain() throws Exception {
        RedisUnderTest own = own();
        closing.add(own); // closed after the nodes on it
        try (Logged log = new Logged()) {
            RedisCluster c = (RedisCluster) own;
            Relay a = node(store(own));
            Relay b = node(store(own));
            String id = start(a);
            await().until(() -> sources.size() == 1);
            ScriptedSource src = sources.getFirst();
            Follower onB = Follower.follow(b.subscribe(id, null));
            for (int i = 0; i < 5; i++) src.delta("w" + i + " ");
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.got.size() == 5);

            int master = c.masterOf(keys().stream(id));
            int replica = c.replicaOf(master);
            Thread asleep = c.cutOffAndSleep(replica, Duration.ofSeconds(3));
            for (int i = 5; i < 10; i++) src.delta("w" + i + " ");
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.got.size() == 10); // the master took them
            c.killNode(master);
            for (int i = 10; i < 15; i++) src.delta("w" + i + " "); // the model goes on while the cluster fails over
            src.end();
            asleep.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.outcome != null);
            String expected = String.join(
                    "",
                    java.util.stream.IntStream.range(0, 15)
                            .mapToObj(i -> "w" + i + " ")
                            .toList());
            assertEquals(expected, onB.text());
            assertEquals(oneTo(16), onB.ids(), onB.outcome + " " + onB.last());
            assertTrue(log.saw("the relay's store lacks events it had taken"), "the replica lacked them");
            Follower fromStart = Follower.follow(node(store(own)).subscribe(id, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> fromStart.outcome != null);
            assertEquals(expected, fromStart.text());
            assertEquals(oneTo(16), fromStart.ids());
            log.assertNoRedirectionNorError();
        }
    }

    /**
     * The slot of a master's streams moves to another master while they run, keys and all, ten at
     * a time ({@code ASK} for the keys moved, {@code TRYAGAIN} while a stream's keys are split): the
     * writer and the readers follow it, and every stream is read whole on the other node.
     */
    @Test
    void slotMovedWhileItsStreamsRun_everyStreamReadWhole_nothingTwice() throws Exception {
        RedisUnderTest own = own();
        closing.add(own); // closed after the nodes on it
        try (Logged log = new Logged()) {
            RedisCluster c = (RedisCluster) own;
            Relay a = node(store(own));
            Relay b = node(store(own));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) ids.add(start(a));
            await().until(() -> sources.size() == 6);
            List<Follower> onB = new ArrayList<>();
            for (String id : ids) onB.add(Follower.follow(b.subscribe(id, null)));
            String moved = ids.getFirst();
            int from = c.masterOf(keys().stream(moved));
            int to = c.nodes().stream()
                    .filter(n -> n.master() && n.port() != from)
                    .findFirst()
                    .orElseThrow()
                    .port();
            int events = 100;
            Thread producer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < events; i++) {
                    for (ScriptedSource src : sources) src.delta("w" + i + " ");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                for (ScriptedSource src : sources) src.end();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().allMatch(f -> f.got.size() >= 10));
            c.moveSlot(RedisCluster.slot(keys().stream(moved)), to);
            assertEquals(to, c.masterOf(keys().stream(moved)));
            producer.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.stream().allMatch(f -> f.outcome != null));
            String expected = String.join(
                    "",
                    java.util.stream.IntStream.range(0, events)
                            .mapToObj(i -> "w" + i + " ")
                            .toList());
            for (Follower f : onB) {
                assertEquals(oneTo(events + 1), f.ids());
                assertEquals(expected, f.text());
            }
            log.assertNoRedirectionNorError();
        }
    }
}
