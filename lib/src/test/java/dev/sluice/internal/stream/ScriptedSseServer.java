package dev.sluice.internal.stream;

import dev.sluice.RawRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on a raw socket (the tests run in the module, which does not read
 * jdk.httpserver) whose every POST is answered by a script, on its own virtual thread, given the
 * request's number (from 1): it can answer an error status, write Server-Sent Events as chunks and
 * wait (on a latch of the test) before writing more. One request per connection (each response
 * says {@code Connection: close}).
 */
final class ScriptedSseServer implements AutoCloseable {
    interface Script {
        void answer(int request, Response response) throws Exception;
    }

    /** One response, written by the script. */
    static final class Response {
        private final OutputStream out;
        private final StringBuilder pending = new StringBuilder();

        Response(OutputStream out) {
            this.out = out;
        }

        /** Answers an HTTP error with a JSON body and the given headers (name, value, ...); closes the connection. */
        void error(int status, String json, String... headers) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Error\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n");
            for (int i = 0; i < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        /** Starts a 200 event stream, chunked. */
        void stream() throws IOException {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nrequest-id: req_scripted\r\n"
                    + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Adds one event with this data, sent at the next {@link #flush()}. */
        void event(String data) {
            pending.append("data: ").append(data).append("\n\n");
        }

        /** Sends the events added since the last flush as one chunk. */
        void flush() throws IOException {
            byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
            pending.setLength(0);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Ends the chunked body. */
        void end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    ScriptedSseServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-sse-server").start(() -> {
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
                        script.answer(requests.incrementAndGet(), new Response(s.getOutputStream()));
                        InputStream in = s.getInputStream();
                        while (in.read() >= 0) { /* keep the connection until the client closes it */ }
                    } catch (Exception e) {
                        // the client went away, or the test is over
                    }
                });
            }
        });
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/s");
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
