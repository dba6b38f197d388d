package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /healthz}, as a load balancer asks it: with whatever {@code Host} it sends (often an
 * address), no {@code Origin} or a foreign one, no token; answered {@code 200 {"status":"ok"}},
 * {@code HEAD} too, other methods {@code 405} with the relay's JSON error; it starts nothing, and no
 * limit per client and no access-log line counts it. Its {@code 503} while a shared store does not
 * answer: {@code ServeOnManyNodesTest} in sluice-cli, on a real Redis.
 */
class HealthEndpointTest {
    private static final String TOKEN = "health-token-0123456789";
    private static final List<String> ACCESS_LOG = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .build();
        server = RelayServer.builder(RelayAdmission.builder(relay)
                        .maxFailedResumesPerMinute(1)
                        .maxCreationsPerMinute(1)
                        .accessLog(ACCESS_LOG::add)
                        .build())
                .token(TOKEN)
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:%d", "10.0.3.7:%d", "10.0.3.7", "chat.example.com", "[fd00::7]:%d", "localhost"})
    void get_anyHostNoTokenNoOrigin_200Ok(String host) throws Exception {
        RawHttp.Response r =
                RawHttp.send(server.port(), "GET", "/healthz", Map.of("Host", host.formatted(server.port())), null);
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"ok\"}", r.body());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
    }

    @Test
    void get_foreignOrigin_200WithoutCorsHeaders() throws Exception {
        RawHttp.Response r = RawHttp.send(
                server.port(),
                "GET",
                "/healthz",
                Map.of("Host", "127.0.0.1:" + server.port(), "Origin", "http://evil.example"),
                null);
        assertEquals(200, r.status(), r.body());
        assertEquals(null, r.header("Access-Control-Allow-Origin"), "no other page reads it");
    }

    @Test
    void head_200NoBody() throws Exception {
        RawHttp.Response r = RawHttp.send(server.port(), "HEAD", "/healthz", Map.of("Host", "10.0.3.7"), null);
        assertEquals(200, r.status());
        assertEquals("", r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void otherMethods_405WithTheRelaysJsonError(String method) throws Exception {
        RawHttp.Response r = RawHttp.send(
                server.port(),
                method,
                "/healthz",
                Map.of("Host", "127.0.0.1:" + server.port(), "Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(405, r.status(), r.body());
        assertEquals("GET", r.header("Allow"));
        assertTrue(r.body().startsWith("{\"error\":{\"type\":\"method_not_allowed\",\"message\":\""), r.body());
    }

    @Test
    void manyChecks_countAgainstNoLimitStartNothingAndAreNotLogged() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertEquals(
                    200,
                    RawHttp.send(server.port(), "GET", "/healthz", Map.of("Host", "10.0.3.7"), null)
                            .status());
        }
        assertEquals(0, server.relay().activeStreams());
        assertEquals(0, fake.requestCount());
        assertEquals(List.of(), ACCESS_LOG);
        // the client's limits of a minute (one creation, one failed resume) are all still there
        RawHttp.Response created = RawHttp.send(
                server.port(),
                "POST",
                "/api/streams",
                Map.of(
                        "Host",
                        "127.0.0.1:" + server.port(),
                        "Authorization",
                        "Bearer " + TOKEN,
                        "Content-Type",
                        "application/json"),
                "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.body());
        RawHttp.Response resumed = RawHttp.send(
                server.port(),
                "GET",
                "/api/chat/no-such-chat/stream",
                Map.of("Host", "127.0.0.1:" + server.port(), "Authorization", "Bearer " + TOKEN),
                null);
        assertEquals(204, resumed.status(), resumed.body());
    }

    @Test
    void otherPathsStillGuarded_theTokenStillNeeded() throws Exception {
        assertEquals(
                401,
                RawHttp.send(server.port(), "GET", "/api/providers", Map.of("Host", "127.0.0.1:" + server.port()), null)
                        .status());
        assertEquals(
                403,
                RawHttp.send(server.port(), "GET", "/healthz/", Map.of("Host", "10.0.3.7"), null)
                        .status(),
                "only /healthz itself is outside the Host check");
    }
}
