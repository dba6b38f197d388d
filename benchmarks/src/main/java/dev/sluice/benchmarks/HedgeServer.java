package dev.sluice.benchmarks;

import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The hedging benchmark's server, in its own process: the testkit's fake server (its slow starts
 * {@code fake-heavy-tail} and {@code fake-first-token-MS} select the first-token delay), writing a
 * line {@code closed PROMPT EPOCH_MICROS} to a file each time a client closes a connection while
 * its response waits: the server's view of a cancel. Prints {@code port N} on stdout, then serves
 * until killed.
 *
 * <pre>java -cp ... dev.sluice.benchmarks.HedgeServer CLOSE_LOG</pre>
 */
public final class HedgeServer {
    private HedgeServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) throw new IllegalArgumentException("usage: HedgeServer CLOSE_LOG");
        Path log = Path.of(args[0]);
        PrintStream closes = new PrintStream(
                Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
                true,
                StandardCharsets.UTF_8);
        FakeLlmServer server = FakeLlmServer.builder()
                .recordRequests(false)
                .onClientClosed(r -> {
                    Instant at = Instant.now();
                    Object prompt = r.json("/messages/0/content");
                    synchronized (closes) {
                        closes.println("closed " + String.valueOf(prompt).replace(' ', '_') + " "
                                + (at.getEpochSecond() * 1_000_000 + at.getNano() / 1000));
                    }
                })
                .start();
        System.out.println("port " + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
