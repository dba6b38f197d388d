package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one client's CPU goes while it reads the large stream back to back: the same in-process
 * {@link BenchServer} and clients as {@code ClientThroughputBenchmark}, N streams after a warm-up,
 * then the user and system CPU time of every thread of the process over those N streams, grouped
 * by thread name (digits folded), read from {@code /proc/self/task} (Linux only). Virtual threads
 * show as their carriers ({@code ForkJoinPool-N-worker-N}); the consumer is the main thread
 * ({@code java}).
 *
 * <p>It is a diagnostic, not a benchmark: JMH gives the figures. What it shows that JMH does not is
 * how many cores a client keeps busy and on which threads: on 2 cores, a client that is not
 * CPU-bound (raw kept under one core busy) is limited by the hand-offs between its threads, and
 * CPU burnt by one thread (a spinning consumer) is taken from the others (issue #7).
 *
 * <p>Usage: {@code ThreadCpuRun --client sluice|sdk|raw [--stream text|realtext|tool|realtool] [--warmup N] [--streams N]}
 * (defaults: text, 300, 300). Prints events/s over the N streams and one line per thread group.
 */
public final class ThreadCpuRun {
    private ThreadCpuRun() {}

    /**
     * Runs the streams and prints the CPU split.
     *
     * @param args the flags
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        String kind = null;
        String stream = "text";
        int warmup = 300;
        int streams = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--client" -> kind = args[++i];
                case "--stream" -> stream = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown flag: " + args[i]
                                    + " (use --client sluice|sdk|raw, --stream text|realtext|tool|realtool, --warmup N, --streams N)");
            }
        }
        if (kind == null) throw new IllegalArgumentException("--client is required");
        BenchStream content = BenchStream.named(stream);
        try (BenchServer server = BenchServer.start(content);
                Clients clients = new Clients(server, content.expectedToolInput() != null)) {
            boolean raw = kind.equals("raw");
            BenchClient client = raw ? clients.raw : kind.equals("sdk") ? clients.sdk : clients.sluice;
            for (int i = 0; i < warmup; i++) once(clients, client, raw);
            Map<String, long[]> before = cpuByThreadName();
            long start = System.nanoTime();
            for (int i = 0; i < streams; i++) once(clients, client, raw);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, long[]> after = cpuByThreadName();
            print(kind, streams, server.stream().events().size(), seconds, before, after);
        }
    }

    private static void once(Clients clients, BenchClient client, boolean raw) {
        if (raw) clients.checkedRaw(client);
        else clients.checked(client);
    }

    private static void print(
            String kind,
            int streams,
            int events,
            double seconds,
            Map<String, long[]> before,
            Map<String, long[]> after) {
        double tick = 1000.0 / USER_HZ; // ms per clock tick
        System.out.printf(
                Locale.ROOT,
                "%s: %d streams in %.3f s = %,.0f events/s%n",
                kind,
                streams,
                seconds,
                (double) streams * events / seconds);
        long user = 0;
        long system = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long u = e.getValue()[0] - b[0];
            long s = e.getValue()[1] - b[1];
            user += u;
            system += s;
            if (u + s > 0) {
                System.out.printf(Locale.ROOT, "  %-32s user %7.0f ms  sys %7.0f ms%n", e.getKey(), u * tick, s * tick);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  all threads: user %.0f ms, sys %.0f ms = %.2f cores busy; %.2f ms of CPU per stream%n",
                user * tick,
                system * tick,
                (user + system) * tick / 1000 / seconds,
                (user + system) * tick / streams);
    }

    /**
     * {@return the CPU between two {@link #cpuByThreadName()} readings, group by group, in ms
     * divided by {@code per}: " NAME total (user+sys);" for each group of at least {@code least},
     * then " all total"} Threads that ended in between are not counted.
     */
    static String split(Map<String, long[]> before, Map<String, long[]> after, int per, double least) {
        return split(before, after, per, least, -1);
    }

    /**
     * {@link #split(Map, Map, int, double)}, then, when {@code processMillis} is not negative,
     * {@code "; unattributed X"}: the process's CPU over the same time ({@code processMillis},
     * divided by {@code per}) less the threads' total. {@code /proc} gives each thread's user and
     * system time in whole clock ticks (10 ms), rounded down, so a thread started between the
     * readings loses up to a tick of its user time and one of its system time, about 8 ms on
     * average (200 threads started at once, each running about 12 ms: 1.55 s of 2.31 s was left
     * out). A client that starts hundreds of threads in a burst (the JDK {@code HttpClient}'s
     * default executor does) has a second or more of its CPU there, most of it its new threads';
     * threads that ended in between are there too.
     */
    static String split(
            Map<String, long[]> before, Map<String, long[]> after, int per, double least, double processMillis) {
        double tick = 1000.0 / USER_HZ;
        StringBuilder line = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long u = e.getValue()[0] - b[0];
            long sys = e.getValue()[1] - b[1];
            total += u + sys;
            if ((u + sys) * tick / per >= least) {
                line.append(String.format(
                        Locale.ROOT,
                        " %s %.1f (%.1f+%.1f);",
                        e.getKey(),
                        (u + sys) * tick / per,
                        u * tick / per,
                        sys * tick / per));
            }
        }
        line.append(String.format(Locale.ROOT, " all %.1f", total * tick / per));
        if (processMillis >= 0) {
            line.append(String.format(Locale.ROOT, "; unattributed %.1f", processMillis / per - total * tick / per));
        }
        return line.toString();
    }

    /** Whether this system shows each thread's CPU time in {@code /proc/self/task} (Linux). */
    static final boolean PER_THREAD_CPU = Files.isDirectory(Path.of("/proc/self/task"));

    /** The clock ticks per second of /proc's CPU times (Linux's USER_HZ, 100 on every common build). */
    static final int USER_HZ = 100;

    /** {@return user and system clock ticks of every live thread, summed by name with digits folded} */
    static Map<String, long[]> cpuByThreadName() {
        Map<String, long[]> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                String stat;
                try {
                    name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended while we looked
                }
                // After the ")" that closes the name: state is field 3, utime 14 and stime 15.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long[] sum = byName.computeIfAbsent(name, k -> new long[2]);
                sum[0] += Long.parseLong(fields[11]);
                sum[1] += Long.parseLong(fields[12]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/task (Linux only)", e);
        }
        return byName;
    }
}
