package dev.sluice.eventsource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on raw sockets whose connections follow scripts, one per connection
 * in order (then the default script: headers, then hold the connection until the client closes it):
 * so a test can cut a connection at any byte, answer any status, or stay silent. Every request is
 * recorded. Each connection runs on its own virtual thread.
 */
final class ScriptedServer implements AutoCloseable {

    record Request(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    interface Script {
        void run(Request request, Conn conn) throws Exception;
    }

    /** One accepted connection, its request read. */
    static final class Conn {
        private final Socket socket;
        private final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** 200, text/event-stream, chunked. */
        Conn open() throws IOException {
            return head(200, "text/event-stream");
        }

        Conn head(int status, String contentType) throws IOException {
            raw("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nX-Test: yes\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n");
            return this;
        }

        /** A complete response without a body (204, redirects, errors). */
        void answer(int status, String... headers) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 " + status + " X\r\nConnection: close\r\n");
            for (String h : headers) sb.append(h).append("\r\n");
            sb.append("Content-Length: 0\r\n\r\n");
            raw(sb.toString());
        }

        Conn send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        Conn send(byte[] bytes) throws IOException {
            if (bytes.length == 0) return this;
            raw(Integer.toHexString(bytes.length) + "\r\n");
            out.write(bytes);
            raw("\r\n");
            return this;
        }

        /** The last chunk: a clean end of the response. */
        void end() throws IOException {
            raw("0\r\n\r\n");
            socket.shutdownOutput();
            awaitClientClose();
        }

        /** Cuts the connection abruptly (RST): no last chunk. */
        void cut() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        void raw(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Waits until the client closes its side. */
        void awaitClientClose() throws IOException {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) { /* nothing more comes */ }
        }
    }

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private volatile Script fallback = (r, c) -> {
        c.open();
        c.awaitClientClose();
    };
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closedByClient = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ScriptedServer() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-server").start(this::acceptLoop);
    }

    /** Adds scripts for the next connections, in order. */
    ScriptedServer then(Script... next) {
        scripts.addAll(List.of(next));
        return this;
    }

    /** Sets the script of every connection after the queued ones. */
    ScriptedServer otherwise(Script s) {
        fallback = s;
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    Request nextRequest() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no request came within 10 s");
        return r;
    }

    /** {@return a request arriving within {@code d}, or null} */
    Request pollRequest(Duration d) throws InterruptedException {
        return requests.poll(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(s);
            Script script = scripts.poll();
            Script chosen = script != null ? script : fallback;
            Thread.ofVirtual().start(() -> serve(s, chosen));
        }
    }

    private void serve(Socket s, Script script) {
        try (s) {
            Request r = readRequest(s.getInputStream());
            requests.add(r);
            Conn c = new Conn(s);
            script.run(r, c);
            if (!s.isClosed()) {
                c.awaitClientClose();
                closedByClient.incrementAndGet();
            }
        } catch (Exception e) {
            // the client went away, or the test is over
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("closed before the request ended");
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = "";
        String length = headers.get("content-length");
        if (length != null) body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        return new Request(first[0], first[1], headers, body);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
