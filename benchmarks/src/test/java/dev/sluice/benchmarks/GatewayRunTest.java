package dev.sluice.benchmarks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The gateway driver's client side: its idle pool (Go's MaxIdleConnsPerHost) and how rows pair with a direct call. */
class GatewayRunTest {
    @Test
    void idlePool_keepsAtMostItsBoundIdle_closesTheRest_andOpensWhenNoneIsIdle() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) accepted.add(server.accept());
                } catch (IOException e) {
                    // the server socket closed: the test is over
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
            try (GatewayRun.IdlePool pool = new GatewayRun.IdlePool(uri, 2)) {
                List<GatewayRun.Conn> inFlight = List.of(pool.take(), pool.take(), pool.take(), pool.take());
                assertEquals(4, pool.opened(), "none idle: each take opens one");
                for (GatewayRun.Conn c : inFlight) pool.give(c);
                assertEquals(2, pool.idle(), "at most 2 kept idle");
                await().until(() -> accepted.size() == 4);
                // the two given back when 2 were idle are closed: the server reads their end
                await().until(() ->
                        accepted.stream().filter(GatewayRunTest::ended).count() == 2);

                assertSame(inFlight.get(1), pool.take(), "the one given back last first");
                assertSame(inFlight.get(0), pool.take());
                GatewayRun.Conn opened = pool.take();
                assertNotSame(inFlight.get(2), opened);
                assertEquals(5, pool.opened(), "none idle again: a new connection");
                opened.close();
            }
            for (Socket s : accepted) s.close();
        }
    }

    @Test
    void aRowOfAnIdlePool_pairsWithTheDirectCallOfTheSamePool() {
        assertEquals("direct", GatewayRun.directOf("sluice"));
        assertEquals("direct, 2 idle", GatewayRun.directOf("sluice, 2 idle"));
        assertEquals("direct-messages, 2 idle", GatewayRun.directOf("sluice-messages-passthrough, 2 idle"));
    }

    @Test
    void aSampleAfterAConnect_countsTheConnectInItsTimes() {
        GatewayRun.Sample s = new GatewayRun.Sample(30, 300, 12, 150, true, null);
        GatewayRun.Sample after = s.after(5);
        assertEquals(35, after.first());
        assertEquals(305, after.total());
        assertEquals(12, after.maxGap(), "a gap between two events is not moved");
        assertSame(s, s.after(0));
    }

    private static boolean ended(Socket s) {
        try {
            s.setSoTimeout(10);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
