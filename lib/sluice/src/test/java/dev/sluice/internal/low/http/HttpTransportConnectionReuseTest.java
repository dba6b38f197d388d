package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.SseDecoder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A stream that ends at its terminal event over HTTP/1.1: the consumer sees the end at once, and
 * the body is then read to its end, so the JDK's client keeps the connection for the next request
 * (a body cancelled before its end makes it close the connection). Through real sockets, with a
 * server of the test's own that counts connections and holds each body's last chunk back until
 * the test lets it go.
 */
class HttpTransportConnectionReuseTest {
    private static final int STREAMS = 3;

    @Test
    void terminalEvent_streamCompletesBeforeTheBodyEnds_thenItsConnectionCarriesTheNextRequest() throws Exception {
        try (HeldEndServer server = new HeldEndServer();
                HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.HTTP_CLIENT)
                        .build()) {
            ClientExecutor executor =
                    (ClientExecutor) transport.client().executor().orElseThrow();
            HttpPost post =
                    HttpPost.json(URI.create("http://127.0.0.1:" + server.port() + "/v1/messages"), Map.of(), "{}");
            for (int i = 0; i < STREAMS; i++) {
                StreamResponse response = transport.openStream(post, Cancellation.NONE);
                List<String> items = new ArrayList<>();
                try (EventStream<String> stream =
                        EventStream.<String>builder().fromSse(response.body(), SseLimits.defaults(), new UntilStop())) {
                    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> stream.forEach(items::add));
                    assertEquals(Optional.of(EndReason.COMPLETED), stream.endReason());
                }
                assertEquals(List.of("1", "end"), items);
                assertEquals(1, executor.open(), "stream " + i + " completed while its body's end was still held back");
                server.ends.release();
                // The JDK gives the connection back to its pool before it tells the body it ended.
                await().atMost(Duration.ofSeconds(10)).until(() -> executor.open() == 0);
            }
            assertEquals(1, server.connections.get(), "every request on the first connection");
        }
    }

    @Test
    void close_whileABodyWaitsForItsEndAfterTheTerminalEvent_cutsTheWaitShort() throws Exception {
        try (HeldEndServer server = new HeldEndServer()) {
            HttpTransport transport = HttpTransport.builder()
                    .engine(HttpTransport.Engine.HTTP_CLIENT)
                    .build();
            ClientExecutor executor =
                    (ClientExecutor) transport.client().executor().orElseThrow();
            HttpPost post =
                    HttpPost.json(URI.create("http://127.0.0.1:" + server.port() + "/v1/messages"), Map.of(), "{}");
            StreamResponse response = transport.openStream(post, Cancellation.NONE);
            try (EventStream<String> stream =
                    EventStream.<String>builder().fromSse(response.body(), SseLimits.defaults(), new UntilStop())) {
                stream.forEach(item -> {});
            }
            assertEquals(1, executor.open(), "the body waits for the end the server holds back");
            // The JDK's HttpClient.close() waits for its exchanges: without the cut, for the grace (a second).
            assertTimeoutPreemptively(Duration.ofMillis(500), transport::close);
            assertEquals(0, executor.open());
        }
    }

    /** Each event's data; the event named {@code stop} is terminal. */
    private static final class UntilStop implements SseDecoder<String> {
        @Override
        public boolean decode(SseEvent event, Emitter<String> out) {
            out.emit(event.data());
            return event.type().equals("stop");
        }
    }

    /**
     * Answers each request on a connection with a chunked event stream whose last chunk it writes
     * only when {@link #ends} gives it a permit; counts the connections it accepted.
     */
    private static final class HeldEndServer implements AutoCloseable {
        private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        private static final String EVENTS = "event: a\ndata: 1\n\nevent: stop\ndata: end\n\n";
        private static final byte[] CHUNK =
                (Integer.toHexString(EVENTS.length()) + "\r\n" + EVENTS + "\r\n").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        final AtomicInteger connections = new AtomicInteger();
        final Semaphore ends = new Semaphore(0);
        private final ServerSocket listener;
        private final List<Socket> accepted = new ArrayList<>();

        HeldEndServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("held-end-server").start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket connection = listener.accept();
                    connections.incrementAndGet();
                    synchronized (accepted) {
                        accepted.add(connection);
                    }
                    Thread.ofVirtual().start(() -> serve(connection));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                while (readRequest(in)) {
                    out.write(HEAD);
                    out.write(CHUNK);
                    out.flush();
                    ends.acquire();
                    out.write(LAST_CHUNK);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client closed the connection, or the test ended
            }
        }

        /** Reads one request (its head and its Content-Length body); false at the connection's end. */
        private static boolean readRequest(InputStream in) throws IOException {
            int length = 0;
            for (String line = readLine(in); ; line = readLine(in)) {
                if (line == null) return false;
                if (line.isEmpty()) break;
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:"))
                    length = Integer.parseInt(lower.substring(15).trim());
            }
            return in.readNBytes(length).length == length;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) return null;
                if (b != '\r') line.append((char) b);
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (accepted) {
                for (Socket s : accepted) s.close();
            }
        }
    }
}
