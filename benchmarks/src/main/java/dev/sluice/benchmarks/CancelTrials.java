package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The time from a caller's cancel to the socket closing, as the server sees it, for one
 * {@link CancellableBenchClient} against a paced {@link BenchServer} that holds back its first byte
 * ({@code BenchServer --stream realtext --paced --interval-ms N --first-byte-delay-ms D}):
 * <ul>
 *   <li>{@code after}: cancel once {@code afterPartials} partial answers were given to the caller
 *       (from the caller's thread, as a stop button would);</li>
 *   <li>{@code before}: cancel {@code beforeWait} after the call, while the server still holds
 *       back its first byte.</li>
 * </ul>
 * After each cancel the trial asks the server ({@code GET /closes/latest?wait-ms=5000}) when that
 * stream's socket closed; the cancel and the close are both read from {@link BenchServer#epochMicros()}
 * (the machine's wall clock, microseconds). One line per trial:
 * {@code cancel after|before TRIAL MICROS_TO_CLOSE|-1 STATE EVENTS_WRITTEN PARTIALS_SEEN}, where
 * STATE is the server's {@code closed}, {@code ended} (the answer ran to its end) or {@code open}
 * (still running 5 s after the cancel), and -1 stands for no close within that time.
 */
final class CancelTrials {
    private CancelTrials() {}

    /** How long the server is asked to wait for a close after a cancel. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /**
     * Runs {@code trials} trials of each kind and prints their lines.
     *
     * @throws IOException if the server cannot be asked
     * @throws InterruptedException if interrupted
     */
    static void run(
            CancellableBenchClient client,
            String url,
            int trials,
            int afterPartials,
            Duration beforeWait,
            PrintStream out)
            throws IOException, InterruptedException {
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (String kind : new String[] {"after", "before"}) {
                for (int t = 0; t < trials; t++) {
                    boolean after = kind.equals("after");
                    CountDownLatch given = new CountDownLatch(after ? afterPartials : Integer.MAX_VALUE);
                    CancellableBenchClient.Running running = client.start(given::countDown);
                    if (after) {
                        if (!given.await(30, TimeUnit.SECONDS))
                            throw new IllegalStateException("no " + afterPartials + " partials in 30 s");
                    } else {
                        Thread.sleep(beforeWait);
                    }
                    long seen = (after ? afterPartials : Integer.MAX_VALUE) - given.getCount();
                    long cancelled = BenchServer.epochMicros();
                    running.cancel();
                    String[] w = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(url + "/closes/latest?wait-ms=" + CLOSE_WAIT.toMillis()))
                                            .timeout(CLOSE_WAIT.plusSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body()
                            .split(" ");
                    long toClose = w[0].equals("closed") ? Long.parseLong(w[1]) - cancelled : -1;
                    out.println("cancel " + kind + " " + t + " " + toClose + " " + w[0] + " " + w[2] + " " + seen);
                }
            }
        }
    }
}
