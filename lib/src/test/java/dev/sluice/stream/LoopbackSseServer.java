package dev.sluice.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 that writes SSE bytes to each connection and then stalls (or
 * keeps writing slowly), counting the connections the client closed. Each connection is handled
 * on its own virtual thread.
 */
final class LoopbackSseServer implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] prefix;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;

    /** Writes {@code prefix} to every connection, then waits for the client to close. */
    LoopbackSseServer(String prefix) throws IOException {
        this.server = new ServerSocket(0, 2000, InetAddress.getLoopbackAddress());
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.acceptor = Thread.ofVirtual().name("loopback-sse-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write(prefix);
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() != -1) { /* the client sends nothing; -1 means it closed */ }
            closedByClient.incrementAndGet();
        } catch (IOException e) {
            closedByClient.incrementAndGet(); // reset by the client: closed as well
        }
    }

    Socket connect() throws IOException {
        return new Socket(server.getInetAddress(), server.getLocalPort());
    }

    int accepted() { return accepted.get(); }

    int closedByClient() { return closedByClient.get(); }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
        acceptor.interrupt();
    }
}
