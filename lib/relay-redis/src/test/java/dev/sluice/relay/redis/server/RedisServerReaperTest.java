package dev.sluice.relay.redis.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that started a {@link RedisServer} and exits without closing it (a test whose clean-up
 * threw, a fork that ends) leaves no {@code redis-server} listening behind it.
 */
class RedisServerReaperTest {
    /** Starts a server, prints its port, and exits without closing it. */
    public static void main(String[] args) throws IOException {
        RedisServer server = RedisServer.start();
        System.out.println(server.port());
        System.out.flush();
        System.exit(0);
    }

    @Test
    void aJvmThatExitsWithoutClosingItsServer_leavesNoServerListening() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        RedisServerReaperTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int port;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            port = Integer.parseInt(out.readLine().strip());
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM ended");
        assertEquals(0, child.exitValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> !listening(port));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
