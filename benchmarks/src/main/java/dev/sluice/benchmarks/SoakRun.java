package dev.sluice.benchmarks;

import dev.sluice.relay.redis.server.RedisServer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An hour's soak (issue #54), not a JMH benchmark: proves that the relay, the library and the
 * fake server neither leak nor lose events over a long run with faults. Everything runs in
 * processes of its own: a {@code redis-server}, the fake server ({@code sluice serve-fake}) and two
 * {@code sluice serve --store redis://...} nodes, each a fresh JVM on this class path; the clients
 * run in this JVM: relay clients that come and go and resume across the nodes ({@link SoakTraffic}),
 * and direct library streams on the four APIs ({@link SoakDirect}), with faults mixed in (drops, stalls,
 * errors, overloads, failovers). Every stream's events and text are checked.
 *
 * <p>Phases: a warm-up under load; a rest (every stream ended, the stores' 60 s retention passed)
 * whose last sample is the baseline; the load, with Redis killed and started again empty half-way
 * through (the nodes must take new streams again, and every stream in flight must end with a
 * terminal event rather than hang); a rest again, whose last sample is compared with the
 * baseline. Each {@code --sample-seconds} it samples, for each JVM (both nodes, the fake, this
 * one): heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), threads (the OS's,
 * from {@code /proc/PID/status}, and all threads with virtual ones from {@code jcmd
 * Thread.dump_to_file}), open file descriptors ({@code /proc/PID/fd}); Redis's {@code used_memory}
 * and key count; and the counts so far. The test of growth is {@link SoakVerdict}'s.
 *
 * <p>Writes {@code NAME.tsv} (one line per sample) and {@code NAME.txt} (the summary) to
 * {@code --out}, and the processes' logs and every failure to {@code --work}. Exits 0 when every
 * stream checked out, every bound held and every kind of traffic ran; 1 otherwise.
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.SoakRun [--minutes 60] [--sample-seconds 60]
 *     [--relay-clients 12] [--direct-clients 6] [--fault-share 0.3] [--tokens-per-second 30] [--redis-down-seconds 5]
 *     [--rest-seconds 75] [--node-heap 768m] [--name DATE-soak] [--out benchmarks/results] [--work benchmarks/target/soak/NAME]
 * </pre>
 * {@code --minutes} is the time under load, the first twelfth of it (at least 30 s) a warm-up.
 * (benchmarks/soak.sh builds and runs it; the hour's recorded run: benchmarks/results/2026-11-26-soak.txt.)
 *
 * <p>Why this file is long: the soak's phases, its processes and its samples, in the order the hour goes.
 */
public final class SoakRun {
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Map<String, String> options;
    private final Path work;
    private final Tally tally;
    private final List<SoakVerdict.Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private volatile String phase = "start";
    private volatile boolean loading;
    private long nextSeed;

    @SuppressWarnings("NullAway.Init") // set by run() before anything reads it
    private RedisServer redis;

    @SuppressWarnings("NullAway.Init") // set by run() before anything reads it
    private PrintStream tsv;

    private SoakRun(Map<String, String> options, Path work, Tally tally) {
        this.options = options;
        this.work = work;
        this.tally = tally;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of(
                "--minutes",
                "60",
                "--sample-seconds",
                "60",
                "--relay-clients",
                "12",
                "--direct-clients",
                "6",
                "--fault-share",
                "0.3",
                "--tokens-per-second",
                "30",
                "--redis-down-seconds",
                "5",
                "--rest-seconds",
                "75",
                "--node-heap",
                "768m",
                "--out",
                "benchmarks/results"));
        Set<String> known = new TreeSet<>(o.keySet());
        known.addAll(List.of("--name", "--work"));
        if (args.length % 2 != 0)
            throw new IllegalArgumentException("expected --OPTION VALUE pairs: " + String.join(" ", args));
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]))
                throw new IllegalArgumentException("unknown option " + args[i] + "; the options: " + known);
            o.put(args[i], args[i + 1]);
        }
        String date = DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.now().atZone(ZoneOffset.UTC));
        o.putIfAbsent("--name", date + "-soak");
        Path work = Path.of(o.getOrDefault("--work", "benchmarks/target/soak/" + o.get("--name")));
        Files.createDirectories(work);
        int exit;
        try (PrintStream failures =
                new PrintStream(Files.newOutputStream(work.resolve("failures.log")), true, StandardCharsets.UTF_8)) {
            exit = new SoakRun(o, work, new Tally(failures)).run(String.join(" ", args));
        }
        System.exit(exit);
    }

    private double number(String name) {
        return Double.parseDouble(options.get(name));
    }

    private int run(String commandLine) throws Exception {
        double minutes = number("--minutes");
        Duration warmup = Duration.ofSeconds((long) (60 * Math.max(0.5, minutes / 12)));
        Duration load = Duration.ofSeconds((long) (60 * minutes)).minus(warmup);
        Duration rest = Duration.ofSeconds((long) number("--rest-seconds"));
        String before = loadAverage();
        List<Process> children = new ArrayList<>();
        tsv = new PrintStream(Files.newOutputStream(work.resolve("samples.tsv")), true, StandardCharsets.UTF_8);
        SoakTraffic traffic = null;
        SoakDirect direct = null;
        double[] loadSpan = new double[2];
        SoakVerdict.Sample baseline;
        SoakVerdict.Sample end;
        String recovery;
        try {
            redis = RedisServer.start();
            Process fake = child(
                    children,
                    "fake",
                    List.of(
                            "-Xmx256m",
                            "dev.sluice.cli.Sluice",
                            "serve-fake",
                            "--port",
                            "0",
                            "--tokens-per-second",
                            options.get("--tokens-per-second")),
                    Map.of());
            URI fakeUrl =
                    URI.create(awaitLine(work.resolve("fake.log"), Pattern.compile("fake LLM server on (http\\S+)")));
            Map<String, String> env = new LinkedHashMap<>();
            for (String p : List.of("ANTHROPIC", "OPENAI", "GEMINI")) {
                env.put(p + "_BASE_URL", fakeUrl.toString());
                env.put(p + "_API_KEY", "soak");
            }
            // node A's chain continues on Anthropic, node B's restarts on OpenAI
            Process a = child(
                    children,
                    "node-a",
                    node("--model", "claude-haiku-4-5", "--fallback", "anthropic:claude-sonnet-4-5"),
                    env);
            Process b = child(children, "node-b", node("--fallback", "openai:gpt-4o-mini"), env);
            List<SoakTraffic.Node> nodes = List.of(
                    new SoakTraffic.Node(
                            "A",
                            URI.create(awaitLine(
                                    work.resolve("node-a.log"), Pattern.compile("^sluice serve: (http\\S+)$")))),
                    new SoakTraffic.Node(
                            "B",
                            URI.create(awaitLine(
                                    work.resolve("node-b.log"), Pattern.compile("^sluice serve: (http\\S+)$")))));
            pids.put("node-a", a.pid());
            pids.put("node-b", b.pid());
            pids.put("fake", fake.pid());
            pids.put("soak", ProcessHandle.current().pid());
            Map<String, String> answers = SoakScript.answers(fakeUrl);
            traffic = new SoakTraffic(nodes, answers, tally, number("--fault-share"));
            direct = new SoakDirect(fakeUrl, answers, tally, number("--fault-share"));
            tsv.println(header());
            SoakTraffic t = traffic;
            Thread watchdog = Thread.ofVirtual().name("soak-watchdog").start(() -> {
                try {
                    t.watchdog(() -> !phase.equals("stopped"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread sampler = Thread.ofPlatform().name("soak-sampler").daemon().start(this::sampleEvery);

            phase = "warmup";
            load(traffic, direct, warmup, null);
            phase = "rest";
            Thread.sleep(rest);
            baseline = sample();
            phase = "load";
            loadSpan[0] = seconds();
            String[] recovered = new String[1];
            load(traffic, direct, load, () -> recovered[0] = restartRedis(t, nodes));
            loadSpan[1] = seconds();
            recovery = recovered[0];
            phase = "rest";
            Thread.sleep(rest);
            end = sample();
            phase = "stopped";
            sampler.interrupt();
            watchdog.join(Duration.ofSeconds(5));
        } finally {
            if (traffic != null) traffic.close();
            if (direct != null) direct.close();
            for (Process p : children.reversed()) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            if (redis != null) redis.close();
            tsv.close();
        }
        return report(commandLine, before, baseline, end, loadSpan, recovery);
    }

    /** {@return serve's arguments for a node: the store, every model allowed, limits no client here reaches, and its own} */
    private List<String> node(String... own) {
        List<String> args = new ArrayList<>(List.of(
                "-Xmx" + options.get("--node-heap"),
                "dev.sluice.cli.Sluice",
                "serve",
                "--port",
                "0",
                "--store",
                redis.url(),
                "--heartbeat",
                "5",
                "--max-streams",
                "64",
                "--max-streams-per-client",
                "64",
                "--max-creations-per-minute",
                "0",
                "--max-failed-resumes-per-minute",
                "0",
                "--max-connections-per-client",
                "128"));
        for (String p : SoakScript.PROVIDERS) args.addAll(List.of("--models", p + "=*"));
        args.addAll(List.of(own));
        return args;
    }

    /** Starts a JVM on this class path, its stdout and stderr to {@code NAME.log} in the work folder. */
    private Process child(List<Process> children, String name, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("SLUICE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** {@return the first group of the first line of the log that matches, waiting up to a minute for it} */
    private static String awaitLine(Path log, Pattern line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = line.matcher(l);
                    if (m.find()) return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new IOException(
                "no line matching " + line + " in " + log + " within a minute:\n" + Files.readString(log));
    }

    /** Runs the clients for {@code duration} ({@code halfWay} on this thread at half time), then waits for each to finish its stream. */
    private void load(SoakTraffic traffic, SoakDirect direct, Duration duration, @Nullable Runnable halfWay)
            throws InterruptedException {
        loading = true;
        List<Thread> loops = new ArrayList<>();
        int relay = (int) number("--relay-clients");
        for (int i = 0; i < relay; i++) {
            long seed = nextSeed++;
            loops.add(Thread.ofVirtual().name("soak-relay-" + i).start(() -> traffic.relayLoop(() -> loading, seed)));
        }
        for (int i = 0; i < (int) number("--direct-clients"); i++) {
            long seed = nextSeed++;
            loops.add(Thread.ofVirtual().name("soak-direct-" + i).start(() -> direct.directLoop(() -> loading, seed)));
        }
        long until = System.nanoTime() + duration.toNanos();
        if (halfWay != null) {
            Thread.sleep(duration.dividedBy(2));
            halfWay.run();
        }
        long left = until - System.nanoTime();
        if (left > 0) Thread.sleep(Duration.ofNanos(left));
        loading = false;
        for (Thread loop : loops) {
            if (!loop.join(Duration.ofMinutes(5)))
                tally.fail(loop.getName(), List.of("its stream did not end within 5 minutes of the load's end"));
        }
    }

    /** Kills Redis, starts it again empty, and {@return how long until each node relayed a new stream whole} */
    private String restartRedis(SoakTraffic traffic, List<SoakTraffic.Node> nodes) {
        try {
            notes.add(String.format(
                    "%.0f s: Redis killed (SIGKILL), started again empty %s s later",
                    seconds(), options.get("--redis-down-seconds")));
            traffic.outageStarted();
            redis.kill();
            Thread.sleep(Duration.ofSeconds((long) number("--redis-down-seconds")));
            redis.startAgain();
            traffic.outageEnded();
            long back = System.nanoTime();
            List<Thread> probes = new ArrayList<>();
            double[][] took = new double[nodes.size()][];
            for (int i = 0; i < nodes.size(); i++) {
                int n = i;
                probes.add(Thread.ofVirtual().start(() -> {
                    try {
                        took[n] = traffic.probe(nodes.get(n), back, Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        took[n] = new double[] {-1, -1};
                    }
                }));
            }
            for (Thread p : probes) p.join();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                s.append(String.format(
                        "node %s took a new stream %.1f s after Redis was back and relayed it whole at %.1f s; ",
                        nodes.get(i).name(), took[i][0], took[i][1]));
                if (took[i][1] < 0)
                    tally.fail(
                            "recovery on node " + nodes.get(i).name(),
                            List.of("no new stream relayed whole within 30 s of Redis's restart"));
            }
            notes.add(String.format("%.0f s: %s", seconds(), s));
            return s.toString();
        } catch (IOException | InterruptedException e) {
            tally.fail("Redis restart", List.of(e.toString()));
            return "Redis restart failed: " + e;
        }
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    // ---- samples ----

    private void sampleEvery() {
        long every = (long) (number("--sample-seconds") * 1e9);
        long next = System.nanoTime() + every;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
            } catch (InterruptedException e) {
                return;
            }
            next += every;
            if (!phase.equals("stopped")) sample();
        }
    }

    private String header() {
        StringBuilder h = new StringBuilder("seconds\tphase");
        for (String who : pids.keySet())
            for (String what : List.of("heap_kb", "threads", "all_threads", "fds"))
                h.append('\t').append(who).append('.').append(what);
        h.append(
                "\tredis.used_memory\tredis.keys\trelay_streams\trelay_done\tresumes\tchat_streams\tdirect_streams\tdirect_done\tfaults\tfailovers\toutage_effects\tfailures\tloadavg");
        return h.toString();
    }

    /** Takes a sample now, writes its line and keeps it. */
    private synchronized SoakVerdict.Sample sample() {
        double at = seconds();
        String now = phase;
        Map<String, Long> v = new LinkedHashMap<>();
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            long pid = p.getValue();
            v.put(p.getKey() + ".heap_kb", heapAfterGc(pid));
            v.put(p.getKey() + ".threads", osThreads(pid));
            v.put(p.getKey() + ".all_threads", allThreads(pid));
            v.put(p.getKey() + ".fds", fds(pid));
        }
        v.put("redis.used_memory", redis.usedMemory());
        v.put("redis.keys", redis.dbSize());
        SoakVerdict.Sample s = new SoakVerdict.Sample(at, now, v);
        samples.add(s);
        StringBuilder line = new StringBuilder(String.format("%.0f\t%s", at, now));
        for (long x : v.values()) line.append('\t').append(x);
        for (long x : new long[] {
            tally.get("relay.streams"),
            tally.sum("relay.done."),
            tally.get("relay.resumes"),
            tally.get("chat.streams"),
            tally.get("direct.streams"),
            tally.sum("direct.done."),
            tally.sum("faults."),
            tally.sum("failovers."),
            tally.sum("relay.refused_in_outage") + tally.sum("relay.ended_by_outage."),
            tally.failures()
        }) {
            line.append('\t').append(x);
        }
        tsv.println(line.append('\t').append(loadAverage().split(" ")[0]));
        return s;
    }

    private long heapAfterGc(long pid) {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long osThreads(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("Threads:"))
                    return Long.parseLong(l.substring(8).trim());
            }
        } catch (IOException e) {
            // the process has gone
        }
        return -1;
    }

    /** {@return the threads of a JVM, virtual ones included, from a JSON thread dump} */
    private long allThreads(long pid) {
        Path dump = work.resolve("threads-" + pid + ".json");
        jcmd(
                pid,
                "Thread.dump_to_file",
                "-format=json",
                "-overwrite",
                dump.toAbsolutePath().toString());
        try {
            Matcher m = Pattern.compile("\"tid\"").matcher(Files.readString(dump));
            long n = 0;
            while (m.find()) n++;
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long fds(long pid) {
        try (Stream<Path> fd = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fd.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private String jcmd(long pid, String... command) {
        List<String> c = new ArrayList<>(List.of(JCMD.toString(), Long.toString(pid)));
        c.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    // ---- the report ----

    private int report(
            String commandLine,
            String loadBefore,
            SoakVerdict.Sample baseline,
            SoakVerdict.Sample end,
            double[] loadSpan,
            String recovery)
            throws IOException {
        List<SoakVerdict.Check> checks = new ArrayList<>(SoakVerdict.underLoad(samples, loadSpan[0], loadSpan[1]));
        checks.addAll(SoakVerdict.atRest(baseline, end));
        List<String> missing = new ArrayList<>();
        for (String p : SoakScript.PROVIDERS) {
            if (tally.get("relay.done." + p) == 0) missing.add("no relayed stream of " + p + " ended whole");
            if (tally.get("direct.done." + p) == 0) missing.add("no direct stream of " + p + " ended whole");
        }
        for (String c : List.of(
                "relay.resumes",
                "relay.cancelled",
                "relay.abandoned",
                "relay.in_flight_at_redis_kill",
                "chat.resumes")) {
            if (tally.get(c) == 0) missing.add("no " + c);
        }
        for (String c : List.of(
                "faults.relay.",
                "faults.direct.",
                "failovers.relay",
                "failovers.direct",
                "direct.done.chain-",
                "chat.done.")) {
            if (tally.sum(c) == 0) missing.add("no " + c);
        }
        boolean pass = tally.failures() == 0 && checks.stream().allMatch(SoakVerdict.Check::held) && missing.isEmpty();

        StringBuilder s = new StringBuilder();
        s.append("# Soak (issue #54): ")
                .append(options.get("--name"))
                .append(", ")
                .append(pass ? "PASS" : "FAIL")
                .append('\n');
        s.append("date: ")
                .append(Instant.now())
                .append("  commit: ")
                .append(commit())
                .append('\n');
        s.append("jdk: ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append("  machine: ")
                .append(machine())
                .append('\n');
        s.append("loadavg before: ")
                .append(loadBefore)
                .append("  after: ")
                .append(loadAverage())
                .append('\n');
        s.append("command: java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.SoakRun ")
                .append(commandLine)
                .append('\n');
        s.append("settings: ").append(options).append('\n');
        s.append(String.format(
                "load phase: %.0f s to %.0f s; samples: %d (every %s s); processes' logs and failures.log in %s%n",
                loadSpan[0], loadSpan[1], samples.size(), options.get("--sample-seconds"), work));
        for (String n : notes) s.append(n).append('\n');
        s.append("\n## Counts\n");
        tally.snapshot().forEach((k, v) -> s.append(String.format("%-40s %,d%n", k, v)));
        s.append(String.format("%-40s %,d%n", "verification failures", tally.failures()));
        s.append(
                "\n## Bounds (SoakVerdict: last third of the load <= first third x 1.25 + slack; at rest <= baseline + slack)\n");
        checks.forEach(c -> s.append(c).append('\n'));
        if (!missing.isEmpty())
            s.append("\n## Traffic that did not run\n")
                    .append(String.join("\n", missing))
                    .append('\n');
        if (tally.failures() > 0)
            s.append("\n## First failures\n")
                    .append(String.join("\n", tally.firstFailures()))
                    .append('\n');
        s.append("\nrecovery after the Redis restart: ").append(recovery).append('\n');

        Path out = Path.of(options.get("--out"));
        Files.createDirectories(out);
        Files.writeString(out.resolve(options.get("--name") + ".txt"), s, StandardCharsets.UTF_8);
        Files.copy(
                work.resolve("samples.tsv"),
                out.resolve(options.get("--name") + ".tsv"),
                StandardCopyOption.REPLACE_EXISTING);
        System.out.print(s);
        return pass ? 0 : 1;
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : "(unknown)";
        } catch (IOException | InterruptedException e) {
            return "(unknown)";
        }
    }

    private static String machine() {
        String cpu = "";
        long memKb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) memKb = Long.parseLong(l.replaceAll("\\D", ""));
            }
        } catch (IOException e) {
            // not Linux: the processor count is enough
        }
        return String.format(
                "%d cores %s, %d GiB, %s %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memKb >> 20,
                System.getProperty("os.name"),
                System.getProperty("os.version"));
    }
}
