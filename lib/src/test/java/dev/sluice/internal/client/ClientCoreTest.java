package dev.sluice.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.sluice.internal.http.HttpPost;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientCoreTest {
    private static final String KEY = "sk-secret-123";

    private static ClientCore core() {
        CommonSettings s = new CommonSettings("https://api.example.com", "EX_API_KEY", "EX_BASE_URL", Set.of(), "");
        s.apiKey(KEY);
        return new ClientCore("ExClient", "sluice-ex-", System.getLogger(ClientCoreTest.class.getName()),
                "x-request-id", s);
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
        assertEquals("ExClient[endpoint=e, apiKey=(hidden), 1 open]", core.describe("endpoint=e"));
        core.close();
        assertEquals("ExClient[endpoint=e, apiKey=(hidden), closed]", core.describe("endpoint=e"));
    }

    @Test
    void send_clientClosedWhileInFlight_throwsIllegalStateAndDeregisters() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        // a loopback server that accepts the connection and never answers
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket ignored = server.accept()) {
                arrived.countDown();
                ignored.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client hangs up
            } catch (IOException e) {
                // the server socket closed at the end of the test
            }
        });
        ClientCore core = core();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");
            CompletableFuture<Object> sent = CompletableFuture.supplyAsync(
                    () -> core.send(HttpPost.json(uri, Map.of(), "{}")), Executors.newVirtualThreadPerTaskExecutor());
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
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
