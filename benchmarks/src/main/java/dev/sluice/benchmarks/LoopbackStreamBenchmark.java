package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The base of the benchmarks that compare a way of reading a stream with the plain for-each over
 * the same stream, as a user reads it: a {@code MessageStream} from the loopback
 * {@link BenchServer}, whose stream the subclass names ({@link #source()}). Scores are ms per
 * stream. {@link #forEach} is the baseline: every event iterated, the final message at the end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class LoopbackStreamBenchmark {
    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchServer server;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    AnthropicClient client;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    MessageRequest request;

    /** {@return the stream the server serves, from the subclass's parameters} */
    abstract BenchStream source();

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        server = BenchServer.start(source());
        client = SluiceBenchClient.client(server.baseUrl());
        request = SluiceBenchClient.request();
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        client.close();
        server.close();
    }

    @Benchmark
    public Message forEach(Blackhole bh) {
        try (MessageStream s = client.messages().stream(request)) {
            for (StreamEvent e : s) bh.consume(e);
            return s.result();
        }
    }
}
