package dev.sluice.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Throughput the way a user's process lives (issue #15): the {@link BenchServer} in its own
 * process, each client in a fresh JVM, the first streams timed as well as the steady state.
 *
 * <p>The driver (this class's {@code main}) does, for each content ({@code realtext},
 * {@code realtool} by default; any of {@link BenchStream#NAMES}):
 * <ol>
 *   <li>starts a {@code BenchServer --stream CONTENT} in a process of its own (or uses
 *       {@code --url}) and drains one stream from it, so the server is not cold for the first
 *       child;</li>
 *   <li>for each of {@code --rounds} rounds, runs each client ({@code sluice}, {@code sdk},
 *       {@code raw}; and lower bounds named only with {@code --clients}: {@code floor2}, the least
 *       work that hands each delta's string from a producer thread to the consumer
 *       ({@link FloorBenchClient}); {@code acc2} and {@code call2}, floor2 with a correct client's
 *       SSE parsing, event objects and accumulation, and then its per-call work
 *       ({@link StepBenchClient})) in a new
 *       JVM, one after the other, the order rotated each round; every child uses the same
 *       {@code java}, class path and {@code --jvm-arg}s;</li>
 *   <li>prints a table per content and one machine-readable {@code RESULT} line per client; and,
 *       on Linux, a line per child starting {@code # CLIENT threads} that splits its CPU over the
 *       steady streams by thread (the consumer {@code java}, the virtual threads' carriers, the
 *       HttpClient's selector and workers, the JIT compiler threads), to show which thread does
 *       what work.</li>
 * </ol>
 *
 * <p>A child builds its client ({@link BenchClient#create}, as the JMH benchmarks do: Sluice
 * iterates every event and takes {@code result()}; the SDK feeds every event to its
 * {@code MessageAccumulator}; raw drains the body), then streams {@code --streams} times back to
 * back, checks each result ({@link Expected}) after timing it, and prints one line per stream:
 * wall time; CPU time of the whole process, all threads
 * ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}); bytes allocated by all
 * threads ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, which counts
 * virtual threads' allocations on their carriers and those of threads that ended — see
 * {@code AllocationCounterTest}); JIT compilation and GC time; and the time at the end of each
 * window of {@code --window} events ({@link Windows}).
 *
 * <p>Figures per client, each the median over the rounds (ratios are taken within a round, where
 * the clients ran minutes apart at most, then the median):
 * <ul>
 *   <li>events/s of stream 1, of streams 2 to {@code --first} together, and the steady state:
 *       the median of the per-stream rates of the last {@code --steady} streams;</li>
 *   <li>CPU per stream (ms, all threads; the mean over streams 2 to {@code --first} and over the
 *       steady streams, since the process CPU clock advances in 10 ms ticks on Linux), allocation
 *       per event (bytes, the sum over the same streams over their events; the raw client's events
 *       are the same 100,005 though it parses none), JIT and GC milliseconds;</li>
 *   <li>how many events it takes to reach 90 % of the steady-state rate: the end of the first
 *       window whose rate reaches it ({@code reach90}), and the end of the first of five
 *       consecutive windows that all do ({@code hold90}); {@code inf} (never) when not within the
 *       run;</li>
 *   <li>the time to the first event, of stream 1 and the median of the steady streams;</li>
 *   <li>for Sluice under a framework ({@code sluice-lc4j}, {@code sluice-sai}), the steady rate,
 *       CPU and bytes per event over those of the framework's own model ({@code lc4j}, {@code sai})
 *       in the same round ({@code x own});</li>
 *   <li>with {@code --cancel-trials N}, for the clients a caller can cancel
 *       ({@link CancellableBenchClient}): the driver starts a second server that writes the same
 *       content paced (an event per 2 ms) and holds back its first byte 1 s, and each child, after
 *       its streams, runs N {@link CancelTrials} of each kind against it: the median and the largest
 *       time from cancel to the socket closing as that server saw it, after 20 partials and 200 ms
 *       after the call (before the first byte), and how many closed within 5 s.</li>
 * </ul>
 *
 * <p>Usage: {@code RealContentRun [--smoke] [--content realtext,realtool] [--clients sluice,sdk,raw[,floor2][,acc2][,call2][,lc4j][,sluice-lc4j][,sai][,sluice-sai]]
 * [--rounds 3] [--streams 50] [--first 10] [--steady 20] [--window 10000] [--jvm-arg ARG]...
 * [--child-cp CLASSPATH] [--child-cp-for CLIENT=CLASSPATH]... [--url URL] [--cancel-trials N] [--converse]}.
 * {@code --smoke}: 1 round of 4 streams (first 2, steady 2), to check that it all runs.
 * {@code --converse}: the content as Amazon Bedrock's Converse API streams it ({@link ConverseBenchStream},
 * the server started with {@code --converse}), for the clients {@code bedrock-sluice}, {@code bedrock-sdk}
 * and {@code bedrock-raw} ({@code x raw} and {@code x sdk} are then against the latter two); the driver
 * also prints the server process's CPU while each child streamed (its CPU over the child's life over the
 * child's streaming wall time: near 100 % of a core, the server would be what limits the rate).
 * {@code --url}: a server started separately ({@code BenchServer --stream CONTENT}) with one
 * {@code --content} naming what it serves. {@code --child-cp-for}: one client's children on a class
 * path of their own (Spring AI's model needs another SDK core than the benchmarks' SDK client:
 * {@code frameworks.sh}). The framework clients count text deltas, not events, and stream text
 * only ({@code realtext}); their rates are the stream's events over the wall time, as for the
 * others.
 *
 * <p>Why this file is long: one run's driver and its children's entry point, the rounds, the clients and
 * the report in the order the run goes.
 */
public final class RealContentRun {
    private RealContentRun() {}

    /**
     * Runs the driver, or (first argument {@code child}) one child.
     *
     * @param args the flags
     * @throws Exception if the server or a child cannot be started, or a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(flags(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Options o = Options.parse(args);
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.printf(
                Locale.ROOT,
                "# RealContentRun%s: %d round(s), %d streams per child (stream 1, streams 2-%d, "
                        + "steady = median of the last %d), windows of %,d events%n",
                o.smoke ? " (SMOKE: checks that it runs, measures nothing)" : "",
                o.rounds,
                o.streams,
                o.first,
                o.steady,
                o.window);
        System.out.printf(
                Locale.ROOT,
                "# java %s (%s), %d cores, child flags %s, load average %s%n",
                Runtime.version(),
                java,
                Runtime.getRuntime().availableProcessors(),
                o.jvmArgs,
                loadAverage());
        for (String content : o.contents) run(o, java, content);
        System.out.printf(Locale.ROOT, "# load average at the end %s%n", loadAverage());
    }

    private static void run(Options o, String java, String content) throws Exception {
        BenchStream stream = BenchStream.named(content);
        if (o.converse) stream = ConverseBenchStream.of(stream);
        Expected expected = Expected.of(stream);
        boolean tool = stream.expectedToolInput() != null;
        long[] byteEnds = stream.eventEndOffsets(o.window);
        stream = null; // the driver keeps only what it checks against
        Process server = null;
        Process cancelServer = null;
        String url = o.url;
        String cancelUrl = null;
        try {
            if (url == null) {
                server = o.converse
                        ? startServer(o, java, "--stream", content, "--converse")
                        : startServer(o, java, "--stream", content);
                url = serverUrl(server);
            }
            if (o.cancelTrials > 0) {
                cancelServer = startServer(
                        o,
                        java,
                        "--stream",
                        content,
                        "--paced",
                        "--interval-ms",
                        "2",
                        "--first-byte-delay-ms",
                        Long.toString(CANCEL_FIRST_BYTE_DELAY_MS));
                cancelUrl = serverUrl(cancelServer);
            }
            String rawKind = o.converse ? "bedrock-raw" : "raw";
            try (BenchClient warm = BenchClient.create(rawKind, url, tool)) {
                expected.check(rawKind, warm.stream());
            }
            Map<String, List<ChildRun>> runs = new LinkedHashMap<>();
            Map<String, List<Double>> serverShare = new LinkedHashMap<>();
            for (String kind : o.clients) runs.put(kind, new ArrayList<>());
            for (int round = 0; round < o.rounds; round++) {
                for (int k = 0; k < o.clients.size(); k++) {
                    String kind = o.clients.get((k + round) % o.clients.size());
                    long serverCpu0 = cpuNanos(server);
                    ChildRun r = spawn(o, java, kind, content, url, cancelUrl, tool, expected, byteEnds);
                    long serverCpu1 = cpuNanos(server);
                    Objects.requireNonNull(runs.get(kind), "a list per client").add(r);
                    // the server's CPU over the child's life, over the child's time streaming: the share of a core it
                    // used then
                    double share = server == null
                            ? Double.NaN
                            : (serverCpu1 - serverCpu0)
                                    / (double) Arrays.stream(r.wall()).sum();
                    serverShare.computeIfAbsent(kind, x -> new ArrayList<>()).add(share);
                    System.err.printf(
                            Locale.ROOT,
                            "%s round %d %s: stream 1 %,.0f ev/s, steady %,.0f ev/s, server CPU %.0f %% of a core while streaming%n",
                            content,
                            round + 1,
                            kind,
                            r.firstRate(),
                            r.steadyRate(),
                            share * 100);
                }
            }
            report(o, content, expected, runs);
            if (server != null) {
                StringBuilder line = new StringBuilder(
                        "# server process CPU while each child streamed (its CPU over the child's life / "
                                + "the child's streaming wall time), median over rounds:");
                serverShare.forEach((kind, shares) -> line.append(String.format(
                        Locale.ROOT,
                        " %s %.0f %%;",
                        kind,
                        median(shares.stream().mapToDouble(Double::doubleValue).toArray()) * 100)));
                System.out.println(line);
                System.out.println();
            }
        } finally {
            for (Process p : new Process[] {server, cancelServer}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** {@return the process's CPU time so far (user + system), or 0 when it is not ours or not known} */
    private static long cpuNanos(@Nullable Process p) {
        return p == null
                ? 0
                : p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Process startServer(Options o, String java, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-cp", o.classPath, BenchServer.class.getName()));
        command.addAll(List.of(flags));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String serverUrl(Process server) throws IOException {
        String url =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (url == null || !url.startsWith("http")) throw new IllegalStateException("the server did not start: " + url);
        return url;
    }

    // ---------------------------------------------------------------------------------------
    // The child: one client in a fresh JVM

    /** The cancel trials' {@code after}: cancel once this many partials were given. */
    static final int CANCEL_AFTER_PARTIALS = 20;
    /** The cancel trials' {@code before}: cancel this long after the call (the server holds its first byte 1 s). */
    static final Duration CANCEL_BEFORE_WAIT = Duration.ofMillis(200);
    /** The paced server of the cancel trials: its first byte after this long, then an event per 2 ms. */
    static final long CANCEL_FIRST_BYTE_DELAY_MS = 1_000;

    private static void child(Map<String, String> a) throws Exception {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported())
            throw new IllegalStateException("no thread allocation counter");
        if (!threads.isThreadAllocatedMemoryEnabled()) threads.setThreadAllocatedMemoryEnabled(true);
        var compiler = ManagementFactory.getCompilationMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();

        String kind = Objects.requireNonNull(a.get("client"), "--client");
        int streams = Integer.parseInt(a.get("streams"));
        int window = Integer.parseInt(a.get("window"));
        long[] byteEnds = Arrays.stream(Objects.requireNonNull(a.get("byte-ends"), "--byte-ends")
                        .split(","))
                .mapToLong(Long::parseLong)
                .toArray();
        Expected expected = new Expected(
                Long.parseLong(a.get("events")),
                Long.parseLong(a.get("length")),
                Long.parseLong(a.get("sdk-length")),
                Long.parseLong(a.get("body")));

        int steady = Integer.parseInt(a.getOrDefault("steady", "0"));
        Map<String, long[]> threadCpu = null;
        long b0 = System.nanoTime();
        try (BenchClient client = BenchClient.create(
                kind, Objects.requireNonNull(a.get("url"), "--url"), Boolean.parseBoolean(a.get("tool")))) {
            System.out.println("build " + (System.nanoTime() - b0) + " " + (System.currentTimeMillis() - jvmStart));
            for (int i = 0; i < streams; i++) {
                if (i == streams - steady && ThreadCpuRun.PER_THREAD_CPU) threadCpu = ThreadCpuRun.cpuByThreadName();
                Windows w = new Windows(window, byteEnds);
                long jit0 = compiler.getTotalCompilationTime();
                long gc0 = gcMillis(gcs);
                long cpu0 = os.getProcessCpuTime();
                long alloc0 = threads.getTotalThreadAllocatedBytes();
                long t0 = System.nanoTime();
                BenchClient.Result r = client.stream(w);
                long t1 = System.nanoTime();
                long alloc1 = threads.getTotalThreadAllocatedBytes();
                long cpu1 = os.getProcessCpuTime();
                long gc1 = gcMillis(gcs);
                long jit1 = compiler.getTotalCompilationTime();
                expected.check(kind, r);
                StringBuilder line = new StringBuilder(256)
                        .append("stream ")
                        .append(i)
                        .append(' ')
                        .append(t1 - t0)
                        .append(' ')
                        .append(cpu1 - cpu0)
                        .append(' ')
                        .append(alloc1 - alloc0)
                        .append(' ')
                        .append(jit1 - jit0)
                        .append(' ')
                        .append(gc1 - gc0)
                        .append(' ')
                        .append(r.firstEventNanos() - t0);
                for (int j = 0; j < w.count; j++) line.append(' ').append(w.nanos[j] - t0);
                System.out.println(line);
            }
            // before the client closes: its HttpClient's threads end with it
            if (threadCpu != null) printThreadCpu(kind, steady, threadCpu, ThreadCpuRun.cpuByThreadName());
        }
        String cancelUrl = a.get("cancel-url");
        if (cancelUrl != null) {
            // a client of its own for the paced server; after the figures above, so they are not disturbed
            try (BenchClient client = BenchClient.create(kind, cancelUrl, false)) {
                if (client instanceof CancellableBenchClient c) {
                    CancelTrials.run(
                            c,
                            cancelUrl,
                            Integer.parseInt(a.get("cancel-trials")),
                            CANCEL_AFTER_PARTIALS,
                            CANCEL_BEFORE_WAIT,
                            System.out);
                }
            }
        }
        System.out.println("done");
    }

    /**
     * Prints to the driver's error stream (so it stands in the run's log, not in the figures) the
     * CPU per steady stream of each group of the child's threads: which thread does the work (the
     * calling thread "java", the virtual threads' carriers "ForkJoinPool-N-worker-N", the
     * HttpClient's selector and workers), user + system. Threads that ended in between are not
     * counted (none of these do while the client is open).
     */
    private static void printThreadCpu(
            String kind, int streams, Map<String, long[]> before, Map<String, long[]> after) {
        System.err.println("# " + kind + " threads, CPU ms per steady stream (user+sys):"
                + ThreadCpuRun.split(before, after, streams, 0.5));
    }

    private static long gcMillis(List<GarbageCollectorMXBean> gcs) {
        long sum = 0;
        for (GarbageCollectorMXBean gc : gcs) sum += Math.max(0, gc.getCollectionTime());
        return sum;
    }

    private static ChildRun spawn(
            Options o,
            String java,
            String kind,
            String content,
            String url,
            @Nullable String cancelUrl,
            boolean tool,
            Expected e,
            long[] byteEnds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(childJvmArgs(o.jvmArgs, kind, content));
        StringJoiner ends = new StringJoiner(",");
        for (long end : byteEnds) ends.add(Long.toString(end));
        command.addAll(List.of(
                "-cp",
                o.childClassPath.getOrDefault(kind, o.classPath),
                RealContentRun.class.getName(),
                "child",
                "--client",
                kind,
                "--url",
                url,
                "--tool",
                Boolean.toString(tool),
                "--streams",
                Integer.toString(o.streams),
                "--steady",
                Integer.toString(o.steady),
                "--window",
                Integer.toString(o.window),
                "--byte-ends",
                ends.toString(),
                "--events",
                Long.toString(e.events()),
                "--length",
                Long.toString(e.length()),
                "--sdk-length",
                Long.toString(e.sdkLength()),
                "--body",
                Long.toString(e.bodyBytes())));
        if (cancelUrl != null)
            command.addAll(List.of("--cancel-url", cancelUrl, "--cancel-trials", Integer.toString(o.cancelTrials)));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        int exit = p.waitFor();
        return ChildRun.parse(kind, o, e.events(), childFigures(kind, exit, lines));
    }

    /**
     * {@return the {@code --jvm-arg}s of one child: each {@code {client}} replaced by the client's
     * name and each {@code {content}} by the content's} So each client can have what is its own,
     * as a JDK 25 AOT cache: {@code -XX:AOTCacheOutput=DIR/{content}-{client}.aot} to train it,
     * {@code -XX:AOTCache=DIR/{content}-{client}.aot} to use it.
     */
    static List<String> childJvmArgs(List<String> jvmArgs, String client, String content) {
        return jvmArgs.stream()
                .map(a -> a.replace("{client}", client).replace("{content}", content))
                .toList();
    }

    /**
     * {@return a child's lines up to its closing {@code done}} Lines after it are the JVM's own on
     * its way out (a JDK 25 AOT cache's creation prints five, and any warnings), echoed as comments.
     *
     * @throws IllegalStateException if the child failed: a non-zero exit, or no {@code done}
     */
    static List<String> childFigures(String client, int exit, List<String> lines) {
        int done = lines.lastIndexOf("done");
        if (exit != 0 || done < 0) {
            throw new IllegalStateException(client + " child failed (exit " + exit + "): " + String.join(" | ", lines));
        }
        for (String line : lines.subList(done + 1, lines.size())) System.out.println("# " + client + " child: " + line);
        return lines.subList(0, done);
    }

    // ---------------------------------------------------------------------------------------
    // One child's figures

    /** What one child measured: per stream, nanoseconds of wall, CPU, bytes, JIT and GC ms, windows. */
    @SuppressWarnings("ArrayRecordComponent") // raw per-stream samples, never compared or hashed
    private record ChildRun(
            String kind,
            Options o,
            long events,
            double buildMs,
            double sinceJvmStartMs,
            long[] wall,
            long[] cpu,
            long[] alloc,
            long[] jit,
            long[] gc,
            long[] ttfe,
            long[][] windows,
            List<long[]> cancelAfter,
            List<long[]> cancelBefore) {

        static ChildRun parse(String kind, Options o, long events, List<String> lines) {
            int n = o.streams;
            long[] wall = new long[n];
            long[] cpu = new long[n];
            long[] alloc = new long[n];
            long[] jit = new long[n];
            long[] gc = new long[n];
            long[] ttfe = new long[n];
            long[][] windows = new long[n][];
            List<long[]> cancelAfter = new ArrayList<>();
            List<long[]> cancelBefore = new ArrayList<>();
            double buildMs = 0;
            double sinceStart = 0;
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("build")) {
                    buildMs = Long.parseLong(f[1]) / 1e6;
                    sinceStart = Long.parseLong(f[2]);
                } else if (f[0].equals("stream")) {
                    int i = Integer.parseInt(f[1]);
                    wall[i] = Long.parseLong(f[2]);
                    cpu[i] = Long.parseLong(f[3]);
                    alloc[i] = Long.parseLong(f[4]);
                    jit[i] = Long.parseLong(f[5]);
                    gc[i] = Long.parseLong(f[6]);
                    ttfe[i] = Long.parseLong(f[7]);
                    windows[i] = Arrays.stream(f, 8, f.length)
                            .mapToLong(Long::parseLong)
                            .toArray();
                } else if (f[0].equals("cancel")) {
                    // cancel after|before TRIAL MICROS_TO_CLOSE STATE EVENTS PARTIALS: keep {micros or -1, events}
                    (f[1].equals("after") ? cancelAfter : cancelBefore)
                            .add(new long[] {Long.parseLong(f[3]), Long.parseLong(f[5])});
                }
            }
            return new ChildRun(
                    kind,
                    o,
                    events,
                    buildMs,
                    sinceStart,
                    wall,
                    cpu,
                    alloc,
                    jit,
                    gc,
                    ttfe,
                    windows,
                    cancelAfter,
                    cancelBefore);
        }

        double rate(int i) {
            return events / (wall[i] / 1e9);
        }

        double firstRate() {
            return rate(0);
        }

        /** Events/s over streams 2 to first together (NaN when first is 1). */
        double earlyRate() {
            long nanos = 0;
            for (int i = 1; i < o.first; i++) nanos += wall[i];
            return o.first < 2 ? Double.NaN : (o.first - 1) * events / (nanos / 1e9);
        }

        double steadyRate() {
            double[] r = new double[o.steady];
            for (int k = 0; k < o.steady; k++) r[k] = rate(o.streams - o.steady + k);
            return median(r);
        }

        double ttfeMs(int i) {
            return ttfe[i] / 1e6;
        }

        double steadyTtfeMs() {
            double[] t = new double[o.steady];
            for (int k = 0; k < o.steady; k++) t[k] = ttfeMs(o.streams - o.steady + k);
            return median(t);
        }

        double cpuMs(int i) {
            return cpu[i] / 1e6;
        }

        double earlyCpuMs() {
            return mean(1, o.first, i -> cpu[i] / 1e6);
        }

        /** The mean, not the median: the process CPU clock ticks in 10 ms on Linux, a mean of 20 streams in 0.5 ms. */
        double steadyCpuMs() {
            return mean(o.streams - o.steady, o.streams, i -> cpu[i] / 1e6);
        }

        double bytesPerEvent(int from, int to) {
            long sum = 0;
            for (int i = from; i < to; i++) sum += alloc[i];
            return (double) sum / ((long) (to - from) * events);
        }

        double jitMs(int from, int to) {
            long sum = 0;
            for (int i = from; i < to; i++) sum += jit[i];
            return sum;
        }

        double gcMs(int from, int to) {
            long sum = 0;
            for (int i = from; i < to; i++) sum += gc[i];
            return sum;
        }

        /**
         * {@return events at the end of the first of {@code run} consecutive windows at 90 % of the
         * steady rate or more, or infinity when there are none}
         */
        double reach90(int run) {
            double bar = 0.9 * steadyRate();
            List<double[]> w = windowRates(); // {rate, events at the window's end}
            for (int g = 0; g + run <= w.size(); g++) {
                boolean held = true;
                for (int k = g; k < g + run && held; k++) held = w.get(k)[0] >= bar;
                if (held) return w.get(g)[1];
            }
            return Double.POSITIVE_INFINITY;
        }

        private List<double[]> windowRates() {
            List<double[]> w = new ArrayList<>();
            for (int i = 0; i < o.streams; i++) {
                long previous = 0;
                for (int j = 0; j < windows[i].length; j++) {
                    w.add(new double[] {o.window / ((windows[i][j] - previous) / 1e9), i * events + (j + 1L) * o.window
                    });
                    previous = windows[i][j];
                }
            }
            return w;
        }

        private static double mean(int from, int to, IntToDoubleFunction f) {
            if (to <= from) return Double.NaN;
            double sum = 0;
            for (int i = from; i < to; i++) sum += f.applyAsDouble(i);
            return sum / (to - from);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The report

    private static void report(Options o, String content, Expected e, Map<String, List<ChildRun>> runs) {
        String early = "2-" + o.first;
        System.out.printf(
                Locale.ROOT,
                "%n## %s: %,d events and %,d body bytes per stream (%.1f bytes/event)%n%n",
                content,
                e.events(),
                e.bodyBytes(),
                (double) e.bodyBytes() / e.events());
        System.out.printf(
                Locale.ROOT,
                "%-11s %12s %12s %12s | %-22s | %-15s | %-26s | %-22s | %-20s | %8s%n",
                "client",
                "stream 1",
                "streams " + early,
                "steady",
                "x raw: 1 / " + early + " / st.",
                "x sdk: " + early + " / st.",
                "CPU ms/stream: 1/" + early + "/st.",
                "B/event: 1/" + early + "/st.",
                "90% after (events)",
                "build ms");
        List<String> machine = new ArrayList<>();
        for (Map.Entry<String, List<ChildRun>> entry : runs.entrySet()) {
            String kind = entry.getKey();
            List<ChildRun> rs = entry.getValue();
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("stream1_evs", med(rs, ChildRun::firstRate));
            f.put("early_evs", med(rs, ChildRun::earlyRate));
            f.put("steady_evs", med(rs, ChildRun::steadyRate));
            for (String base : List.of("raw", "sdk", "blocking-raw")) {
                List<ChildRun> other = runs.get(o.converse ? "bedrock-" + base : base);
                if (other == null) continue;
                if (base.equals("sdk")) {
                    f.put("cpu_x_sdk_steady", ratio(rs, other, ChildRun::steadyCpuMs));
                    f.put(
                            "bytes_x_sdk_steady",
                            ratio(rs, other, r -> r.bytesPerEvent(o.streams - o.steady, o.streams)));
                }
                f.put("x_" + base + "_stream1", ratio(rs, other, ChildRun::firstRate));
                f.put("x_" + base + "_early", ratio(rs, other, ChildRun::earlyRate));
                f.put("x_" + base + "_steady", ratio(rs, other, ChildRun::steadyRate));
                if (!base.equals("sdk")) f.put("cpu_x_" + base + "_steady", ratio(rs, other, ChildRun::steadyCpuMs));
            }
            String own = OWN_MODEL.get(kind);
            if (own != null && runs.containsKey(own)) {
                f.put("x_own_steady", ratio(rs, runs.get(own), ChildRun::steadyRate));
                f.put("cpu_x_own_steady", ratio(rs, runs.get(own), ChildRun::steadyCpuMs));
                f.put(
                        "bytes_x_own_steady",
                        ratio(rs, runs.get(own), r -> r.bytesPerEvent(o.streams - o.steady, o.streams)));
            }
            f.put("ttfe_ms_stream1", med(rs, r -> r.ttfeMs(0)));
            f.put("ttfe_ms_steady", med(rs, ChildRun::steadyTtfeMs));
            if (o.cancelTrials > 0) {
                putCancel(
                        f,
                        "cancel_after",
                        rs.stream().flatMap(r -> r.cancelAfter().stream()).toList());
                putCancel(
                        f,
                        "cancel_before",
                        rs.stream().flatMap(r -> r.cancelBefore().stream()).toList());
            }
            f.put("cpu_ms_stream1", med(rs, r -> r.cpuMs(0)));
            f.put("cpu_ms_early", med(rs, ChildRun::earlyCpuMs));
            f.put("cpu_ms_steady", med(rs, ChildRun::steadyCpuMs));
            f.put("bytes_per_event_stream1", med(rs, r -> r.bytesPerEvent(0, 1)));
            f.put("bytes_per_event_early", med(rs, r -> r.bytesPerEvent(1, o.first)));
            f.put("bytes_per_event_steady", med(rs, r -> r.bytesPerEvent(o.streams - o.steady, o.streams)));
            f.put("reach90_events", med(rs, r -> r.reach90(1)));
            f.put("hold90_events", med(rs, r -> r.reach90(5)));
            f.put("jit_ms_stream1", med(rs, r -> r.jitMs(0, 1)));
            f.put("jit_ms_early", med(rs, r -> r.jitMs(1, o.first)));
            f.put("gc_ms_stream1", med(rs, r -> r.gcMs(0, 1)));
            f.put("gc_ms_early", med(rs, r -> r.gcMs(1, o.first)));
            f.put("build_ms", med(rs, ChildRun::buildMs));
            f.put("jvm_start_to_built_ms", med(rs, ChildRun::sinceJvmStartMs));

            System.out.printf(
                    Locale.ROOT,
                    "%-11s %12s %12s %12s | %-22s | %-15s | %-26s | %-22s | %-20s | %8.0f%n",
                    kind,
                    n(f.get("stream1_evs")),
                    n(f.get("early_evs")),
                    n(f.get("steady_evs")),
                    r(f.get("x_raw_stream1")) + " / " + r(f.get("x_raw_early")) + " / " + r(f.get("x_raw_steady")),
                    r(f.get("x_sdk_early")) + " / " + r(f.get("x_sdk_steady")),
                    d(f.get("cpu_ms_stream1")) + " / " + d(f.get("cpu_ms_early")) + " / " + d(f.get("cpu_ms_steady"))
                            + " (" + r(f.get("cpu_x_raw_steady")) + ")",
                    d(f.get("bytes_per_event_stream1")) + " / " + d(f.get("bytes_per_event_early")) + " / "
                            + d(f.get("bytes_per_event_steady")),
                    events(f.get("reach90_events")) + " / " + events(f.get("hold90_events")),
                    f.get("build_ms"));

            StringBuilder line = new StringBuilder("RESULT content=")
                    .append(content)
                    .append(" client=")
                    .append(kind)
                    .append(" rounds=")
                    .append(rs.size())
                    .append(" streams=")
                    .append(o.streams)
                    .append(" first=")
                    .append(o.first)
                    .append(" steady=")
                    .append(o.steady)
                    .append(" window=")
                    .append(o.window)
                    .append(" events=")
                    .append(e.events());
            f.forEach((key, value) -> line.append(' ')
                    .append(key.replace("early", "2_" + o.first))
                    .append('=')
                    .append(value == null || value.isNaN() ? "NaN" : String.format(Locale.ROOT, "%.3f", value)));
            machine.add(line.toString());
        }
        if (runs.keySet().stream().anyMatch(k -> OWN_MODEL.containsKey(k) || OWN_MODEL.containsValue(k))
                || o.cancelTrials > 0
                || o.converse) {
            System.out.printf(
                    Locale.ROOT,
                    "%n%-14s | %-18s | %-22s | %-18s | %-26s | %-26s%n",
                    "client",
                    o.converse ? "x sdk: ev/s / CPU / B" : "x own: ev/s / CPU / B",
                    "CPU us/event (steady)",
                    "TTFE ms: 1 / st.",
                    "cancel->close ms, after",
                    "cancel->close ms, before");
            for (String kind : runs.keySet()) {
                String[] m = machineFigures(machine, kind);
                System.out.printf(
                        Locale.ROOT,
                        "%-14s | %-18s | %-22s | %-18s | %-26s | %-26s%n",
                        kind,
                        m[0],
                        m[1],
                        m[2],
                        m[3],
                        m[4]);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n(medians over the rounds; x raw, x sdk: this client's figure over theirs in the same "
                        + "round, then the median; CPU: all threads of the child, means over the streams, the steady figure's ratio to raw in brackets; "
                        + "90%% after: the end of the first %,d-event window at >= 90 %% of the steady rate / of the first of 5 "
                        + "such windows in a row; never (inf) when not within the run)%n%n",
                o.window);
        machine.forEach(System.out::println);
    }

    /** The Sluice client under a framework, and the framework's own model it is compared with ({@code x own}). */
    static final Map<String, String> OWN_MODEL = Map.of("sluice-lc4j", "lc4j", "sluice-sai", "sai");

    /**
     * Puts the cancel trials' figures: how many closed within the wait, and the median and the
     * largest cancel-to-close time (ms) of those that did, and the median events written by then.
     */
    private static void putCancel(Map<String, Double> f, String name, List<long[]> trials) {
        double[] closed = trials.stream()
                .filter(t -> t[0] >= 0)
                .mapToDouble(t -> t[0] / 1e3)
                .toArray();
        f.put(name + "_trials", (double) trials.size());
        f.put(name + "_closed", (double) closed.length);
        f.put(name + "_ms_median", median(closed));
        f.put(name + "_ms_max", Arrays.stream(closed).max().orElse(Double.NaN));
        f.put(
                name + "_events_median",
                median(trials.stream().mapToDouble(t -> t[1]).toArray()));
    }

    /** The second table's cells for one client, from its RESULT line. */
    private static String[] machineFigures(List<String> machine, String kind) {
        Map<String, String> m = new HashMap<>();
        for (String line : machine) {
            if (!line.contains(" client=" + kind + " ")) continue;
            for (String kv : line.split(" ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Function<String, Double> v = key -> m.containsKey(key) ? Double.parseDouble(m.get(key)) : Double.NaN;
        double events = v.apply("events");
        return new String[] {
            m.containsKey("x_own_steady")
                    ? r(v.apply("x_own_steady")) + " / " + r(v.apply("cpu_x_own_steady")) + " / "
                            + r(v.apply("bytes_x_own_steady"))
                    : r(v.apply("x_sdk_steady")) + " / " + r(v.apply("cpu_x_sdk_steady")) + " / "
                            + r(v.apply("bytes_x_sdk_steady")),
            String.format(Locale.ROOT, "%.2f", v.apply("cpu_ms_steady") * 1e3 / events),
            String.format(Locale.ROOT, "%.1f / %.1f", v.apply("ttfe_ms_stream1"), v.apply("ttfe_ms_steady")),
            cancelCell(v, "cancel_after"),
            cancelCell(v, "cancel_before")
        };
    }

    private static String cancelCell(Function<String, Double> v, String name) {
        double trials = v.apply(name + "_trials");
        if (Double.isNaN(trials) || trials == 0) return "-";
        int closed = v.apply(name + "_closed").intValue();
        if (closed == 0)
            return String.format(
                    Locale.ROOT, "none of %d within %d s", (int) trials, CancelTrials.CLOSE_WAIT.toSeconds());
        return String.format(
                Locale.ROOT,
                "%.1f (max %.1f) %d/%d",
                v.apply(name + "_ms_median"),
                v.apply(name + "_ms_max"),
                closed,
                (int) trials);
    }

    private static double med(List<ChildRun> rs, ToDoubleFunction<ChildRun> f) {
        return median(rs.stream().mapToDouble(f).toArray());
    }

    /** {@return the median over rounds of this client's figure divided by the other's in the same round} */
    private static double ratio(List<ChildRun> rs, List<ChildRun> other, ToDoubleFunction<ChildRun> f) {
        int n = Math.min(rs.size(), other.size());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(rs.get(i)) / f.applyAsDouble(other.get(i));
        return median(r);
    }

    private static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String n(@Nullable Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String r(@Nullable Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String d(@Nullable Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String events(Double v) {
        return v == null || v.isNaN() ? "-" : v.isInfinite() ? "never" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("not a flag: " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    /** The driver's flags. */
    private record Options(
            boolean smoke,
            List<String> contents,
            List<String> clients,
            int rounds,
            int streams,
            int first,
            int steady,
            int window,
            List<String> jvmArgs,
            String classPath,
            Map<String, String> childClassPath,
            @Nullable String url,
            int cancelTrials,
            boolean converse) {

        static Options parse(String[] args) {
            boolean smoke = Arrays.asList(args).contains("--smoke");
            List<String> contents = List.of("realtext", "realtool");
            List<String> clients = List.of("sluice", "sdk", "raw");
            int rounds = smoke ? 1 : 3;
            int streams = smoke ? 4 : 50;
            int first = smoke ? 2 : 10;
            int steady = smoke ? 2 : 20;
            int window = 10_000;
            List<String> jvmArgs = new ArrayList<>();
            String classPath = System.getProperty("java.class.path");
            String url = null;
            int cancelTrials = 0;
            boolean converse = false;
            Map<String, String> childClassPath = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> {}
                    case "--converse" -> converse = true;
                    case "--content" -> contents = List.of(args[++i].split(","));
                    case "--clients" -> clients = List.of(args[++i].split(","));
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--streams" -> streams = Integer.parseInt(args[++i]);
                    case "--first" -> first = Integer.parseInt(args[++i]);
                    case "--steady" -> steady = Integer.parseInt(args[++i]);
                    case "--window" -> window = Integer.parseInt(args[++i]);
                    case "--jvm-arg" -> jvmArgs.add(args[++i]);
                    case "--child-cp" -> classPath = args[++i];
                    case "--child-cp-for" -> {
                        String[] kv = args[++i].split("=", 2);
                        childClassPath.put(kv[0], kv[1]);
                    }
                    case "--url" -> url = args[++i];
                    case "--cancel-trials" -> cancelTrials = Integer.parseInt(args[++i]);
                    default ->
                        throw new IllegalArgumentException("unknown flag: " + args[i] + " (use --smoke, --content "
                                + String.join(",", BenchStream.NAMES)
                                + ", --clients sluice,sdk,raw, --rounds N, --streams N, "
                                + "--first N, --steady N, --window N, --jvm-arg ARG, --child-cp CLASSPATH, --child-cp-for CLIENT=CLASSPATH, --url URL, --cancel-trials N, "
                                + "--converse)");
                }
            }
            for (String c : contents) {
                if (!BenchStream.NAMES.contains(c))
                    throw new IllegalArgumentException("unknown content: " + c + " " + BenchStream.NAMES);
            }
            if (rounds < 1 || first < 1 || steady < 1 || window < 1)
                throw new IllegalArgumentException("counts must be positive");
            if (first > streams || steady > streams) {
                throw new IllegalArgumentException(
                        "--first and --steady must not exceed --streams: " + first + ", " + steady + ", " + streams);
            }
            if (url != null && contents.size() != 1) {
                throw new IllegalArgumentException("--url serves one stream: name it with one --content");
            }
            return new Options(
                    smoke,
                    contents,
                    clients,
                    rounds,
                    streams,
                    first,
                    steady,
                    window,
                    List.copyOf(jvmArgs),
                    classPath,
                    Map.copyOf(childClassPath),
                    url,
                    cancelTrials,
                    converse);
        }
    }
}
