package dev.sluice.benchmarks;

import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageAccumulator;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.ToolUseBlock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A snapshot after every tool-input delta, against the plain for-each over the same stream: a
 * {@code tool_use} block whose input arrives as {@code deltas} {@code input_json_delta} pieces,
 * decoded once and replayed in memory ({@link ReplayedEvents}), so that only the accumulator is
 * measured — over the loopback server the decoding would hide the snapshots' cost. Scores are ms
 * per stream; run at n and 2n deltas, linear means the 2n score is twice the n score, and the
 * ratio to {@link #forEach} stays the same.
 *
 * <ul>
 *   <li>{@link #forEach}: every event into a {@code MessageAccumulator}, the final message at the
 *       end (what {@code for (StreamEvent e : stream)} does);
 *   <li>{@link #snapshotEveryDelta}: the same, and {@code snapshot()} after every tool-input delta,
 *       its content list's size and its stop reason read;
 *   <li>{@link #snapshotInputEveryDelta}: the same, and the snapshot's tool block read, with one
 *       key of its partial input ({@code block.input().get("path")}): building the block copies
 *       its {@code inputJson} string, so this one is O(n) per delta by the record's nature.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotBenchmark {
    /** The stream: {@code tool} is {@link BenchStream#tool()}, {@code realtool} {@link BenchStream#realTool()}. */
    @Param({"tool", "realtool"})
    @SuppressWarnings("NullAway.Init") // set by JMH from @Param
    String stream;

    /** n and 2n tool-input deltas. */
    @Param({"10000", "20000"})
    int deltas;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private List<StreamEvent> events;

    @Setup
    public void setUp() {
        BenchStream source = switch (stream) {
            case "tool" -> BenchStream.tool();
            case "realtool" -> BenchStream.realTool();
            default -> throw new IllegalArgumentException("unknown stream: " + stream);
        };
        events = ReplayedEvents.decode(source, deltas);
    }

    @Benchmark
    public Message forEach() {
        MessageAccumulator acc = new MessageAccumulator();
        for (StreamEvent e : events) acc.accept(e);
        return acc.result();
    }

    @Benchmark
    public Message snapshotEveryDelta(Blackhole bh) {
        MessageAccumulator acc = new MessageAccumulator();
        for (StreamEvent e : events) {
            acc.accept(e);
            if (e instanceof ContentBlockDelta(int index, InputJsonDelta piece)) {
                Message snapshot = acc.snapshot();
                bh.consume(snapshot.content().size());
                bh.consume(snapshot.stopReason());
            }
        }
        return acc.result();
    }

    @Benchmark
    public Message snapshotInputEveryDelta(Blackhole bh) {
        MessageAccumulator acc = new MessageAccumulator();
        for (StreamEvent e : events) {
            acc.accept(e);
            if (e instanceof ContentBlockDelta(int index, InputJsonDelta piece)) {
                Message snapshot = acc.snapshot();
                Map<String, Object> input = ((ToolUseBlock) snapshot.content().get(index)).input();
                bh.consume(input.get("path"));
            }
        }
        return acc.result();
    }
}
