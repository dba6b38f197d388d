package dev.sluice.benchmarks;

import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageStream;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stream's own work on one thread, without I/O or a second thread: a whole {@link BenchStream}
 * body parsed as SSE in 16 KiB reads, decoded and accumulated into its message
 * ({@code AnthropicEvents.replay}, which takes the live stream's byte path). One operation is one
 * event, so the score is the time per event the producer and the consumer together would need if
 * they shared nothing; set beside {@code ClientThroughputBenchmark}'s live figure, the difference
 * is what the hand-off between the threads and the HTTP client cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReplayBenchmark {
    /** The stream: {@code text}, {@code realtext}, {@code tool} or {@code realtool} ({@link BenchStream#named}). */
    @Param({"realtext", "realtool"})
    @SuppressWarnings("NullAway.Init") // set by JMH from @Param
    public String stream;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private byte[] body;

    @Setup
    public void setUp() {
        body = BenchStream.named(stream).body();
    }

    /** The whole body, replayed into its message. */
    @Benchmark
    @OperationsPerInvocation(BenchStream.DELTAS + BenchStream.FRAME_EVENTS)
    public Message replay() {
        return MessageStream.replay(new ByteArrayInputStream(body), 16 * 1024);
    }
}
