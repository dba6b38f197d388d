package dev.sluice.relay.redis.server;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real {@code redis-server} (Debian's package; {@code ./build test} installs it when missing) on
 * a free loopback port, without persistence, for the store's tests and the benchmarks
 * ({@code RelayRedisRun}, {@code SoakRun}, which shade this package in): started, stopped abruptly
 * and started again, empty, on the same port. {@link RedisCluster} makes a cluster of them.
 */
public final class RedisServer implements RedisUnderTest {
    /**
     * The servers this JVM started and has not stopped: stopped when it exits, so that a test that
     * ends before its {@code close()} (an exception in its clean-up, a killed fork) leaves no
     * {@code redis-server} behind, still listening, after the suite.
     */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "redis-server-reaper"));
    }

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisServer(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    public static RedisServer start() throws IOException {
        int port = restartablePort(Set.of(), 0);
        RedisServer r = new RedisServer(port, Files.createTempDirectory("sluice-redis"), List.of());
        r.startAgain();
        return r;
    }

    /**
     * {@return a free loopback port, not in {@code taken}, with the port {@code above} it free too
     * (a cluster node's bus port; 0 for none), both below the range the system hands out for port 0}
     * A server killed and started again on its port finds it free: a process that binds port 0 in
     * between (the suite starts many) can be given a port of that range, never this one. Linux's
     * range is {@code /proc/sys/net/ipv4/ip_local_port_range} (32768 and up by default); the port is
     * drawn at random above 10,000, so that test JVMs side by side rarely draw the same one, and
     * checked free (on a system whose range starts at 10,000 or lower, from any port above 1,023).
     *
     * @throws IOException when 1,000 draws found none free
     */
    static int restartablePort(Set<Integer> taken, int above) throws IOException {
        int low = 32_768;
        try {
            // a line read to its end (Files.readString trusts the size /proc reports, and read "3")
            low = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .getFirst()
                    .strip()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: 32,768 is below the other systems' ranges too (the IANA range starts at 49,152)
        }
        int first = 10_000, last = low - 1 - above; // the port and the one above it below the range
        if (last <= first) { // a system whose range leaves no room below it: any free port, as port 0 gives
            first = 1024;
            last = 65_535 - above;
        }
        RandomGenerator random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 1000; tries++) {
            int port = random.nextInt(first, last + 1);
            if (taken.contains(port) || (above > 0 && taken.contains(port + above))) continue;
            if (free(port) && (above == 0 || free(port + above))) return port;
        }
        throw new IOException("no free port from " + first + " to " + last);
    }

    /** {@return whether a loopback port can be bound now} */
    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@return a server started on a free port with more options (a TLS port, say), its directory
     * its own; it also answers on that plain port, through which it is checked and {@link #keys}
     * and {@link #clientList} ask}
     */
    public static RedisServer start(List<String> options) throws IOException {
        return start(restartablePort(Set.of(), 0), options);
    }

    /** {@return a server started on a given port with more options, its directory (and {@code nodes.conf}) its own} */
    static RedisServer start(int port, List<String> options) throws IOException {
        RedisServer r = new RedisServer(port, Files.createTempDirectory("sluice-redis-" + port), options);
        r.startAgain();
        return r;
    }

    public int port() {
        return port;
    }

    /** {@return the loopback address it listens on} */
    public String host() {
        return "127.0.0.1";
    }

    /** {@return its log file: what it prints, at its log level} */
    private Path log() {
        return dir.resolve("redis.log");
    }

    /** {@return the last lines of its log (what it logged at its log level; empty when it wrote nothing)} Never throws. */
    String logTail(int lines) {
        try {
            Path log = log();
            if (!Files.exists(log)) return "";
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(its log could not be read: " + e + ")";
        }
    }

    /** {@return whether the process runs} */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    public static String binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) return env;
        for (String p :
                new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"}) {
            if (new File(p).canExecute()) return p;
        }
        throw new IllegalStateException(
                "redis-server is missing: ./build test installs it (apt-get install redis-server), or set REDIS_SERVER");
    }

    /** Starts the server (again) on its port and waits until it answers. */
    @Override
    public void startAgain() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                binary(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--loglevel",
                "warning"));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        RUNNING.add(process);
        try {
            await().atMost(Duration.ofSeconds(10)).until(this::answers);
        } catch (ConditionTimeoutException e) {
            Path log = log();
            String said = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException(
                    "redis-server did not answer on 127.0.0.1:" + port + " within 10 s"
                            + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")") + "; its log: "
                            + said.substring(Math.max(0, said.length() - 2000)),
                    e);
        }
    }

    /** Kills the server at once (SIGKILL): connections break, nothing is saved. */
    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        RUNNING.remove(process);
        await().atMost(Duration.ofSeconds(5)).until(() -> !answers());
    }

    @Override
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    @Override
    public UnifiedJedis client() {
        return new JedisPooled(URI.create(url()));
    }

    @Override
    public List<String> keys(String pattern) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return List.copyOf(j.keys(pattern));
        }
    }

    @Override
    public List<String> clientList() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return j.clientList().lines().toList();
        }
    }

    @Override
    public boolean cluster() {
        return false;
    }

    /** {@return {@code used_memory} of {@code INFO memory}, or -1 when it does not answer} */
    public long usedMemory() {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            return usedMemory(j);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * {@return how many times these commands ran since the start or the last {@code CONFIG
     * RESETSTAT} ({@code INFO commandstats}, asked on the plain port): {@code auth} and
     * {@code hello} tell whether a client's password reached the server}
     */
    public long calls(String... commands) {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            long calls = 0;
            for (String line : j.info("commandstats").split("\\r?\\n")) {
                for (String c : commands)
                    if (line.startsWith("cmdstat_" + c + ":calls="))
                        calls += Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
            }
            return calls;
        }
    }

    /** Resets the counts {@link #calls} reads ({@code CONFIG RESETSTAT}). */
    public void resetStats() {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            j.configResetStat();
        }
    }

    /** {@return how many keys database 0 holds, or -1 when it does not answer} */
    public long dbSize() {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            return j.dbSize();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** {@return {@code used_memory} of {@code INFO memory}, read through a client of the caller's} */
    public static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\\r?\\n")) {
            if (line.startsWith("used_memory:"))
                return Long.parseLong(line.substring("used_memory:".length()).trim());
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(1_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[7];
            return s.getInputStream().read(b) > 0 && new String(b, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server and deletes its directory (its log and any dump). */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
        if (process != null) RUNNING.remove(process);
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // left in the temporary directory
        }
    }
}
