package dev.sluice.internal.low.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback server that answers each request with the bytes a test scripts, byte for byte: what
 * WireMock and the test kit cannot send (a bare CR, a folded field, two Content-Lengths, a chunk
 * size that is not hexadecimal), and keep-alive under the test's control. Plain or TLS. Requests
 * on a connection are served in turn, each by the next script queued; a script may close the
 * connection. Records the connections accepted, the request heads, and the SNI names asked for.
 *
 * <p>Threads: one platform thread accepting, one per connection (a test server: blocking I/O on
 * platform threads holds no carrier).
 */
final class RawHttpServer implements AutoCloseable {
    /** What a script does with one request's connection. */
    @FunctionalInterface
    interface Script {
        void answer(Socket connection, OutputStream out) throws IOException, InterruptedException;
    }

    /** Answers nothing, and holds the connection until the client closes it. */
    static final Script HOLD = (s, out) -> {
        while (s.getInputStream().read() >= 0) {
            // dropped
        }
    };

    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<List<SNIServerName>> serverNames = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final boolean tls;

    RawHttpServer() throws IOException {
        this(null);
    }

    /** @param tls the server's TLS context (its key), or null for plain HTTP */
    RawHttpServer(SSLContext tls) throws IOException {
        this.tls = tls != null;
        this.listener = tls == null
                ? new ServerSocket(0, 200, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("raw-http-server").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@return {@code http(s)://host:port/path}} */
    URI uri(String host, String path) {
        return URI.create((tls ? "https://" : "http://") + host + ":" + port() + path);
    }

    URI uri(String path) {
        return uri("127.0.0.1", path);
    }

    /** Queues a script for the next request. */
    RawHttpServer then(Script script) {
        scripts.add(script);
        return this;
    }

    /** Queues an answer of these bytes, the connection left open. */
    RawHttpServer then(String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        return then((s, out) -> {
            out.write(b);
            out.flush();
        });
    }

    /** Queues an answer of these bytes, then closes the connection. */
    RawHttpServer thenClose(String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        return then((s, out) -> {
            out.write(b);
            out.flush();
            s.close();
        });
    }

    private void accept() {
        try {
            while (true) {
                Socket s = listener.accept();
                connections.incrementAndGet();
                accepted.add(s);
                Thread.ofPlatform().daemon().name("raw-http-connection").start(() -> serve(s));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
                serverNames.add(((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames());
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!s.isClosed()) {
                String head = readHead(in);
                if (head == null) return;
                requests.add(head);
                long length = contentLength(head);
                in.readNBytes((int) length);
                Script script = scripts.poll(10, TimeUnit.SECONDS);
                if (script == null) return;
                script.answer(s, out);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test ended
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2))
                    ? state + 1
                    : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) return head.toString(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    /** Closes every connection the server accepted, as a server does to idle keep-alive connections. */
    void closeConnections() throws IOException {
        for (Socket s : accepted) s.close();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        closeConnections();
    }
}
