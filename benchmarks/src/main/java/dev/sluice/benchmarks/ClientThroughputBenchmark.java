package dev.sluice.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end streaming throughput: one large Anthropic stream (100,005 events, 12–14 MB; see
 * {@link #stream}) served by an in-fork
 * {@link BenchServer} on loopback, consumed three ways in the same JVM, same flags, same server:
 * {@link #sluice}, {@link #sdk} (the official Java SDK with its {@code MessageAccumulator}) and
 * {@link #raw} (the {@code HttpClient} drain, the limit). Every operation checks what was
 * accumulated, so a client cannot win by skipping work.
 *
 * <p>One JMH operation is one event ({@link OperationsPerInvocation}): the score is events/s;
 * MB/s = events/s x the bytes per event printed at setup; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes allocated per event (the whole JVM's allocation, so the
 * server's share — a few hundred bytes per stream — is included, equally for all three).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ClientThroughputBenchmark {

    /**
     * Which stream ({@link BenchStream#named}): {@code text} (ASCII English text deltas),
     * {@code realtext} (multilingual markdown: accents, CJK, emoji, escapes), {@code tool} (ASCII
     * input_json_delta fragments), {@code realtool} (a JSON object holding source code, split
     * inside escapes and surrogate pairs).
     */
    @Param({"text", "realtext", "tool", "realtool"})
    @SuppressWarnings("NullAway.Init") // set by JMH from @Param
    public String stream;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchServer server;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private Clients clients;

    /** Starts the server and the three clients. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchStream s = BenchStream.named(stream);
        server = BenchServer.start(s);
        clients = new Clients(server, s.expectedToolInput() != null);
        long bytes = s.body().length;
        System.out.printf(
                "%n[%s] %,d events, %,d body bytes, %.1f bytes per event; expected content length %,d%n",
                stream, s.events().size(), bytes, (double) bytes / s.events().size(), s.expectedLength());
    }

    /** Closes the clients and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        clients.close();
        server.close();
    }

    /** {@return Sluice: every event iterated, the final message accumulated and checked} */
    @Benchmark
    @OperationsPerInvocation(BenchStream.LARGE_EVENTS)
    public BenchClient.Result sluice() {
        return clients.checked(clients.sluice);
    }

    /** {@return the official SDK: every event iterated into its MessageAccumulator, the final text checked} */
    @Benchmark
    @OperationsPerInvocation(BenchStream.LARGE_EVENTS)
    public BenchClient.Result sdk() {
        return clients.checked(clients.sdk);
    }

    /** {@return the raw limit: the body read into a buffer and discarded} */
    @Benchmark
    @OperationsPerInvocation(BenchStream.LARGE_EVENTS)
    public BenchClient.Result raw() {
        return clients.checkedRaw(clients.raw);
    }
}
