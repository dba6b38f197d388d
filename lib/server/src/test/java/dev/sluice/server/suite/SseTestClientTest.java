package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite's own client: where {@link SseTestClient#readUntil} stops. */
class SseTestClientTest {

    /**
     * Six events in one write, as a relay node writes a batch its store handed on: {@code e.size() == 2}
     * held after the second event only, and a read of all six at once went past it to the body's end
     * ({@code ServeOnManyNodesTest.delete_onAnotherNode_stopsTheUpstreamWhereItRuns} read its stream to the
     * end, 30 s, in a full run on two busy cores, and found its upstream ended).
     */
    @Test
    void readUntil_sixEventsInOneRead_stopsAtTheEventWhereThePredicateHolds() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 1; i <= 6; i++)
            events.append("id: ")
                    .append(i)
                    .append("\nevent: delta\ndata: {\"text\":\"w")
                    .append(i)
                    .append("\"}\n\n");
        byte[] body = events.toString().getBytes(StandardCharsets.UTF_8);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> { // one response, its body in one write
                                try (Socket s = server.accept()) {
                                    BufferedReader request = new BufferedReader(
                                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                                    for (String line;
                                            (line = request.readLine()) != null && !line.isEmpty(); ) {} // its head
                                    OutputStream out = s.getOutputStream();
                                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                                                    + body.length + "\r\nConnection: close\r\n\r\n")
                                            .getBytes(StandardCharsets.US_ASCII));
                                    out.write(body);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
            readInSteps(URI.create("http://127.0.0.1:" + server.getLocalPort()), body.length);
        }
    }

    private static void readInSteps(URI base, int bodyLength) throws Exception {
        try (SseTestClient c = SseTestClient.open(base, "s", null)) {
            assertFalse(c.readUntil(e -> e.size() == 2, Long.MAX_VALUE), "stopped before the body's end");
            assertEquals(List.of(1L, 2L), c.ids());
            assertFalse(c.readUntil(e -> e.size() == 4, Long.MAX_VALUE));
            assertEquals(List.of(1L, 2L, 3L, 4L), c.ids());
            c.readAll();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), c.ids());
            assertEquals("w1w2w3w4w5w6", SseTestClient.text(c.events));
            assertEquals(bodyLength, c.bytesRead);
        }
    }
}
