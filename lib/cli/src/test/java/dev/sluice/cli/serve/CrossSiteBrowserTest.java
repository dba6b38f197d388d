package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.Relay;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.testkit.FakeLlmServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 28 in a real headless Chromium: a page the operator visits on another
 * origin (a second loopback server) tries a no-cors {@code fetch} with a Blob and with
 * {@code text/plain}, a WebSocket and an {@code EventSource}; a page under a rebound DNS name
 * ({@code --host-resolver-rules}) tries the API as if it were the same origin. None may start a
 * stream: the fake server sees no request.
 */
class CrossSiteBrowserTest {
    private static final String JSON =
            "{\"prompt\":\"Tell me about the ocean\",\"system\":\"" + "x".repeat(300) + "\"}";
    private static final String REBOUND = "rebound.test";
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static ServeServer relay;
    private static HttpServer attacker;
    private static Chromium browser;
    private static String api;
    private long requestsBefore;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.builder().tokensPerSecond(200).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        relay = ServeServer.start(
                Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .build(),
                "127.0.0.1",
                0);
        api = "http://127.0.0.1:" + relay.port();
        // the other site: a page on another loopback origin, the operator's browser visiting it
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] page =
                    "<!doctype html><title>cute cats</title><p>nothing to see</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        browser = Chromium.start(
                List.of("--host-resolver-rules=MAP " + REBOUND + " 127.0.0.1", "--disable-features=HttpsUpgrades"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (attacker != null) attacker.stop(0);
        if (relay != null) relay.close();
        if (anthropic != null) anthropic.close();
        if (fake != null) fake.close();
    }

    @BeforeEach
    void count() {
        requestsBefore = fake.requestCount();
    }

    @AfterEach
    void nothingStarted() {
        assertEquals(0, relay.relay().activeStreams(), "no stream started");
        assertEquals(requestsBefore, fake.requestCount(), "the fake server saw no request");
    }

    private static void visitTheOtherSite() throws Exception {
        browser.navigate(URI.create("http://localhost:" + attacker.getAddress().getPort() + "/"));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("document.title").asText().equals("cute cats"));
    }

    /** {@return what the page's promise resolved to} */
    private static String run(String promise) throws Exception {
        return browser.eval(promise).asText();
    }

    @Test
    void otherSite_noCorsFetchWithABlob_startsNothing() throws Exception {
        visitTheOtherSite();
        String result = run("Promise.all(Array.from({length: 20}, () => fetch('" + api
                + "/api/streams', {method: 'POST', mode: 'no-cors'," + " body: new Blob(["
                + JsonText.quoteHtmlSafe(JSON) + "])}).then(r => r.type, e => 'failed'))).then(a => a.join(','))");
        assertTrue(result.matches("(opaque|failed)(,(opaque|failed)){19}"), result);
    }

    @Test
    void otherSite_noCorsFetchAsTextPlain_startsNothing() throws Exception {
        visitTheOtherSite();
        String result = run("fetch('" + api
                + "/api/streams', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},"
                + " body: " + JsonText.quoteHtmlSafe(JSON) + "}).then(r => r.type, e => 'failed')");
        assertTrue(result.equals("opaque") || result.equals("failed"), result);
    }

    @Test
    void otherSite_webSocket_refusedAtTheHandshake() throws Exception {
        visitTheOtherSite();
        String result =
                run("new Promise(done => { const ws = new WebSocket('ws://127.0.0.1:" + relay.port() + "/api/ws');"
                        + " let got = 'nothing';"
                        + " ws.onopen = () => { got = 'opened'; ws.send(JSON.stringify(Object.assign({type: 'start'}, "
                        + JSON + "))); };"
                        + " ws.onmessage = (m) => { got = 'read: ' + m.data; };"
                        + " ws.onerror = () => done(got === 'nothing' ? 'refused' : got);"
                        + " ws.onclose = () => done(got === 'nothing' ? 'refused' : got);"
                        + " setTimeout(() => done(got), 5000); })");
        assertEquals("refused", result);
    }

    @Test
    void otherSite_eventSourceOnALeakedStreamId_readsNothing() throws Exception {
        String id = SseTestClient.create(
                relay.uri(), "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}"); // the operator's own stream
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> fake.requestCount() == requestsBefore + 1);
        requestsBefore = fake.requestCount();
        try {
            visitTheOtherSite();
            String result =
                    run("new Promise(done => { const es = new EventSource('" + api + "/api/streams/" + id + "/events');"
                            + " let got = 'nothing';"
                            + " ['start', 'delta', 'done', 'error'].forEach(t => es.addEventListener(t, (e) => { if (e.data) got = 'read: ' + e.data; }));"
                            + " es.onerror = () => { es.close(); done(got === 'nothing' ? 'refused' : got); };"
                            + " setTimeout(() => { es.close(); done(got); }, 5000); })");
            assertEquals("refused", result);
        } finally {
            assertEquals(204, SseTestClient.delete(relay.uri(), id).statusCode());
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> relay.relay().activeStreams() == 0);
        }
    }

    @Test
    void reboundName_theApiAsSameOrigin_refusedForItsHost() throws Exception {
        browser.navigate(URI.create("http://" + REBOUND + ":" + relay.port() + "/"));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("location.host").asText().equals(REBOUND + ":" + relay.port()));
        String statuses = run("Promise.all(["
                + "fetch('/api/streams', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: "
                + JsonText.quoteHtmlSafe(JSON) + "}),"
                + "fetch('/api/streams', {method: 'POST', body: new Blob([" + JsonText.quoteHtmlSafe(JSON) + "])}),"
                + "fetch('/api/providers')].map(p => p.then(r => r.status, e => 'failed'))).then(a => a.join(','))");
        assertEquals("403,403,403", statuses);
        String ws = run(
                "new Promise(done => { const ws = new WebSocket('ws://" + REBOUND + ":" + relay.port() + "/api/ws');"
                        + " ws.onopen = () => { ws.send(JSON.stringify(Object.assign({type: 'start'}, " + JSON
                        + "))); done('opened'); };"
                        + " ws.onerror = () => done('refused'); setTimeout(() => done('timeout'), 5000); })");
        assertEquals("refused", ws);
    }
}
