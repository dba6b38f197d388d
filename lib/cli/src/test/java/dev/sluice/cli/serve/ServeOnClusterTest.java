package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.redis.RedisRelayStore;
import dev.sluice.relay.redis.server.RedisCluster;
import dev.sluice.relay.redis.server.RedisUnderTest;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.testkit.FakeResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every test of {@link ServeOnManyNodesTest} again, the nodes on a real Redis Cluster of three
 * masters and three replicas ({@link RedisCluster}); and, from outside, {@code sluice serve --store}
 * given a seed list whose first seed is down, a cluster's database other than 0 refused, and a
 * master killed while twenty streams are read on another node over HTTP.
 */
class ServeOnClusterTest extends ServeOnManyNodesTest {

    /**
     * The cluster the next test that needs one of its own ({@link #own()}) gets, started while the
     * test before it runs: a cluster's start (six servers, their handshakes, the replicas' first
     * sync) is seconds of waiting, and five tests kill theirs. Each test still gets a new one.
     */
    private static CompletableFuture<RedisCluster> next;

    @BeforeAll
    static void startRedis() throws Exception {
        next = startBeside();
        redis = RedisCluster.start();
    }

    /** Closes the cluster started for a test that did not come. */
    @AfterAll
    static void stopTheNext() throws Exception {
        if (next != null) next.get(60, TimeUnit.SECONDS).close();
    }

    @Override
    RedisUnderTest own() throws Exception {
        RedisCluster mine = next.get(60, TimeUnit.SECONDS);
        next = startBeside();
        return mine;
    }

    /** {@return a new cluster, started on a thread of its own} */
    private static CompletableFuture<RedisCluster> startBeside() {
        CompletableFuture<RedisCluster> started = new CompletableFuture<>();
        Thread.ofPlatform()
                .daemon()
                .name("next-redis-cluster")
                .start(
                        () -> { // it waits on processes
                            try {
                                started.complete(RedisCluster.start());
                            } catch (IOException | InterruptedException | RuntimeException e) {
                                started.completeExceptionally(e);
                            }
                        });
        return started;
    }

    @Test
    void serve_seedListWhoseFirstSeedIsDown_findsTheCluster_itsStreamsReadOnAnotherNode() throws Exception {
        int down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = s.getLocalPort(); // nothing listens there once it is closed
        }
        String seeds = "redis://127.0.0.1:" + down + ","
                + ((RedisCluster) redis).seeds().substring("redis://".length());
        Process a = serveProcess(seeds);
        try {
            List<String> lines = new CopyOnWriteArrayList<>();
            URI onA = URI.create(listening(a, lines));
            assertTrue(
                    lines.stream()
                            .anyMatch(l -> l.startsWith("sluice serve: streams are shared through RedisRelayStore[")
                                    && l.contains("Redis Cluster")),
                    lines.toString());
            RedisRelayStore storeB = RedisRelayStore.builder(redis.url()).build(); // serve's key prefix
            closing.add(storeB);
            ServeServer b = ServeServer.start(
                    new RelayAdmission(Relay.builder()
                            .store(storeB)
                            .provider("anthropic", anthropic, "claude-sonnet-4-5")
                            .build()),
                    "127.0.0.1",
                    0);
            closing.add(b);
            String id = SseTestClient.create(onA, OCEAN);
            try (SseTestClient onB = SseTestClient.open(b.uri(), id, null)) {
                onB.readAll();
                assertEquals("done", onB.types().getLast());
                assertEquals(
                        LongStream.rangeClosed(1, onB.events.size()).boxed().toList(), onB.ids());
                assertTrue(SseTestClient.text(onB.events).length() > 20, SseTestClient.text(onB.events));
            }
        } finally {
            a.destroyForcibly().waitFor();
        }
    }

    @Test
    void serve_clusterWithADatabaseOtherThan0_exits1SayingWhy() throws Exception {
        Process p = serveProcess(redis.url() + "/3");
        StringBuilder err = new StringBuilder();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try (BufferedReader r = new BufferedReader(
                                    new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; )
                                    err.append(line).append('\n');
                                exit.complete(p.waitFor());
                            } catch (Exception e) {
                                exit.completeExceptionally(e);
                            }
                        });
        try {
            assertEquals(1, exit.get(60, TimeUnit.SECONDS), err.toString());
            assertTrue(
                    err.toString().contains("error: ")
                            && err.toString().contains("Redis Cluster")
                            && err.toString().contains("database 0"),
                    err.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Twenty streams run on node A, each read over HTTP on node B; the master that holds most of
     * their keys is killed mid-stream. The cluster answers {@code CLUSTERDOWN} until its replica
     * takes over; every stream then goes on: twenty of twenty end with {@code done}, their ids
     * without gap or repeat and their text exact.
     */
    @Test
    void masterKilled_while20StreamsAreReadOnAnotherNode_20Of20Complete_nothingLostNothingTwice() throws Exception {
        RedisUnderTest own = own();
        closing.add(own); // closed after the nodes on it
        RedisCluster c = (RedisCluster) own;
        URI a = node(own, 50);
        URI b = node(own, 50);
        String words = "slow ".repeat(200);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fake.enqueue(FakeResponse.answer().text(words.split("(?<= )")).paced(Duration.ZERO, Duration.ofMillis(20)));
            ids.add(SseTestClient.create(a, OCEAN));
        }
        List<SseTestClient> onB = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (String id : ids) {
            SseTestClient client = SseTestClient.open(b, id, null);
            closing.add(client);
            onB.add(client);
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    client.readAll();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        Map<Integer, Integer> byMaster = new HashMap<>();
        for (String id : ids)
            byMaster.merge(c.masterOf(own.keys(PREFIX + "*s:" + id).getFirst()), 1, Integer::sum);
        int victim = byMaster.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        try (UnifiedJedis jedis = own.client()) { // well under way: the kill lands mid-stream
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ids.stream()
                            .allMatch(id ->
                                    jedis.xlen(own.keys(PREFIX + "*s:" + id).getFirst()) >= 20));
        }
        long killed = System.nanoTime();
        c.killNode(victim);
        await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().noneMatch(Thread::isAlive));
        System.out.printf(
                "master killed (%d of 20 streams' keys on it): the 20 streams read whole on the other node %.1f s later%n",
                byMaster.get(victim), (System.nanoTime() - killed) / 1e9);
        int complete = 0;
        for (SseTestClient r : onB) {
            assertEquals("done", r.types().getLast(), r.types().toString());
            assertEquals(LongStream.rangeClosed(1, r.events.size()).boxed().toList(), r.ids());
            assertEquals(words, SseTestClient.text(r.events));
            complete++;
        }
        assertEquals(20, complete);
    }
}
