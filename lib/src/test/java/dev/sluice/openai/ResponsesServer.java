package dev.sluice.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback Responses API server for tests: {@code POST /v1/responses} streams a captured stream
 * (its first {@code cutAfter} events only, then the body ends, when a cut is set);
 * {@code GET /v1/responses/{id}?stream=true&starting_after=N} streams the events numbered after N
 * ({@code repeat} of the earlier ones first, to test that a client drops repeats). Raw HTTP/1.1 on
 * 127.0.0.1, {@code connection: close}: a body ends when the socket closes, so a cut is a body that
 * ends early. One virtual thread per connection.
 */
final class ResponsesServer implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"sequence_number\": ?(\\d+)");

    record Seen(String method, String uri, String body) {}

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    volatile List<String> events = List.of();
    /** When set, each POST serves the next of these streams (the last one again when they run out). */
    volatile List<List<String>> posts = List.of();
    private final java.util.concurrent.atomic.AtomicInteger postCount = new java.util.concurrent.atomic.AtomicInteger();
    volatile int cutAfter = Integer.MAX_VALUE;
    volatile int repeat;

    ResponsesServer() throws IOException {
        Thread.ofVirtual().name("responses-server-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("responses-server-connection").start(() -> {
                    try (s) {
                        handle(s);
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Serves this captured stream (split into its SSE events). */
    void serve(String fixture) {
        events = blocks(fixture);
    }

    /** Serves these captured streams to the successive POSTs. */
    void serveInTurn(String... fixtures) {
        List<List<String>> all = new ArrayList<>();
        for (String f : fixtures) all.add(blocks(f));
        posts = List.copyOf(all);
    }

    static List<String> blocks(String fixture) {
        String text = new String(OpenAiFixtures.resource("openai-responses/" + fixture + ".sse"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        for (String b : text.split("\n\n")) if (!b.isBlank()) blocks.add(b + "\n\n");
        return List.copyOf(blocks);
    }

    static long sequenceNumber(String block) {
        Matcher m = SEQ.matcher(block);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) if (c != '\r') b.write(c);
        return b.toString(StandardCharsets.UTF_8);
    }

    private void handle(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String[] requestLine = line(in).split(" ");
        if (requestLine.length < 2) return;
        int length = 0;
        for (String h; !(h = line(in)).isEmpty(); ) {
            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
        }
        String method = requestLine[0];
        String uri = requestLine[1];
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        requests.add(new Seen(method, uri, body));
        List<String> send = new ArrayList<>();
        if (method.equals("POST")) {
            List<String> stream = events;
            if (!posts.isEmpty()) stream = posts.get(Math.min(postCount.getAndIncrement(), posts.size() - 1));
            send.addAll(stream.subList(0, Math.min(cutAfter, stream.size())));
        } else {
            Matcher m = Pattern.compile("starting_after=(\\d+)").matcher(uri);
            long after = m.find() ? Long.parseLong(m.group(1)) : -1;
            for (String e : events) if (sequenceNumber(e) > after - repeat) send.add(e);
        }
        OutputStream out = socket.getOutputStream();
        String head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: req_" + requests.size()
                + "\r\nconnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (String e : send) {
            out.write(e.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
