package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The gateway hop (issue #74), AIGatewayBench's method: the same streaming request straight to a
 * mock upstream ({@code sluice serve-fake}), through {@code sluice serve}'s OpenAI-compatible
 * gateway (and its UI message stream and AG-UI routes), and through nginx as a plain streaming
 * reverse proxy; the targets interleaved block by block, each block C keep-alive connections (one
 * platform thread each, on raw sockets: the driver adds no client library's hand-offs) running N
 * requests between them after one unmeasured request each. Every response is checked: status 200,
 * the number of SSE {@code data:} events the target's first response had, and its end
 * ({@code [DONE]}, or AG-UI's {@code RUN_FINISHED}); anything else counts as an error.
 *
 * <p>{@code run} prints one line per block: time to the first event and to the end, p50 and p99;
 * the largest gap between two events of a response, p99; requests/s; the CPU the target's process
 * (and the mock's, and this driver's own, which shares the cores) spent per request in the block,
 * from {@code /proc/PID/stat}; the process's RSS
 * after the block, and its peak RSS during the block ({@code peak_mb}: {@code VmHWM}, reset at the
 * block's start through {@code /proc/PID/clear_refs}). {@code summarize FILE...} reads such lines (several rounds, each a fresh JVM)
 * and prints the table: medians over rounds, each figure "added" as the target's minus the direct
 * call's of the same round; round 0 is a warm-up, left out. The first token is the first event
 * with text (a chunk with content, {@code text-delta}, {@code TEXT_MESSAGE_CONTENT}).
 *
 * <pre>
 * GatewayRun run --round R --target NAME=URL[#MODEL] ... --pid NAME=PID ... --concurrency 1,16,64,256
 *     [--requests 1=60,16=160,64=256,256=512] [--nonstream SECONDS] [--prompt TEXT] [--history N]
 *     [--sweep 1,2,4,8,16,32,64 [--bounds 1,10]] [--tokens-per-second R] [--idle-per-host all,2]
 * GatewayRun summarize FILE...
 * </pre>
 *
 * <p>{@code --history N} has each request to a Chat Completions, Messages or Responses target carry
 * an agent's conversation, as an agent sends its whole conversation again with each request: a
 * system prompt of about 3 KB, then N earlier turns of each side (about 700 characters each, the
 * user's and the assistant's text), then the prompt. N = 40 makes a body of about 60 KB.
 *
 * <p>The client's idle pool (#86). By default each of a block's C connections is kept by its own
 * thread for the whole block (a pool as large as the concurrency: no connection opened while
 * measuring). {@code --idle-per-host N} has a stream block's threads share one pool of idle
 * connections to the target, as a pooling HTTP client does (Go's {@code net/http} keeps
 * {@code MaxIdleConnsPerHost}, 2 unless told otherwise): a request takes the idle connection used
 * last, or opens one when none is idle, and its time then counts the connect; a connection given
 * back when N are already idle is closed. The unmeasured first request of each thread gives its
 * connection back the same way, so a block at C &gt; N starts with N idle and opens the rest while
 * measuring. A list ({@code all,2}, {@code all} the default) runs every stream block once with each,
 * interleaved; such a block's line says {@code idle=N} and the connections it {@code opened}, and
 * {@code summarize} names its rows "TARGET, N idle" against the direct call with the same pool.
 *
 * <p>onthebench's two figures (#86). {@code --sweep} first runs the targets, interleaved, at each
 * of its concurrencies in turn, until every gateway target's added first-token p99 (over the direct
 * call of its API in the same round) is past every bound; {@code summarize} then gives, for each
 * bound, the highest requests/s of a concurrency within it ("none" when even the first is not).
 * {@code --tokens-per-second}, the mock's pace, has each stream block count its streams sustained:
 * with every event and the end, and no gap between two events over 10× the pace, an event's (the
 * direct call's mean interval between events, timed alone: the mock sends a delta of k tokens k
 * token paces after the one before) and a token's; {@code summarize} prints "N of M streams
 * sustained" for each target and concurrency.
 *
 * A target's process is the one named by its name up to a {@code -} ({@code sluice-ui} is
 * {@code sluice}'s); {@code direct} has none. The URL's path picks the request:
 * {@code /v1/chat/completions} Chat Completions (with {@code MODEL}), {@code /v1/messages}
 * Anthropic Messages and {@code /v1/responses} OpenAI Responses (each with {@code MODEL}, each
 * against its own {@code direct-messages} / {@code direct-responses} target), {@code /api/chat}
 * the UI message stream, {@code /api/ag-ui} AG-UI.
 *
 * <p>Why this file is long: one run's driver, its targets, its raw-socket clients and its report, in the
 * order the run goes.
 */
public final class GatewayRun {
    private static final long TICK_NANOS = 1_000_000_000L / 100; // USER_HZ

    private GatewayRun() {}

    /**
     * A target: where to send, and what, with which credential (the mocks' {@code bench-key}, or a
     * minted key), and how many earlier turns of an agent's conversation each request carries.
     */
    record Target(
            String name, URI uri, String kind, @Nullable String model, String key, int history) {
        static Target parse(String spec) {
            int eq = spec.indexOf('=');
            String name = spec.substring(0, eq);
            String rest = spec.substring(eq + 1);
            String model = null;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                model = rest.substring(hash + 1);
                rest = rest.substring(0, hash);
            }
            URI uri = URI.create(rest);
            String path = uri.getPath();
            String kind = path.endsWith("/api/chat")
                    ? "ui"
                    : path.endsWith("/api/ag-ui")
                            ? "agui"
                            : path.endsWith("/v1/messages")
                                    ? "messages"
                                    : path.endsWith("/v1/responses") ? "responses" : "chat";
            return new Target(name, uri, kind, model, "bench-key", 0);
        }

        Target withKey(String secret) {
            return new Target(name, uri, kind, model, secret, history);
        }

        Target withHistory(int turns) {
            return new Target(name, uri, kind, model, key, turns);
        }

        String process() {
            int dash = name.indexOf('-');
            return dash < 0 ? name : name.substring(0, dash);
        }

        String body(String prompt, boolean stream, long seq) {
            String p = quote(prompt);
            if (history > 0 && !kind.equals("ui") && !kind.equals("agui")) return conversation(p, stream);
            return switch (kind) {
                case "ui" ->
                    "{\"id\":\"chat-" + seq
                            + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":"
                            + p + "}]}]}";
                case "agui" ->
                    "{\"threadId\":\"t-" + seq + "\",\"runId\":\"r-" + seq
                            + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":" + p
                            + "}],\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}}";
                case "messages" ->
                    "{\"model\":\"" + model + "\",\"max_tokens\":1024,\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":" + p + "}]}";
                case "responses" -> "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"input\":" + p + "}";
                default ->
                    "{\"model\":\"" + model + "\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":" + p + "}]}";
            };
        }

        /**
         * {@return the body of an agent's request in this target's API: its system prompt, then
         * {@code history} earlier turns (the user's and the assistant's text, alternating), then
         * {@code prompt}}
         */
        private String conversation(String prompt, boolean stream) {
            StringBuilder turns = new StringBuilder();
            for (int i = 0; i < 2 * history; i++) {
                turns.append("{\"role\":\"")
                        .append(i % 2 == 0 ? "user" : "assistant")
                        .append("\",\"content\":")
                        .append(quote(turnText(i)))
                        .append("},");
            }
            turns.append("{\"role\":\"user\",\"content\":").append(prompt).append('}');
            String system = quote(SYSTEM_PROMPT);
            String head = "{\"model\":\"" + model + "\",\"stream\":" + stream;
            return switch (kind) {
                case "messages" ->
                    head + ",\"max_tokens\":1024,\"system\":" + system + ",\"messages\":[" + turns + "]}";
                case "responses" -> head + ",\"instructions\":" + system + ",\"input\":[" + turns + "]}";
                default -> head + ",\"messages\":[{\"role\":\"system\",\"content\":" + system + "}," + turns + "]}";
            };
        }
    }

    /** An agent's system prompt, about 3 KB. */
    private static final String SYSTEM_PROMPT =
            ("You are a coding agent working in the user's repository. Read files before you"
                            + " change them, keep each change small, run the project's tests after each change, and say what you"
                            + " ran and what it printed. Never print secrets, keys or tokens, even when a file holds them. ")
                    .repeat(12);

    private static final String[] SENTENCES = {
        "The failing test is StreamingCallTest, which expects the held-back events to be dropped when the stream is reopened.",
        "I read src/main/java/dev/example/http/Http1Pool.java: the pool keys connections by scheme, host and port.",
        "Running ./build test -pl lib/relay printed 412 tests, 0 failures, 0 errors, 3 skipped, in 23.4 seconds.",
        "The diff adds a bounded queue of 64 entries and a timeout of 30 seconds to the upstream's read.",
        "Here is the function as it stands: `long drain(InputStream in, byte[] buf) { long n = 0; for (int r; (r = in.read(buf)) > 0; ) n += r; return n; }`.",
        "The log shows \"connection reset by peer\" at 14:02:11.532, 41 ms after the first byte of the answer.",
        "Please rename the field to maxHeldBytes and update the three call sites in StreamingCall and its builder.",
        "The schema allows an optional \"cache_control\" object on each content block, with \"type\": \"ephemeral\" and a ttl.",
    };

    /** {@return the text of an earlier turn: about 700 characters of an agent's work, different for each turn} */
    private static String turnText(int i) {
        StringBuilder t = new StringBuilder("Step ").append(i + 1).append(". ");
        for (int k = 0; k < 6; k++)
            t.append(SENTENCES[(i * 3 + k) % SENTENCES.length]).append(' ');
        return t.toString().strip();
    }

    /** One response's timings (nanoseconds from the request's first byte), or its failure. */
    record Sample(
            long first,
            long total,
            long maxGap,
            int events,
            boolean ended,
            @Nullable String error) {
        /** {@return this sample with {@code nanos} more before its request was sent: a connect, timed with it} */
        Sample after(long nanos) {
            return nanos == 0 ? this : new Sample(first + nanos, total + nanos, maxGap, events, ended, error);
        }
    }

    /**
     * Runs a round, or summarizes rounds.
     *
     * @param args as the class says
     * @throws Exception if a target cannot be reached at all
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("summarize")) {
            summarize(Arrays.asList(args).subList(1, args.length));
            return;
        }
        List<Target> targets = new ArrayList<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        int[] concurrency = {1, 16, 64, 256};
        Map<Integer, Integer> requests = new TreeMap<>(Map.of(1, 60, 16, 160, 64, 256, 256, 512));
        int round = 1;
        double nonstream = 0;
        int[] sweep = {};
        double[] bounds = {1, 10};
        double tokensPerSecond = 0;
        int[] idlePerHost = {0}; // 0: each thread keeps its own connection (a pool as large as C)
        String prompt = "Write a long essay about virtual threads.";
        int history = 0; // earlier turns each request carries (--history): 0, the prompt alone
        for (int i = 1; i < args.length; i += 2) { // each flag with its value
            String v = args[i + 1 < args.length ? i + 1 : i];
            switch (args[i]) {
                case "--target" -> targets.add(Target.parse(v));
                case "--key" -> { // the credential a target sends (Authorization and x-api-key), as NAME=SECRET
                    String name = v.substring(0, v.indexOf('='));
                    String key = v.substring(v.indexOf('=') + 1);
                    targets.replaceAll(t -> t.name().equals(name) ? t.withKey(key) : t);
                }
                case "--pid" ->
                    pids.put(v.substring(0, v.indexOf('=')), Long.parseLong(v.substring(v.indexOf('=') + 1)));
                case "--concurrency" ->
                    concurrency = Arrays.stream(v.split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--requests" -> {
                    for (String kv : v.split(",")) {
                        String[] p = kv.split("=");
                        requests.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
                    }
                }
                case "--round" -> round = Integer.parseInt(v);
                case "--nonstream" -> nonstream = Double.parseDouble(v);
                case "--prompt" -> prompt = v;
                case "--history" -> history = Integer.parseInt(v);
                case "--sweep" ->
                    sweep = Arrays.stream(v.split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--bounds" ->
                    bounds = Arrays.stream(v.split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray();
                case "--tokens-per-second" -> tokensPerSecond = Double.parseDouble(v);
                case "--idle-per-host" ->
                    idlePerHost = Arrays.stream(v.split(","))
                            .mapToInt(x -> x.equals("all") ? 0 : Integer.parseInt(x))
                            .toArray();
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        int turns = history;
        targets.replaceAll(t -> t.withHistory(turns));
        if ((nonstream > 0 || sweep.length > 0) && !Arrays.equals(idlePerHost, new int[] {0}))
            throw new IllegalArgumentException("--idle-per-host applies to the stream blocks of --concurrency only");
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Sample> probes = new LinkedHashMap<>();
        for (Target t : targets) {
            if (nonstream > 0) break;
            Sample s = probe(t, prompt);
            if (s.error() != null) throw new IllegalStateException(t.name() + ": " + s.error());
            expected.put(t.name(), s.events());
            probes.put(t.name(), s);
            System.out.printf(
                    Locale.ROOT,
                    "probe round=%d target=%s events=%d first_ms=%.2f total_ms=%.2f%n",
                    round,
                    t.name(),
                    s.events(),
                    s.first() / 1e6,
                    s.total() / 1e6);
        }
        Map<String, Stalls> stalls = new LinkedHashMap<>();
        if (tokensPerSecond > 0) {
            for (Target t : targets) {
                Sample p = probes.getOrDefault(directOf(t.name()), probes.get(t.name()));
                if (p != null) stalls.put(t.name(), Stalls.of(p, tokensPerSecond));
            }
        }
        int r = round;
        String q = prompt;
        Map<Integer, Integer> n = requests;
        StreamBlock streams = (kind, t, c, idle) -> block(
                kind,
                r,
                t,
                c,
                idle,
                n.getOrDefault(c, c * 2),
                q,
                expected.getOrDefault(t.name(), -1),
                stalls.get(t.name()),
                pids);
        if (sweep.length > 0) sweep(round, targets, sweep, bounds, streams);
        for (int c : concurrency) {
            // rotate the targets' order (and the pools') each concurrency and round: none always runs first
            int shift = (round + c) % targets.size();
            for (int j = 0; j < idlePerHost.length; j++) {
                int idle = idlePerHost[(j + round) % idlePerHost.length];
                for (int k = 0; k < targets.size(); k++) {
                    Target t = targets.get((k + shift) % targets.size());
                    if (nonstream > 0) nonStreamBlock(round, t, c, nonstream, prompt, pids);
                    else streams.run("stream", t, c, idle);
                }
            }
        }
    }

    /** One streaming block of a round: a target at a concurrency, printed as {@code block kind=KIND}. */
    @FunctionalInterface
    interface StreamBlock {
        /**
         * {@return the block's first-token p99, in milliseconds}
         *
         * @param idle the client's idle connections kept per target, 0 for one kept per thread
         */
        double run(String kind, Target t, int c, int idle) throws Exception;
    }

    /**
     * The sustained rate at an added first-token p99 bound: the targets interleaved at each
     * concurrency of the sweep in turn, as {@code run} does, each gateway target beside the direct
     * call of its API in the same round; a gateway target leaves the sweep once its added p99 is
     * over the largest bound, and the sweep ends when none is left (a direct call runs while one of
     * its gateway targets does). Prints {@code block kind=sweep} lines and, last, a {@code sweep} line
     * with the bounds, which {@code summarize} reads.
     */
    private static void sweep(int round, List<Target> targets, int[] sweep, double[] bounds, StreamBlock streams)
            throws Exception {
        double largest = Arrays.stream(bounds).max().orElse(0);
        List<Target> gateways = new ArrayList<>(
                targets.stream().filter(t -> !t.name().startsWith("direct")).toList());
        int last = 0;
        for (int c : sweep) {
            if (gateways.isEmpty()) break;
            List<Target> run = targets.stream()
                    .filter(t -> gateways.contains(t)
                            || gateways.stream()
                                    .anyMatch(g -> directOf(g.name()).equals(t.name())))
                    .toList();
            Map<String, Double> firstP99 = new LinkedHashMap<>();
            int shift = (round + c) % run.size();
            for (int k = 0; k < run.size(); k++) {
                Target t = run.get((k + shift) % run.size());
                firstP99.put(t.name(), streams.run("sweep", t, c, 0));
            }
            last = c;
            gateways.removeIf(g -> {
                Double direct = firstP99.get(directOf(g.name()));
                return direct == null || !(firstP99.getOrDefault(g.name(), Double.NaN) - direct <= largest);
            });
        }
        System.out.printf(
                Locale.ROOT,
                "sweep round=%d bounds_ms=%s last_c=%d%n",
                round,
                Arrays.stream(bounds).mapToObj(b -> fmt(b, 3)).collect(Collectors.joining(",")),
                last);
    }

    /**
     * {@return the name of the direct call a target is paired with: direct, direct-messages,
     * direct-responses; with the target's pool, as {@code summarize} names a row of
     * {@code --idle-per-host} ("sluice, 2 idle": "direct, 2 idle")}
     */
    static String directOf(String target) {
        int comma = target.indexOf(", ");
        String name = comma < 0 ? target : target.substring(0, comma);
        return (name.contains("messages")
                        ? "direct-messages"
                        : name.contains("responses") ? "direct-responses" : "direct")
                + (comma < 0 ? "" : target.substring(comma));
    }

    /**
     * When a response counts as sustained at the mock's pace: every event, its end, and no gap
     * between two events over 10× the pace. The mock paces tokens ({@code serve-fake
     * --tokens-per-second}, passed here as {@code --tokens-per-second}) and sends a delta of k
     * tokens k paces after the one before, so an event's pace is the token's times the tokens an
     * event carries: the direct call's answer, timed alone before the blocks (its span from the
     * first text event to the end over its events), says how many. Both bounds are counted, the
     * event's and the token's (which the mock's own longest deltas, of some 20 tokens, already exceed).
     *
     * @param eventNanos 10× the mean interval between the direct call's events
     * @param tokenNanos 10× the interval between two tokens
     */
    record Stalls(long eventNanos, long tokenNanos) {
        static Stalls of(Sample direct, double tokensPerSecond) {
            long span = direct.total() - direct.first();
            return new Stalls(10 * span / Math.max(1, direct.events() - 1), Math.round(10 * 1e9 / tokensPerSecond));
        }
    }

    private static Sample probe(Target t, String prompt) throws Exception {
        try (Conn conn = new Conn(t.uri())) {
            conn.request(t, t.body(prompt, true, System.nanoTime()), -1, true);
            return conn.request(t, t.body(prompt, true, System.nanoTime()), -1, true);
        }
    }

    /** {@return the block's first-token p99, in milliseconds (NaN when no response came)} */
    private static double block(
            String kind,
            int round,
            Target t,
            int c,
            int idle,
            int n,
            String prompt,
            int expected,
            @Nullable Stalls stalls,
            Map<String, Long> pids)
            throws Exception {
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        IdlePool pool = new IdlePool(t.uri(), idle); // used with --idle-per-host only
        int[] opened = new int[1];
        AtomicInteger left = new AtomicInteger(n);
        AtomicLong seq = new AtomicLong(round * 1_000_000_000L
                + c * 1_000_000L
                + (long) Math.floorMod(t.name().hashCode(), 1000) * 1000);
        long[] window = new long[2];
        long[][] cpu = new long[2][];
        CyclicBarrier start = new CyclicBarrier(c, () -> {
            resetPeak(pids.get(t.process()));
            cpu[0] = cpu(t, pids);
            window[0] = System.nanoTime();
            opened[0] = pool.opened();
        });
        CountDownLatch done = new CountDownLatch(c);
        for (int w = 0; w < c; w++) {
            Thread.ofPlatform().daemon().start(() -> {
                // without --idle-per-host, the thread's own connection, kept for the whole block
                try (Conn own = idle > 0 ? null : new Conn(t.uri())) {
                    Conn warmed = own != null ? own : pool.take();
                    Sample warm = warmed.request(t, t.body(prompt, true, seq.incrementAndGet()), expected, true);
                    if (own == null) pool.give(warmed);
                    start.await();
                    if (warm.error() != null) samples.add(warm);
                    while (left.getAndDecrement() > 0) {
                        long asked = System.nanoTime();
                        Conn conn = own != null ? own : pool.take();
                        long setup = own != null ? 0 : System.nanoTime() - asked; // a connect, when one opened
                        Sample s;
                        try {
                            s = conn.request(t, t.body(prompt, true, seq.incrementAndGet()), expected, true)
                                    .after(setup);
                            if (own == null) pool.give(conn);
                        } catch (IOException e) {
                            s = new Sample(0, 0, 0, 0, false, e.toString());
                            if (own != null) own.reconnect();
                            else conn.close();
                        }
                        samples.add(s);
                    }
                } catch (Exception e) {
                    samples.add(new Sample(0, 0, 0, 0, false, e.toString()));
                    if (start.getNumberWaiting() > 0) start.reset();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        window[1] = System.nanoTime();
        cpu[1] = cpu(t, pids);
        String pooled = idle > 0 ? " idle=" + idle + " opened=" + (pool.opened() - opened[0]) : "";
        pool.close();
        return report(kind, round, t, c, pooled, samples, window, cpu, stalls, pids);
    }

    private static void nonStreamBlock(
            int round, Target t, int c, double seconds, String prompt, Map<String, Long> pids) throws Exception {
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        long[] window = new long[2];
        long[][] cpu = new long[2][];
        long[] deadline = new long[1];
        CyclicBarrier start = new CyclicBarrier(c, () -> {
            resetPeak(pids.get(t.process()));
            cpu[0] = cpu(t, pids);
            window[0] = System.nanoTime();
            deadline[0] = window[0] + (long) (seconds * 1e9);
        });
        CountDownLatch done = new CountDownLatch(c);
        for (int w = 0; w < c; w++) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Conn conn = new Conn(t.uri())) {
                    for (int i = 0; i < 3; i++) conn.request(t, t.body(prompt, false, 0), -1, false);
                    start.await();
                    while (System.nanoTime() < deadline[0]) {
                        samples.add(conn.request(t, t.body(prompt, false, 0), -1, false));
                    }
                } catch (Exception e) {
                    samples.add(new Sample(0, 0, 0, 0, false, e.toString()));
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        window[1] = System.nanoTime();
        cpu[1] = cpu(t, pids);
        report("nonstream", round, t, c, "", samples, window, cpu, null, pids);
    }

    private static double report(
            String kind,
            int round,
            Target t,
            int c,
            String pooled,
            List<Sample> all,
            long[] window,
            long[][] cpu,
            @Nullable Stalls stalls,
            Map<String, Long> pids) {
        List<Sample> ok = new ArrayList<>();
        String firstError = null;
        for (Sample s : all) {
            if (s.error() == null) ok.add(s);
            else if (firstError == null) firstError = s.error();
        }
        int n = ok.size();
        double secs = (window[1] - window[0]) / 1e9;
        long[] first = ok.stream().mapToLong(Sample::first).sorted().toArray();
        long[] total = ok.stream().mapToLong(Sample::total).sorted().toArray();
        long[] gap = ok.stream().mapToLong(Sample::maxGap).sorted().toArray();
        Long pid = pids.get(t.process());
        Long mock = pids.get("mock");
        double cpuMs = pid == null || n == 0 ? Double.NaN : (cpu[1][0] - cpu[0][0]) * TICK_NANOS / 1e6 / n;
        double mockMs = mock == null || n == 0 ? Double.NaN : (cpu[1][1] - cpu[0][1]) * TICK_NANOS / 1e6 / n;
        // the driver shares the machine's cores with the target and the mock: its own CPU, to weigh against theirs
        double driverMs = n == 0 ? Double.NaN : (cpu[1][2] - cpu[0][2]) * TICK_NANOS / 1e6 / n;
        long rss = pid == null ? 0 : rssKb(pid);
        long peak = pid == null ? 0 : statusKb(pid, "VmHWM:");
        System.out.printf(
                Locale.ROOT,
                "block kind=%s round=%d target=%s c=%d n=%d errors=%d first_p50=%.3f first_p99=%.3f total_p50=%.3f"
                        + " total_p99=%.3f gap_p99=%.3f rps=%.1f cpu_ms=%.3f mock_cpu_ms=%.3f driver_cpu_ms=%.3f"
                        + " rss_mb=%.1f peak_mb=%.1f%s%s%s%n",
                kind,
                round,
                t.name(),
                c,
                n,
                all.size() - n,
                pct(first, 50),
                pct(first, 99),
                pct(total, 50),
                pct(total, 99),
                pct(gap, 99),
                n / secs,
                cpuMs,
                mockMs,
                driverMs,
                rss / 1024.0,
                peak / 1024.0,
                pooled,
                stalls == null ? "" : sustained(all, stalls),
                firstError == null ? "" : " first_error=\"" + firstError.replace('"', '\'') + "\"");
        System.out.flush();
        return pct(first, 99);
    }

    /**
     * {@return the block's streams sustained: with every event and the end (no error) and no gap
     * between two events over each bound, of all the block's streams}
     */
    private static String sustained(List<Sample> all, Stalls stalls) {
        long event = all.stream()
                .filter(s -> s.error() == null && s.maxGap() <= stalls.eventNanos())
                .count();
        long token = all.stream()
                .filter(s -> s.error() == null && s.maxGap() <= stalls.tokenNanos())
                .count();
        return String.format(
                Locale.ROOT,
                " streams=%d stall_ms=%.3f sustained=%d token_stall_ms=%.3f token_sustained=%d",
                all.size(),
                stalls.eventNanos() / 1e6,
                event,
                stalls.tokenNanos() / 1e6,
                token);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** {@return the CPU ticks so far of the target's process, the mock's (0 for none) and this driver's own} */
    private static long[] cpu(Target t, Map<String, Long> pids) {
        Long pid = pids.get(t.process());
        Long mock = pids.get("mock");
        return new long[] {
            pid == null ? 0 : ticks(pid),
            mock == null ? 0 : ticks(mock),
            ticks(ProcessHandle.current().pid())
        };
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU of process " + pid, e);
        }
    }

    static long rssKb(long pid) {
        return statusKb(pid, "VmRSS:");
    }

    /** {@return a figure in kB of {@code /proc/PID/status}, such as {@code VmRSS:}; 0 when absent} */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the RSS of process " + pid, e);
        }
        return 0;
    }

    /** Resets a process's peak RSS ({@code VmHWM}) to its RSS now, so that the next reading is the block's peak. */
    private static void resetPeak(@Nullable Long pid) {
        if (pid == null) return;
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS of process " + pid, e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A client's idle connections to one target, shared by a block's threads (Go's
     * {@code MaxIdleConnsPerHost}): {@link #take} hands out the one given back last, or opens one
     * when none is idle; {@link #give} keeps a connection while fewer than {@code max} are idle and
     * closes it otherwise.
     */
    static final class IdlePool implements AutoCloseable {
        private final URI uri;
        private final int max;
        private final ArrayDeque<Conn> idle = new ArrayDeque<>(); // guarded by this
        private final AtomicInteger opened = new AtomicInteger();

        IdlePool(URI uri, int max) {
            this.uri = uri;
            this.max = max;
        }

        /**
         * {@return an idle connection, or a new one}
         *
         * @throws IOException if a new one cannot connect
         */
        Conn take() throws IOException {
            synchronized (this) {
                Conn c = idle.pollFirst();
                if (c != null) return c;
            }
            opened.incrementAndGet();
            return new Conn(uri);
        }

        /** Keeps {@code c} idle, or closes it when {@code max} are idle already. */
        void give(Conn c) throws IOException {
            synchronized (this) {
                if (idle.size() < max) {
                    idle.addFirst(c);
                    return;
                }
            }
            c.close();
        }

        /** {@return the connections opened so far} */
        int opened() {
            return opened.get();
        }

        /** {@return the connections idle now} */
        synchronized int idle() {
            return idle.size();
        }

        @Override
        public void close() throws IOException {
            List<Conn> all;
            synchronized (this) {
                all = new ArrayList<>(idle);
                idle.clear();
            }
            for (Conn c : all) c.close();
        }
    }

    /** One keep-alive HTTP/1.1 connection on a raw socket, reading responses byte by byte as they arrive. */
    static final class Conn implements AutoCloseable {
        private final URI uri;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buf = new byte[32 * 1024];
        private int pos;
        private int lim;
        private long readAt; // when the bytes in buf arrived

        Conn(URI uri) throws IOException {
            this.uri = uri;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout(60_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            pos = lim = 0;
        }

        void reconnect() {
            try {
                socket.close();
                connect();
            } catch (IOException e) {
                // the next request fails and says why
            }
        }

        Sample request(Target t, String body, int expectedEvents, boolean stream) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + t.key() + "\r\nx-api-key: "
                    + t.key()
                    + "\r\nanthropic-version: 2023-06-01\r\nAccept: "
                    + (stream ? "text/event-stream" : "application/json") + "\r\nContent-Length: " + b.length
                    + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] req = Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, req, h.length, b.length);
            long sent = System.nanoTime();
            out.write(req);
            out.flush();
            String status = line();
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String l = line(); !l.isEmpty(); l = line()) {
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:"))
                    length = Long.parseLong(l.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
            }
            Events events = new Events(t.kind());
            if (chunked) {
                while (true) {
                    String size = line();
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line().isEmpty()) {} // trailers
                        break;
                    }
                    body(n, events);
                    line();
                }
            } else if (length >= 0) {
                body(length, events);
            } else {
                close = true;
                while (fill()) {
                    events.feed(buf, pos, lim - pos, readAt);
                    pos = lim;
                }
            }
            long end = System.nanoTime();
            if (close) reconnect();
            String error = null;
            if (!status.startsWith("HTTP/1.1 200")) error = status + " " + events.text(300);
            else if (stream && !events.ended) error = "no end after " + events.count + " events";
            else if (stream && expectedEvents >= 0 && events.count != expectedEvents)
                error = events.count + " events, not " + expectedEvents;
            else if (!stream && !events.text(2000).contains("\"choices\"")) error = "no choices: " + events.text(300);
            return new Sample(
                    (stream ? (events.first >= 0 ? events.first : end) : end) - sent,
                    end - sent,
                    events.maxGap,
                    events.count,
                    events.ended,
                    error);
        }

        private void body(long n, Events events) throws IOException {
            while (n > 0) {
                if (pos == lim && !fill()) throw new IOException("the response ended early");
                int k = (int) Math.min(n, lim - pos);
                events.feed(buf, pos, k, readAt);
                pos += k;
                n -= k;
            }
        }

        private boolean fill() throws IOException {
            int r = in.read(buf);
            readAt = System.nanoTime();
            if (r <= 0) return false;
            pos = 0;
            lim = r;
            return true;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos == lim && !fill()) throw new IOException("the connection closed");
                byte c = buf[pos++];
                if (c == '\n') break;
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The SSE {@code data:} lines of a body, timed as their bytes arrive. */
    static final class Events {
        private final String kind;
        private final StringBuilder line = new StringBuilder();
        private final StringBuilder text = new StringBuilder();
        long first = -1;
        long last;
        long maxGap;
        int count;
        boolean ended;

        Events(String kind) {
            this.kind = kind;
        }

        void feed(byte[] b, int off, int len, long at) {
            if (text.length() < 2000) text.append(new String(b, off, Math.min(len, 2000), StandardCharsets.UTF_8));
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (line.length() >= 5 && line.charAt(0) == 'd' && line.indexOf("data:") == 0) event(at);
                    line.setLength(0);
                } else if (c != '\r' && line.length() < 512) {
                    line.append((char) c); // enough for [DONE], an event's type and a chunk's first content
                }
            }
        }

        private void event(long at) {
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")
                    || (kind.equals("agui") && data.contains("\"RUN_FINISHED\""))
                    || (kind.equals("messages") && data.startsWith("{\"type\":\"message_stop\""))
                    || (kind.equals("responses") && data.startsWith("{\"type\":\"response.completed\""))) ended = true;
            else if (kind.equals("agui") && data.contains("\"RUN_ERROR\"")) return;
            count++;
            // the first token: the first event with text (a start or role event before it is not one)
            if (first < 0 && hasText(data)) first = at;
            if (count > 1) maxGap = Math.max(maxGap, at - last);
            last = at;
        }

        private boolean hasText(String data) {
            return switch (kind) {
                case "ui" -> data.contains("\"text-delta\"");
                case "agui" -> data.contains("\"TEXT_MESSAGE_CONTENT\"");
                case "messages" -> data.contains("\"text_delta\"");
                case "responses" -> data.contains("\"response.output_text.delta\"");
                default -> {
                    int i = data.indexOf("\"content\":\"");
                    yield i >= 0 && i + 11 < data.length() && data.charAt(i + 11) != '"';
                }
            };
        }

        String text(int max) {
            return text.length() > max ? text.substring(0, max) : text.toString();
        }
    }

    // ---- summarize ----

    private static void summarize(List<String> files) throws IOException {
        List<Map<String, String>> blocks = new ArrayList<>();
        List<Map<String, String>> sweeps = new ArrayList<>();
        for (String f : files) {
            for (String l : Files.readAllLines(Path.of(f))) {
                boolean block = l.startsWith("block ");
                if (!(block || l.startsWith("sweep ")) || l.contains(" round=0 ")) continue; // round 0 warms up
                Map<String, String> m = new LinkedHashMap<>();
                for (String kv : l.substring(6).split(" (?=[a-z_0-9]+=)")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                String idle = m.get("idle"); // a block with --idle-per-host: its own row, against its own direct call
                if (idle != null) m.put("target", m.get("target") + ", " + idle + " idle");
                (block ? blocks : sweeps).add(m);
            }
        }
        for (String kind : List.of("stream", "nonstream")) {
            Map<String, Map<Integer, List<Map<String, String>>>> byTarget = new LinkedHashMap<>();
            for (Map<String, String> b : blocks) {
                if (!kind.equals(b.get("kind"))) continue;
                byTarget.computeIfAbsent(b.get("target"), k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(b.get("c")), k -> new ArrayList<>())
                        .add(b);
            }
            if (byTarget.isEmpty()) continue;
            // each target against the direct call of its own API: direct, direct-messages, direct-responses
            Function<String, Map<Integer, List<Map<String, String>>>> directOf =
                    target -> byTarget.getOrDefault(directOf(target), Map.of());
            if (kind.equals("stream")) {
                System.out.println(
                        "| concurrency | target | added first token p50 / p99 | added total p99 | largest gap p99 (direct) | CPU per request, target (mock, driver) | RSS | requests/s | requests, errors |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
            } else {
                System.out.println(
                        "| concurrency | target | requests/s | total p50 / p99 | added total p50 / p99 | CPU per request, target (mock, driver) | RSS | requests, errors |");
                System.out.println("|---|---|---|---|---|---|---|---|");
            }
            TreeMap<Integer, List<String>> rows = new TreeMap<>();
            for (var te : byTarget.entrySet()) {
                for (var ce : te.getValue().entrySet()) {
                    List<Map<String, String>> bs = ce.getValue();
                    List<Map<String, String>> ds = directOf.apply(te.getKey()).getOrDefault(ce.getKey(), List.of());
                    int n = bs.stream()
                            .mapToInt(b -> Integer.parseInt(b.get("n")))
                            .sum();
                    int errors = bs.stream()
                            .mapToInt(b -> Integer.parseInt(b.get("errors")))
                            .sum();
                    String row;
                    if (kind.equals("stream")) {
                        row = String.format(
                                Locale.ROOT,
                                "| %d | %s | %s / %s ms | %s ms | %.1f ms (%.1f) | %s ms (%s, %s) | %s | %.1f | %d, %d%s |",
                                ce.getKey(),
                                te.getKey(),
                                added(bs, ds, "first_p50"),
                                added(bs, ds, "first_p99"),
                                added(bs, ds, "total_p99"),
                                median(bs, "gap_p99"),
                                median(ds, "gap_p99"),
                                fmt(median(bs, "cpu_ms"), 2),
                                fmt(median(bs, "mock_cpu_ms"), 2),
                                fmt(median(bs, "driver_cpu_ms"), 2),
                                rss(bs),
                                median(bs, "rps"),
                                n,
                                errors,
                                bs.stream().allMatch(b -> b.containsKey("opened"))
                                        ? "; " + sum(bs, "opened") + " connections opened"
                                        : "");
                    } else {
                        row = String.format(
                                Locale.ROOT,
                                "| %d | %s | %.1f | %.2f / %.2f ms | %s / %s ms | %s ms (%s, %s) | %s | %d, %d |",
                                ce.getKey(),
                                te.getKey(),
                                median(bs, "rps"),
                                median(bs, "total_p50"),
                                median(bs, "total_p99"),
                                added(bs, ds, "total_p50"),
                                added(bs, ds, "total_p99"),
                                fmt(median(bs, "cpu_ms"), 3),
                                fmt(median(bs, "mock_cpu_ms"), 3),
                                fmt(median(bs, "driver_cpu_ms"), 3),
                                rss(bs),
                                n,
                                errors);
                    }
                    rows.computeIfAbsent(ce.getKey(), k -> new ArrayList<>()).add(row);
                }
            }
            rows.values().forEach(l -> l.forEach(System.out::println));
            System.out.println();
            if (kind.equals("stream")) sustainedTable(byTarget);
        }
        sweepTable(blocks, sweeps);
    }

    /** Streams sustained (onthebench): every event, the end, no gap over 10× the pace; summed over rounds. */
    private static void sustainedTable(Map<String, Map<Integer, List<Map<String, String>>>> byTarget) {
        List<String> rows = new ArrayList<>();
        for (var te : byTarget.entrySet()) {
            for (var ce : te.getValue().entrySet()) {
                List<Map<String, String>> bs = ce.getValue().stream()
                        .filter(b -> b.containsKey("sustained"))
                        .toList();
                if (bs.isEmpty()) continue;
                rows.add(String.format(
                        Locale.ROOT,
                        "| %d | %s | %d of %d streams sustained | %d of %d | %.1f ms |",
                        ce.getKey(),
                        te.getKey(),
                        sum(bs, "sustained"),
                        sum(bs, "streams"),
                        sum(bs, "token_sustained"),
                        sum(bs, "streams"),
                        median(bs, "gap_p99")));
            }
        }
        if (rows.isEmpty()) return;
        List<Map<String, String>> any = byTarget.values().stream()
                .flatMap(m -> m.values().stream())
                .flatMap(List::stream)
                .filter(b -> b.containsKey("sustained"))
                .toList();
        System.out.printf(
                Locale.ROOT,
                "Streams sustained (onthebench): every event and the end, and no gap between two events over 10×"
                        + " the pace; an event's pace (the direct call's mean interval between events, alone: 10× ="
                        + " %.2f ms, median) and a token's (serve-fake's --tokens-per-second: 10× = %.3f ms), summed"
                        + " over rounds%n%n",
                median(any, "stall_ms"),
                median(any, "token_stall_ms"));
        System.out.println(
                "| concurrency | target | no gap over 10× an event's pace | no gap over 10× a token's pace | largest gap p99 |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
    }

    /**
     * The sustained rate at an added first-token p99 bound (onthebench): for each gateway target
     * of the sweep, the highest requests/s (median over rounds) of a concurrency whose added
     * first-token p99 (median over rounds of the target's minus the direct call's in the same round)
     * is within the bound; "none" when no concurrency is.
     */
    private static void sweepTable(List<Map<String, String>> blocks, List<Map<String, String>> sweeps) {
        if (sweeps.isEmpty()) return;
        double[] bounds = Arrays.stream(
                        Objects.requireNonNull(sweeps.getFirst().get("bounds_ms"), "a sweep line without bounds_ms")
                                .split(","))
                .mapToDouble(Double::parseDouble)
                .toArray();
        Map<String, Map<Integer, List<Map<String, String>>>> byTarget = new LinkedHashMap<>();
        for (Map<String, String> b : blocks) {
            if (!"sweep".equals(b.get("kind"))) continue;
            byTarget.computeIfAbsent(b.get("target"), k -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(b.get("c")), k -> new ArrayList<>())
                    .add(b);
        }
        StringBuilder head = new StringBuilder("| target |");
        StringBuilder rule = new StringBuilder("|---|");
        for (double bound : bounds) {
            head.append(" requests/s at added first-token p99 ≤ ")
                    .append(fmt(bound, 0))
                    .append(" ms |");
            rule.append("---|");
        }
        System.out.println("Sustained rate at an added first-token p99 bound (onthebench): concurrency swept, the last"
                + sweeps.stream().map(m -> m.get("last_c")).collect(Collectors.joining(", ", " C = ", ""))
                + " by round (a target leaves the sweep once its added p99 is past every bound), medians over"
                + " rounds; the highest requests/s of a concurrency within the bound");
        System.out.println();
        System.out.println(head + " the sweep: C, added first-token p99, requests/s |");
        System.out.println(rule + "---|");
        for (var te : byTarget.entrySet()) {
            if (te.getKey().startsWith("direct")) continue;
            Map<Integer, List<Map<String, String>>> direct = byTarget.getOrDefault(directOf(te.getKey()), Map.of());
            StringBuilder row = new StringBuilder("| " + te.getKey() + " |");
            List<String> steps = new ArrayList<>();
            double[] best = new double[bounds.length];
            int[] bestC = new int[bounds.length];
            Arrays.fill(best, Double.NaN);
            for (var ce : te.getValue().entrySet()) {
                double added = addedValue(ce.getValue(), direct.getOrDefault(ce.getKey(), List.of()), "first_p99");
                double rps = median(ce.getValue(), "rps");
                steps.add(String.format(Locale.ROOT, "%d: %+.2f ms, %.1f/s", ce.getKey(), added, rps));
                for (int i = 0; i < bounds.length; i++) {
                    if (added <= bounds[i] && !(rps <= best[i])) {
                        best[i] = rps;
                        bestC[i] = ce.getKey();
                    }
                }
            }
            for (int i = 0; i < bounds.length; i++) {
                row.append(
                        Double.isNaN(best[i])
                                ? " none |"
                                : String.format(Locale.ROOT, " **%.1f** (C = %d) |", best[i], bestC[i]));
            }
            System.out.println(row + " " + String.join("; ", steps) + " |");
        }
        System.out.println();
    }

    private static int sum(List<Map<String, String>> bs, String key) {
        return bs.stream().mapToInt(b -> Integer.parseInt(b.get(key))).sum();
    }

    /** {@return the largest RSS after a block, and the largest peak during one where the lines have it} */
    private static String rss(List<Map<String, String>> bs) {
        double max = bs.stream()
                .mapToDouble(b -> Double.parseDouble(b.get("rss_mb")))
                .max()
                .orElse(0);
        double peak = bs.stream()
                .mapToDouble(b -> Double.parseDouble(b.getOrDefault("peak_mb", "0")))
                .max()
                .orElse(0);
        if (max == 0) return "–";
        return String.format(Locale.ROOT, "%.0f MB", max)
                + (peak == 0 ? "" : String.format(Locale.ROOT, " (peak %.0f)", peak));
    }

    private static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** {@return the median over rounds of (target − direct) in the same round, signed} */
    private static String added(List<Map<String, String>> bs, List<Map<String, String>> ds, String key) {
        double m = addedValue(bs, ds, key);
        return Double.isNaN(m) ? "–" : String.format(Locale.ROOT, "%+.2f", m);
    }

    /** {@return the median over rounds of (target − direct) in the same round, NaN without a pair} */
    private static double addedValue(List<Map<String, String>> bs, List<Map<String, String>> ds, String key) {
        List<Double> d = new ArrayList<>();
        for (Map<String, String> b : bs) {
            for (Map<String, String> x : ds) {
                if (Objects.equals(x.get("round"), b.get("round")))
                    d.add(Double.parseDouble(b.get(key)) - Double.parseDouble(x.get(key)));
            }
        }
        return d.isEmpty() ? Double.NaN : medianOf(d);
    }

    private static double median(List<Map<String, String>> bs, String key) {
        List<Double> v = new ArrayList<>();
        for (Map<String, String> b : bs) {
            double x = Double.parseDouble(b.getOrDefault(key, "NaN")); // runs before a field was added have none
            if (!Double.isNaN(x)) v.add(x);
        }
        return v.isEmpty() ? Double.NaN : medianOf(v);
    }

    private static double medianOf(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
