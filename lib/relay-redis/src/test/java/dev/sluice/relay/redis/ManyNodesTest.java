package dev.sluice.relay.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.RelayStore.ChatRecord;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.relay.redis.server.RedisUnderTest;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Relays on several nodes (several {@link Relay}s in this JVM, each with its own store on one real
 * Redis): resume on another node, cancel across nodes, a lost node, Redis going away, and the
 * limits across the nodes. {@link ManyNodesOnClusterTest} runs them all again on a Redis Cluster.
 */
class ManyNodesTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** The Redis the nodes share: one {@code redis-server} here, a cluster in {@link ManyNodesOnClusterTest}. */
    static RedisUnderTest redis;

    final List<AutoCloseable> closing = new ArrayList<>();
    final List<ScriptedSource> sources = new CopyOnWriteArrayList<>();
    String prefix;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    /** {@return a Redis of the test's own, of the same kind, to kill and start again} */
    RedisUnderTest own() throws Exception {
        return RedisServer.start();
    }

    /** {@return the names the stores give their keys in this test} */
    Keys keys() {
        if (prefix == null) prefix = "t" + PREFIXES.incrementAndGet() + ":";
        return new Keys(prefix, redis.cluster());
    }

    /** {@return the nodes' stores for one test: the same Redis, keys of their own} */
    RedisRelayStore store(RedisUnderTest on) {
        if (prefix == null) prefix = "t" + PREFIXES.incrementAndGet() + ":";
        RedisRelayStore s = RedisRelayStore.builder(on.url())
                .prefix(prefix)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(s);
        return s;
    }

    /** A node whose streams come from scripted sources (the last started is {@code sources.getLast()}). */
    Relay node(RedisRelayStore store, UnaryOperator<Relay.Builder> settings) {
        Relay r = settings.apply(Relay.builder().store(store).source("script", "m", (request, controller) -> {
                    ScriptedSource s = new ScriptedSource();
                    sources.add(s);
                    return s;
                }))
                .build();
        closing.add(r);
        return r;
    }

    Relay node(RedisRelayStore store) {
        return node(store, b -> b);
    }

    static String start(Relay relay) {
        return relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void subscribe_onAnotherNodeWithLastEventId_resumesWithNothingLostNothingTwice() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String id = start(a);
        await().until(() -> sources.size() == 1);
        ScriptedSource src = sources.getFirst();
        Follower onA = Follower.follow(a.subscribe(id, null));
        for (int i = 0; i < 10; i++) src.delta("w" + i + " ");
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 10);
        onA.leave(); // the load balancer sends the reconnect elsewhere
        long last = onA.lastId();

        Follower onB = Follower.follow(b.subscribe(id, Long.toString(last)));
        Follower fromStartOnB = Follower.follow(b.subscribe(id, null));
        for (int i = 10; i < 20; i++) src.delta("w" + i + " ");
        src.end();

        await().atMost(Duration.ofSeconds(5)).until(() -> onB.outcome != null && fromStartOnB.outcome != null);
        String expected = LongStream.range(0, 20).mapToObj(i -> "w" + i + " ").reduce("", String::concat);
        assertEquals(expected, onA.text() + onB.text());
        assertEquals(LongStream.rangeClosed(last + 1, 21).boxed().toList(), onB.ids());
        assertEquals(expected, fromStartOnB.text());
        assertEquals(oneTo(21), fromStartOnB.ids());
        assertInstanceOf(RelayEvent.Done.class, onB.last());
    }

    @Test
    void follow_hundredStreamsOfAnotherNode_eachNodeReadsWithOneConnectionAndWritesWithOne() {
        RedisRelayStore storeA = store(redis);
        RedisRelayStore storeB = store(redis);
        Relay a = node(storeA);
        Relay b = node(storeB);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) ids.add(start(a));
        await().atMost(Duration.ofSeconds(10)).until(() -> sources.size() == 100);
        List<Follower> onB = new ArrayList<>();
        for (String id : ids) onB.add(Follower.follow(b.subscribe(id, null)));
        for (ScriptedSource src : sources) src.delta("a ");
        for (ScriptedSource src : sources) src.delta("b ");
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().allMatch(f -> f.got.size() == 2));

        // one XREAD BLOCK for the commands and every followed stream, not one per stream (on a cluster, one per
        // master: the streams A placed there share a slot)
        int masters = redis.cluster() ? 3 : 1;
        await().atMost(Duration.ofSeconds(5)).until(() -> blocked(storeB.node()) == masters);
        assertEquals(masters, blocked(storeA.node()));
        // the running node's 100 streams wrote through one connection (a cluster: one per master): with its reader
        // and liveness, a handful on each
        java.util.Map<String, Long> connectionsOfA = clients(storeA.node())
                .collect(java.util.stream.Collectors.groupingBy(
                        l -> l.replaceAll(".* node=", "node="), java.util.stream.Collectors.counting()));
        assertTrue(connectionsOfA.values().stream().allMatch(n -> n <= 5), "node A holds " + connectionsOfA);
        for (ScriptedSource src : sources) src.end();
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().allMatch(f -> f.outcome != null));
        for (Follower f : onB) {
            assertEquals("a b ", f.text());
            assertEquals(oneTo(3), f.ids());
        }
    }

    @Test
    void follow_whileTheReaderWaits_aNewlyFollowedStreamsEventsArriveWithoutWaitingOutItsBlock() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String quiet = start(a);
        await().until(() -> sources.size() == 1);
        Follower.follow(b.subscribe(quiet, null)); // B's reader now waits in XREAD BLOCK, 1 s at a time
        for (int i = 0; i < 5; i++) {
            String id = start(a);
            await().until(() -> sources.size() == 2);
            ScriptedSource src = sources.removeLast();
            Follower onB = Follower.follow(b.subscribe(id, null));
            src.delta("x");
            await().atMost(Duration.ofMillis(500)).until(() -> onB.got.size() == 1);
            src.end();
        }
    }

    /** {@return the lines of CLIENT LIST of a relay node's connections, on every node of Redis} */
    static java.util.stream.Stream<String> clients(String node) {
        return redis.clientList().stream().filter(l -> l.contains(" name=sluice-" + node + " "));
    }

    /** {@return how many of a relay node's connections wait in a blocking command} */
    static long blocked(String node) {
        return clients(node)
                .filter(l -> l.matches(".* flags=[A-Za-z]*b[A-Za-z]* .*"))
                .count();
    }

    @Test
    void start_fastStreamsWithLocalReaders_everyEventReachesTheStoreUpToDone() {
        UnaryOperator<Relay.Builder> small =
                x -> x.limits(RelayLimits.defaults().withReplay(16, 1 << 20));
        Relay a = Relay.builder()
                .store(store(redis))
                .limits(RelayLimits.defaults().withReplay(16, 1 << 20))
                .source("script", "m", (request, controller) -> {
                    ScriptedSource s = new ScriptedSource();
                    for (int i = 0; i < 500; i++) s.delta("d" + i + " ");
                    s.end();
                    return s;
                })
                .build();
        closing.add(a);
        Relay b = node(store(redis), small);
        // readers that attach at once must not let the buffer drop what the store has not got
        List<String> ids = new ArrayList<>();
        List<Follower> onA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = start(a);
            ids.add(id);
            onA.add(Follower.follow(a.subscribe(id, null)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> onA.stream().allMatch(f -> f.outcome != null));
        for (String id : ids) {
            Follower tail = Follower.follow(b.subscribe(id, "495"));
            await().atMost(Duration.ofSeconds(5)).until(() -> tail.outcome != null);
            assertEquals(List.of(496L, 497L, 498L, 499L, 500L, 501L), tail.ids());
            assertInstanceOf(RelayEvent.Done.class, tail.last());
        }
    }

    /**
     * {@return Awaitility, checking at once and then every 10 ms} For the loops that wait for dozens of
     * in-memory conditions in a row, each met within milliseconds: the default waits 100 ms before its
     * first check.
     */
    private static ConditionFactory promptly() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /**
     * A node whose replay buffer is smaller than the running node's: each stream that outgrows it
     * (or has one event larger than it) is delivered through it, whether its client reads to the
     * end or leaves, and gives the node's place for it back; past 33 of them (more than it may
     * follow at once) it still serves another node's stream.
     */
    @Test
    void subscribe_streamsLargerThanThisNodesBuffer_deliveredThroughIt_andPastItsFollowLimitItStillServes()
            throws Exception {
        Relay a = node(store(redis)); // 8,192 events, 2 MiB
        Relay b = node(
                store(redis),
                x -> x.limits(RelayLimits.defaults().withReplay(16, 4096).withMaxStreams(32))
                        .resumeWindow(Duration.ofMillis(200)));
        for (int i = 0; i < 34; i++) {
            String id = start(a);
            int n = i;
            promptly().until(() -> sources.size() == n + 1);
            ScriptedSource src = sources.getLast();
            List<String> deltas = i == 0
                    ? List.of("a", "y".repeat(8192), "b") // one event twice the size of B's buffer
                    : Collections.nCopies(50, "x".repeat(400)); // 20 KB: five times B's buffer
            deltas.forEach(src::delta);
            src.end();
            String expected = String.join("", deltas);
            boolean leaves = i % 2 == 1;
            Follower onB = Follower.follow(CompletableFuture.supplyAsync(
                            () -> b.subscribe(id, null), r -> Thread.ofVirtual().start(r))
                    .get(5, TimeUnit.SECONDS));
            if (leaves) {
                promptly().atMost(Duration.ofSeconds(5)).until(() -> onB.got.size() >= 5);
                onB.leave();
            } else {
                promptly().atMost(Duration.ofSeconds(5)).until(() -> onB.outcome != null);
                assertEquals(expected, onB.text());
                assertInstanceOf(RelayEvent.Done.class, onB.last());
            }
            promptly()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !b.contains(id)); // B follows it no longer: its place is free
        }
        String another = start(a);
        await().until(() -> sources.size() == 35);
        sources.getLast().delta("still served");
        sources.getLast().end();
        Follower onB = Follower.follow(b.subscribe(another, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.outcome != null);
        assertEquals("still served", onB.text());
        assertEquals(oneTo(2), onB.ids());
    }

    @Test
    void cancel_onAnotherNode_closesTheUpstreamOnTheRunningNodeWithinASecond() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.enqueue(FakeResponse.answer()
                    .text("slow ".repeat(200).split("(?<= )"))
                    .paced(Duration.ZERO, Duration.ofMillis(20)));
            AnthropicClient client = AnthropicClient.builder()
                    .apiKey("test")
                    .baseUrl(fake.baseUrl().toString())
                    .build();
            closing.add(client);
            Relay a = Relay.builder()
                    .store(store(redis))
                    .provider("anthropic", client, "m")
                    .build();
            closing.add(a);
            Relay b = node(store(redis));
            String id = start(a);
            Follower onB = Follower.follow(b.subscribe(id, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.got.size() > 3);
            assertEquals(1, fake.activeRequests());

            assertTrue(b.cancel(id));
            long asked = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).until(() -> fake.activeRequests() == 0);
            await().atMost(Duration.ofSeconds(2)).until(() -> onB.outcome != null);
            assertInstanceOf(RelayEvent.Cancelled.class, onB.last());
            System.out.printf(
                    "cancel across nodes: upstream closed %.1f ms after the DELETE%n",
                    (System.nanoTime() - asked) / 1e6);
        }
    }

    /** {@return the source of stream {@code id}, running on {@code a}, once it asks approval of call_1 and a client on {@code a} has the request} */
    private ScriptedSource askedOnA(Relay a, String id, String arguments) {
        await().until(() -> sources.size() == 1);
        ScriptedSource src = sources.getFirst();
        Follower onA = Follower.follow(a.subscribe(id, null));
        src.ask("call_1", "delete_file", arguments);
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 1);
        return src;
    }

    @Test
    void approve_onAnotherNode_reachesTheRunningNodeThroughTheStore_onceOnly() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String id = start(a);
        ScriptedSource src = askedOnA(a, id, "{\"path\":\"/tmp/x\"}");

        assertEquals(Relay.Approval.NO_SUCH_STREAM, b.approve("nosuchstream", "call_1", true, null));
        assertEquals(Relay.Approval.NO_SUCH_CALL, b.approve(id, "call_2", true, null));
        assertEquals(
                Relay.Approval.DECIDED,
                await().atMost(Duration.ofSeconds(5))
                        .until(
                                () -> b.approve(id, "call_1", false, "not that file"),
                                r -> r != Relay.Approval.NO_SUCH_CALL));
        await().atMost(Duration.ofSeconds(1)).until(() -> src.decisions.containsKey("call_1"));
        assertEquals("false not that file", src.decisions.get("call_1"));
        assertEquals(
                Relay.Approval.ALREADY_DECIDED, b.approve(id, "call_1", true, null), "a second decision on any node");
        assertEquals(Relay.Approval.ALREADY_DECIDED, a.approve(id, "call_1", true, null));

        src.end();
        Follower fromStartOnB = Follower.follow(b.subscribe(id, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> fromStartOnB.outcome != null);
        assertEquals(
                new RelayEvent.ToolApproval("call_1", "delete_file", "{\"path\":\"/tmp/x\"}"),
                fromStartOnB.got.get(0).event());
        assertEquals(
                new RelayEvent.ToolApprovalDecided("call_1", false, "not that file"),
                fromStartOnB.got.get(1).event());
        assertEquals(Relay.Approval.ALREADY_DECIDED, b.approve(id, "call_1", true, null), "the stream has ended");
    }

    @Test
    void approve_onTheRunningNodeFirst_theOtherNodesDecisionIsRefused() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String id = start(a);
        ScriptedSource src = askedOnA(a, id, "{}");
        assertEquals(Relay.Approval.DECIDED, a.approve(id, "call_1", true, null));
        assertEquals(Relay.Approval.ALREADY_DECIDED, b.approve(id, "call_1", false, null));
        assertEquals("true null", src.decisions.get("call_1"));
        src.end();
    }

    /** A tool's question (an MCP task's input) asked on {@code a}: its answer, given on {@code b}, reaches it once per question. */
    @Test
    void answer_onAnotherNode_reachesTheRunningNodeOncePerQuestion_andNotAfterTheToolEnded() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String id = start(a);
        await().until(() -> sources.size() == 1);
        ScriptedSource src = sources.getFirst();
        Follower onA = Follower.follow(a.subscribe(id, null));
        src.question("call_1", "research", "Which file?");
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 1);

        assertEquals(Relay.Approval.NO_SUCH_CALL, b.answer(id, "call_2", Map.of("path", "/tmp/x")));
        assertEquals(
                Relay.Approval.DECIDED,
                await().atMost(Duration.ofSeconds(5))
                        .until(
                                () -> b.answer(id, "call_1", Map.of("path", "/tmp/x")),
                                r -> r != Relay.Approval.NO_SUCH_CALL));
        await().atMost(Duration.ofSeconds(1)).until(() -> src.decisions.containsKey("call_1"));
        assertEquals("answer {path=/tmp/x}", src.decisions.remove("call_1"));
        assertEquals(
                Relay.Approval.ALREADY_DECIDED,
                b.answer(id, "call_1", Map.of("path", "/tmp/y")),
                "a second answer of the question on any node");
        assertEquals(Relay.Approval.ALREADY_DECIDED, a.answer(id, "call_1", Map.of("path", "/tmp/y")));

        src.question("call_1", "research", "And which line?"); // the same call asks again: a new question
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 2);
        assertEquals(
                Relay.Approval.DECIDED,
                await().atMost(Duration.ofSeconds(5))
                        .until(
                                () -> b.answer(id, "call_1", Map.of("path", "12")),
                                r -> r != Relay.Approval.ALREADY_DECIDED));
        await().atMost(Duration.ofSeconds(1)).until(() -> src.decisions.containsKey("call_1"));
        assertEquals("answer {path=12}", src.decisions.get("call_1"));

        src.question("call_1", "research", "Sure?");
        src.done("call_1", "ended without it");
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 4);
        assertEquals(
                Relay.Approval.ALREADY_DECIDED,
                b.answer(id, "call_1", Map.of("path", "late")),
                "the tool ended: its question is no longer asked");
        assertEquals(Relay.Approval.ALREADY_DECIDED, a.answer(id, "call_1", Map.of("path", "late")));
        src.end();
    }

    /**
     * A frontend protocol's answer names its question (the tool_input event's id): on either node,
     * an answer to a question the call has asked again since is refused, one to an event that asked
     * nothing is no question, and a question declined so is declined.
     */
    @Test
    void answerOfOneQuestion_onEitherNode_onlyWhileItIsTheCallsOpenQuestion() {
        Relay a = node(store(redis));
        Relay b = node(store(redis));
        String id = start(a);
        await().until(() -> sources.size() == 1);
        ScriptedSource src = sources.getFirst();
        Follower onA = Follower.follow(a.subscribe(id, null));
        src.delta("Let me look. ");
        src.question("call_1", "research", "Which file?");
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 2);
        long first = onA.lastId();
        src.question("call_1", "research", "Which file, really?"); // asked again before anyone answered
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 3);
        long second = onA.lastId();

        for (Relay node : List.of(a, b)) {
            assertEquals(
                    Relay.Approval.ALREADY_DECIDED,
                    await().atMost(Duration.ofSeconds(5))
                            .until(
                                    () -> node.answer(id, "call_1", first, Map.of("path", "x")),
                                    r -> r != Relay.Approval.NO_SUCH_CALL), // b: once the store has the question
                    "the call asked again since");
            assertEquals(
                    Relay.Approval.NO_SUCH_CALL,
                    node.answer(id, "call_1", first - 1, Map.of("path", "x")),
                    "the delta asked nothing");
            assertEquals(Relay.Approval.NO_SUCH_CALL, node.answer(id, "call_2", second, Map.of("path", "x")));
        }
        assertEquals(Map.of(), src.decisions);
        assertEquals(
                Relay.Approval.DECIDED,
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> b.answer(id, "call_1", second, null), r -> r != Relay.Approval.NO_SUCH_CALL));
        await().atMost(Duration.ofSeconds(1)).until(() -> src.decisions.containsKey("call_1"));
        assertEquals("false null", src.decisions.get("call_1"), "declined");
        assertEquals(Relay.Approval.ALREADY_DECIDED, a.answer(id, "call_1", second, Map.of("path", "y")));
        src.end();
    }

    @Test
    void upstreamErrorWithTheKeyAsTypeAndAddressesInItsMessage_redisHoldsNeither() {
        String key = "sk-live-9f8e7d6c5b4a3210SECRET";
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            String address = "http://127.0.0.1:" + fake.port() + "/secret/path";
            fake.enqueue(FakeResponse.sse(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"" + key
                            + "\",\"message\":\"the key " + key.toUpperCase()
                            + " was refused at " + address + "\"}}\n\n"));
            AnthropicClient client = AnthropicClient.builder()
                    .apiKey(key)
                    .baseUrl(fake.baseUrl().toString())
                    .build();
            closing.add(client);
            Relay a = Relay.builder()
                    .store(store(redis))
                    .provider("anthropic", client, "m")
                    .build();
            closing.add(a);
            String id = start(a);
            Follower f = Follower.follow(a.subscribe(id, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> f.outcome != null);
            RelayEvent.Error e = assertInstanceOf(RelayEvent.Error.class, f.last());
            assertEquals("upstream_error", e.errorType());
            assertEquals("the key [redacted] was refused at [address]", e.message());

            try (UnifiedJedis jedis = redis.client()) {
                String stream = keys().stream(id);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> jedis.xrange(stream, "-", "+").toString().contains("upstream_error"));
                String stored = jedis.xrange(stream, "-", "+").toString();
                for (String hidden : List.of(key, key.toUpperCase(), "127.0.0.1", address)) {
                    assertFalse(stored.contains(hidden), hidden + " in " + stored);
                }
            }
        }
    }

    @Test
    void runningNodeLost_followerOnAnotherNode_getsNodeLostAfterEveryStoredEvent() {
        RedisRelayStore storeA = store(redis);
        Relay a = node(storeA);
        Relay b = node(store(redis));
        String id = start(a);
        await().until(() -> sources.size() == 1);
        Follower onB = Follower.follow(b.subscribe(id, null));
        for (int i = 0; i < 5; i++) sources.getFirst().delta("w" + i + " ");
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.got.size() == 5);

        storeA.close(); // node A stops: no more writes, its liveness key lapses (1 s)
        long lost = System.nanoTime();
        await().atMost(Duration.ofSeconds(4)).until(() -> onB.outcome != null);
        System.out.printf("lost node known after %.0f ms%n", (System.nanoTime() - lost) / 1e6);
        assertEquals("w0 w1 w2 w3 w4 ", onB.text());
        assertEquals(oneTo(6), onB.ids());
        RelayEvent.Error e = assertInstanceOf(RelayEvent.Error.class, onB.last());
        assertEquals("node_lost", e.errorType());
        a.close();
    }

    /**
     * A stream's task handles are kept with it and read on every node; once its node is lost, of
     * two nodes that take it over at once exactly one does, and from then the stream runs there (its
     * record names that node, the handles live on with it); a live node's stream is never taken.
     */
    @Test
    void takeOver_lostNodesStreamWithTaskHandles_exactlyOneOfTwoNodesTakesIt() throws Exception {
        RedisRelayStore lost = store(redis);
        RedisRelayStore b = store(redis);
        RedisRelayStore c = store(redis);
        Duration ttl = Duration.ofSeconds(100);
        String id = lost.place("tk0AbCdEfGhIjKlMnOpQrS");
        lost.register(id, ttl);
        String handle = "{\"tool\":\"migrate\",\"task\":\"t-1\"}";
        lost.putTask(id, "call-1", handle);
        assertEquals(Map.of("call-1", handle), b.tasks(id));
        assertEquals(Map.of(), b.tasks("tk0NoSuchStreamHereAtAll"));
        assertThrows(IllegalArgumentException.class, () -> b.putTask(id, "call-2", handle), "not b's stream");
        assertFalse(b.takeOver(id, ttl), "its node is alive");

        lost.close(); // its liveness lapses (1 s)
        await().atMost(Duration.ofSeconds(4)).until(() -> !b.running(id));
        CompletableFuture<Boolean> byB = CompletableFuture.supplyAsync(() -> b.takeOver(id, ttl));
        CompletableFuture<Boolean> byC = CompletableFuture.supplyAsync(() -> c.takeOver(id, ttl));
        assertTrue(byB.get(5, TimeUnit.SECONDS) ^ byC.get(5, TimeUnit.SECONDS), "exactly one takes it over");
        RedisRelayStore winner = byB.get() ? b : c;
        assertTrue(c.running(id) && b.running(id), "it runs again, on the winner");
        assertFalse(b.takeOver(id, ttl) || c.takeOver(id, ttl), "taken once");
        winner.putTask(id, "call-2", handle); // the winner's stream now
        assertEquals(2, b.tasks(id).size());
    }

    @Test
    void redisGoesAway_runningStreamsKeepServing_newStreamsRefused_thenRecovers() throws Exception {
        try (RedisUnderTest own = own()) {
            Relay a = node(store(own), x -> x.heartbeat(Duration.ofMillis(200)));
            Relay b = node(store(own));
            String id = start(a);
            await().until(() -> sources.size() == 1);
            ScriptedSource src = sources.getFirst();
            Follower onA = Follower.follow(a.subscribe(id, null));
            src.delta("before ");
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 1);

            own.kill();
            src.delta("during ");
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.got.size() == 2); // the node's own client goes on
            RelayException refused = assertThrows(RelayException.class, () -> start(a));
            assertEquals(RelayException.Kind.UNAVAILABLE, refused.kind());
            assertFalse(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
            assertEquals(
                    RelayException.Kind.UNAVAILABLE,
                    assertThrows(RelayException.class, () -> b.subscribe(id, null))
                            .kind());

            own.startAgain(); // empty: what the stream had stored is gone with the old process
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> start(a) != null);
            src.delta("after");
            src.end();
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.outcome != null);
            assertEquals("before during after", onA.text());
            // the writer came back and stored the rest; a reader elsewhere sees it end
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                Follower f = Follower.follow(b.subscribe(id, "2"));
                await().atMost(Duration.ofSeconds(3)).until(() -> f.outcome != null);
                return f.text().equals("after") && f.last() instanceof RelayEvent.Done;
            });
        }
    }

    @Test
    void start_clusterWideLimit_countsEveryNodesStreams() {
        UnaryOperator<Relay.Builder> two = x -> x.limits(RelayLimits.defaults().withMaxStreams(2));
        Relay a = node(store(redis), two);
        Relay b = node(store(redis), two);
        start(a);
        start(b);
        assertEquals(
                RelayException.Kind.TOO_MANY_STREAMS,
                assertThrows(RelayException.class, () -> start(a)).kind());
        assertEquals(
                RelayException.Kind.TOO_MANY_STREAMS,
                assertThrows(RelayException.class, () -> start(b)).kind());
        await().until(() -> sources.size() == 2);
        sources.getFirst().end();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.activeStreams() + b.activeStreams() == 1);
        start(b);
    }

    @Test
    void acquire_perClientCounter_holdsAcrossNodes_andALostNodesPlacesLapse() {
        RedisRelayStore one = store(redis);
        RedisRelayStore two = store(redis);
        assertTrue(one.acquire("client:10.0.0.1", 2));
        assertTrue(two.acquire("client:10.0.0.1", 2));
        assertFalse(one.acquire("client:10.0.0.1", 2));
        assertTrue(two.acquire("client:10.0.0.2", 2));
        two.release("client:10.0.0.1");
        assertTrue(one.acquire("client:10.0.0.1", 2));
        one.close(); // its two places go with it once its liveness lapses (1 s; the deadline leaves a loaded
        // machine room)
        await().atMost(Duration.ofSeconds(10)).until(() -> two.acquire("client:10.0.0.1", 2));
        assertTrue(two.acquire("client:10.0.0.1", 2));
    }

    @Test
    void takeRate_countsEveryNodesUses_perCounter_untilTheWindowCloses() {
        List<RedisRelayStore> nodes = List.of(store(redis), store(redis), store(redis));
        Duration window = Duration.ofSeconds(2);
        for (int i = 0; i < 5; i++)
            assertEquals(Duration.ZERO, nodes.get(i % 3).takeRate("creations:10.0.0.1", 5, window));
        for (RedisRelayStore node : nodes) { // the limit is reached on every node; a refusal is not counted
            Duration wait = node.takeRate("creations:10.0.0.1", 5, window);
            assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(window) <= 0, wait.toString());
        }
        assertEquals(
                Duration.ZERO, nodes.get(1).takeRate("creations:10.0.0.2", 5, window)); // another address counts apart
        // the window closes 2 s after the first use; the deadline leaves a loaded machine room (a CI run
        // on two busy cores once missed a 3 s one), the refusals above show it does not close early
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        nodes.get(2).takeRate("creations:10.0.0.1", 5, window).isZero());
        for (int i = 0; i < 4; i++)
            assertEquals(Duration.ZERO, nodes.get(i % 3).takeRate("creations:10.0.0.1", 5, window));
        assertFalse(nodes.getFirst().takeRate("creations:10.0.0.1", 5, window).isZero());
    }

    @Test
    void takeRate_manyNodesAtOnce_neverCountsPastTheLimit() throws Exception {
        List<RedisRelayStore> nodes = List.of(store(redis), store(redis), store(redis));
        AtomicInteger taken = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            RedisRelayStore node = nodes.get(t % 3);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10; i++)
                    if (node.takeRate("creations:10.0.0.3", 100, Duration.ofMinutes(1))
                            .isZero()) taken.incrementAndGet();
            }));
        }
        for (Thread t : threads) t.join();
        assertEquals(100, taken.get());
    }

    @Test
    void append_manyBatches_theStreamAndItsRecordExpire_alsoAfterRedisRestartedEmpty() throws Exception {
        try (RedisUnderTest own = own();
                UnifiedJedis jedis = own.client()) {
            RedisRelayStore s = store(own);
            String x = "xyzStream";
            Duration ttl = Duration.ofSeconds(100);
            s.register(x, ttl);
            for (int i = 1; i <= 50; i++) assertEquals(i, s.append(x, i, List.of("e" + i), 1, ttl));
            assertTrue(jedis.pttl(keys().stream(x)) > 90_000, "the stream expires");
            assertTrue(jedis.pttl(keys().record(x)) > 90_000, "its record expires");
            s.append(x, 51, List.of("done"), 1, Duration.ofSeconds(5)); // ended: the retention, sooner
            assertTrue(jedis.pttl(keys().stream(x)) <= 5_000);
            assertEquals(51, s.append(x, 50, List.of("e50"), 1, ttl), "what it holds is stored once");
            assertEquals(51, jedis.xlen(keys().stream(x)));

            own.kill();
            own.startAgain(); // empty
            // events it must keep are gone: it says what it holds, and stores nothing after the hole
            assertEquals(
                    0L,
                    await().atMost(Duration.ofSeconds(10))
                            .ignoreExceptions()
                            .until(() -> s.append(x, 52, List.of("e52"), 1, Duration.ofSeconds(5)), n -> true));
            try (UnifiedJedis again = own.client()) {
                assertFalse(again.exists(keys().stream(x)));
                // the writer has the events from 51 on: those it writes again are all the store must keep
                assertEquals(52, s.append(x, 51, List.of("done", "e52"), 51, Duration.ofSeconds(5)));
                long left = again.pttl(keys().stream(x));
                assertTrue(left > 0 && left <= 5_000, "the stream written again expires: " + left);
            }
        }
    }

    @Test
    void putChat_foundOnEveryNode_anotherOwnerRefused_theOwnersNextStreamReplaces_removedOnlyByTheStreamItNames() {
        RedisRelayStore a = store(redis);
        RedisRelayStore b = store(redis);
        Duration ttl = Duration.ofSeconds(100);
        a.register("s1", ttl);
        a.register("s2", ttl);
        b.register("s3", ttl);
        assertTrue(a.putChat("chat-0001", "hash-of-ada", "s1"));
        assertEquals(Optional.of(new ChatRecord("hash-of-ada", "s1")), b.chat("chat-0001"));
        assertFalse(b.putChat("chat-0001", "hash-of-eve", "s3"), "another owner's stream runs the chat");
        assertEquals(Optional.of(new ChatRecord("hash-of-ada", "s1")), a.chat("chat-0001"));
        assertTrue(b.putChat("chat-0001", "hash-of-ada", "s3"), "the owner's next stream, on another node");
        a.removeChat("chat-0001", "s1"); // the earlier stream ended: the newer one stays
        assertEquals(Optional.of(new ChatRecord("hash-of-ada", "s3")), a.chat("chat-0001"));
        b.removeChat("chat-0001", "s3");
        assertEquals(Optional.empty(), a.chat("chat-0001"));
        assertTrue(a.putChat("chat-0001", "hash-of-eve", "s2"), "a chat that runs nothing is free");
        assertThrows(IllegalArgumentException.class, () -> a.putChat("chat-0002", "hash-of-eve", "not-this-nodes"));
    }

    @Test
    void putChat_theRecordLivesAsItsStreams_extendedByAppend_writtenAgainAfterRedisRestartedEmpty() throws Exception {
        try (RedisUnderTest own = own();
                UnifiedJedis jedis = own.client()) {
            RedisRelayStore s = store(own);
            String x = "xyzStream";
            String chat = keys().chat("chat-0001");
            s.register(x, Duration.ofSeconds(100));
            assertTrue(s.putChat("chat-0001", "hash-of-ada", x));
            long left = jedis.pttl(chat);
            assertTrue(left > 90_000 && left <= 100_000, "the stream's record's life: " + left);
            s.append(x, 1, List.of("done"), 1, Duration.ofSeconds(5)); // ended: the retention, sooner
            assertTrue(jedis.pttl(chat) <= 5_000);
            s.append(x, 2, List.of("e2"), 1, Duration.ofSeconds(200));
            assertTrue(jedis.pttl(chat) > 190_000, "extended with the stream");

            own.kill();
            own.startAgain(); // empty
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> s.chat("chat-0001").isPresent());
            assertEquals(Optional.of(new ChatRecord("hash-of-ada", x)), s.chat("chat-0001"));
            try (UnifiedJedis again = own.client()) {
                long rewritten = again.pttl(chat);
                assertTrue(
                        rewritten > 0 && rewritten <= 200_000,
                        "written again with what is left of the stream's life: " + rewritten);
            }
        }
    }

    /**
     * A stream's task handles (and its run's checkpoint, under the key "") are written again after
     * Redis restarted empty, with what is left of the stream's life, as its record is; a handle
     * given while Redis was away is written then too, so another node can still take the stream over.
     */
    @Test
    void putTask_handlesWrittenAgainAfterRedisRestartedEmpty_alsoOneGivenWhileItWasAway() throws Exception {
        try (RedisUnderTest own = own()) {
            RedisRelayStore s = store(own);
            RedisRelayStore other = store(own);
            String id = s.place("tk1AbCdEfGhIjKlMnOpQrS");
            s.register(id, Duration.ofSeconds(100));
            String handle = "{\"tool\":\"migrate\",\"task\":\"t-1\"}";
            s.putTask(id, "call-1", handle);
            s.putTask(id, "", "{\"turn\":1}");

            own.kill();
            assertEquals(
                    RelayException.Kind.UNAVAILABLE,
                    assertThrows(RelayException.class, () -> s.putTask(id, "call-2", handle))
                            .kind());
            own.startAgain(); // empty
            Map<String, String> all = Map.of("call-1", handle, "", "{\"turn\":1}", "call-2", handle);
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> other.tasks(id).equals(all));
            try (UnifiedJedis again = own.client()) {
                long left = again.pttl(keys().tasks(id));
                assertTrue(left > 0 && left <= 100_000, "with what is left of the stream's life: " + left);
            }
        }
    }

    @Test
    void takeRate_whileRedisIsAway_unavailable() throws Exception {
        try (RedisUnderTest own = own()) {
            RedisRelayStore s = store(own);
            assertEquals(Duration.ZERO, s.takeRate("creations:10.0.0.1", 1, Duration.ofMinutes(1)));
            own.kill();
            assertEquals(
                    RelayException.Kind.UNAVAILABLE,
                    assertThrows(RelayException.class, () -> s.takeRate("creations:10.0.0.1", 1, Duration.ofMinutes(1)))
                            .kind());
        }
    }

    @Test
    void resumeWindow_followersOnAnotherNode_holdTheStream_thenItIsCancelledWhenTheyLeave() {
        UnaryOperator<Relay.Builder> quick =
                x -> x.attachTimeout(Duration.ofSeconds(1)).resumeWindow(Duration.ofSeconds(1));
        Relay a = node(store(redis), quick);
        Relay b = node(store(redis), quick);
        String id = start(a);
        Follower onB = Follower.follow(b.subscribe(id, null));
        await().until(() -> sources.size() == 1);
        // past the attach timeout and the resume window, the stream runs: a client reads it on B
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> a.activeStreams() == 1);
        onB.leave();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> sources.getFirst().cancelled.getCount() == 0);
        await().atMost(Duration.ofSeconds(1)).until(() -> a.activeStreams() == 0);
    }

    @Test
    void builder_urlWithPassword_neverShowsIt() {
        RedisRelayStore s =
                RedisRelayStore.builder("redis://alice:s3cret-pw@127.0.0.1:1/2").build();
        closing.add(s);
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertTrue(s.toString().contains("127.0.0.1:1/2"), s.toString());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RedisRelayStore.builder("http://alice:s3cret-pw@host:1"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        RelayException down = assertThrows(RelayException.class, s::ping);
        assertFalse(down.getMessage().contains("s3cret"), down.getMessage());
    }
}
