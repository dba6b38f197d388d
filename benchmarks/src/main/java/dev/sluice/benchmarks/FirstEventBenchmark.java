package dev.sluice.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm time to the first event, on a kept-alive connection (issue #86's "first event on a kept-alive
 * connection": Sluice on its blocking transport and on the HttpClient, against the blocking raw drain
 * and the HttpClient's): a short stream ({@code message_start}, a text block with
 * {@value BenchServer#SHORT_DELTAS} deltas, the closing events — 8 events, about 1 KB) that the
 * server writes together with the response head in one write, so a client has the first event
 * and the rest at the same moment; one operation is request sent → first event → the few
 * remaining events (already in the socket buffer, microseconds) → stream closed, on a reused
 * client and a kept-alive connection. Sample time gives the distribution (p50, p99), average
 * time the mean; both in microseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FirstEventBenchmark {
    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchServer server;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private Clients clients;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchClient sluiceJdk;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchClient blockingRaw;

    /** Starts the server and the three clients. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = BenchServer.start(BenchStream.text(BenchServer.SHORT_DELTAS));
        clients = new Clients(server, false);
        sluiceJdk = BenchClient.create("sluice-jdk", server.baseUrl(), false);
        blockingRaw = BenchClient.create("blocking-raw", server.baseUrl(), false);
    }

    /** Closes the clients and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        clients.close();
        sluiceJdk.close();
        blockingRaw.close();
        server.close();
    }

    /** {@return Sluice: request to first event (and the rest of a short stream)} */
    @Benchmark
    public BenchClient.Result sluice() {
        return clients.checked(clients.sluice);
    }

    /** {@return the official SDK: request to first event (and the rest of a short stream)} */
    @Benchmark
    public BenchClient.Result sdk() {
        return clients.checked(clients.sdk);
    }

    /** {@return Sluice on the JDK's HttpClient ({@code Transport.HTTP_CLIENT}): request to first event} */
    @Benchmark
    public BenchClient.Result sluiceJdk() {
        return clients.checked(sluiceJdk);
    }

    /** {@return the blocking raw drain, the floor: request to the first event's bytes (and the rest of the body)} */
    @Benchmark
    public BenchClient.Result blockingRaw() {
        return clients.checkedRaw(blockingRaw);
    }

    /** {@return the raw HttpClient: request to the first event's bytes (and the rest of the body)} */
    @Benchmark
    public BenchClient.Result raw() {
        return clients.checkedRaw(clients.raw);
    }
}
