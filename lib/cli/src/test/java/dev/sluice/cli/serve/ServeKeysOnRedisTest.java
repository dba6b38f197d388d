package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.redis.RedisRelayStore;
import dev.sluice.relay.redis.server.RedisServer;
import dev.sluice.relay.redis.server.RedisUnderTest;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Minted keys on two {@code serve} nodes (Jetty, in this JVM) sharing one real Redis: one budget
 * for both under 64 concurrent streams, a key minted on one node used and revoked on the other, and
 * keys with their counts kept when a node restarts.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeKeysOnRedisTest {
    private static final String TOKEN = "keys-on-redis-token-0123456789";
    private static final String PREFIX = "keys-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, CountDownLatch> PACED = new ConcurrentHashMap<>();
    private static final Pattern ID = Pattern.compile("\"id\":\"(key_[A-Za-z0-9]+)\"");
    private static final Pattern SECRET = Pattern.compile("\"key\":\"(sk-sluice-[A-Za-z0-9]+)\"");

    private static RedisUnderTest redis;
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        fake = FakeLlmServer.builder().start();
        fake.setDispatcher(r -> {
            for (Map.Entry<String, CountDownLatch> paced : PACED.entrySet()) {
                if (r.body().contains(paced.getKey()))
                    return FakeResponse.answer()
                            .text("First words, ", "then the rest.")
                            .usage(10, 490)
                            .pauseAfter(1, paced.getValue());
            }
            return FakeResponse.answer().text("Hello", " there.").usage(5, 2);
        });
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
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

    /** {@return a node's server: its own store on the shared Redis, the gateway, the token, keys in Redis} */
    private ServeServer node() {
        RedisRelayStore store = RedisRelayStore.builder(redis.url())
                .prefix(PREFIX)
                .nodeTtl(Duration.ofSeconds(1))
                .build();
        closing.add(store);
        Relay relay = Relay.builder()
                .store(store)
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .build();
        RelayAdmission admission =
                RelayAdmission.builder(relay).maxStreamsPerClient(200).build();
        ServeServer server = ServeServer.builder(admission)
                .gateway(GatewayHttp.builder(admission)
                        .provider("anthropic", anthropic)
                        .build())
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .keys(store.apiKeys())
                .start();
        closing.add(server);
        return server;
    }

    @Test
    void twoNodes_64ConcurrentStreams_oneBudgetOverrunAtMostOneRequestsMaxTokens_secondKeyUnaffected()
            throws Exception {
        URI a = node().uri();
        URI b = node().uri();
        String[] key = mint(a, "{\"name\":\"shared\",\"max_tokens_total\":10000}");
        String[] other = mint(b, "{\"name\":\"bystander\",\"max_tokens_total\":10000}");
        CountDownLatch resume = new CountDownLatch(1);
        PACED.put("flood on two nodes", resume);
        String body = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"stream\":true,\"max_tokens\":500,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"flood on two nodes\"}]}";
        List<CompletableFuture<HttpResponse<InputStream>>> all = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++)
                all.add(HTTP.sendAsync(
                        request(i % 2 == 0 ? a : b, "POST", "/v1/chat/completions", body, key[1]),
                        HttpResponse.BodyHandlers.ofInputStream()));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            resume.countDown();
            PACED.remove("flood on two nodes");
        }
        int admitted = 0;
        for (CompletableFuture<HttpResponse<InputStream>> f : all) {
            try (InputStream in = f.get().body()) {
                in.readAllBytes();
            }
            if (f.get().statusCode() == 200) admitted++;
            else assertEquals(429, f.get().statusCode());
        }
        assertTrue(admitted > 0 && admitted < 64, admitted + " admitted");
        await().atMost(Duration.ofSeconds(20)).until(() -> account(b, key[0]).contains("\"reserved_tokens\":0"));
        long used = used(b, key[0]);
        assertTrue(used >= 9_000 && used <= 10_000 + 500, "the key used " + used + " of its 10,000 tokens");
        assertEquals(200, chat(b, other[1]).statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> used(a, other[0]) == 7);
    }

    @Test
    void restart_keepsKeysAndCounts_revokedOnOneNodeRefusedOnAnother() throws Exception {
        ServeServer first = node();
        String[] key = mint(first.uri(), "{\"name\":\"kept\"}");
        assertEquals(200, chat(first.uri(), key[1]).statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> used(first.uri(), key[0]) == 7);
        first.close();

        URI again = node().uri();
        assertEquals(7, used(again, key[0]));
        assertEquals(200, chat(again, key[1]).statusCode());
        URI other = node().uri();
        assertEquals(204, admin(other, "DELETE", "/v1/keys/" + key[0], null).statusCode());
        assertEquals(401, chat(again, key[1]).statusCode());
    }

    private static long used(URI on, String id) throws Exception {
        Matcher m = Pattern.compile("\"used_tokens\":(\\d+)").matcher(account(on, id));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static String account(URI on, String id) throws Exception {
        String list = admin(on, "GET", "/v1/keys", null).body();
        int at = list.indexOf("\"id\":\"" + id + "\"");
        assertTrue(at >= 0, list);
        return list.substring(at, list.indexOf('}', at) + 1);
    }

    private static String[] mint(URI on, String json) throws Exception {
        HttpResponse<String> r = admin(on, "POST", "/v1/keys", json);
        assertEquals(201, r.statusCode(), r.body());
        return new String[] {group(ID, r.body()), group(SECRET, r.body())};
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    private static HttpResponse<String> chat(URI on, String key) throws Exception {
        return HTTP.send(
                request(
                        on,
                        "POST",
                        "/v1/chat/completions",
                        "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        key),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(URI on, String method, String path, String body) throws Exception {
        return HTTP.send(request(on, method, path, body, TOKEN), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI on, String method, String path, String body, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(on.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + credential)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return b.build();
    }
}
