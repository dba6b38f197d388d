package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.redis.RedisRelayStore;
import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.relay.redis.server.RedisUnderTest;
import dev.sluice.server.suite.NodeClients;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.server.suite.TestTools;
import dev.sluice.server.suite.ThreadCensus;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/**
 * Three {@code serve} nodes (Jetty, in this JVM) on one real Redis, as behind a round-robin
 * proxy: a stream created on one is read, resumed, cancelled and counted on the others, with the
 * JDK's stock HTTP client over loopback. {@link ServeOnClusterTest} runs them all again on a Redis
 * Cluster.
 */
@Timeout(
        value = 90,
        threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a read that never ends fails its test, not the build's time
class ServeOnManyNodesTest {
    static final String OCEAN = "{\"prompt\":\"Tell me about the ocean\"}";
    /** The prompt the model answers with a word every 20 ms, for 30 s ({@link #slowStream}): each test deletes it long before its end. */
    static final String SLOW = "{\"prompt\":\"Write slowly\"}";
    /** Keys of this run's own: counters of one run do not meet another's on a reused Redis. */
    static final String PREFIX = "serve-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":";

    /** The Redis the nodes share: one {@code redis-server} here, a cluster in {@link ServeOnClusterTest}. */
    static RedisUnderTest redis;

    static FakeLlmServer fake;
    static AnthropicClient anthropic;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.builder()
                .tokensPerSecond(400)
                .firstTokenDelay(Duration.ofMillis(20))
                .start();
        fake.setDispatcher(r -> r.body().contains("Write slowly")
                ? FakeResponse.answer()
                        .text("slow ".repeat(1500).split("(?<= )"))
                        .paced(Duration.ZERO, Duration.ofMillis(20))
                : FakeResponse.answerPrompt());
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
    }

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    /** {@return a Redis of the test's own, of the same kind, to kill and start again} */
    RedisUnderTest own() throws Exception {
        return RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        anthropic.close();
        fake.close();
        redis.close();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    URI node(RedisUnderTest on, int maxStreamsPerClient) {
        return node(on, b -> b.maxStreamsPerClient(maxStreamsPerClient));
    }

    URI node(RedisUnderTest on, UnaryOperator<RelayAdmission.Builder> limits) {
        return node(on, r -> r, limits);
    }

    URI node(RedisUnderTest on, UnaryOperator<Relay.Builder> settings, UnaryOperator<RelayAdmission.Builder> limits) {
        return serve(on, r -> settings.apply(r.provider("anthropic", anthropic, "claude-sonnet-4-5")), limits);
    }

    /** {@return a node whose relay on the store is the one {@code relay} makes of the builder (its sources, its settings)} */
    URI serve(RedisUnderTest on, UnaryOperator<Relay.Builder> relayOf, UnaryOperator<RelayAdmission.Builder> limits) {
        RedisRelayStore store = RedisRelayStore.builder(on.url())
                .prefix(PREFIX)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(store);
        Relay relay = relayOf.apply(Relay.builder().store(store)).build();
        ServeServer server =
                ServeServer.start(limits.apply(RelayAdmission.builder(relay)).build(), "127.0.0.1", 0);
        closing.add(server);
        return server.uri();
    }

    private static String expected(String prompt) {
        return anthropic
                .chat(ChatRequest.builder()
                        .model("claude-sonnet-4-5")
                        .maxTokens(4096)
                        .addMessage(ChatMessage.user(prompt))
                        .build())
                .text();
    }

    /**
     * {@return a stream started on a node whose model writes a word every 20 ms, for 30 s} The model
     * answers its prompt so ({@link #start()}'s dispatcher) rather than take an enqueued answer: a
     * closed node's stream whose upstream request was still on its way ({@code Relay.close} cancels
     * and does not wait) may reach the shared model in the next test and take that test's enqueued
     * answer, leaving the test's own stream the short default answer, ended before it is cancelled.
     */
    static String slowStream(URI on) throws Exception {
        return SseTestClient.create(on, SLOW);
    }

    /**
     * The model holds its answer after ten words until C has the client, so that B reads part of
     * it whatever the machine's load (at the fake's pace the whole answer took 0.1 s: on a busy
     * machine it had ended before B read, B read it whole, and C was resumed after {@code done}).
     */
    @Test
    void events_resumedOnAnotherNodeWithLastEventId_theExactTextWithIdsWithoutGapOrRepeat() throws Exception {
        URI a = node(redis, 8);
        URI b = node(redis, 8);
        URI c = node(redis, 8);
        String answer = expected("Tell me about the ocean");
        CountDownLatch resume = new CountDownLatch(1);
        closing.add(resume::countDown); // a failure here leaves no paused upstream to the next test
        fake.enqueue(FakeResponse.answer().text(answer.split("(?<= )")).pauseAfter(10, resume));
        String id = SseTestClient.create(a, OCEAN);
        String last;
        String before;
        try (SseTestClient first = SseTestClient.open(b, id, null)) { // read partly on B
            first.readUntil(e -> e.size() >= 6, Long.MAX_VALUE);
            last = first.events.getLast().lastEventId();
            before = SseTestClient.text(first.events);
        }
        try (SseTestClient rest = SseTestClient.open(c, id, last)) { // the reconnect lands on C
            assertEquals(200, rest.response.statusCode());
            resume.countDown();
            rest.readAll();
            assertEquals(answer, before + SseTestClient.text(rest.events));
            long from = Long.parseLong(last) + 1;
            assertEquals(
                    LongStream.range(from, from + rest.events.size()).boxed().toList(), rest.ids());
            assertEquals("done", rest.types().getLast());
        }
    }

    @Test
    void chat_resumedOnAnotherNode_theOwnersWholeAnswer_anotherClientThereGets204And409_noSecretInRedis()
            throws Exception {
        URI a = node(redis, 8);
        URI b = node(redis, 8);
        fake.enqueue(FakeResponse.answer()
                .text("slow ".repeat(100).split("(?<= )"))
                .paced(Duration.ZERO, Duration.ofMillis(20)));
        String chatId = "chat-" + System.nanoTime();
        String cookie;
        try (SseTestClient owner = SseTestClient.chat(a, chatId, "Tell me a story", null)) { // started on A
            assertEquals(200, owner.response.statusCode());
            cookie = owner.cookie();
            owner.readUntil(e -> !SseTestClient.uiText(e).isEmpty(), Long.MAX_VALUE);
        } // the page reloads; the reload lands on B
        HttpResponse<String> stranger = SseTestClient.HTTP.send(
                HttpRequest.newBuilder(b.resolve("/api/chat/" + chatId + "/stream"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, stranger.statusCode(), stranger.body());
        try (SseTestClient replace = SseTestClient.chat(b, chatId, "mine now", null)) {
            assertEquals(409, replace.response.statusCode());
            assertTrue(replace.body().startsWith("{\"error\":{\"type\":\"chat_in_use\""));
        }
        try (SseTestClient resumed = SseTestClient.resumeChat(b, chatId, cookie)) {
            assertEquals(200, resumed.response.statusCode());
            resumed.readAll();
            assertEquals("slow ".repeat(100), SseTestClient.uiText(resumed.events));
        }
        String secret = cookie.substring(cookie.indexOf('=') + 1);
        try (UnifiedJedis jedis = redis.client()) {
            for (String key : redis.keys(PREFIX + "*")) {
                assertFalse(key.contains(secret), key);
                if (jedis.type(key).equals("string")) assertFalse(jedis.get(key).contains(secret), key);
            }
        }
    }

    /**
     * Tool approval with the real clients ({@code approval-nodes.mjs}) on two nodes whose tool
     * runners ask approval of {@code deploy}: an AG-UI run on A ends with the interrupt, and the
     * same agent's resume posted to B decides it and gets the rest of the run; a chat started and
     * answered on A and reloaded on B gets its whole answer past the decided approval while the
     * tool still runs (and, reloaded on B before the answer, ends at the pending approval). Each
     * approved call ran once, on A.
     */
    @Test
    void approval_resumedAndReloadedOnAnotherNode_theRestOfTheRunArrives_theToolRanOnce() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        closing.add(released::countDown);
        Queue<String> deployed = new ConcurrentLinkedQueue<>();
        UnaryOperator<Relay.Builder> runner = r -> r.source(
                "anthropic",
                "claude-sonnet-4-5",
                RelaySource.toolRunner(ToolRunner.builder(anthropic)
                        .tool(TestTools.deploy(deployed, released))
                        .tool(TestTools.release(released))
                        .approval(ApprovalPolicy.tools("deploy"))
                        .maxTurns(3)
                        .build()));
        URI a = serve(redis, runner, h -> h);
        URI b = serve(redis, runner, h -> h);
        NodeClients.Run run = NodeClients.run(
                "approval-nodes.mjs",
                60,
                a.toString(),
                b.toString(),
                "call deploy with {\"env\":\"CASE\"}",
                "call release with {}");
        Map<String, Map<?, ?>> cases = run.cases();

        Map<?, ?> agUi = cases.get("ag-ui-nodes");
        assertTrue(agUi != null, run.stdout() + run.stderr());
        Map<?, ?> first = (Map<?, ?>) agUi.get("first");
        Map<?, ?> finished = (Map<?, ?>) ((List<?>) first.get("events")).getLast();
        assertEquals("interrupt", ((Map<?, ?>) finished.get("outcome")).get("type"), first.toString());
        Map<?, ?> second = (Map<?, ?>) agUi.get("second");
        assertEquals(null, second.get("error"), second.toString());
        List<?> events = (List<?>) second.get("events");
        Map<?, ?> result = events.stream()
                .map(e -> (Map<?, ?>) e)
                .filter(e -> "TOOL_CALL_RESULT".equals(e.get("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals("deployed to ag-ui-nodes", result.get("content"));
        assertEquals(Map.of("type", "success"), ((Map<?, ?>) events.getLast()).get("outcome"));

        Map<?, ?> chat = cases.get("ui-reload");
        assertTrue(chat != null, run.stdout() + run.stderr());
        Map<?, ?> pending = (Map<?, ?>) chat.get("pendingReload");
        assertEquals(
                "approval-requested",
                toolPart(((List<?>) pending.get("messages")).getLast()).get("state"),
                pending.toString());
        assertEquals("streaming", chat.get("statusBeforeRelease"), "the reload on B follows the running tool");
        assertEquals("ready", chat.get("status"), chat.toString());
        Map<?, ?> call = toolPart(((List<?>) chat.get("messages")).getLast());
        assertEquals("output-available", call.get("state"), call.toString());
        assertEquals("deployed to ui-reload", call.get("output"));

        assertEquals(
                List.of("ag-ui-nodes", "ui-reload"),
                deployed.stream().sorted().toList(),
                "each approved call ran once");
    }

    private static Map<?, ?> toolPart(Object message) {
        return ((List<?>) ((Map<?, ?>) message).get("parts"))
                .stream()
                        .map(p -> (Map<?, ?>) p)
                        .filter(p -> "tool-deploy".equals(p.get("type")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(message.toString()));
    }

    @Test
    void delete_onAnotherNode_stopsTheUpstreamWhereItRuns() throws Exception {
        URI a = node(redis, 8);
        URI b = node(redis, 8);
        String id = slowStream(a);
        try (SseTestClient onB = SseTestClient.open(b, id, null)) {
            onB.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
            // a stream of the test before may still be ending its upstream (on failure: how many were active)
            await().atMost(Duration.ofSeconds(5)).until(fake::activeRequests, equalTo(1));
            assertEquals(204, SseTestClient.delete(b, id).statusCode());
            await().atMost(Duration.ofSeconds(1)).until(() -> fake.activeRequests() == 0);
            onB.readAll();
            assertEquals("cancelled", onB.types().getLast());
        }
    }

    @Test
    void post_perClientLimit_holdsAcrossNodes() throws Exception {
        URI a = node(redis, 1);
        URI b = node(redis, 1);
        String id = slowStream(a);
        HttpResponse<String> second = SseTestClient.post(b, "application/json", OCEAN);
        assertEquals(429, second.statusCode(), second.body());
        assertTrue(second.body().contains("too_many_streams"), second.body());
        assertEquals(204, SseTestClient.delete(b, id).statusCode());
        await().atMost(Duration.ofSeconds(3))
                .until(() -> SseTestClient.post(b, "application/json", OCEAN).statusCode() == 201);
    }

    @Test
    void post_creationRate_holdsSummedOverNodes_perClientAddress() throws Exception {
        UnaryOperator<RelayAdmission.Builder> fourPerMinute =
                b -> b.maxCreationsPerMinute(4).maxStreamsPerClient(50);
        List<URI> nodes = List.of(node(redis, fourPerMinute), node(redis, fourPerMinute), node(redis, fourPerMinute));
        for (int i = 0; i < 4; i++)
            SseTestClient.create(nodes.get(i % 3), "{\"prompt\":\"hi\"}"); // 2 on the first node, 1 on each other
        for (URI node : nodes) { // the fifth is refused wherever it lands; a refusal does not count
            HttpResponse<String> refused = SseTestClient.post(node, "application/json", "{\"prompt\":\"hi\"}");
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("{\"error\":{\"type\":\"too_many_creations\""), refused.body());
            long retryAfter =
                    Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        }
        // another client address (127.0.0.2, on loopback too) has its own four
        try (HttpClient other = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = other.send(
                        HttpRequest.newBuilder(nodes.get(i % 3).resolve("/api/streams"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(i < 4 ? 201 : 429, r.statusCode(), "creation " + (i + 1) + " from 127.0.0.2: " + r.body());
            }
        }
    }

    @Test
    void nodeKilled_followerOnAnotherNode_getsEveryStoredEventThenNodeLost() throws Exception {
        try (RedisUnderTest own = own()) {
            Process a = serveProcess(own.url());
            try {
                URI onA = URI.create(listening(a, new CopyOnWriteArrayList<>()));
                RedisRelayStore storeB = RedisRelayStore.builder(own.url()).build(); // serve's key prefix
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
                SseTestClient follower = SseTestClient.open(b.uri(), id, null);
                closing.add(follower);
                follower.readUntil(
                        e -> e.stream().filter(x -> x.type().equals("delta")).count() >= 5, Long.MAX_VALUE);

                a.destroyForcibly(); // SIGKILL, mid-stream: no goodbye to Redis
                long killed = System.nanoTime();
                assertTrue(a.waitFor(10, TimeUnit.SECONDS));
                long[] ended = new long[1];
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        follower.readAll();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    ended[0] = System.nanoTime();
                });
                // the stated bound: serve's node liveness (3 s) plus two seconds
                await().atMost(Duration.ofSeconds(5)).until(() -> !reader.isAlive());
                System.out.printf(
                        "node killed: its follower elsewhere got node_lost %.0f ms later%n", (ended[0] - killed) / 1e6);

                List<String> stored = storedEvents(own, id);
                long n = stored.size();
                assertTrue(
                        n >= 5 && !String.join("", stored).contains("\"k\":\"Done\""),
                        "killed mid-stream: " + stored.size());
                assertEquals(
                        LongStream.rangeClosed(1, n + 1).boxed().toList(),
                        follower.ids(),
                        "every stored event, then one more");
                List<String> types = follower.types();
                assertEquals(
                        types.subList(0, (int) n),
                        stored.stream().map(ServeOnManyNodesTest::storedType).toList());
                assertEquals("error", types.getLast());
                assertTrue(
                        follower.events.getLast().data().contains("\"node_lost\""),
                        follower.events.getLast().data());
            } finally {
                a.destroyForcibly().waitFor();
            }
        }
    }

    /** {@return {@code sluice serve --store URL} in a process of its own, with the embedded fake model at 20 tokens/s} */
    static Process serveProcess(String storeUrl, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Sluice",
                "serve",
                "--port",
                "0",
                "--store",
                storeUrl));
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment()
                .keySet()
                .removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("SLUICE_"));
        pb.environment().put("SLUICE_FAKE_TOKENS_PER_SECOND", "20");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** {@return the URL {@code serve} prints once it listens; the lines before it go to {@code before}, the others are drained} */
    static String listening(Process p, List<String> before) throws Exception {
        return listening(p, before, new ArrayList<>());
    }

    /** {@return as {@link #listening(Process, List)}, every line also going to {@code all}, the node's log} */
    static String listening(Process p, List<String> before, List<String> all) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try (BufferedReader err = new BufferedReader(
                                    new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = err.readLine()) != null; ) {
                                    all.add(line);
                                    if (!url.isDone()) before.add(line);
                                    if (line.startsWith("sluice serve: http://"))
                                        url.complete(line.substring("sluice serve: ".length())
                                                .strip());
                                }
                            } catch (IOException e) {
                                // the process ended
                            }
                            url.completeExceptionally(new AssertionError("sluice serve ended before it listened"));
                        });
        return url.get(60, TimeUnit.SECONDS);
    }

    /** {@return the events of a stream that serve's store keeps (key prefix {@code sluice:}), oldest first} */
    static List<String> storedEvents(RedisUnderTest on, String id) {
        List<String> keys = on.keys("sluice:*s:" + id);
        assertEquals(1, keys.size(), "the stream's events: " + keys);
        try (UnifiedJedis jedis = on.client()) {
            return jedis.xrange(keys.getFirst(), (StreamEntryID) null, (StreamEntryID) null).stream()
                    .map(e -> e.getFields().get("e"))
                    .toList();
        }
    }

    /** {@return the SSE event type of a stored event: its record's name, as {@code delta} for {@code Delta}} */
    private static String storedType(String stored) {
        String kind = ((java.util.Map<?, ?>) PartialJson.parse(stored).value())
                .get("k")
                .toString();
        return kind.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + kind.substring(1);
    }

    @Test
    void redisStoppedAndRestarted_midStream_followersServed_new503_recovers_noThreadOrBufferLeft() throws Exception {
        try (RedisUnderTest own = own()) {
            URI a = node(
                    own,
                    r -> r.limits(RelayLimits.defaults().withReplay(256, 512 * 1024)),
                    h -> h.maxStreamsPerClient(50));
            URI b = node(own, h -> h.maxStreamsPerClient(50));
            // pools, carriers and clients exist before the census; on a cluster, A's streams are placed on each
            // master in turn, and A reads the commands to those of each with a reader of its own
            for (int i = 0; i < 3; i++) {
                String warm = SseTestClient.create(a, OCEAN);
                try (SseTestClient onB = SseTestClient.open(b, warm, null);
                        SseTestClient onA = SseTestClient.open(a, warm, null)) {
                    onB.readAll();
                    onA.readAll();
                }
            }
            ThreadCensus before = quiet();
            long heapBefore = heapAfterGc();

            CountDownLatch resume = new CountDownLatch(1);
            closing.add(resume::countDown); // a failure here leaves no paused upstream to the next test
            List<String> words = new ArrayList<>();
            for (int i = 0; i < 15; i++) words.add((i < 10 ? "a" : "b") + i + " ");
            fake.enqueue(
                    FakeResponse.answer().text(words.toArray(String[]::new)).pauseAfter(10, resume));
            String steady = SseTestClient.create(a, OCEAN);
            CountDownLatch burst = new CountDownLatch(1);
            closing.add(burst::countDown);
            int bulkDeltas = 400;
            fake.enqueue(FakeResponse.answer()
                    .text(Collections.nCopies(bulkDeltas, "x".repeat(64 * 1024)).toArray(String[]::new))
                    .pauseAfter(1, burst));
            String bulk = SseTestClient.create(a, OCEAN);
            SseTestClient onA = SseTestClient.open(a, steady, null);
            SseTestClient onB = SseTestClient.open(b, steady, null);
            closing.add(onA);
            closing.add(onB);
            onA.readUntil(e -> e.stream().filter(x -> x.type().equals("delta")).count() == 10, Long.MAX_VALUE);
            onB.readUntil(e -> e.stream().filter(x -> x.type().equals("delta")).count() == 10, Long.MAX_VALUE);

            own.kill();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> refused = SseTestClient.post(a, "application/json", OCEAN);
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().startsWith("{\"error\":{\"type\":\"unavailable\""), refused.body());
            }
            HttpResponse<String> notHere = SseTestClient.HTTP.send(
                    HttpRequest.newBuilder(b.resolve("/api/streams/" + bulk + "/events"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, notHere.statusCode(), notHere.body());
            // 26 MB through node A while Redis is away: its client gets all of it, and A holds no more than its replay
            // buffer
            burst.countDown();
            assertEquals(bulkDeltas * 64L * 1024, drainDeltas(a, bulk));
            // the client reads `done` as the pump pushes it; the pump lets go of its upstream (the whole
            // 26 MB answer) a moment later, as it returns
            long[] grown = new long[1];
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        grown[0] = heapAfterGc() - heapBefore;
                        return grown[0] < 12_000_000;
                    });
            System.out.printf("heap after 26 MB relayed with Redis away: %+.1f MB%n", grown[0] / 1e6);

            own.startAgain(); // empty: the records of A's streams are gone until A writes them again
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            SseTestClient.post(a, "application/json", OCEAN).statusCode() == 201);
            // what left A's buffer while Redis was away is lost to other nodes: B's clients are told so
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                HttpResponse<String> r = SseTestClient.HTTP.send(
                        HttpRequest.newBuilder(b.resolve("/api/streams/" + bulk + "/events"))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.body().contains("replay_unavailable");
            });
            long[] bEnded = new long[1];
            Thread readerB = Thread.ofVirtual().start(() -> {
                try {
                    onB.readAll();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                bEnded[0] = System.nanoTime();
            });
            // the stream is silent past B's liveness checks: B's follower holds on (A is not taken for lost)
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(readerB::isAlive);
            resume.countDown();
            onA.readAll();
            await().atMost(Duration.ofSeconds(5)).until(() -> !readerB.isAlive());
            String text = String.join("", words);
            assertEquals(text, SseTestClient.text(onA.events));
            assertEquals(text, SseTestClient.text(onB.events));
            assertEquals("done", onB.types().getLast());
            assertEquals(LongStream.rangeClosed(1, onB.events.size()).boxed().toList(), onB.ids());
            onA.close();
            onB.close();

            // every thread the outage, the refusals and the streams started has ended; the JDK's HTTP
            // client and the servers' pools may keep a thread or two more (a leak per request would be 20)
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ThreadCensus.take().relay(), equalTo(before.relay()));
            ThreadCensus after = ThreadCensus.take();
            System.out.println("threads before: " + before + "\nthreads after:  " + after);
            assertTrue(
                    after.platform().size() <= before.platform().size() + 4, "before: " + before + "\nafter: " + after);
            assertTrue(
                    after.virtual().size() <= before.virtual().size() + 4, "before: " + before + "\nafter: " + after);
        }
    }

    /** {@return the threads once no stream's thread runs any more} */
    private static ThreadCensus quiet() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ThreadCensus.take().relay().keySet().stream().noneMatch(k -> k.endsWith("-*")));
        // a store's reader of streams its node no longer follows ends after its read's block (a second): two
        // censuses alike a block and a half apart
        AtomicReference<Map<String, Integer>> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1_500))
                .until(() -> ThreadCensus.take()
                        .relay()
                        .equals(last.getAndSet(ThreadCensus.take().relay())));
        return ThreadCensus.take();
    }

    private static long heapAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage()
                .getUsed();
    }

    /** {@return how many characters of delta text a stream's events carry, read to {@code done} without keeping them} */
    private static long drainDeltas(URI node, String id) throws Exception {
        HttpResponse<java.io.InputStream> r = SseTestClient.HTTP.send(
                HttpRequest.newBuilder(node.resolve("/api/streams/" + id + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long[] chars = new long[1];
        String[] last = new String[1];
        dev.sluice.sse.SseParser parser = new dev.sluice.sse.SseParser(
                dev.sluice.sse.SseLimits.defaults().withMaxLineBytes(1 << 20).withMaxEventBytes(1 << 20),
                new dev.sluice.sse.SseListener() {
                    @Override
                    public void onEvent(dev.sluice.sse.SseEvent event) {
                        last[0] = event.type();
                        if (event.type().equals("delta"))
                            chars[0] += event.data().length() - "{\"text\":\"\"}".length();
                    }
                },
                true);
        try (java.io.InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) parser.feed(buf, 0, n);
        }
        parser.finish();
        assertEquals("done", last[0]);
        return chars[0];
    }

    @Test
    void healthz_whileRedisIsAway_503_thenOkAgain() throws Exception {
        try (RedisUnderTest own = own()) {
            URI a = node(own, 8);
            assertEquals(200, health(a).statusCode());
            own.kill();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> health(a).statusCode() == 503); // a check's answer lasts a second
            HttpResponse<String> down = health(a);
            assertEquals("{\"status\":\"unavailable\",\"store\":\"unreachable\"}", down.body());
            assertFalse(down.body().contains("127.0.0.1"), down.body());
            own.startAgain();
            await().atMost(Duration.ofSeconds(20)).until(() -> health(a).statusCode() == 200);
        }
    }

    private static HttpResponse<String> health(URI node) throws Exception {
        return SseTestClient.HTTP.send(
                HttpRequest.newBuilder(node.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_whileRedisIsAway_503WithAJsonError_thenRecovers() throws Exception {
        try (RedisUnderTest own = own()) {
            URI a = node(own, 8);
            own.kill();
            HttpResponse<String> refused = SseTestClient.post(a, "application/json", OCEAN);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("{\"error\":{\"type\":\"unavailable\""), refused.body());
            assertFalse(refused.body().contains("127.0.0.1"), refused.body());
            own.startAgain();
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            SseTestClient.post(a, "application/json", OCEAN).statusCode() == 201);
        }
    }
}
