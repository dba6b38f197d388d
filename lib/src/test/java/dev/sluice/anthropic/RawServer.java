package dev.sluice.anthropic;

import dev.sluice.RawRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on a raw socket, for what WireMock cannot do: a chunked body that
 * stops without its last chunk, a connection that stays open, paced pings, no response at all.
 * Each connection runs {@link Handler} on its own virtual thread.
 */
final class RawServer implements AutoCloseable {
    interface Handler {
        void handle(Connection c) throws Exception;
    }

    /** One accepted connection; the request has been read. */
    static final class Connection {
        final Socket socket;
        final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void headers() throws IOException {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nrequest-id: req_raw\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void chunk(String data) throws IOException {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Blocks until the client closes the connection; returns then. */
        void awaitClientClose() throws IOException {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) { /* the client sends nothing more */ }
        }
    }

    /** {@return a handler that sends the events, then holds the connection open until the client closes it, counting that in {@code released}} */
    static Handler holding(String events, AtomicInteger released) {
        return c -> {
            c.headers();
            c.chunk(events);
            c.awaitClientClose();
            released.incrementAndGet();
        };
    }

    private final ServerSocket server;
    private final Thread acceptor;
    final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("raw-server").start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        RawRequests.skipRequest(s.getInputStream());
                        requests.incrementAndGet();
                        Connection c = new Connection(s);
                        handler.handle(c);
                    } catch (Exception e) {
                        // the client went away, or the test is over
                    }
                });
            }
        });
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
