package dev.sluice.benchmarks;

import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A snapshot after every tool-input delta against the plain for-each, both over the same stream
 * as a user reads it: a {@code MessageStream} from the loopback {@link BenchServer}, whose tool
 * input arrives as {@code deltas} {@code input_json_delta} pieces. {@link SnapshotBenchmark} is
 * the stricter, in-memory form (decoded events replayed into an accumulator, no HTTP, SSE or
 * decoding around the snapshots). Scores are ms per stream; at n and 2n pieces, linear means the
 * 2n score is twice the n score.
 *
 * <ul>
 *   <li>{@link #forEach}: every event iterated, the final message at the end;
 *   <li>{@link #snapshotEveryDelta}: the same, and {@code stream.snapshot()} after every
 *       tool-input delta, its content list's size and its stop reason read.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotStreamBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
public class SnapshotStreamBenchmark extends LoopbackStreamBenchmark {
    /** The stream: {@code realtool} is {@link BenchStream#realTool(int)}. */
    @Param({"realtool"})
    @SuppressWarnings("NullAway.Init") // set by JMH from @Param
    String stream;

    /** n and 2n tool-input pieces. */
    @Param({"10000", "20000"})
    int deltas;

    @Override
    BenchStream source() {
        return switch (stream) {
            case "realtool" -> BenchStream.realTool(deltas);
            default -> throw new IllegalArgumentException("unknown stream: " + stream);
        };
    }

    @Benchmark
    public Message snapshotEveryDelta(Blackhole bh) {
        try (MessageStream s = client.messages().stream(request)) {
            for (StreamEvent e : s) {
                if (e instanceof ContentBlockDelta(int index, InputJsonDelta piece)) {
                    Message snapshot = s.snapshot();
                    bh.consume(snapshot.content().size());
                    bh.consume(snapshot.stopReason());
                }
            }
            return s.result();
        }
    }
}
