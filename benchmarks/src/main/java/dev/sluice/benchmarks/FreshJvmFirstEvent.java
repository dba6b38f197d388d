package dev.sluice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A fresh JVM's time to the first event, per client: starts the short-stream {@link BenchServer}
 * in this (driver) process (serving the Anthropic stream and its Bedrock Converse rendering, so
 * {@code sluice} and {@code bedrock-sluice}, {@code bedrock-sdk} can be compared on one server), then runs each client {@code N} times in its own new JVM
 * ({@code java -cp <this class path> dev.sluice.benchmarks.FreshJvmFirstEvent child KIND URL},
 * the same {@code java}, class path and flags for every client). A child creates its client,
 * streams once and prints two times to its first event:
 *
 * <ul>
 *   <li>{@code fromJvmStart}: from the JVM's own start time
 *       ({@code RuntimeMXBean.getStartTime()}, milliseconds);</li>
 *   <li>{@code fromSpawn}: from the moment the driver launched the process (wall clock, both
 *       sides on this machine) — includes exec and the JVM's boot, the stricter figure.</li>
 * </ul>
 *
 * <p>The runs go in rounds, each client once a round in an order rotated each round, so that a
 * shared machine's changing load falls on every client alike; each client after the first is also
 * given as the median of its per-round ratios to the first client, from spawn.
 *
 * <p>Usage: {@code FreshJvmFirstEvent [--runs N] [--clients sluice,sdk,raw] [--jvm-arg ARG]...
 * [--child-cp CLASSPATH]}; prints min, median and max per client, in milliseconds. The children's
 * class path defaults to this process's; {@code run-all.sh} passes the module's classes and its
 * dependency jars instead of the 57 MB uber jar, as an application would ship.
 */
public final class FreshJvmFirstEvent {
    private FreshJvmFirstEvent() {}

    /**
     * Runs the driver, or (first argument {@code child}) one child.
     *
     * @param args the flags
     * @throws Exception if the server or a child cannot be started
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2]);
            return;
        }
        int runs = 10;
        List<String> kinds = List.of("sluice", "sdk", "raw");
        List<String> jvmArgs = new ArrayList<>();
        String classPath = System.getProperty("java.class.path");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--clients" -> kinds = List.of(args[++i].split(","));
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--child-cp" -> classPath = args[++i];
                default ->
                    throw new IllegalArgumentException("unknown flag: " + args[i]
                            + " (use --runs N, --clients sluice,sdk,raw, --jvm-arg ARG, --child-cp CLASSPATH)");
            }
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        try (BenchServer server = BenchServer.startWithConverse(BenchStream.text(BenchServer.SHORT_DELTAS))) {
            System.out.printf(
                    Locale.ROOT,
                    "fresh JVM to first event, %d runs each, java %s, flags %s%n",
                    runs,
                    Runtime.version(),
                    jvmArgs);
            System.out.printf(
                    Locale.ROOT, "%-14s %26s %26s%n", "client", "from JVM start min/med/max", "from spawn min/med/max");
            // rounds: each client once a round, the order rotated, so that a shared machine's load falls on all alike
            int n = kinds.size();
            long[][] fromStart = new long[n][runs];
            long[][] fromSpawn = new long[n][runs];
            int[] ok = new int[n];
            String[] failure = new String[n];
            for (int r = 0; r < runs; r++) {
                for (int j = 0; j < n; j++) {
                    int k = (j + r) % n;
                    List<String> command = new ArrayList<>(List.of(java));
                    command.addAll(jvmArgs);
                    command.addAll(List.of(
                            "-cp",
                            classPath,
                            FreshJvmFirstEvent.class.getName(),
                            "child",
                            kinds.get(k),
                            server.baseUrl()));
                    long spawn = System.currentTimeMillis();
                    Process p = new ProcessBuilder(command)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
                    String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset()).trim();
                    if (p.waitFor() != 0 || !out.startsWith("first-event ")) {
                        failure[k] = "exit " + p.exitValue() + ": " + out;
                        fromStart[k][r] = -1;
                        fromSpawn[k][r] = -1;
                        continue;
                    }
                    String[] f = out.split(" ");
                    long jvmStart = Long.parseLong(f[1]);
                    long first = Long.parseLong(f[2]);
                    fromStart[k][r] = first - jvmStart;
                    fromSpawn[k][r] = first - spawn;
                    ok[k]++;
                }
            }
            for (int k = 0; k < n; k++) {
                String kind = kinds.get(k);
                if (ok[k] == 0) {
                    System.out.printf(Locale.ROOT, "%-14s failed: %s%n", kind, failure[k]);
                    continue;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-14s %26s %26s %s%s%n",
                        kind,
                        stats(fromStart[k]),
                        stats(fromSpawn[k]),
                        k == 0
                                ? ""
                                : "x " + kinds.get(0) + " (median of the rounds' ratios, from spawn) "
                                        + String.format(
                                                Locale.ROOT,
                                                "%.2f",
                                                pairedRatio(fromSpawn[k], fromStart[k], fromSpawn[0], fromStart[0])),
                        ok[k] < runs ? "  (" + (runs - ok[k]) + " failed: " + failure[k] + ")" : "");
            }
        }
    }

    /** {@return the median over the rounds where both succeeded of a / b} */
    private static double pairedRatio(long[] a, long[] aOk, long[] b, long[] bOk) {
        double[] r = new double[a.length];
        int m = 0;
        for (int i = 0; i < a.length; i++) if (aOk[i] >= 0 && bOk[i] >= 0) r[m++] = (double) a[i] / b[i];
        if (m == 0) return Double.NaN;
        double[] v = Arrays.copyOf(r, m);
        Arrays.sort(v);
        return m % 2 == 1 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
    }

    /** {@return min / median / max of the rounds that succeeded (a failed one holds -1)} */
    private static String stats(long[] values) {
        long[] v = Arrays.stream(values).filter(x -> x >= 0).toArray();
        return stats(v, v.length);
    }

    private static String stats(long[] values, int n) {
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return v[0] + " / " + v[n / 2] + " / " + v[n - 1] + " ms";
    }

    private static void child(String kind, String url) throws IOException {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        try (BenchClient client = BenchClient.create(kind, url, false)) {
            BenchClient.Result r = client.stream();
            System.out.println("first-event " + jvmStart + " " + r.firstEventMillis());
        }
    }
}
