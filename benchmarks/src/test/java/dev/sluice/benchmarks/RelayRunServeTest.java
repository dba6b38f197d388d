package dev.sluice.benchmarks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.serve.ServeServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RelayRun}'s relayed paths go through the server {@code sluice serve} ships, its plain-SSE
 * baseline does not, and every request its clients send is one that server accepts.
 */
class RelayRunServeTest {
    private static final int EVENTS = 3;
    private static final RelayRun.StampingModel MODEL = new RelayRun.StampingModel(EVENTS, 1_000_000L, false);
    private static RelayRun.Servers servers;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        servers = RelayRun.Servers.start(MODEL, 10);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        servers.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void relayedAddress_answersWhatOnlyTheShippedRoutesAnswer() throws Exception {
        URI relayed = servers.relayed();

        HttpResponse<String> providers = send(HttpRequest.newBuilder(relayed.resolve("/api/providers")));
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(relayed.resolve("/api/streams"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://elsewhere.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"go\"}")));

        assertEquals(200, providers.statusCode());
        assertTrue(providers.body().contains("{\"name\":\"stamp\",\"model\":\"stamp\"}"), providers.body());
        assertEquals(403, foreign.statusCode()); // the guard refuses another site's page
        assertTrue(foreign.body().contains("origin_not_allowed"), foreign.body());
    }

    @Test
    void baseline_isNoRelay() throws Exception {
        assertEquals(
                404,
                send(HttpRequest.newBuilder(servers.baseline().resolve("/api/providers")))
                        .statusCode());
        assertEquals(EVENTS + 2, RelayRun.readPlain(http, servers.baseline(), new long[EVENTS]));
    }

    @Test
    void everyRelayedPath_isAcceptedAndReadToItsEnd() throws Exception {
        URI base = servers.relayed();

        assertEquals(EVENTS + 2, RelayRun.readRelayed(http, base, RelayRun.create(http, base), new long[EVENTS]));
        // each throws unless answered 200 with every delta stamped
        RelayRun.readProtocol(
                http, base.resolve("/v1/chat/completions"), RelayRun.GATEWAY, RelayRun.GATEWAY_DELTA, new long[EVENTS]);
        RelayRun.readProtocol(http, base.resolve("/api/chat"), RelayRun.uiChat(), RelayRun.UI_DELTA, new long[EVENTS]);
        RelayRun.readProtocol(
                http, base.resolve("/api/ag-ui"), RelayRun.agUiRun(), RelayRun.UI_DELTA, new long[EVENTS]);
    }

    @Test
    void rawClients_areAccepted() throws Exception {
        int port = servers.relayed().getPort();

        String id = RelayRun.rawCreate(port, "go");
        assertEquals(EVENTS + 2, RelayRun.rawGet(port, "/api/streams/" + id + "/events", new long[EVENTS], null));
        try (Socket idle = RelayRun.attach(port, RelayRun.rawCreate(port, "go"))) { // the idle mode's client
            assertTrue(idle.isConnected());
        }
    }

    @Test
    void streamOf_namesTheStreamOfEachAccessLogLine() throws Exception {
        Set<String> ended = ConcurrentHashMap.newKeySet();
        try (ServeServer server = RelayRun.serve(MODEL, 1, null, line -> ended.add(RelayRun.streamOf(line)))) {
            String id = RelayRun.create(http, server.uri());
            RelayRun.readRelayed(http, server.uri(), id, null);

            await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains(id));
        }
    }
}
