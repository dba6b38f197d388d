package dev.sluice.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Streams one after another from one client, as a service that makes a call at a time does: the
 * cost of a stream that is not its events. Against a {@link BenchServer} in its own process
 * (the paced stream with {@code --interval-ms 0}: 50 events, each stream short), the client first
 * runs {@code --streams} streams to warm up, then {@code --rounds} rounds of {@code --streams}
 * each, and prints a line per round: bytes allocated by all threads per stream
 * ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}), the process's CPU time
 * and the wall time per stream, and, on Linux, the TCP connections the machine opened during the
 * round ({@code TcpActiveOpens} of {@code /proc/net/snmp}: on a quiet machine, the client's).
 * A client keeps its connection between streams when each body is read to its end. Each stream's
 * result is checked as {@link ConcurrencyRun} checks it.
 *
 * <p>Usage: {@code SequentialRun --client sluice|sdk|raw --url BASE [--streams 3000] [--rounds 3]}.
 */
public final class SequentialRun {
    private SequentialRun() {}

    /**
     * Runs and prints a line per round.
     *
     * @param args the flags
     */
    public static void main(String[] args) {
        String kind = null;
        String url = null;
        int streams = 3000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--client" -> kind = args[++i];
                case "--url" -> url = args[++i];
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown flag: " + args[i]
                            + " (use --client sluice|sdk|raw, --url BASE, --streams N, --rounds R)");
            }
        }
        if (kind == null || url == null) throw new IllegalArgumentException("--client and --url are required");
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (BenchClient client = BenchClient.create(kind, url, false)) {
            for (int i = 0; i < streams; i++) ConcurrencyRun.checkPaced(kind, client.stream());
            System.gc();
            for (int round = 1; round <= rounds; round++) {
                long connections = activeOpens();
                long allocated = threads.getTotalThreadAllocatedBytes();
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < streams; i++) ConcurrencyRun.checkPaced(kind, client.stream());
                long wall = System.nanoTime() - start;
                cpu = os.getProcessCpuTime() - cpu;
                allocated = threads.getTotalThreadAllocatedBytes() - allocated;
                connections = connections < 0 ? -1 : activeOpens() - connections;
                System.out.printf(
                        Locale.ROOT,
                        "client=%s round=%d streams=%d bytes_per_stream=%.0f cpu_us_per_stream=%.1f "
                                + "wall_us_per_stream=%.1f connections_opened=%s%n",
                        kind,
                        round,
                        streams,
                        allocated / (double) streams,
                        cpu / 1e3 / streams,
                        wall / 1e3 / streams,
                        connections < 0 ? "n/a" : Long.toString(connections));
            }
        }
        System.exit(0); // a client's non-daemon threads (OkHttp's pool) must not keep the process alive
    }

    /** {@return the machine's TCP active opens so far, or -1 where /proc/net/snmp is not there} */
    private static long activeOpens() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (!lines.get(i).startsWith("Tcp:") || !lines.get(i + 1).startsWith("Tcp:")) continue;
                List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                String[] values = lines.get(i + 1).trim().split("\\s+");
                int at = names.indexOf("ActiveOpens");
                return at < 0 ? -1 : Long.parseLong(values[at]);
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
