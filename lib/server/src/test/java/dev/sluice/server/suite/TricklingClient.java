package dev.sluice.server.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that declares a 64 KiB JSON body and sends it a byte at a time ({@link #trickle}), from
 * a loopback address of its choosing, as a slow-body attack does; its answer is read on a virtual
 * thread of its own.
 */
public final class TricklingClient implements AutoCloseable {
    private final Socket socket;
    private final long opened = System.nanoTime();
    private volatile RawHttp.Response answer;
    private volatile long answeredAfter;
    private volatile boolean closedAfter;

    /**
     * Connects from {@code 127.0.0.CLIENT} and sends the request's headers and its body's first byte.
     *
     * @param port the server's port on 127.0.0.1
     * @param path what to POST to, such as {@code /api/streams}
     * @param client the last byte of the client's loopback address, 1 to 254
     */
    public TricklingClient(int port, String path, int client) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + client), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(15_000);
        socket.getOutputStream()
                .write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Thread.ofVirtual().name("trickling-client").start(() -> {
            try {
                RawHttp.Response r = RawHttp.read(socket.getInputStream());
                answeredAfter = System.nanoTime() - opened;
                answer = r;
                closedAfter = socket.getInputStream().read() == -1;
            } catch (IOException e) {
                answeredAfter = System.nanoTime() - opened;
            }
        });
    }

    /** {@return whether the server has answered, or closed the connection} */
    public boolean done() {
        return answeredAfter > 0;
    }

    /** {@return the server's answer; null if it closed the connection without one} */
    public RawHttp.Response answer() {
        return answer;
    }

    /** {@return nanoseconds from the connection's opening to the answer} */
    public long answeredAfterNanos() {
        return answeredAfter;
    }

    /** {@return whether the server closed the connection after its answer} */
    public boolean closedAfter() {
        return closedAfter;
    }

    /** Sends one more byte of the body, unless the server has answered. */
    public void trickle() {
        if (done()) return;
        try {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
        } catch (IOException closed) {
            // answered and closed: the reader has it
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
