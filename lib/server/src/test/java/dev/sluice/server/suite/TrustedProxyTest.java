package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relay behind a reverse proxy it trusts ({@link RelayAdmission.Builder#trustedProxy}): every limit
 * per client and the access log count the client the proxy names in {@code X-Forwarded-For} or
 * {@code Forwarded}, and its {@code X-Forwarded-Proto} decides the cookies' {@code Secure}; a
 * client that is not the proxy cannot name itself anyone. Here the proxy is 127.0.0.1 (the JDK's
 * client, sending the headers as nginx would), and a client elsewhere is 127.0.0.2; the rules
 * themselves, case by case, are {@code TrustedProxiesTest}'s in sluice-relay. A real nginx in front
 * of {@code sluice serve}: {@code NginxProxyTest} in sluice-cli.
 */
class TrustedProxyTest {
    private static final String STALL = "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}";
    private static final String SHORT = "{\"prompt\":\"Tell me about the ocean\"}";
    private static final List<String> ACCESS_LOG = new CopyOnWriteArrayList<>();
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static HttpClient proxy;
    private static HttpClient elsewhere;
    private final List<String> running = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.builder().tokensPerSecond(400).start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .build();
        server = RelayServer.builder(RelayAdmission.builder(relay)
                        .trustedProxy("127.0.0.1")
                        .maxStreamsPerClient(1)
                        .maxFailedResumesPerMinute(2)
                        .accessLog(ACCESS_LOG::add)
                        .build())
                .token("proxied-token-0123456789")
                .start();
        proxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        elsewhere = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        elsewhere.close();
        server.close();
        anthropic.close();
        fake.close();
    }

    @AfterEach
    void cancelRunning() throws Exception {
        for (String id : running)
            send(proxy, HttpRequest.newBuilder(uri("/api/streams/" + id)).DELETE());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.relay().activeStreams() == 0);
    }

    private static URI uri(String path) {
        return server.uri().resolve(path);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, String... headers)
            throws Exception {
        request.header("Authorization", "Bearer proxied-token-0123456789");
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String json, String... headers) throws Exception {
        return send(
                client,
                HttpRequest.newBuilder(uri("/api/streams"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                headers);
    }

    /** Starts a stream that runs until cancelled; {@return its answer} */
    private HttpResponse<String> stall(HttpClient client, String... headers) throws Exception {
        HttpResponse<String> r = post(client, STALL, headers);
        if (r.statusCode() == 201) running.add(r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
        return r;
    }

    private static void assertTooManyStreams(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(
                r.body().startsWith("{\"error\":{\"type\":\"too_many_streams\"")
                        && r.body().contains("per client"),
                r.body());
    }

    @Test
    void streamsPerClient_twoClientsBehindTheProxy_eachGetsItsOwnLimit() throws Exception {
        assertEquals(201, stall(proxy, "X-Forwarded-For", "198.51.100.1").statusCode());
        assertTooManyStreams(stall(proxy, "X-Forwarded-For", "198.51.100.1"));
        assertEquals(
                201,
                stall(proxy, "X-Forwarded-For", "198.51.100.2").statusCode(),
                "another client behind the same proxy");
        // a chain: the client's own claim left of what the proxy saw counts for nothing
        assertTooManyStreams(stall(proxy, "X-Forwarded-For", "6.6.6.6, 198.51.100.2"));
        assertEquals(
                201,
                stall(proxy, "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https")
                        .statusCode());
        assertTooManyStreams(stall(proxy, "Forwarded", "for=\"[2001:db8:cafe:0:0:0:0:17]:5000\""));
        assertEquals(201, stall(proxy).statusCode(), "the proxy's own request: the proxy is the client");
        assertEquals(4, server.relay().activeStreams());
    }

    @Test
    void streamsPerClient_forgedHeaderFromAnUntrustedPeer_doesNotEscapeTheLimit() throws Exception {
        assertEquals(201, stall(elsewhere, "X-Forwarded-For", "198.51.100.3").statusCode());
        assertTooManyStreams(stall(elsewhere, "X-Forwarded-For", "198.51.100.4"));
        assertTooManyStreams(stall(elsewhere, "Forwarded", "for=198.51.100.5"));
        // and it took no place of the client it named
        assertEquals(201, stall(proxy, "X-Forwarded-For", "198.51.100.3").statusCode());
    }

    @Test
    void garbledHeaderFromTheProxy_countsAsTheProxy_neverA5xx() throws Exception {
        assertEquals(201, stall(proxy, "X-Forwarded-For", "garbage, %%").statusCode());
        for (String[] h : List.of(
                new String[] {"X-Forwarded-For", "unknown"},
                new String[] {"X-Forwarded-For", "1.2.3.999"},
                new String[] {"Forwarded", "for=\"[2001:db8::1"},
                new String[] {"Forwarded", "for=_hidden"},
                new String[] {"X-Forwarded-For", ","})) {
            assertTooManyStreams(stall(proxy, h));
        }
    }

    @Test
    void failedResumes_countedPerForwardedClient() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertEquals(
                    204,
                    send(
                                    proxy,
                                    HttpRequest.newBuilder(uri("/api/chat/no-such-chat-" + i + "/stream")),
                                    "X-Forwarded-For",
                                    "198.51.100.20")
                            .statusCode());
        }
        HttpResponse<String> third = send(
                proxy,
                HttpRequest.newBuilder(uri("/api/chat/no-such-chat-x/stream")),
                "X-Forwarded-For",
                "198.51.100.20");
        assertEquals(429, third.statusCode(), third.body());
        assertTrue(third.body().contains("too_many_failed_resumes"), third.body());
        assertEquals(
                204,
                send(
                                proxy,
                                HttpRequest.newBuilder(uri("/api/chat/no-such-chat-y/stream")),
                                "X-Forwarded-For",
                                "198.51.100.21")
                        .statusCode(),
                "another client behind the proxy has its own");
    }

    @Test
    void accessLog_namesTheForwardedClient_orTheUntrustedPeer() throws Exception {
        assertEquals(
                201,
                post(proxy, SHORT, "X-Forwarded-For", "6.6.6.6, 203.0.113.50, 127.0.0.1")
                        .statusCode());
        assertEquals(
                201, post(elsewhere, SHORT, "X-Forwarded-For", "203.0.113.51").statusCode());
        assertEquals(
                201,
                post(proxy, SHORT, "Forwarded", "for=\"[2001:db8::50]:443\"").statusCode());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ACCESS_LOG.stream().anyMatch(l -> l.contains(" client=203.0.113.50 "))
                        && ACCESS_LOG.stream().anyMatch(l -> l.contains(" client=127.0.0.2 "))
                        && ACCESS_LOG.stream().anyMatch(l -> l.contains(" client=2001:db8::50 ")));
        assertFalse(
                ACCESS_LOG.stream().anyMatch(l -> l.contains("203.0.113.51") || l.contains("6.6.6.6")),
                ACCESS_LOG.toString());
    }

    @Test
    void webSocket_behindTheProxy_countedAsTheForwardedClient() throws Exception {
        String auth = "Bearer proxied-token-0123456789";
        RawHttp.Upgrade ws =
                RawHttp.upgrade(server.port(), Map.of("X-Forwarded-For", "198.51.100.30", "Authorization", auth));
        try (Socket s = ws.socket()) {
            assertEquals(101, ws.status(), ws.head());
            RawHttp.sendText(s.getOutputStream(), "{\"type\":\"start\",\"prompt\":\"hi\",\"model\":\"fake-stall\"}");
            InputStream in = s.getInputStream();
            String first = new String(RawHttp.readFrame(in).payload(), StandardCharsets.UTF_8);
            assertTrue(first.contains("\"stream\":"), first);
            running.add(first.replaceAll(".*\"stream\":\"([^\"]+)\".*", "$1"));
            assertTooManyStreams(stall(proxy, "X-Forwarded-For", "198.51.100.30"));
            assertEquals(201, stall(proxy, "X-Forwarded-For", "198.51.100.31").statusCode());
        }
    }

    @Test
    void chatCookie_secureAsTheTrustedProxySays() throws Exception {
        assertTrue(chatCookie(proxy, "198.51.100.40", "https").endsWith("; Secure"));
        assertFalse(chatCookie(proxy, "198.51.100.41", "http").contains("Secure"));
        assertFalse(
                chatCookie(elsewhere, "198.51.100.42", "https").contains("Secure"),
                "not from a peer that is not trusted");
        assertFalse(
                chatCookie(proxy, "198.51.100.43", null).contains("Secure"), "plain HTTP, and the proxy says nothing");
    }

    @Test
    void tokenCookie_secureAsTheTrustedProxySays() throws Exception {
        HttpRequest.Builder page = HttpRequest.newBuilder(uri("/?token=proxied-token-0123456789"));
        String viaTls = proxy.send(
                        page.header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow();
        assertTrue(viaTls.endsWith("; HttpOnly; SameSite=Strict; Secure"), viaTls);
        String forged = elsewhere
                .send(
                        HttpRequest.newBuilder(uri("/?token=proxied-token-0123456789"))
                                .header("X-Forwarded-Proto", "https")
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow();
        assertFalse(forged.contains("Secure"), forged);
    }

    private static String chatCookie(HttpClient client, String forwardedFor, String proto) throws Exception {
        String body = "{\"id\":\"chat-proxied-" + forwardedFor.replace('.', '-')
                + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\","
                + "\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        HttpResponse<String> r = proto == null
                ? send(
                        client,
                        HttpRequest.newBuilder(uri("/api/chat"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)),
                        "X-Forwarded-For",
                        forwardedFor)
                : send(
                        client,
                        HttpRequest.newBuilder(uri("/api/chat"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)),
                        "X-Forwarded-For",
                        forwardedFor,
                        "X-Forwarded-Proto",
                        proto);
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("sluice-chat="))
                .findFirst()
                .orElseThrow();
    }
}
