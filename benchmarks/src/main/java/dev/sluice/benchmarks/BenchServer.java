package dev.sluice.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A loopback HTTP/1.1 server for benchmarks: {@code POST .../v1/messages} answers with one
 * precomputed Anthropic stream ({@link BenchStream}), as the real API does: status 200,
 * {@code content-type: text/event-stream; charset=utf-8}, a {@code request-id} header, a chunked
 * body, keep-alive (a client that reuses connections reuses them here).
 *
 * <p>Two ways to write the body:
 * <ul>
 *   <li>bulk ({@link #start(BenchStream)}): the whole chunked body is built once and written in
 *       256 KiB slices, so the server costs a few syscalls per stream, never one per event;</li>
 *   <li>paced ({@link #startPaced(BenchStream, Duration)}): event {@code i} is written at
 *       {@code i x interval} after the request (absolute deadlines, no drift), each event one
 *       chunk, the last event together with the terminating chunk; optionally the whole answer,
 *       head included, held back by a first-byte delay
 *       ({@link #startPaced(BenchStream, Duration, Duration)}).</li>
 * </ul>
 *
 * <p>Closes as the server sees them (paced mode, for the cancel-to-close trials of
 * {@link CancelTrials}): while a paced answer is written by a virtual thread of its own, the
 * connection's thread reads the socket, on which a client sends nothing until the answer ends; so a
 * client that closes its socket (FIN or RST) is seen at once, not at the next event's write. Each
 * stream's {@link Watch} records when that happened (microseconds since the epoch, the clock
 * {@link #epochMicros()} reads in every process of the machine) or when the answer ended whole, and
 * the events written by then. {@code GET /closes/latest?wait-ms=N} answers, as one text line, the
 * latest stream's watch once it closed or ended (or after N ms): {@code closed MICROS EVENTS},
 * {@code ended MICROS EVENTS} or {@code open - EVENTS}.
 *
 * <p>Threading: one platform thread accepts; each connection is served by its own virtual thread,
 * which owns its socket; a paced connection's thread parks until each deadline. {@link #close()}
 * closes the listening socket and every open connection. Sockets use {@code TCP_NODELAY}.
 *
 * <p>Run alone (for the concurrency runs, so the server's heap and threads stay out of the
 * measured process): {@code java -cp benchmarks.jar dev.sluice.benchmarks.BenchServer
 * --stream text|realtext|tool|realtool|paced|short [--port N]}; it prints
 * {@code http://127.0.0.1:PORT} and serves until killed.
 */
public final class BenchServer implements AutoCloseable {
    /** Size of one HTTP chunk and of one socket write in bulk mode. */
    static final int WRITE_SIZE = 256 * 1024;

    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final BenchStream stream;
    private final @Nullable Duration interval;
    private final byte @Nullable [] bulkBody;
    private final byte @Nullable [][] pacedChunks;
    /** The Converse rendering of the stream ({@link ConverseBenchStream}), chunked, or null when not served. */
    private final byte @Nullable [] converseBody;

    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final Duration firstByteDelay;
    private final AtomicReference<Watch> latest = new AtomicReference<>();
    private volatile boolean closed;

    private BenchServer(BenchStream stream, @Nullable Duration interval, Duration firstByteDelay, int port)
            throws IOException {
        this(stream, null, interval, firstByteDelay, port);
    }

    private BenchServer(
            BenchStream stream,
            @Nullable BenchStream converse,
            @Nullable Duration interval,
            Duration firstByteDelay,
            int port)
            throws IOException {
        this.stream = stream;
        this.converseBody = converse == null ? null : chunked(converse.body());
        this.interval = interval;
        this.firstByteDelay = firstByteDelay;
        if (interval == null) {
            bulkBody = chunked(stream.body());
            pacedChunks = null;
        } else {
            bulkBody = null;
            List<byte[]> events = stream.events();
            pacedChunks = new byte[events.size()][];
            for (int i = 0; i < events.size(); i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                writeChunk(out, events.get(i), 0, events.get(i).length);
                if (i == events.size() - 1) out.writeBytes(LAST_CHUNK);
                pacedChunks[i] = out.toByteArray();
            }
        }
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16_384);
        acceptor = Thread.ofPlatform().name("bench-server-accept").daemon().start(this::acceptLoop);
    }

    /** {@return a server on an ephemeral loopback port writing {@code stream} in bulk} */
    public static BenchServer start(BenchStream stream) throws IOException {
        return new BenchServer(stream, null, Duration.ZERO, 0);
    }

    /**
     * {@return a server on an ephemeral loopback port writing {@code stream} in bulk to
     * {@code POST .../v1/messages}, and its Converse rendering ({@link ConverseBenchStream}) in bulk to
     * {@code POST /model/{modelId}/converse-stream}} A Converse request must carry a SigV4
     * {@code Authorization} for the test key's id ({@link #AWS_ACCESS_KEY_ID}) or a bearer token; the
     * signature itself is not checked (the test kit's fake checks it).
     */
    public static BenchServer startWithConverse(BenchStream stream) throws IOException {
        return new BenchServer(stream, ConverseBenchStream.of(stream), null, Duration.ZERO, 0);
    }

    /** The access key id a Converse request is signed with: the test kit's fake's ({@code FakeBedrock.ACCESS_KEY_ID}). */
    static final String AWS_ACCESS_KEY_ID = "AKIDSLUICETESTKEY";

    /** {@return a server on an ephemeral loopback port writing one event of {@code stream} per interval} */
    public static BenchServer startPaced(BenchStream stream, Duration interval) throws IOException {
        return startPaced(stream, interval, Duration.ZERO);
    }

    /**
     * {@return a server on an ephemeral loopback port writing one event of {@code stream} per
     * interval, the first (with the head) after {@code firstByteDelay}}
     */
    public static BenchServer startPaced(BenchStream stream, Duration interval, Duration firstByteDelay)
            throws IOException {
        if (interval.isNegative() || interval.isZero())
            throw new IllegalArgumentException("interval must be positive: " + interval);
        if (firstByteDelay.isNegative())
            throw new IllegalArgumentException("firstByteDelay must not be negative: " + firstByteDelay);
        return new BenchServer(stream, interval, firstByteDelay, 0);
    }

    /**
     * {@return the latest stream's watch once its connection closed or its answer ended, or as it
     * stands after {@code wait}; null before any paced stream}
     *
     * @param wait how long to wait at most
     * @throws InterruptedException if interrupted while waiting
     */
    public Watch latestWatch(Duration wait) throws InterruptedException {
        Watch w = latest.get();
        if (w != null) w.done.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        return w;
    }

    /** {@return now, in microseconds since the epoch: a clock every process of the machine shares} */
    public static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * What one paced stream's connection did, as the server saw it.
     */
    public static final class Watch {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long events;
        private volatile long eventsAtClose = -1;
        private volatile long closedMicros = -1;
        private volatile long endedMicros = -1;

        /** {@return when the client's socket was seen closed (epoch microseconds), or -1} */
        public long closedMicros() {
            return closedMicros;
        }

        /** {@return when the answer was written whole (epoch microseconds), or -1} */
        public long endedMicros() {
            return endedMicros;
        }

        /** {@return the events handed to the socket so far; once closed, those handed over when the close was seen} */
        public long events() {
            long atClose = eventsAtClose;
            return atClose >= 0 ? atClose : events;
        }

        /** {@return the watch as {@code GET /closes/latest} answers it} */
        @Override
        public String toString() {
            long closed = closedMicros;
            long ended = endedMicros;
            return closed >= 0
                    ? "closed " + closed + " " + events()
                    : ended >= 0 ? "ended " + ended + " " + events : "open - " + events;
        }

        private synchronized void closed() {
            if (closedMicros < 0 && endedMicros < 0) {
                eventsAtClose = events;
                closedMicros = epochMicros();
            }
            done.countDown();
        }

        private synchronized void ended() {
            if (closedMicros < 0 && endedMicros < 0) endedMicros = epochMicros();
            done.countDown();
        }
    }

    /** {@return the base URL, {@code http://127.0.0.1:PORT}, without the {@code /v1/messages} path} */
    public String baseUrl() {
        return "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** {@return the stream this server serves} */
    public BenchStream stream() {
        return stream;
    }

    /** {@return how many streams were answered so far} */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) closeQuietly(s);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) return;
                continue; // e.g. too many open files for a moment: keep serving the others
            }
            open.add(socket);
            Thread.ofVirtual().name("bench-server-conn").start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Request request = Request.read(in);
                if (request == null) return;
                if (request.method.equals("GET") && request.path.startsWith("/closes/latest")) {
                    answerLatest(out, request.path);
                } else if (converseBody != null
                        && request.method.equals("POST")
                        && request.path.startsWith("/model/")
                        && request.path.endsWith(ConverseBenchStream.PATH_SUFFIX)) {
                    respondConverse(out, request.authorization);
                } else if (!request.method.equals("POST") || !request.path.endsWith("/v1/messages")) {
                    byte[] body = ("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no route "
                                    + request.method + " " + request.path + "\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: "
                                    + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } else if (pacedChunks != null) {
                    if (!respondWatched(socket, in, out, request.close)) return;
                } else {
                    respond(out, null);
                }
                if (request.close) return;
            }
        } catch (IOException e) {
            // the client went away: nothing to do
        } finally {
            open.remove(socket);
        }
    }

    /**
     * Writes a paced answer on a virtual thread of its own while this thread reads the socket: a
     * client sends nothing more until the answer ends, so end of stream or an error here is the
     * client closing its socket. A request that asked to close the connection has it closed after
     * its answer (which ends the read).
     *
     * @return whether the connection is still open for the next request
     */
    private boolean respondWatched(Socket socket, InputStream in, OutputStream out, boolean closeAfter)
            throws IOException {
        Watch watch = new Watch();
        latest.set(watch);
        Thread writer = Thread.ofVirtual().name("bench-server-write").start(() -> {
            try {
                respond(out, watch);
                watch.ended();
                if (closeAfter) closeQuietly(socket);
            } catch (IOException e) {
                watch.closed();
            }
        });
        in.mark(1);
        int next;
        try {
            next = in.read();
        } catch (IOException e) {
            next = -1;
        }
        if (next < 0) {
            watch.closed();
            closeQuietly(socket);
        } else {
            in.reset(); // the next request, after this answer ended
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(socket);
            return false;
        }
        return next >= 0;
    }

    private void answerLatest(OutputStream out, String path) throws IOException {
        int at = path.indexOf("wait-ms=");
        long waitMs = at < 0
                ? 0
                : Long.parseLong(path.substring(at + "wait-ms=".length()).split("&", 2)[0]);
        Watch w;
        try {
            w = latestWatch(Duration.ofMillis(waitMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
        byte[] body = (w == null ? "none" : w.toString()).getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Writes the Converse body as Bedrock Runtime answers ({@code x-amzn-RequestId}), or 403 without credentials. */
    private void respondConverse(OutputStream out, @Nullable String authorization) throws IOException {
        byte[] converse = Objects.requireNonNull(converseBody, "answered only when the server has it");
        long id = requests.incrementAndGet();
        String requestId = "00000000-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", id);
        if (authorization == null
                || !(authorization.startsWith("Bearer ")
                        || authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + AWS_ACCESS_KEY_ID + "/"))) {
            byte[] body = "{\"message\":\"Missing Authentication Token\"}".getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\nx-amzn-RequestId: " + requestId
                            + "\r\nx-amzn-ErrorType: MissingAuthenticationTokenException\r\ncontent-length: "
                            + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return;
        }
        byte[] head = ("HTTP/1.1 200 OK\r\n"
                        + "content-type: application/vnd.amazon.eventstream\r\n"
                        + "x-amzn-RequestId: " + requestId + "\r\n"
                        + "transfer-encoding: chunked\r\n"
                        + "connection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int first = Math.min(WRITE_SIZE - head.length, converse.length);
        byte[] opening = new byte[head.length + first];
        System.arraycopy(head, 0, opening, 0, head.length);
        System.arraycopy(converse, 0, opening, head.length, first);
        out.write(opening);
        for (int at = first; at < converse.length; at += WRITE_SIZE) {
            out.write(converse, at, Math.min(WRITE_SIZE, converse.length - at));
        }
        out.flush();
    }

    private void respond(OutputStream out, @Nullable Watch watch) throws IOException {
        long id = requests.incrementAndGet();
        byte[] head = ("HTTP/1.1 200 OK\r\n"
                        + "content-type: text/event-stream; charset=utf-8\r\n"
                        + "cache-control: no-cache\r\n"
                        + "request-id: req_bench_" + String.format(Locale.ROOT, "%012d", id) + "\r\n"
                        + "transfer-encoding: chunked\r\n"
                        + "connection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[][] chunks = pacedChunks;
        if (chunks == null) {
            byte[] bulk = Objects.requireNonNull(bulkBody, "set when not paced");
            // the head with the first slice: the first event leaves in the first packet
            int first = Math.min(WRITE_SIZE - head.length, bulk.length);
            byte[] opening = new byte[head.length + first];
            System.arraycopy(head, 0, opening, 0, head.length);
            System.arraycopy(bulk, 0, opening, head.length, first);
            out.write(opening);
            for (int at = first; at < bulk.length; at += WRITE_SIZE) {
                out.write(bulk, at, Math.min(WRITE_SIZE, bulk.length - at));
            }
        } else {
            long start = System.nanoTime() + firstByteDelay.toNanos();
            long step = Objects.requireNonNull(interval, "set when paced").toNanos();
            for (int i = 0; i < chunks.length; i++) {
                long wait;
                while ((wait = start + i * step - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                // counted as handed to the socket: a client may read the event, and close, before write returns
                if (watch != null) watch.events = i + 1L;
                if (i == 0) {
                    byte[] opening = new byte[head.length + chunks[0].length];
                    System.arraycopy(head, 0, opening, 0, head.length);
                    System.arraycopy(chunks[0], 0, opening, head.length, chunks[0].length);
                    out.write(opening);
                } else {
                    out.write(chunks[i]);
                }
            }
        }
        out.flush();
    }

    /** The body with HTTP/1.1 chunked framing, one chunk per write, and the last chunk. */
    static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / WRITE_SIZE * 16 + 64);
        int payload = WRITE_SIZE - 16; // chunk size line and CRLFs stay inside one write
        for (int at = 0; at < body.length; at += payload) {
            writeChunk(out, body, at, Math.min(payload, body.length - at));
        }
        out.writeBytes(LAST_CHUNK);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, byte[] bytes, int offset, int length) {
        out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, offset, length);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One parsed request; its body is read and discarded. */
    private record Request(
            String method,
            String path,
            boolean close,
            @Nullable String authorization) {
        /** {@return the next request, or null at a clean end of the connection} */
        static @Nullable Request read(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null) return null;
            if (line.isEmpty()) line = readLine(in); // a stray CRLF between requests
            if (line == null) return null;
            String[] parts = line.split(" ", 3);
            if (parts.length < 3) throw new SocketException("bad request line: " + line);
            long contentLength = 0;
            boolean chunked = false;
            boolean close = parts[2].equals("HTTP/1.0");
            String authorization = null;
            String header;
            while ((header = readLine(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) continue;
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "authorization" -> authorization = value;
                    default -> {}
                }
            }
            if (header == null) return null;
            if (chunked) {
                long size;
                do {
                    String sizeLine = readLine(in);
                    if (sizeLine == null) return null;
                    int semi = sizeLine.indexOf(';');
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    in.skipNBytes(size);
                    readLine(in);
                } while (size > 0);
            } else {
                in.skipNBytes(contentLength);
            }
            return new Request(parts[0], parts[1], close, authorization);
        }

        private static @Nullable String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int n = sb.length();
                    if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                    return sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }
    }

    /**
     * Serves one stream until killed: {@code --stream text|realtext|tool|realtool|paced|short} (default paced),
     * {@code --converse} (also its Bedrock Converse rendering, {@link #startWithConverse}; not paced),
     * {@code --port N} (default 0, any), {@code --interval-ms N} (paced, default 20), {@code --paced}
     * (write the named stream paced too), {@code --first-byte-delay-ms N} (paced, default 0). Prints
     * the base URL.
     *
     * @param args the flags
     * @throws Exception if the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        String name = "paced";
        int port = 0;
        long intervalMs = 20;
        long firstByteDelayMs = 0;
        boolean paced = false;
        boolean converse = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stream" -> name = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Long.parseLong(args[++i]);
                case "--first-byte-delay-ms" -> firstByteDelayMs = Long.parseLong(args[++i]);
                case "--paced" -> paced = true;
                case "--converse" -> converse = true;
                default ->
                    throw new IllegalArgumentException("unknown flag: " + args[i]
                            + " (use --stream text|realtext|tool|realtool|paced|short, --port N, --interval-ms N, --paced, "
                            + "--first-byte-delay-ms N, --converse)");
            }
        }
        Duration interval = Duration.ofMillis(intervalMs);
        Duration delay = Duration.ofMillis(firstByteDelayMs);
        BenchServer server = switch (name) {
            case "short" ->
                converse
                        ? new BenchServer(
                                BenchStream.text(SHORT_DELTAS),
                                ConverseBenchStream.of(BenchStream.text(SHORT_DELTAS)),
                                null,
                                Duration.ZERO,
                                port)
                        : new BenchServer(BenchStream.text(SHORT_DELTAS), null, Duration.ZERO, port);
            case "paced" -> new BenchServer(BenchStream.text(PACED_DELTAS), interval, delay, port);
            // text, realtext, tool, realtool; with --converse also its Converse rendering, in bulk, at
            // /model/{modelId}/converse-stream
            default -> {
                BenchStream s = BenchStream.named(name);
                yield new BenchServer(
                        s,
                        converse ? ConverseBenchStream.of(s) : null,
                        paced ? interval : null,
                        paced ? delay : Duration.ZERO,
                        port);
            }
        };
        System.out.println(server.baseUrl());
        System.out.flush();
        server.acceptor.join();
    }

    /** Deltas of the paced stream: with the frame, 50 events. */
    public static final int PACED_DELTAS = 45;
    /** Deltas of the short stream used for the time to the first event. */
    public static final int SHORT_DELTAS = 3;
}
