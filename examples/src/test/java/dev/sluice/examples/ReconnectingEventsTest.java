package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's reconnecting client, against a loopback feed that drops its first connection. */
@Timeout(30)
class ReconnectingEventsTest {

    @Test
    void read_feedDropsOnce_resumesWithTheLastEventId() throws Exception {
        List<String> lastIds = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        HttpServer feed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        feed.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        feed.createContext("/feed", ex -> {
            lastIds.add(String.valueOf(ex.getRequestHeaders().getFirst("Last-Event-ID")));
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                if (connections.incrementAndGet() == 1) {
                    out.write("id: 1\ndata: one\n\nid: 2\ndata: cut off".getBytes(StandardCharsets.UTF_8));
                    return; // the response ends mid-event
                }
                out.write("id: 2\ndata: two\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (true) {
                    Thread.sleep(50); // a server's pace: heartbeats until the client leaves
                    out.write(":\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (java.io.IOException | InterruptedException e) {
                // the client went away
            }
        });
        feed.start();
        try {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<String> data = ReconnectingEvents.read(
                    URI.create("http://127.0.0.1:" + feed.getAddress().getPort() + "/feed"),
                    2,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertEquals(List.of("one", "two"), data);
            assertEquals(List.of("null", "1"), lastIds);
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("message 1: one") && out.contains("message 2: two"), out);
        } finally {
            feed.stop(0);
        }
    }
}
