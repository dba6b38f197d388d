package dev.sluice.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1: reads each request, answers 200 {@code text/event-stream}
 * with {@code body} as one chunk of a chunked response that never ends, then waits for the
 * client to close the connection, counting those closes. One virtual thread per connection.
 */
final class StallingHttpServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final byte[] body;
    private final AtomicInteger closedByClient = new AtomicInteger();

    StallingHttpServer(String body) throws IOException {
        this.body = body.getBytes(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("stalling-http-acceptor").start(this::acceptLoop);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            int length = readHead(in);
            in.readNBytes(length);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: req_stall\r\n"
                    + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() != -1) { /* nothing more comes; -1 means the client closed */ }
            closedByClient.incrementAndGet();
        } catch (IOException e) {
            closedByClient.incrementAndGet(); // reset by the client: closed as well
        }
    }

    /** Reads the request head; {@return its Content-Length} */
    private static int readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
