package dev.sluice.internal.call.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.ClientOptions;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.UserAgent;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientCoreTest {
    private static final String KEY = "sk-secret-123";

    private static ClientCore core() {
        return core(ClientOptions.builder()
                .baseUrl("https://api.example.com")
                .apiKey(KEY)
                .build());
    }

    private static ClientCore core(ClientOptions options) {
        return new ClientCore(
                "ExClient", "sluice-ex-", System.getLogger(ClientCoreTest.class.getName()), "x-request-id", options);
    }

    @Test
    void headers_providerHeadersThenUserAgentThenExtras_extrasReplaceByLowerCaseName() {
        ClientCore core = core(ClientOptions.builder()
                .baseUrl("http://h:1/p/")
                .header("X-Extra", "1")
                .header("x-extra", "2")
                .build());
        Map<String, String> h = core.headers(Map.of("x-key", KEY));
        assertEquals(List.of("x-key", "user-agent", "x-extra"), List.copyOf(h.keySet()));
        assertEquals(UserAgent.VALUE, h.get("user-agent"));
        assertEquals("2", h.get("x-extra"));
        assertThrows(UnsupportedOperationException.class, () -> h.put("a", "b"));
        assertEquals("http://h:1/p", core.base());
        ClientCore agent = core(ClientOptions.builder()
                .baseUrl("http://h")
                .header("User-Agent", "app/1")
                .build());
        assertEquals("app/1", agent.headers(Map.of()).get("user-agent"));
        core.close();
        agent.close();
    }

    @Test
    void close_cancelsTheOpenControllersNamingTheClient_andIsIdempotent() {
        ClientCore core = core();
        StreamController a = StreamController.create();
        StreamController b = StreamController.create();
        core.register(a);
        core.register(b);
        core.deregister(b);
        assertEquals(1, core.openCount());
        core.close();
        core.close();
        assertTrue(a.isCancelled());
        assertEquals("the ExClient was closed", a.cancelReason().orElseThrow());
        assertFalse(b.isCancelled(), "a deregistered controller is left alone");
    }

    @Test
    void register_afterClose_refusedAndNotKept() {
        ClientCore core = core();
        core.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, core::requireOpen);
        assertEquals("the ExClient is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> core.register(StreamController.create()));
        assertEquals(0, core.openCount());
    }

    @Test
    void describe_showsTheOpenCountThenClosed_neverTheKey() {
        ClientCore core = core();
        core.register(StreamController.create());
        assertEquals(
                "ExClient[endpoint=e, apiKey=(hidden), transport=blocking HTTP/1.1, 1 open]",
                core.describe("endpoint=e"));
        core.close();
        assertEquals(
                "ExClient[endpoint=e, apiKey=(hidden), transport=blocking HTTP/1.1, closed]",
                core.describe("endpoint=e"));
    }

    @Test
    void send_clientClosedWhileInFlight_throwsIllegalStateAndDeregisters() throws Exception {
        FakeLlmServer server = FakeLlmServer.start();
        server.setDispatcher(r -> FakeResponse.noResponse()); // it reads the request and never answers
        ClientCore core = core();
        try {
            URI uri = server.baseUrl().resolve("/x");
            CompletableFuture<Object> sent = CompletableFuture.supplyAsync(
                    () -> core.send(HttpPost.json(uri, Map.of(), "{}")), Executors.newVirtualThreadPerTaskExecutor());
            server.takeRequest(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> core.openCount() == 1);
            core.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("the ExClient was closed while the request was in flight", cause.getMessage());
            assertEquals(0, core.openCount());
        } finally {
            server.close();
        }
    }
}
