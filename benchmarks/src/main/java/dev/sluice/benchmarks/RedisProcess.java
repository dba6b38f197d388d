package dev.sluice.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of the benchmark's own (no persistence) on a free loopback port, in its
 * own process: started, killed and started again empty on the same port ({@link #restartEmpty}),
 * as a Redis that crashed and came back. The binary is {@code $REDIS_SERVER}, else
 * {@code redis-server} on the path.
 *
 * <p>Threading: {@link #restartEmpty} and {@link #close} from one thread; the rest from any.
 */
@SuppressWarnings("try") // close() waits for the process: an interrupt there ends the benchmark run
final class RedisProcess implements AutoCloseable {
    private final int port;
    private final File dir;

    @SuppressWarnings("NullAway.Init") // set by launch(), which start() calls before handing it out
    private volatile Process process;

    private RedisProcess(int port, File dir) {
        this.port = port;
        this.dir = dir;
    }

    static RedisProcess start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(
                port, Files.createTempDirectory("sluice-bench-redis").toFile());
        redis.launch();
        return redis;
    }

    private void launch() throws IOException {
        String binary = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        process = new ProcessBuilder(
                        binary,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir, "redis.log")))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!answers()) {
            if (System.nanoTime() > deadline) throw new IOException("redis-server did not start on port " + port);
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** Kills the server (SIGKILL: nothing saved, connections cut), waits {@code down}, and starts it again, empty. */
    void restartEmpty(Duration down) throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        Thread.sleep(down);
        launch();
    }

    /** {@return whether it accepts a connection and answers PING} */
    boolean answers() {
        try (Jedis j = new Jedis(host(), port, 500)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@return {@code used_memory} of {@code INFO memory}, or -1 when it does not answer} */
    long usedMemory() {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            return usedMemory(j);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** {@return how many keys database 0 holds, or -1 when it does not answer} */
    long keys() {
        try (Jedis j = new Jedis(host(), port, 2_000)) {
            return j.dbSize();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:"))
                return Long.parseLong(line.substring("used_memory:".length()).trim());
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
