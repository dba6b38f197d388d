package dev.sluice.relay.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.RelayException;
import dev.sluice.relay.redis.server.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The node's one writing connection keeps several rounds in flight: a stream's append is sent
 * while another's answers are still awaited, on the same connection, and a connection that fails
 * fails every round on it, after which appends go on on a fresh one; with no connection to be had,
 * every waiting append fails as unavailable, none left waiting. Each batch is trimmed to the
 * replay limits once it is in. Redis is reached through a proxy that can hold back its answers.
 */
class AppendPipelineTest {
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);
    private static RedisServer redis;
    private HoldingProxy proxy;
    private RedisRelayStore store;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void close() throws Exception {
        if (proxy != null) proxy.release();
        if (store != null) store.close();
        if (proxy != null) proxy.close();
    }

    private RedisRelayStore storeThroughProxy(String prefix) throws IOException {
        URI to = URI.create(redis.url());
        proxy = new HoldingProxy(to.getPort());
        store = RedisRelayStore.builder("redis://127.0.0.1:" + proxy.port() + "/0")
                .prefix(prefix)
                .build();
        return store;
    }

    /** Awaitility checking every 10 ms: while the proxy holds answers, the store's 2 s socket timeout runs. */
    private static org.awaitility.core.ConditionFactory promptly() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private static void append(RedisRelayStore store, String stream, long id) {
        store.append(stream, id, List.of("event " + id), 1, Duration.ofMinutes(1));
    }

    private static long stored(Jedis jedis, String prefix, String stream) {
        return jedis.xlen(prefix + "s:" + stream);
    }

    @Test
    void append_whileAnotherStreamsAnswersAreHeld_isSentOnTheSameConnectionAtOnce() throws Exception {
        RedisRelayStore s = storeThroughProxy("p1:");
        append(s, "a", 1); // the writing connection is open
        try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
            proxy.hold();
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> append(s, "a", 2), VIRTUAL);
            promptly().atMost(Duration.ofSeconds(1)).until(() -> stored(jedis, "p1:", "a") == 2);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> append(s, "b", 1), VIRTUAL);
            // sent before the first round's answers came (the socket's timeout is 2 s: well before it)
            promptly().atMost(Duration.ofSeconds(1)).until(() -> stored(jedis, "p1:", "b") == 1);
            assertFalse(first.isDone(), "the first append waits for its answers");
            proxy.release();
            first.get();
            second.get();
        }
        // the store's other connections (its reader's, its liveness's) may open at any time: what
        // matters is that both streams' appends went over the one writing connection
        Set<Integer> writing = proxy.carrying("p1:s:a");
        assertEquals(1, writing.size(), "the first stream's appends went over one connection: " + writing);
        assertEquals(writing, proxy.carrying("p1:s:b"), "the second stream's append went over the same connection");
    }

    @Test
    void append_keepsWhatTheReplayLimitsKeep_olderEntriesTrimmedOnceTheBatchIsIn() throws Exception {
        RedisRelayStore s = storeThroughProxy("p3:");
        s.append("a", 1, List.of("1", "2", "3", "4", "5"), 1, Duration.ofMinutes(1));
        s.append("a", 6, List.of("6", "7", "8"), 4, Duration.ofMinutes(1));
        try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
            assertEquals(
                    List.of("4-0", "5-0", "6-0", "7-0", "8-0"),
                    jedis.xrange("p3:s:a", "-", "+").stream()
                            .map(e -> e.getID().toString())
                            .toList());
        }
    }

    @Test
    void connectionDrops_withRoundsInFlight_eachFails_thenAppendsGoOnOnAFreshConnection() throws Exception {
        RedisRelayStore s = storeThroughProxy("p2:");
        append(s, "a", 1);
        try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
            proxy.hold();
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> append(s, "a", 2), VIRTUAL);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> append(s, "b", 1), VIRTUAL);
            promptly()
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> stored(jedis, "p2:", "a") == 2 && stored(jedis, "p2:", "b") == 1);
            proxy.dropAll();
            for (CompletableFuture<Void> f : List.of(first, second)) {
                Throwable failure = f.handle((v, e) -> e).get();
                assertInstanceOf(RelayException.class, failure.getCause(), String.valueOf(failure));
            }
            proxy.release();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                append(s, "a", 3); // the store may wait out its outage first
                return true;
            });
            assertEquals(3, stored(jedis, "p2:", "a"));
        }
    }

    @Test
    void redisUnreachable_appendsAtOnce_eachFailsAsUnavailable_noneWaitsOn() throws Exception {
        RedisRelayStore s = storeThroughProxy("p4:");
        append(s, "a", 1);
        proxy.close(); // the connection drops and no new one can be made
        List<CompletableFuture<Throwable>> appends = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String stream = "s" + i;
            appends.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            append(s, stream, 1);
                            return null;
                        } catch (RuntimeException e) {
                            return e;
                        }
                    },
                    VIRTUAL));
        }
        for (CompletableFuture<Throwable> a : appends) {
            assertInstanceOf(RelayException.class, a.get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /** A loopback TCP proxy to Redis whose answers (server to client) can be held back, and whose connections can be dropped. */
    static final class HoldingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch held = new CountDownLatch(0);
        private volatile int accepted;
        // a key sent to Redis -> the numbers of the connections that carried it
        private final Map<String, Set<Integer>> carried = new ConcurrentHashMap<>();

        HoldingProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted;
        }

        /** {@return the numbers of the connections whose requests named {@code key}} */
        Set<Integer> carrying(String key) {
            return carried.getOrDefault(key, Set.of());
        }

        void hold() {
            held = new CountDownLatch(1);
        }

        void release() {
            held.countDown();
        }

        void dropAll() throws IOException {
            for (Socket s : sockets) s.close();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(upstream);
                    int number = ++accepted;
                    Thread.ofVirtual().start(() -> pump(client, upstream, false, number));
                    Thread.ofVirtual().start(() -> pump(upstream, client, true, number));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, boolean answers, int number) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (answers) held.await();
                    else note(new String(buf, 0, n, StandardCharsets.ISO_8859_1), number);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closed
                }
            }
        }

        /** Notes the stream keys ({@code PREFIX:s:NAME}) a request names, with its connection's number. */
        private void note(String request, int number) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\\w+:s:\\w+").matcher(request);
            while (m.find())
                carried.computeIfAbsent(m.group(), k -> ConcurrentHashMap.newKeySet())
                        .add(number);
        }

        @Override
        public void close() throws IOException {
            server.close();
            dropAll();
        }
    }
}
