package dev.sluice.benchmarks;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.MessageChunk;
import dev.sluice.cli.serve.ServeServer;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import dev.sluice.sse.SseWriter;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The relay's overhead against reading the provider directly (issue #16), not a JMH benchmark:
 * distributions and whole-run figures, of the relay as it ships (issue #53).
 *
 * <p>Two servers run in this JVM, each a Jetty 12 whose requests run on virtual threads (a
 * {@code QueuedThreadPool} with a virtual-thread executor). The <b>relayed</b> paths go through
 * what {@code sluice serve} runs ({@link #serve}): {@link ServeServer} from {@code sluice-cli},
 * which mounts {@code sluice-server}'s {@code RelayServlet} with the routes of
 * {@code RelayHttpApi} on Jetty ee10, behind its host and origin guard, its admission (JSON bodies,
 * limits per client address, the access log) and its connection guard, with serve's defaults but
 * for the limits that the runs' clients, all from one address, would hit. The <b>plain SSE</b>
 * baseline ({@link #servePlain}) is a Jetty of its own with one core handler, no servlet and no
 * relay, that writes the model's chunks as SSE itself: the hop to a browser without the relay.
 *
 * <ul>
 * <li>{@code latency}: a paced in-process model stamps each delta with {@code System.nanoTime()}
 *     as it emits it; one reader takes the stream directly ({@code EventStream<MessageChunk>}),
 *     another the plain SSE baseline, another the relay ({@code POST /api/streams}, then
 *     {@code GET /api/streams/ID/events}), each over the JDK {@code HttpClient} reading SSE,
 *     parsed with Sluice's parser. Per event: receive time minus stamp; p50/p99 of each path and
 *     the difference. The same stream through the shipped OpenAI-compatible gateway
 *     ({@code POST /v1/chat/completions}, model {@code stamp/stamp}) and frontend protocols
 *     ({@code POST /api/chat}, the Vercel AI SDK's UI message stream; {@code POST /api/ag-ui},
 *     AG-UI): their added latency over plain SSE.</li>
 * <li>{@code concurrent}: N streams at once, each {@code --events} deltas {@code --interval-ms}
 *     apart; wall time direct (N virtual threads iterating), plain SSE and relayed (N HttpClient
 *     SSE connections each); every relayed stream checked for ids 1..n.</li>
 * <li>{@code active}: N streams at once, each {@code --events} deltas {@code --interval-ms} apart
 *     (default 1,000 × 100, 20 ms: a model's pace), read by clients in a JVM of their own over raw
 *     HTTP/1.0 sockets on virtual threads: per round N plain SSE streams, then N relayed; per delta
 *     over all streams receive time minus stamp, and the relay's added p50/p99. With
 *     {@code --together}, the N plain and the N relayed streams run at once, started alternately,
 *     so that both see the same load (2N streams), and each stream's deltas start at a random
 *     phase of the interval, as independent streams' would: on 2 cores the load of a round moves
 *     plain SSE's own p99 by tens of milliseconds from one round to the next, and streams started
 *     together that tick in step queue behind each other, far more than the relay adds. With
 *     {@code --paired}, as {@code --together}, and each plain stream has a relayed twin on the
 *     same schedule (its first delta due {@link #PAIR_LEAD_NANOS} after the first of the two
 *     starts): per delta, the relayed latency minus its twin's, so that the stalls both paths
 *     share cancel out; its p50/p90/p99, over all twins and over those emitted within 1 ms of
 *     each other. {@code --paired-plain} is its control: the twin is a second plain stream.</li>
 * <li>{@code idle}: N relayed connections to the shipped server (no baseline server), held open on
 *     streams whose model is silent after {@code --deltas} deltas 1 ms apart (raw sockets that
 *     read the first, then nothing); used heap after a full GC, before and after, divided by N:
 *     the heap per idle relayed connection (stream, subscription, the servlet's request and
 *     response in async mode, no thread waiting for a silent stream, and Jetty's connection
 *     together; the raw client sockets live in a JVM of their own, so the node's heap holds only
 *     its side), measured once the last delivery's linger has passed. The streams
 *     wait up to 10 minutes for their connections (the relay's default is 30 s, too short for
 *     10,000 created one after another before the first connects), and the run fails if any of
 *     them ended before it was measured. {@code --histogram} prints the live classes that hold it.</li>
 * </ul>
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRun latency [--events 10000] [--interval-us 500]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRun concurrent [--streams 1000] [--events 100] [--interval-ms 10]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRun active [--streams 1000] [--events 100] [--interval-ms 20] [--together|--paired|--paired-plain]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RelayRun idle [--streams 1000] [--deltas 1] [--histogram]
 * </pre>
 *
 * <p>Why this file is long: one run's driver, its servers, its paths, its clients and its report, read
 * in the order the run goes; the servers' and clients' pieces shared with other runs live in their
 * own classes.
 */
public final class RelayRun {
    private RelayRun() {}

    /**
     * A model whose deltas carry their emit time; silent after its deltas when {@code stall}. Each
     * stream's first delta comes one interval after it starts, or, when {@code spread}, after a
     * random part of one more interval: streams started together then do not tick in step. The
     * streams of a pair (their prompt the same key, starting with {@link #PAIR}) share one
     * schedule, which the first of them to start sets.
     */
    static final class StampingModel implements ChatProvider {
        /** What a paired stream's prompt starts with; the whole prompt is its pair's key. */
        static final String PAIR = "pair-";

        final int events;
        final long intervalNanos;
        final boolean stall;
        final boolean spread;
        /** Paired streams' first deltas, by key: when the pair's first stream started, plus the lead and a random phase. */
        private final ConcurrentHashMap<String, Long> pairs = new ConcurrentHashMap<>();

        private final long pairLeadNanos;

        StampingModel(int events, long intervalNanos, boolean stall) {
            this(events, intervalNanos, stall, false, 0);
        }

        /**
         * @param pairLeadNanos for a stream whose prompt starts with {@link #PAIR}: how long after the
         *     first stream of its key starts the key's streams emit their first delta (each then on
         *     the same schedule); a stream that starts later catches up at once, and its stamps say so
         */
        StampingModel(int events, long intervalNanos, boolean stall, boolean spread, long pairLeadNanos) {
            this.events = events;
            this.intervalNanos = intervalNanos;
            this.stall = stall;
            this.spread = spread;
            this.pairLeadNanos = pairLeadNanos;
        }

        /** {@return when the stream for {@code request} emits its first delta} */
        long firstDelta(ChatRequest request) {
            String prompt = request.messages().getLast().text();
            if (prompt != null && prompt.startsWith(PAIR)) {
                return pairs.computeIfAbsent(
                        prompt,
                        k -> System.nanoTime()
                                + pairLeadNanos
                                + ThreadLocalRandom.current().nextLong(intervalNanos));
            }
            return System.nanoTime()
                    + intervalNanos
                    + (spread ? ThreadLocalRandom.current().nextLong(intervalNanos) : 0);
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return stream(request, StreamController.create());
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return EventStream.<MessageChunk>builder().controller(controller).generate(emitter -> {
                CountDownLatch closed = new CountDownLatch(1);
                emitter.attach(closed::countDown);
                long next = firstDelta(request);
                ChunkMetadata meta = new ChunkMetadata("stamp", Instant.now(), Duration.ZERO);
                for (int i = 0; i < events; i++, next += intervalNanos) {
                    long wait;
                    while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                    if (!emitter.emit(MessageChunk.builder(meta)
                            .text("t" + System.nanoTime())
                            .build())) return;
                }
                if (stall) closed.await();
            });
        }
    }

    /** Serve's defaults ({@code sluice serve}'s flags unset): the token cap and each stream's replay buffer. */
    static final int SERVE_MAX_TOKENS = 8192, SERVE_REPLAY_EVENTS = 2048;

    static final long SERVE_REPLAY_BYTES = 256 * 1024;

    /**
     * The relay as {@code sluice serve} ships it: {@link ServeServer} ({@code sluice-server}'s
     * {@code RelayServlet} with the routes of {@code RelayHttpApi} on Jetty 12 ee10, requests on
     * virtual threads, its host and origin guard and its connection guard) over a relay of the
     * stamping model, with the OpenAI-compatible gateway over the same model ({@code stamp/stamp}).
     * Serve's defaults throughout but for what the runs' clients, all from 127.0.0.1, would run
     * into: streams in all and per client address, and connections in all and per client address,
     * are raised well above {@code streams}; no creation rate (serve's default is 30 a minute);
     * the access log's lines (serve's go to stderr) go to {@code accessLog}.
     *
     * @param attachTimeout how long a created stream waits for its first client; null for the
     *     relay's default (30 s), which serve keeps
     */
    static ServeServer serve(
            ChatProvider model, int streams, @Nullable Duration attachTimeout, Consumer<String> accessLog) {
        Relay.Builder relay = Relay.builder()
                .provider("stamp", model, "stamp")
                .limits(RelayLimits.defaults()
                        .withMaxStreams(streams + 10)
                        .withReplay(SERVE_REPLAY_EVENTS, SERVE_REPLAY_BYTES));
        if (attachTimeout != null) relay.attachTimeout(attachTimeout);
        RelayAdmission admission = RelayAdmission.builder(relay.build())
                .maxStreamsPerClient(streams + 10)
                .maxTokens(SERVE_MAX_TOKENS)
                .accessLog(accessLog)
                .build();
        int connections = Math.max(10_000, 4 * streams);
        return ServeServer.builder(admission)
                .gateway(GatewayHttp.builder(admission).provider("stamp", model).build())
                .maxConnections(connections)
                .maxConnectionsPerClient(connections)
                .start();
    }

    /**
     * The baseline, plain SSE with no relay: {@code GET /plain} answers with the model's chunks
     * written as SSE by the handler itself ({@code ?pair=KEY}: the stream shares its pair's
     * schedule). A Jetty of its own beside the shipped server, in the same JVM, with the same
     * threads (a {@link QueuedThreadPool} with a virtual-thread executor).
     */
    static Server servePlain(ChatProvider model) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(2048);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!Request.getPathInContext(request).equals("/plain")) return false; // Jetty's 404
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                OutputStream out = Content.Sink.asOutputStream(response);
                SseWriter sse = new SseWriter(out);
                long id = 0;
                sse.write(new SseEvent("start", "{\"provider\":\"stamp\",\"model\":\"stamp\"}", Long.toString(++id)));
                sse.flush();
                String query = request.getHttpURI().getQuery(); // pair=KEY: the stream shares its pair's schedule
                String prompt = query != null && query.startsWith("pair=") ? query.substring("pair=".length()) : "go";
                try (EventStream<MessageChunk> chunks = model.stream(ChatRequest.builder()
                        .model("stamp")
                        .addMessage(ChatMessage.user(prompt))
                        .build())) {
                    for (MessageChunk c : chunks) {
                        sse.write(new SseEvent("delta", "{\"text\":\"" + c.text() + "\"}", Long.toString(++id)));
                        sse.flush();
                    }
                }
                sse.write(new SseEvent("done", "{}", Long.toString(++id)));
                sse.close();
                callback.succeeded();
                return true;
            }
        });
        server.start();
        return server;
    }

    /** The shipped server with the relay, and the plain-SSE baseline beside it. */
    @SuppressWarnings("try") // its close() may throw InterruptedException: a benchmark run ends there
    record Servers(ServeServer relay, Server plain) implements AutoCloseable {
        static Servers start(ChatProvider model, int streams) throws Exception {
            ServeServer relay = serve(model, streams, null, line -> {}); // one line per stream as it ends, dropped
            try {
                return new Servers(relay, servePlain(model));
            } catch (Exception e) {
                relay.close();
                throw e;
            }
        }

        /** {@return the shipped server's address: the relay's API, the frontend protocols, the gateway} */
        URI relayed() {
            return relay.uri();
        }

        /** {@return the baseline's address} */
        URI baseline() {
            return base(plain);
        }

        /** Stops both; the shipped server cancels the relay's streams. */
        @Override
        public void close() throws Exception {
            relay.close();
            plain.stop();
        }
    }

    static URI base(Server server) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    static String create(HttpClient http, URI base) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"go\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException(r.statusCode() + " " + r.body());
        return r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    /**
     * Reads one relayed stream of the shipped server at {@code base} to its end; {@code latencies}
     * gets receive time minus stamp per delta (may be null).
     */
    static long readRelayed(HttpClient http, URI base, String id, long @Nullable [] latencies) throws Exception {
        return readSse(http, base.resolve("/api/streams/" + id + "/events"), latencies);
    }

    /** Reads the plain SSE baseline at {@code base} (no relay) to its end. */
    static long readPlain(HttpClient http, URI base, long @Nullable [] latencies) throws Exception {
        return readSse(http, base.resolve("/plain"), latencies);
    }

    static long readSse(HttpClient http, URI uri, long @Nullable [] latencies) throws Exception {
        HttpResponse<InputStream> r =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        uri + ": " + r.statusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return readSse(in, latencies, null, Long.MIN_VALUE);
        }
    }

    /**
     * Reads SSE to the end of {@code in}, checking ids 1, 2, 3, …; a delta stamped before
     * {@code notBefore} gets its latency negated (it waited for the reader; {@code Long.MIN_VALUE}: none
     * did). {@code stamps}, when not null, gets each delta's stamp. {@return the events read}
     */
    static long readSse(InputStream in, long @Nullable [] latencies, long @Nullable [] stamps, long notBefore)
            throws IOException {
        boolean waited = notBefore != Long.MIN_VALUE; // nanoTime values are compared by difference only
        long[] count = {0};
        boolean[] ok = {true};
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(SseEvent e) {
                long now = System.nanoTime();
                if (Long.parseLong(e.lastEventId()) != count[0] + 1) ok[0] = false;
                if (e.type().equals("delta") && latencies != null) {
                    String d = e.data(); // {"text":"t123"}
                    long stamp = Long.parseLong(d.substring(10, d.length() - 2));
                    latencies[(int) (count[0] - 1)] = waited && stamp - notBefore < 0 ? -(now - stamp) : now - stamp;
                    if (stamps != null) stamps[(int) (count[0] - 1)] = stamp;
                }
                count[0]++;
            }
        });
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) parser.feed(buf, 0, n);
        if (!ok[0]) throw new IllegalStateException("ids were not 1, 2, 3, ...");
        return count[0];
    }

    /** The gateway's request body: one user message, streamed. */
    static final String GATEWAY =
            "{\"model\":\"stamp/stamp\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    /** Where a text delta's stamp stands in the frontend protocols' events, and in the gateway's chunks. */
    static final String UI_DELTA = "\"delta\":\"", GATEWAY_DELTA = "\"content\":\"";

    private static final AtomicLong CHATS = new AtomicLong();

    /**
     * {@return the UI message stream's request body: one user message, in a chat of its own (a chat
     * whose stream runs belongs to the client that started it, and this client keeps no cookie)}
     */
    static String uiChat() {
        return "{\"id\":\"bench-chat-" + CHATS.incrementAndGet()
                + "\",\"trigger\":\"submit-message\",\"messages\":[{\"id\":\"u1\","
                + "\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"go\"}]}]}";
    }
    /**
     * {@return AG-UI's run input: one user message, on a thread of its own (a running thread belongs
     * to the client that started it, and this client keeps no cookie)}
     */
    static String agUiRun() {
        return "{\"threadId\":\"bench-thread-" + CHATS.incrementAndGet()
                + "\",\"runId\":\"r\",\"messages\":[{\"id\":\"u1\","
                + "\"role\":\"user\",\"content\":\"go\"}],\"tools\":[],\"context\":[]}";
    }

    /**
     * Posts a protocol's request and reads its answer to its end ({@code data: [DONE]} where the
     * protocol ends so); {@code latencies} gets receive time minus stamp per text delta, found
     * after {@code marker} ({@code "delta":"} for the frontend protocols, {@code "content":"} for the
     * gateway; may be null). {@return the events read}
     */
    static long readProtocol(HttpClient http, URI uri, String body, String marker, long @Nullable [] latencies)
            throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) throw new IllegalStateException(uri + ": " + r.statusCode());
        long[] count = {0};
        int[] deltas = {0};
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(SseEvent e) {
                long now = System.nanoTime();
                String d = e.data();
                int at = d.indexOf(marker + "t");
                if (at >= 0 && latencies != null && deltas[0] < latencies.length) {
                    int from = at + marker.length() + 1;
                    int to = d.indexOf('"', from);
                    latencies[deltas[0]] = now - Long.parseLong(d.substring(from, to));
                }
                if (at >= 0) deltas[0]++;
                count[0]++;
            }
        });
        try (InputStream in = r.body()) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) parser.feed(buf, 0, n);
        }
        if (latencies != null && deltas[0] != latencies.length)
            throw new IllegalStateException(uri + ": " + deltas[0] + " deltas");
        return count[0];
    }

    static long readDirect(ChatProvider model, long @Nullable [] latencies) {
        long count = 0;
        try (EventStream<MessageChunk> chunks = model.stream(ChatRequest.builder()
                .model("stamp")
                .addMessage(ChatMessage.user("go"))
                .build())) {
            for (MessageChunk c : chunks) {
                long now = System.nanoTime();
                if (latencies != null)
                    latencies[(int) count] = now - Long.parseLong(c.text().substring(1));
                count++;
            }
        }
        return count;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "latency" : args[0];
        switch (mode) {
            case "latency" -> latency(intFlag(args, "--events", 10_000), intFlag(args, "--interval-us", 500));
            case "concurrent" ->
                concurrent(
                        intFlag(args, "--streams", 1000),
                        intFlag(args, "--events", 100),
                        intFlag(args, "--interval-ms", 10));
            case "idle" -> idle(intFlag(args, "--streams", 1000), args);
            case "idle-clients" -> idleClients(Integer.parseInt(args[1]));
            case "active" ->
                active(
                        intFlag(args, "--streams", 1000),
                        intFlag(args, "--events", 100),
                        intFlag(args, "--interval-ms", 20),
                        Mix.of(args));
            case "active-clients" ->
                activeClients(
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]),
                        Mix.valueOf(args[6]));
            default -> throw new IllegalArgumentException("mode: latency, concurrent, active or idle");
        }
        System.exit(0);
    }

    @SuppressWarnings("try") // its close() may throw InterruptedException: a benchmark run ends there
    static void latency(int events, int intervalUs) throws Exception {
        StampingModel model = new StampingModel(events, intervalUs * 1000L, false);
        try (Servers servers = Servers.start(model, 10);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            URI base = servers.relayed(), baseline = servers.baseline();
            for (int warm = 0; warm < 2; warm++) { // JIT both paths
                readDirect(model, null);
                readPlain(http, baseline, null);
                readRelayed(http, base, create(http, base), null);
                readProtocol(http, base.resolve("/v1/chat/completions"), GATEWAY, GATEWAY_DELTA, null);
                readProtocol(http, base.resolve("/api/chat"), uiChat(), UI_DELTA, null);
                readProtocol(http, base.resolve("/api/ag-ui"), agUiRun(), UI_DELTA, null);
            }
            for (int round = 1; round <= 3; round++) {
                long[] direct = new long[events];
                long[] plain = new long[events];
                long[] relayed = new long[events];
                readDirect(model, direct);
                readPlain(http, baseline, plain);
                readRelayed(http, base, create(http, base), relayed);
                long[] ui = new long[events];
                long[] agUi = new long[events];
                readProtocol(http, base.resolve("/api/chat"), uiChat(), UI_DELTA, ui);
                readProtocol(http, base.resolve("/api/ag-ui"), agUiRun(), UI_DELTA, agUi);
                Arrays.sort(direct);
                Arrays.sort(plain);
                Arrays.sort(relayed);
                Arrays.sort(ui);
                Arrays.sort(agUi);
                System.out.printf(
                        "round %d, %,d events %d us apart: in-process p50 %s p99 %s | plain SSE p50 %s p99 %s | relayed p50 %s p99 %s"
                                + " | relay added over plain SSE: p50 %s p99 %s | over in-process: p50 %s p99 %s%n",
                        round,
                        events,
                        intervalUs,
                        us(pct(direct, 50)),
                        us(pct(direct, 99)),
                        us(pct(plain, 50)),
                        us(pct(plain, 99)),
                        us(pct(relayed, 50)),
                        us(pct(relayed, 99)),
                        us(pct(relayed, 50) - pct(plain, 50)),
                        us(pct(relayed, 99) - pct(plain, 99)),
                        us(pct(relayed, 50) - pct(direct, 50)),
                        us(pct(relayed, 99) - pct(direct, 99)));
                long[] gateway = new long[events];
                readProtocol(http, base.resolve("/v1/chat/completions"), GATEWAY, GATEWAY_DELTA, gateway);
                Arrays.sort(gateway);
                System.out.printf(
                        "round %d, protocols over plain SSE: UI message stream p50 %s p99 %s, added p50 %s p99 %s"
                                + " | AG-UI p50 %s p99 %s, added p50 %s p99 %s"
                                + " | OpenAI-compatible gateway p50 %s p99 %s, added p50 %s p99 %s%n",
                        round,
                        us(pct(ui, 50)),
                        us(pct(ui, 99)),
                        us(pct(ui, 50) - pct(plain, 50)),
                        us(pct(ui, 99) - pct(plain, 99)),
                        us(pct(agUi, 50)),
                        us(pct(agUi, 99)),
                        us(pct(agUi, 50) - pct(plain, 50)),
                        us(pct(agUi, 99) - pct(plain, 99)),
                        us(pct(gateway, 50)),
                        us(pct(gateway, 99)),
                        us(pct(gateway, 50) - pct(plain, 50)),
                        us(pct(gateway, 99) - pct(plain, 99)));
            }
        }
    }

    @SuppressWarnings("try") // its close() may throw InterruptedException: a benchmark run ends there
    static void concurrent(int streams, int events, int intervalMs) throws Exception {
        StampingModel model = new StampingModel(events, intervalMs * 1_000_000L, false);
        try (Servers servers = Servers.start(model, streams);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newVirtualThreadPerTaskExecutor())
                        .build()) {
            URI base = servers.relayed(), baseline = servers.baseline();
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < streams; i++) threads.add(Thread.ofVirtual().start(() -> readDirect(model, null)));
                for (Thread t : threads) t.join();
                long direct = System.nanoTime() - t0;

                threads.clear();
                long tp = System.nanoTime();
                for (int i = 0; i < streams; i++)
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            readPlain(http, baseline, null);
                        } catch (Exception e) {
                            System.err.println("plain: " + e);
                        }
                    }));
                for (Thread t : threads) t.join();
                long plain = System.nanoTime() - tp;

                threads.clear();
                long[] ok = new long[streams];
                long t1 = System.nanoTime();
                for (int i = 0; i < streams; i++) {
                    int n = i;
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            ok[n] = readRelayed(http, base, create(http, base), null);
                        } catch (Exception e) {
                            System.err.println("stream " + n + ": " + e);
                        }
                    }));
                }
                for (Thread t : threads) t.join();
                long relayed = System.nanoTime() - t1;
                long complete = Arrays.stream(ok).filter(c -> c == events + 2).count();
                System.out.printf(
                        "round %d, %,d streams x %d events %d ms apart (ideal %.2f s): in-process %.2f s, plain SSE %.2f s,"
                                + " relayed %.2f s (%.2fx plain SSE, %.2fx in-process), %,d of %,d relayed streams complete with ids 1..%d%n",
                        round,
                        streams,
                        events,
                        intervalMs,
                        events * intervalMs / 1000.0,
                        direct / 1e9,
                        plain / 1e9,
                        relayed / 1e9,
                        (double) relayed / plain,
                        (double) relayed / direct,
                        complete,
                        streams,
                        events + 2);
            }
        }
    }

    /** How the active mode's plain and relayed streams run. */
    enum Mix {
        /** N plain streams at once, then N relayed. */
        APART,
        /** All 2N at once, plain and relayed started alternately. */
        TOGETHER,
        /** As {@link #TOGETHER}, each plain stream with a relayed twin on its schedule ({@code --paired}). */
        PAIRED,
        /**
         * The control of {@link #PAIRED} ({@code --paired-plain}): the twin is a second plain SSE
         * stream, so the figures say what two twins of one path differ by.
         */
        PAIRED_PLAIN;

        static Mix of(String[] args) {
            List<String> flags = Arrays.asList(args);
            if (flags.contains("--paired-plain")) return PAIRED_PLAIN;
            if (flags.contains("--paired")) return PAIRED;
            return flags.contains("--together") ? TOGETHER : APART;
        }

        boolean paired() {
            return this == PAIRED || this == PAIRED_PLAIN;
        }
    }

    @SuppressWarnings("try") // its close() may throw InterruptedException: a benchmark run ends there
    static void active(int streams, int events, int intervalMs, Mix mix) throws Exception {
        StampingModel model =
                new StampingModel(events, intervalMs * 1_000_000L, false, mix != Mix.APART, PAIR_LEAD_NANOS);
        try (Servers servers = Servers.start(model, streams)) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process clients = new ProcessBuilder(
                            java,
                            "-Xmx1g",
                            "-cp",
                            System.getProperty("java.class.path"),
                            RelayRun.class.getName(),
                            "active-clients",
                            Integer.toString(servers.baseline().getPort()),
                            Integer.toString(servers.relayed().getPort()),
                            Integer.toString(streams),
                            Integer.toString(events),
                            Integer.toString(intervalMs),
                            mix.name())
                    .inheritIO()
                    .start();
            if (clients.waitFor() != 0) throw new IllegalStateException("the clients' process failed");
        }
    }

    /**
     * The active mode's clients, in their own JVM (the relay's JVM stamps each delta with its
     * {@code System.nanoTime()}, the monotonic clock both processes share on Linux): per round, N
     * plain SSE streams of the baseline at {@code plainPort} at once, then N relayed streams of the
     * shipped server at {@code relayPort} at once ({@code together}: all 2N at once,
     * plain and relayed started alternately), each read on a virtual thread over a raw HTTP/1.0
     * socket (no chunking, no client library's own threads in the figure). {@link Mix#PAIRED}: as
     * {@code together}, and plain stream {@code i} and relayed stream {@code i} share one schedule
     * (their prompt is the pair's key), so that each delta of one has its twin in the other, emitted
     * at the same moment; the relay's added latency is then also taken delta by delta ({@link #paired}).
     * {@link Mix#PAIRED_PLAIN}: the same with a plain stream in the relayed stream's place.
     */
    static void activeClients(int plainPort, int relayPort, int streams, int events, int intervalMs, Mix mix)
            throws Exception {
        boolean paired = mix.paired();
        for (int round = 0; round <= 3; round++) { // round 0 warms both paths
            long[][] plain = new long[streams][events];
            long[][] relayed = new long[streams][events];
            // the deltas' stamps, for the pairs only: unpaired, each row is null and the readers keep none
            long[][] plainStamps = paired ? new long[streams][events] : new long[streams][];
            long[][] relayedStamps = paired ? new long[streams][events] : new long[streams][];
            int thisRound = round;
            IntFunction<String> plainPath = i -> "/plain" + (paired ? "?pair=" + pairKey(thisRound, i) : "");
            RawRead readPlain = i -> rawGet(plainPort, plainPath.apply(i), plain[i], plainStamps[i]);
            RawRead readRelayed = mix == Mix.PAIRED_PLAIN
                    ? i -> rawGet(plainPort, plainPath.apply(i), relayed[i], relayedStamps[i])
                    : i -> rawGet(
                            relayPort,
                            "/api/streams/" + rawCreate(relayPort, paired ? pairKey(thisRound, i) : "go") + "/events",
                            relayed[i],
                            relayedStamps[i]);
            long plainComplete, plainWall, relayedComplete, relayedWall;
            if (mix != Mix.APART) {
                long t = System.nanoTime();
                long[] complete =
                        atOnce(2 * streams, i -> i % 2 == 0 ? readPlain.read(i / 2) : readRelayed.read(i / 2), 2);
                plainWall = relayedWall = System.nanoTime() - t;
                plainComplete = complete[0];
                relayedComplete = complete[1];
            } else {
                long tp = System.nanoTime();
                plainComplete = atOnce(streams, readPlain, 1)[0];
                plainWall = System.nanoTime() - tp;
                long tr = System.nanoTime();
                relayedComplete = atOnce(streams, readRelayed, 1)[0];
                relayedWall = System.nanoTime() - tr;
            }
            if (round == 0) continue;
            long[] p = all(plain), r = all(relayed);
            System.out.printf(
                    "round %d, %,d streams x %d deltas %d ms apart%s, clients in their own JVM: plain SSE %.2f s (%,d complete)"
                            + " p50 %s p99 %s | relayed %.2f s (%,d complete) p50 %s p99 %s | relay added over plain SSE: p50 %s p99 %s%n",
                    round,
                    streams,
                    events,
                    intervalMs,
                    switch (mix) {
                        case APART -> "";
                        case TOGETHER -> ", plain and relayed together";
                        case PAIRED -> ", plain and relayed in pairs";
                        case PAIRED_PLAIN ->
                            ", CONTROL: plain and plain in pairs (the \"relayed\" figures are the second plain stream's)";
                    },
                    plainWall / 1e9,
                    plainComplete,
                    us(pct(p, 50)),
                    us(pct(p, 99)),
                    relayedWall / 1e9,
                    relayedComplete,
                    us(pct(r, 50)),
                    us(pct(r, 99)),
                    us(pct(r, 50) - pct(p, 50)),
                    us(pct(r, 99) - pct(p, 99)));
            // a relayed stream's model starts at the POST and its reader connects after it: deltas emitted
            // before the reader was attached waited in the replay buffer for the connection, and are left out
            // of the per-event figure (they are the start-up burst, not the relay's cost per event)
            long[] ps = flatSorted(plain), rs = flatSorted(relayed);
            long waited = (long) streams * events - rs.length;
            System.out.printf(
                    "round %d, deltas emitted once the reader was attached (%,d relayed deltas left out): plain SSE p50 %s p99 %s"
                            + " | relayed p50 %s p99 %s | relay added over plain SSE: p50 %s p90 %s p99 %s p99.9 %s%n",
                    round,
                    waited,
                    us(pct(ps, 50)),
                    us(pct(ps, 99)),
                    us(pct(rs, 50)),
                    us(pct(rs, 99)),
                    us(pct(rs, 50) - pct(ps, 50)),
                    us(pct(rs, 90) - pct(ps, 90)),
                    us(pct(rs, 99) - pct(ps, 99)),
                    us(pct(rs, 99.9) - pct(ps, 99.9)));
            if (!paired) continue;
            long[] all = paired(plain, relayed, plainStamps, relayedStamps, Long.MAX_VALUE);
            long[] twins = paired(plain, relayed, plainStamps, relayedStamps, 1_000_000);
            System.out.printf(
                    "round %d, paired, relayed minus plain latency of each delta and its twin, both read after their reader"
                            + " attached (%,d pairs): p50 %s p90 %s p99 %s p99.9 %s max %s | the twins emitted within 1 ms of each other (%,d):"
                            + " p50 %s p90 %s p99 %s p99.9 %s max %s%n",
                    round,
                    all.length,
                    us(pct(all, 50)),
                    us(pct(all, 90)),
                    us(pct(all, 99)),
                    us(pct(all, 99.9)),
                    us(all[all.length - 1]),
                    twins.length,
                    us(pct(twins, 50)),
                    us(pct(twins, 90)),
                    us(pct(twins, 99)),
                    us(pct(twins, 99.9)),
                    us(twins[twins.length - 1]));
        }
    }

    /** How long after a pair's first stream starts the pair's first delta is due: time for its twin to start and attach. */
    static final long PAIR_LEAD_NANOS = 2_000_000_000L;

    /** {@return the prompt of pair {@code i} of {@code round}} */
    static String pairKey(int round, int i) {
        return StampingModel.PAIR + round + "-" + i;
    }

    /**
     * The relay's added latency delta by delta: for each delta that both streams of a pair read
     * (stamped; the relayed one after its reader attached, its latency not negated), its relayed
     * latency minus its plain twin's, when the two were emitted at most {@code maxSkewNanos} apart.
     * A stall that both paths share (the collector, the scheduler) falls on both twins and cancels
     * out, as it does not between two percentiles of separate streams. {@return the differences, sorted}
     */
    static long[] paired(
            long[][] plain, long[][] relayed, long[][] plainStamps, long[][] relayedStamps, long maxSkewNanos) {
        long[] diffs = new long[Arrays.stream(plain).mapToInt(a -> a.length).sum()];
        int n = 0;
        for (int i = 0; i < plain.length; i++) {
            for (int j = 0; j < plain[i].length; j++) {
                if (plainStamps[i][j] == 0 || relayedStamps[i][j] == 0 || relayed[i][j] < 0)
                    continue; // not read, or waited for the reader
                if (Math.abs(relayedStamps[i][j] - plainStamps[i][j]) > maxSkewNanos) continue;
                diffs[n++] = relayed[i][j] - plain[i][j];
            }
        }
        long[] sorted = Arrays.copyOf(diffs, n);
        Arrays.sort(sorted);
        return sorted;
    }

    interface RawRead {
        long read(int stream) throws Exception;
    }

    /**
     * Runs {@code read} for streams 0..n-1 at once on virtual threads, started in order. {@return
     * per class of stream (stream {@code i} is of class {@code i % classes}), how many read start,
     * every delta and done}
     */
    private static long[] atOnce(int n, RawRead read, int classes) throws InterruptedException {
        long[] counts = new long[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int stream = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    counts[stream] = read.read(stream);
                } catch (Exception e) {
                    System.err.println("stream " + stream + ": " + e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        long expected = Arrays.stream(counts).max().orElse(0);
        long[] complete = new long[classes];
        for (int i = 0; i < n; i++) if (counts[i] == expected) complete[i % classes]++;
        return complete;
    }

    /** GETs {@code path} over HTTP/1.0 and reads its SSE body to the end. */
    static long rawGet(int port, String path, long[] latencies, long[] stamps) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
            String head = rawHead(in);
            long attached =
                    System.nanoTime() - 1_000_000; // the head arrives after the subscription began; 1 ms of slack
            if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200"))
                throw new IOException(path + ": " + head);
            return readSse(in, latencies, stamps, attached);
        }
    }

    /** Starts a relayed stream over HTTP/1.0; {@return its id} */
    static String rawCreate(int port, String prompt) throws IOException {
        byte[] body = ("{\"prompt\":\"" + prompt + "\"}").getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream()
                    .write(
                            ("POST /api/streams HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                            + body.length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 201") && !answer.startsWith("HTTP/1.0 201"))
                throw new IOException("create: " + answer);
            return answer.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        }
    }

    /** {@return the status line and headers, read up to the empty line} */
    private static String rawHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            int n = head.length();
            if (n >= 4
                    && head.charAt(n - 4) == '\r'
                    && head.charAt(n - 3) == '\n'
                    && head.charAt(n - 2) == '\r'
                    && head.charAt(n - 1) == '\n') {
                return head.toString();
            }
        }
        throw new IOException("closed in the headers: " + head);
    }

    /** How long the idle mode waits after its clients attached: the relay's linger (5 s) and a second more. */
    static final long IDLE_AFTER_MILLIS = 6_000;

    static void idle(int streams, String[] args) throws Exception {
        int deltas = intFlag(args, "--deltas", 1);
        StampingModel model = new StampingModel(deltas, 1_000_000L, true); // deltas 1 ms apart, then silent
        Set<String> ended = ConcurrentHashMap.newKeySet(); // the streams that ended, from their access-log lines
        // every stream is created before the first connection attaches: at 10,000 that can take longer than the relay's
        // 30 s wait for a stream's first client, after which it is cancelled; a longer wait holds nothing more per
        // stream
        try (ServeServer server = serve(model, streams, Duration.ofMinutes(10), line -> ended.add(streamOf(line)));
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            URI base = server.uri();
            create(http, base); // warm the paths once
            long baseline = usedAfterGc();
            List<String> ids = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < streams; i++) ids.add(create(http, base));
            long created = System.nanoTime();
            long withStreams = usedAfterGc();
            if (Arrays.asList(args).contains("--histogram")) System.out.println("streams only:\n" + histogram(25));
            // the clients in a JVM of their own, as a node's clients are: the node's heap holds only its side
            String java = ProcessHandle.current().info().command().orElse("java");
            Process clients = new ProcessBuilder(
                            java,
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            RelayRun.class.getName(),
                            "idle-clients",
                            Integer.toString(base.getPort()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (OutputStream toClients = clients.getOutputStream();
                    BufferedReader fromClients = new BufferedReader(
                            new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII))) {
                toClients.write((String.join("\n", ids) + "\n\n").getBytes(StandardCharsets.US_ASCII));
                toClients.flush();
                String ready = fromClients.readLine();
                if (!("ready " + streams).equals(ready))
                    throw new IllegalStateException("the clients' process answered " + ready);
                long attached = System.nanoTime();
                // idle: a delivery keeps its thread for five seconds after its last write (the relay's linger, in case
                // the
                // next event follows); the last clients read their delta just now
                Thread.sleep(IDLE_AFTER_MILLIS);
                long withConnections = usedAfterGc();
                long gone = ids.stream().filter(ended::contains).count();
                if (gone > 0) { // a stream whose client came after the relay's attach timeout is cancelled, and its
                    // connection ends
                    throw new IllegalStateException(
                            gone + " of the " + streams + " streams ended before their connections were measured");
                }
                System.out.printf(
                        "%,d streams created in %.1f s; their clients attached %.1f s after the first was created%n",
                        streams, (created - started) / 1e9, (attached - started) / 1e9);
                long stream = (withStreams - baseline) / streams;
                long connection = (withConnections - withStreams) / streams;
                System.out.printf(
                        "%,d idle relayed connections (their clients in another JVM), heap after a full GC: %,d bytes per stream"
                                + " (its buffer with start and %d delta(s), the model's stream and its producer thread, which relays it)"
                                + " + %,d bytes per connection (subscription, the servlet's request and response in async mode, Jetty"
                                + " connection; no thread once the stream has been silent five seconds)"
                                + " = %,d bytes per idle relayed connection;"
                                + " heap used %,d MiB%n",
                        streams, stream, deltas, connection, stream + connection, withConnections >> 20);
                if (Arrays.asList(args).contains("--histogram")) System.out.println(histogram(40));
            } finally {
                clients.destroy();
                clients.waitFor();
            }
        }
    }

    /**
     * The idle mode's clients, in their own JVM: reads stream ids from standard input up to an
     * empty line, opens one raw connection per id and reads its first delta, prints
     * {@code ready N}, then holds the connections until its input ends.
     */
    static void idleClients(int port) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        List<Socket> sockets = new ArrayList<>();
        for (String id; (id = in.readLine()) != null && !id.isEmpty(); ) sockets.add(attach(port, id));
        System.out.println("ready " + sockets.size());
        System.out.flush();
        while (in.read() >= 0) {
            // hold the connections until the measuring JVM closes our input
        }
        for (Socket s : sockets) s.close();
    }

    private static final Pattern STREAM_ID = Pattern.compile(" stream=(\\S+)");

    /** {@return the stream id an access-log line names} */
    static String streamOf(String accessLine) {
        Matcher m = STREAM_ID.matcher(accessLine);
        if (!m.find()) throw new IllegalArgumentException("no stream in the access-log line " + accessLine);
        return m.group(1);
    }

    /** Opens a raw connection to a relayed stream's events and reads up to its first delta. {@return the connection, open} */
    static Socket attach(int port, String id) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.getOutputStream()
                .write(("GET /api/streams/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        readUntil(s.getInputStream(), "event: delta");
        return s;
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.indexOf(marker) >= 0) return;
        }
        throw new IOException("closed before " + marker + ": " + sb);
    }

    /** {@return the first {@code lines} lines of the live-object class histogram ({@code jcmd GC.class_histogram})} */
    private static String histogram(int lines) throws Exception {
        String all = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {null},
                        new String[] {String[].class.getName()});
        return all.lines().limit(lines).collect(Collectors.joining("\n"));
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // let the collector and reference processing settle between full GCs
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@return every stream's latencies in one sorted array, without the deltas that waited for their reader (negated)} */
    private static long[] flatSorted(long[][] perStream) {
        long[] all = Arrays.stream(perStream)
                .flatMapToLong(Arrays::stream)
                .filter(v -> v >= 0)
                .toArray();
        Arrays.sort(all);
        return all;
    }

    /** {@return every stream's latencies in one sorted array, the deltas that waited for their reader included} */
    private static long[] all(long[][] perStream) {
        long[] all = Arrays.stream(perStream)
                .flatMapToLong(Arrays::stream)
                .map(Math::abs)
                .toArray();
        Arrays.sort(all);
        return all;
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String us(long nanos) {
        return String.format("%.0f us", nanos / 1e3);
    }

    private static int intFlag(String[] args, String flag, int fallback) {
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals(flag)) return Integer.parseInt(args[i + 1]);
        return fallback;
    }
}
