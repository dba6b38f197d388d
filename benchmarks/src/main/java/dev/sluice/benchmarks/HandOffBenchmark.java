package dev.sluice.benchmarks;

import dev.sluice.stream.EventStream;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of the engine's hand-off: {@value #ITEMS} items from an in-memory producer on the
 * stream's virtual thread, through the bounded queue, to a {@code for} loop on the benchmark
 * thread ({@link #eventStream}), against a plain loop over the same items in the same run
 * ({@link #plainLoop}, the limit). Scores are ns per item; their difference is the overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandOffBenchmark {
    static final int ITEMS = 100_000;

    @Param({"256", "16"})
    int capacity;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private String[] items;

    @Setup
    public void setUp() {
        items = new String[ITEMS];
        for (int i = 0; i < ITEMS; i++) items[i] = "token" + i;
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void plainLoop(Blackhole bh) {
        for (String item : items) bh.consume(item);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void eventStream(Blackhole bh) {
        String[] source = items;
        try (EventStream<String> stream = EventStream.<String>builder()
                .capacity(capacity)
                .generate(out -> {
                    for (String item : source) {
                        if (!out.emit(item)) return;
                    }
                })) {
            for (String item : stream) bh.consume(item);
        }
    }
}
