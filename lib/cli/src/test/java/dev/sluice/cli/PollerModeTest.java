package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice serve} starts its JVM with {@code -Djdk.pollerMode=1}: the sockets its virtual
 * threads wait on (every upstream read) are watched by the JDK's platform poller threads rather
 * than by virtual pollers queued on the same carriers as the streams, which measured 10-30 % less
 * CPU per streamed completion at 1 and 16 streams (benchmarks/results/2026-11-29-gateway-poller-ab.txt).
 * The property is the JDK's own and unsupported: this checks that the JDK running the tests still
 * honours it, so that the launcher's flag never goes dead unnoticed.
 */
class PollerModeTest {
    @Test
    void launcher_serve_asksForPlatformPollers_unlessGivenAnother() throws Exception {
        String launcher = Files.readString(Path.of("../../sluice"));
        String serve = launcher.substring(launcher.indexOf("if [ \"${1:-}\" = serve ]"));
        assertTrue(serve.contains("[[ \"$given\" == *\"jdk.pollerMode\"* ]] || flags+=(-Djdk.pollerMode=1)"), serve);
    }

    @Test
    void jdk_pollerModeOne_watchesSocketsOnPlatformThreads() throws Exception {
        List<String> with = pollers(List.of("-Djdk.pollerMode=1"));
        assertTrue(with.contains("Read-Poller"), with::toString);
        assertFalse(with.contains("MasterPoller"), with::toString);
        assertFalse(with.stream().anyMatch(n -> n.startsWith("SubPoller")), with::toString);
    }

    /** {@return the names of the poller threads of a child JVM with these options, while a virtual thread waits on a socket} */
    private static List<String> pollers(List<String> options) throws IOException, InterruptedException {
        return ChildJvm.output(options, Probe.class, List.of())
                .lines()
                .filter(n -> n.contains("Poller"))
                .toList();
    }

    /** A virtual thread blocked reading a socket; the JVM's platform threads' names printed meanwhile. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (Socket s = new Socket(loopback, server.getLocalPort())) {
                        if (s.getInputStream().read() != 1) throw new IllegalStateException("not the byte sent");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Socket peer = server.accept()) {
                    while (reader.isAlive() && reader.getState() != Thread.State.WAITING) Thread.onSpinWait();
                    Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .sorted()
                            .forEach(System.out::println);
                    peer.getOutputStream().write(1);
                }
                reader.join();
            }
        }
    }
}
