package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.ApiKey;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.KeyAccount;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Minted keys on the gateway of a real {@link RelayServer}: minted, listed and revoked with the
 * token; each held to its models, its rate and its budget on every door, in each door's shape; and
 * the budget held under concurrency by its reservation, which a check-then-spend ledger does not.
 */
class GatewayKeysTest {
    private static final String TOKEN = "keys-admin-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Prompts the fake answers with one delta, then holds until the latch opens. */
    private static final Map<String, CountDownLatch> PACED = new ConcurrentHashMap<>();

    private static final Queue<String> ACCESS_LOG = new ConcurrentLinkedQueue<>();
    private static final Queue<StreamStart> STARTS = new ConcurrentLinkedQueue<>();
    private static final Pattern ID = Pattern.compile("\"id\":\"(key_[A-Za-z0-9]+)\"");
    private static final Pattern SECRET = Pattern.compile("\"key\":\"(sk-sluice-[A-Za-z0-9]+)\"");

    private static FakeLlmServer fake;
    private static List<AutoCloseable> clients;
    private static RelayServer server;
    /** The same gateway over a ledger that checks the budget, then spends, with no reservation. */
    private static RelayServer checkThenSpend;
    /** The same gateway over a store that counts its lookups of a key ({@link ApiKeyStore#find}). */
    private static RelayServer counted;

    /**
     * The same gateway over a store that keeps each key it found (as Redis's does for a few seconds), whose keys a
     * test revokes underneath it, as another node does.
     */
    private static RelayServer remembering;

    private static final KeepsFound KEEPS_FOUND = new KeepsFound();

    private static final LongAdder FINDS = new LongAdder();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().start();
        fake.setDispatcher(GatewayKeysTest::answer);
        String url = fake.baseUrl().toString();
        AnthropicClient anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .observer(GatewayKeysTest::started)
                .build();
        OpenAiClient openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .observer(GatewayKeysTest::started)
                .build();
        clients = List.of(anthropic, openai);
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini")
                .limits(RelayLimits.defaults())
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(200)
                .accessLog(ACCESS_LOG::add)
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .build();
        server = RelayServer.builder(http)
                .gateway(gateway)
                .token(TOKEN)
                .keys(ApiKeyStore.inMemory())
                .start();
        checkThenSpend = RelayServer.builder(http)
                .gateway(gateway)
                .token(TOKEN)
                .keys(new CheckThenSpend())
                .start();
        counted = RelayServer.builder(http)
                .gateway(gateway)
                .token(TOKEN)
                .keys(new CountingFinds())
                .start();
        remembering = RelayServer.builder(http)
                .gateway(gateway)
                .token(TOKEN)
                .keys(KEEPS_FOUND)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        checkThenSpend.close();
        counted.close();
        remembering.close();
        for (AutoCloseable c : clients) c.close();
        fake.close();
    }

    /** Records what the upstream clients' observers see of a stream's start (its model and caller). */
    private static StreamObserver.Observation started(StreamStart start) {
        STARTS.add(start);
        return StreamObserver.Observation.NONE;
    }

    private static FakeResponse answer(RecordedRequest request) {
        for (Map.Entry<String, CountDownLatch> paced : PACED.entrySet()) {
            if (request.body().contains(paced.getKey()))
                return FakeResponse.answer()
                        .text("First words, ", "then the rest.")
                        .usage(10, 490)
                        .pauseAfter(1, paced.getValue());
        }
        if (request.body().contains("read from the cache") && request.path().startsWith("/v1/messages"))
            return FakeResponse.sse(CLAUDE_CACHED);
        return FakeResponse.answer().text("Hello", " there.").usage(5, 2);
    }

    /** An Anthropic stream whose prompt was mostly read from the prompt cache (21 + 100 read + 20 written, 2 out). */
    private static final String CLAUDE_CACHED = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01C","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":20,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Cached."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void keys_mintedListedRevoked_shownOnceThenRefused() throws Exception {
        HttpResponse<String> minted =
                admin(server, "POST", "/v1/keys", "{\"name\":\"ci bot\",\"max_tokens_total\":100000}");
        assertEquals(201, minted.statusCode(), minted.body());
        String id = group(ID, minted.body());
        String secret = group(SECRET, minted.body());

        HttpResponse<String> answered = chat(server, secret, "openai/gpt-4o-mini", false, "hello");
        assertEquals(200, answered.statusCode(), answered.body());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin(server, "GET", "/v1/keys", null).body().contains("\"used_tokens\":7"));
        HttpResponse<String> listed = admin(server, "GET", "/v1/keys", null);
        assertTrue(listed.body().contains("\"id\":\"" + id + "\""), listed.body());
        assertTrue(listed.body().contains("\"requests\":1"), listed.body());
        assertFalse(listed.body().contains(secret), "the secret is shown once: " + listed.body());
        assertFalse(listed.body().contains("sk-sluice-"), listed.body());

        // a key beside another credential is refused, not taken for the other's spare
        HttpResponse<String> two = send(
                server,
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization",
                "Bearer " + TOKEN,
                "x-api-key",
                secret);
        assertEquals(401, two.statusCode(), two.body());

        // the token alone manages keys
        HttpResponse<String> byKey =
                send(server, "POST", "/v1/keys", "{\"name\":\"x\"}", "Authorization", "Bearer " + secret);
        assertEquals(403, byKey.statusCode(), byKey.body());

        assertEquals(204, admin(server, "DELETE", "/v1/keys/" + id, null).statusCode());
        HttpResponse<String> refused = chat(server, secret, "openai/gpt-4o-mini", false, "hello");
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"authentication_error\""), refused.body());
        assertEquals(404, admin(server, "DELETE", "/v1/keys/" + id, null).statusCode());
        assertFalse(admin(server, "GET", "/v1/keys", null).body().contains(id));
    }

    @Test
    void mint_badMembers_400NamingTheMember() throws Exception {
        for (String[] bad : new String[][] {
            {"{}", "name"},
            {"{\"name\":\"a\",\"models\":[\"nowhere/model\"]}", "models"},
            {"{\"name\":\"a\",\"max_tokens_total\":-5}", "max_tokens_total"},
            {"{\"name\":\"a\",\"expires_at\":\"yesterday\"}", "expires_at"},
            {"{\"name\":\"a\",\"expires_at\":1000}", "expires_at"}
        }) {
            HttpResponse<String> r = admin(server, "POST", "/v1/keys", bad[0]);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains(bad[1]), r.body());
        }
    }

    @Test
    void key_expiresAt_refusedOnceExpired() throws Exception {
        long soon = Instant.now().getEpochSecond() + 2;
        String secret = mint("{\"name\":\"brief\",\"expires_at\":" + soon + "}")[1];
        assertEquals(
                200, chat(server, secret, "openai/gpt-4o-mini", false, "hello").statusCode());
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> chat(server, secret, "openai/gpt-4o-mini", false, "hello")
                                .statusCode()
                        == 401);
    }

    @Test
    void models_outsideTheKeys_404InEachDoorsShape_andModelsListsItsOwn() throws Exception {
        String secret = mint("{\"name\":\"claude only\",\"models\":[\"anthropic/claude-sonnet-4-5\"]}")[1];
        HttpResponse<String> models = send(server, "GET", "/v1/models", null, "Authorization", "Bearer " + secret);
        assertEquals(200, models.statusCode(), models.body());
        assertTrue(models.body().contains("anthropic/claude-sonnet-4-5"), models.body());
        assertFalse(models.body().contains("openai/"), models.body());

        assertEquals(
                200,
                chat(server, secret, "anthropic/claude-sonnet-4-5", false, "hello")
                        .statusCode());
        HttpResponse<String> chat = chat(server, secret, "openai/gpt-4o-mini", false, "hello");
        assertEquals(404, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("\"code\":\"model_not_found\""), chat.body());
        assertTrue(chat.body().contains("your key may use anthropic/claude-sonnet-4-5"), chat.body());
        HttpResponse<String> messages = messages(server, secret, "openai/gpt-4o-mini", "hello");
        assertEquals(404, messages.statusCode(), messages.body());
        assertTrue(
                messages.body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\""),
                messages.body());
        // a bare id resolves, then is held to the key's models
        assertEquals(404, chat(server, secret, "gpt-4o-mini", false, "hello").statusCode());
    }

    @Test
    void budget_spent_429InEachDoorsShape() throws Exception {
        String secret = mint("{\"name\":\"tiny\",\"max_tokens_total\":1}")[1];
        assertEquals(
                200, chat(server, secret, "openai/gpt-4o-mini", false, "hello").statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> chat(server, secret, "openai/gpt-4o-mini", false, "hello")
                                .statusCode()
                        == 429);

        HttpResponse<String> chat = chat(server, secret, "openai/gpt-4o-mini", true, "hello");
        assertEquals(429, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("\"type\":\"insufficient_quota\""), chat.body());
        assertTrue(chat.body().contains("\"code\":\"insufficient_quota\""), chat.body());
        HttpResponse<String> responses = post(
                server,
                "/v1/responses",
                "{\"model\":\"openai-responses/gpt-5-mini\",\"input\":\"hello\",\"stream\":true}",
                secret);
        assertEquals(429, responses.statusCode(), responses.body());
        assertTrue(responses.body().contains("\"code\":\"insufficient_quota\""), responses.body());
        HttpResponse<String> messages = messages(server, secret, "anthropic/claude-sonnet-4-5", "hello");
        assertEquals(429, messages.statusCode(), messages.body());
        assertTrue(
                messages.body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\""),
                messages.body());
        // a spent budget does not come back on a retry: the clients' SDKs are told not to try again
        for (HttpResponse<String> r : List.of(chat, responses, messages))
            assertEquals(
                    Optional.of("false"),
                    r.headers().firstValue("x-should-retry"),
                    r.uri().getPath());
    }

    @Test
    void responsesWebSocket_mintedKey_heldToItsModelsAndBudgetOnEveryResponse_revokedRefused401() throws Exception {
        String[] key = mint("{\"name\":\"codex\",\"models\":[\"anthropic/claude-sonnet-4-5\"],\"max_tokens_total\":1}");
        TextFrames frames = new TextFrames();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + key[1])
                .buildAsync(ws(server), frames)
                .join();
        // a model outside the key's: an error frame 404 model_not_found, the socket going on
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai-responses/gpt-5-mini\",\"input\":\"hi\"}",
                        true)
                .join();
        String outside = frames.next();
        assertTrue(outside.startsWith("{\"type\":\"error\",\"status\":404,"), outside);
        assertTrue(outside.contains("\"code\":\"model_not_found\""), outside);
        // its model answered, and its usage spends the budget
        String create = "{\"type\":\"response.create\",\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":\"hi\"}";
        socket.sendText(create, true).join();
        String last;
        do last = frames.next();
        while (!last.contains("\"type\":\"response.completed\""));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> account(server, key[0]).contains("\"used_tokens\":7,"));
        // past its budget: an error frame 429 in the Responses door's shape
        socket.sendText(create, true).join();
        String spent = frames.next();
        assertTrue(spent.startsWith("{\"type\":\"error\",\"status\":429,"), spent);
        assertTrue(spent.contains("\"type\":\"insufficient_quota\""), spent);
        assertTrue(spent.contains("\"code\":\"insufficient_quota\""), spent);
        // revoked while its socket is open: the next response refused 401, not taken for a spent budget
        assertEquals(204, admin(server, "DELETE", "/v1/keys/" + key[0], null).statusCode());
        socket.sendText(create, true).join();
        String revoked = frames.next();
        assertTrue(revoked.startsWith("{\"type\":\"error\",\"status\":401,"), revoked);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        // revoked: the upgrade refused before any socket
        CompletionException refused = assertThrows(
                CompletionException.class,
                () -> HTTP.newWebSocketBuilder()
                        .header("Authorization", "Bearer " + key[1])
                        .buildAsync(ws(server), new TextFrames())
                        .join());
        assertEquals(
                401,
                assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                        .getResponse()
                        .statusCode());
    }

    private static URI ws(RelayServer on) {
        return URI.create("ws://127.0.0.1:" + on.port() + "/v1/responses");
    }

    /** The guard's lookup of the key is the one its route uses: with a shared store, one round trip a request, not two. */
    @Test
    void key_eachDoorsRequest_lookedUpOnce() throws Exception {
        String secret = mint(counted, "{\"name\":\"once\",\"max_tokens_total\":1000000}")[1];
        long before = FINDS.sum();
        assertEquals(
                200, chat(counted, secret, "openai/gpt-4o-mini", true, "hello").statusCode());
        assertEquals(1, FINDS.sum() - before);
        assertEquals(
                200, chat(counted, secret, "openai/gpt-4o-mini", false, "hello").statusCode());
        assertEquals(2, FINDS.sum() - before);
        HttpResponse<String> messages = messages(counted, secret, "anthropic/claude-sonnet-4-5", "hello");
        assertEquals(200, messages.statusCode(), messages.body());
        assertEquals(3, FINDS.sum() - before);
        HttpResponse<String> relay =
                post(counted, "/api/streams", "{\"prompt\":\"hello\",\"provider\":\"anthropic\"}", secret);
        assertEquals(201, relay.statusCode(), relay.body());
        assertEquals(4, FINDS.sum() - before);
    }

    @Test
    void keyRevokedElsewhere_storeStillFindsIt_refused401ByItsReservation_notUpstream() throws Exception {
        String[] minted = mint(remembering, "{\"name\":\"elsewhere\",\"max_tokens_total\":1000000}");
        String secret = minted[1];
        assertEquals(
                200,
                chat(remembering, secret, "openai/gpt-4o-mini", false, "hello").statusCode());
        assertTrue(KEEPS_FOUND.kept.revoke(minted[0]), "revoked underneath the store, as by another node");
        long starts = STARTS.size();

        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> refused = chat(remembering, secret, "openai/gpt-4o-mini", stream, "hello");
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("was revoked"), refused.body());
            assertEquals(Optional.of("Bearer"), refused.headers().firstValue("WWW-Authenticate"));
        }
        HttpResponse<String> messages = messages(remembering, secret, "anthropic/claude-sonnet-4-5", "hello");
        assertEquals(401, messages.statusCode(), messages.body());
        assertTrue(messages.body().contains("\"authentication_error\""), messages.body());
        assertEquals(starts, STARTS.size(), "nothing went upstream");

        // a budget spent is still told from a revoked key
        String spent = mint(remembering, "{\"name\":\"spent\",\"max_tokens_total\":1}")[1];
        assertEquals(
                200,
                chat(remembering, spent, "openai/gpt-4o-mini", false, "hello").statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> chat(remembering, spent, "openai/gpt-4o-mini", false, "hello")
                                .statusCode()
                        == 429);
    }

    @Test
    void rate_pastRequestsPerMinute_429WithRetryAfter() throws Exception {
        String secret = mint("{\"name\":\"slow\",\"max_requests_per_minute\":1}")[1];
        assertEquals(
                200, chat(server, secret, "openai/gpt-4o-mini", false, "hello").statusCode());
        HttpResponse<String> chat = chat(server, secret, "openai/gpt-4o-mini", false, "hello");
        assertEquals(429, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("\"code\":\"rate_limit_exceeded\""), chat.body());
        assertTrue(
                chat.headers().firstValue("retry-after").isPresent(),
                chat.headers().toString());
        HttpResponse<String> messages = messages(server, secret, "anthropic/claude-sonnet-4-5", "hello");
        assertEquals(429, messages.statusCode(), messages.body());
        assertTrue(messages.body().contains("\"type\":\"rate_limit_error\""), messages.body());
    }

    @Test
    void relayRoutes_keyStartsStreamsOfItsModelsWithinItsBudget_refusedPastIt() throws Exception {
        String[] key =
                mint("{\"name\":\"page user\",\"models\":[\"anthropic/claude-sonnet-4-5\"],\"max_tokens_total\":1}");
        HttpResponse<String> started =
                post(server, "/api/streams", "{\"prompt\":\"hello\",\"provider\":\"anthropic\"}", key[1]);
        assertEquals(201, started.statusCode(), started.body());
        HttpResponse<String> other =
                post(server, "/api/streams", "{\"prompt\":\"hello\",\"provider\":\"openai\"}", key[1]);
        assertEquals(404, other.statusCode(), other.body());
        assertTrue(other.body().startsWith("{\"error\":{\"type\":\"model_not_found\""), other.body());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> account(server, key[0]).contains("\"used_tokens\":7,"));
        HttpResponse<String> spent =
                post(server, "/api/streams", "{\"prompt\":\"hello\",\"provider\":\"anthropic\"}", key[1]);
        assertEquals(429, spent.statusCode(), spent.body());
        assertTrue(spent.body().contains("\"insufficient_quota\""), spent.body());
        HttpResponse<String> unknown =
                post(server, "/api/streams", "{\"prompt\":\"hello\"}", "sk-sluice-" + "x".repeat(40));
        assertEquals(401, unknown.statusCode(), unknown.body());
    }

    @Test
    void page_openedWithAKey_setsItsCookie_pageAndApiTakeIt() throws Exception {
        String[] key = mint("{\"name\":\"browser\"}");
        HttpResponse<String> opened = send(server, "GET", "/?token=" + key[1], null);
        assertEquals(303, opened.statusCode(), opened.body());
        String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("sluice-token-" + server.port() + "=" + key[1] + ";"), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        String carried = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, send(server, "GET", "/", null, "Cookie", carried).statusCode());
        assertEquals(
                201,
                send(server, "POST", "/api/streams", "{\"prompt\":\"hello\"}", "Cookie", carried)
                        .statusCode());
        assertEquals(
                401,
                send(server, "GET", "/?token=sk-sluice-" + "y".repeat(40), null).statusCode());
        assertEquals(401, send(server, "GET", "/", null).statusCode());
    }

    @Test
    void accessLog_namesTheKeysId_neverTheKey() throws Exception {
        String[] key = mint("{\"name\":\"logged\"}");
        assertEquals(
                200, chat(server, key[1], "openai/gpt-4o-mini", false, "log me").statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ACCESS_LOG.stream().anyMatch(l -> l.contains("key=" + key[0])));
        assertTrue(ACCESS_LOG.stream().noneMatch(l -> l.contains(key[1])));
        assertTrue(ACCESS_LOG.stream().noneMatch(l -> l.contains("sk-sluice-")));
    }

    /**
     * The upstream client's observers (OpenTelemetry's spans and metrics, Micrometer's meters) are
     * told the key's id as the stream's caller, on a streamed and a whole answer, through the
     * Messages, Chat Completions and Responses doors; a request of the admin token has none.
     */
    @Test
    void observers_requestOfAKey_seeTheKeysIdAsCaller_theTokensNone() throws Exception {
        String[] key = mint("{\"name\":\"observed\"}");
        assertEquals(
                200,
                messages(server, key[1], "anthropic/claude-observed-1", "observe me")
                        .statusCode());
        assertEquals(
                200,
                chat(server, key[1], "openai/gpt-observed-2", false, "observe me")
                        .statusCode());
        assertEquals(
                200,
                chat(server, key[1], "openai/gpt-observed-3", true, "observe me")
                        .statusCode());
        HttpResponse<String> responses = post(
                server,
                "/v1/responses",
                "{\"model\":\"openai-responses/gpt-observed-4\",\"input\":\"observe me\"}",
                key[1]);
        assertEquals(200, responses.statusCode(), responses.body());
        assertEquals(
                200,
                chat(server, TOKEN, "openai/gpt-observed-5", true, "observe me").statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> caller("gpt-observed-5") != null);
        for (int i = 1; i <= 4; i++) {
            String model = (i == 1 ? "claude" : "gpt") + "-observed-" + i;
            assertEquals(key[0], caller(model), model);
        }
        assertEquals("", caller("gpt-observed-5"));
        assertTrue(STARTS.stream().noneMatch(s -> s.caller().startsWith("sk-sluice-")));
    }

    /** {@return the caller of the upstream stream of this model; null when none started} */
    private static String caller(String model) {
        return STARTS.stream()
                .filter(s -> s.model().equals(model))
                .map(StreamStart::caller)
                .findFirst()
                .orElse(null);
    }

    @Test
    void cachedInput_settledAsInputAndLogged() throws Exception {
        String[] key = mint("{\"name\":\"cached\",\"max_tokens_total\":100000}");
        HttpResponse<String> r = chat(server, key[1], "anthropic/claude-sonnet-4-5", false, "read from the cache");
        assertEquals(200, r.statusCode(), r.body());
        // 21 input + 100 read from the cache + 20 written to it + 2 output
        await().atMost(Duration.ofSeconds(10))
                .until(() -> account(server, key[0]).contains("\"used_tokens\":143,"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ACCESS_LOG.stream()
                        .anyMatch(l -> l.contains("key=" + key[0])
                                && l.contains("tokens_in=21 tokens_out=2 ")
                                && l.contains(" cache_read=100 cache_write=20")));
    }

    /**
     * 64 streamed requests at once on a 10,000-token key, each answered 500 tokens and held open
     * until all 64 have their status: the key's use stays within one request's {@code max_tokens} of
     * its budget, a second key is untouched. The same flood on a ledger that checks, then spends
     * (no reservation), overruns the budget several times over: the test tells the two apart.
     */
    @Test
    void budget_64ConcurrentStreams_overrunAtMostOneRequestsMaxTokens_secondKeyUnaffected() throws Exception {
        long used = flood(server, "flood-reserved");
        assertTrue(used >= 9_000 && used <= 10_000 + 500, "the key used " + used + " of its 10,000 tokens");

        long spentUnreserved = flood(checkThenSpend, "flood-unreserved");
        assertTrue(spentUnreserved > 10_000 + 500, "a check-then-spend ledger used " + spentUnreserved);
    }

    /** {@return the tokens a 10,000-token key used after 64 requests at once; checks that a second key stays whole} */
    private static long flood(RelayServer on, String prompt) throws Exception {
        String[] key = mint(on, "{\"name\":\"" + prompt + "\",\"max_tokens_total\":10000}");
        String[] other = mint(on, "{\"name\":\"" + prompt + " bystander\",\"max_tokens_total\":10000}");
        CountDownLatch resume = new CountDownLatch(1);
        PACED.put(prompt, resume);
        try {
            String body = "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"max_tokens\":500,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
            List<CompletableFuture<HttpResponse<java.io.InputStream>>> all = new ArrayList<>();
            for (int i = 0; i < 64; i++)
                all.add(HTTP.sendAsync(
                        request(on, "POST", "/v1/chat/completions", body, "Authorization", "Bearer " + key[1]),
                        HttpResponse.BodyHandlers.ofInputStream()));
            // every request has its status (its first delta, or its refusal) before any answer goes on
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            resume.countDown();
            int admitted = 0;
            for (CompletableFuture<HttpResponse<java.io.InputStream>> f : all) {
                HttpResponse<java.io.InputStream> r = f.get();
                try (java.io.InputStream in = r.body()) {
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.statusCode() == 200) admitted++;
                    else assertTrue(text.contains("insufficient_quota"), r.statusCode() + " " + text);
                }
            }
            assertTrue(admitted > 0);
        } finally {
            PACED.remove(prompt);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> account(on, key[0]).contains("\"reserved_tokens\":0"));
        assertEquals(
                200, chat(on, other[1], "openai/gpt-4o-mini", false, "hello").statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> account(on, other[0]).contains("\"used_tokens\":7,"));
        Matcher m = Pattern.compile("\"used_tokens\":(\\d+)").matcher(account(on, key[0]));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static String account(RelayServer on, String id) throws Exception {
        String list = admin(on, "GET", "/v1/keys", null).body();
        int at = list.indexOf("\"id\":\"" + id + "\"");
        assertTrue(at >= 0, list);
        return list.substring(at, list.indexOf('}', at) + 1);
    }

    private static String[] mint(String json) throws Exception {
        return mint(server, json);
    }

    /** {@return the id and the secret of a new key} */
    private static String[] mint(RelayServer on, String json) throws Exception {
        HttpResponse<String> r = admin(on, "POST", "/v1/keys", json);
        assertEquals(201, r.statusCode(), r.body());
        return new String[] {group(ID, r.body()), group(SECRET, r.body())};
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    private static HttpResponse<String> chat(RelayServer on, String key, String model, boolean stream, String prompt)
            throws Exception {
        return post(
                on,
                "/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + prompt + "\"}]}",
                key);
    }

    private static HttpResponse<String> messages(RelayServer on, String key, String model, String prompt)
            throws Exception {
        return send(
                on,
                "POST",
                "/v1/messages",
                "{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + prompt + "\"}]}",
                "x-api-key",
                key,
                "anthropic-version",
                "2023-06-01");
    }

    private static HttpResponse<String> post(RelayServer on, String path, String body, String key) throws Exception {
        return send(on, "POST", path, body, "Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> admin(RelayServer on, String method, String path, String body)
            throws Exception {
        return send(on, method, path, body, "Authorization", "Bearer " + TOKEN);
    }

    private static HttpResponse<String> send(RelayServer on, String method, String path, String body, String... headers)
            throws Exception {
        return HTTP.send(request(on, method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(RelayServer on, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b.build();
    }

    /** The in-memory store, every call passed on to it; a test's store overrides what it changes. */
    private abstract static class Forwarding implements ApiKeyStore {
        final ApiKeyStore kept = ApiKeyStore.inMemory();

        @Override
        public void add(ApiKey key, String secretHash) {
            kept.add(key, secretHash);
        }

        @Override
        public Optional<ApiKey> find(String secretHash) {
            return kept.find(secretHash);
        }

        @Override
        public List<KeyAccount> keys() {
            return kept.keys();
        }

        @Override
        public boolean revoke(String id) {
            return kept.revoke(id);
        }

        @Override
        public boolean reserve(ApiKey key, long tokens) {
            return kept.reserve(key, tokens);
        }

        @Override
        public void settle(ApiKey key, long reserved, long used) {
            kept.settle(key, reserved, used);
        }
    }

    /** The in-memory store, counting its lookups in {@link #FINDS}. */
    private static final class CountingFinds extends Forwarding {
        @Override
        public Optional<ApiKey> find(String secretHash) {
            FINDS.increment();
            return kept.find(secretHash);
        }
    }

    /**
     * The in-memory store behind a memory of each key it found, as Redis's store keeps them: a key revoked on
     * {@code kept} (another node) is still found, until a reservation finds it gone and forgets it.
     */
    private static final class KeepsFound extends Forwarding {
        private final Map<String, ApiKey> found = new ConcurrentHashMap<>();

        @Override
        public Optional<ApiKey> find(String secretHash) {
            ApiKey known = found.get(secretHash);
            if (known != null) return Optional.of(known);
            Optional<ApiKey> now = kept.find(secretHash);
            now.ifPresent(key -> found.put(secretHash, key));
            return now;
        }

        @Override
        public boolean reserve(ApiKey key, long tokens) {
            boolean granted = kept.reserve(key, tokens);
            if (!granted && kept.keys().stream().noneMatch(a -> a.key().id().equals(key.id())))
                found.values().removeIf(k -> k.id().equals(key.id()));
            return granted;
        }
    }

    /**
     * The ledger the reservation replaces: it checks the budget against what was spent, then lets
     * the request go, and charges it when it ends, so every request in flight passes the check.
     */
    private static final class CheckThenSpend extends Forwarding {
        @Override
        public boolean reserve(ApiKey key, long tokens) {
            KeyAccount a = kept.keys().stream()
                    .filter(k -> k.key().id().equals(key.id()))
                    .findFirst()
                    .orElse(null);
            if (a == null || a.usedTokens() >= key.maxTokensTotal()) return false;
            return kept.reserve(key, 1); // counts the request; holds nothing of the budget
        }

        @Override
        public void settle(ApiKey key, long reserved, long used) {
            kept.settle(key, 1, used);
        }
    }
}
