package dev.sluice.examples.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.flink.ClientSpec;
import dev.sluice.flink.Completion;
import dev.sluice.flink.Prompt;
import dev.sluice.flink.SluiceAsyncFunction;
import dev.sluice.testkit.FakeLlmServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prompts per second through {@link SluiceAsyncFunction} on a MiniCluster at parallelism 1 and 2,
 * against the embedded fake server without pacing (so it measures Flink plus Sluice, not a model).
 * Not part of the suite (the name does not end in Test); run it with
 * {@code ./build mvn -o -q -pl examples/flink -am test -Dtest=FanOutThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dprompts=N -Drounds=N -DtokensPerSecond=R -DmaxStreams=N} to change the defaults 3000, 3,
 * 0 and 64) and read
 * the lines starting with {@code fan-out}. Fails if a prompt does not complete.
 */
class FanOutThroughputBench {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int PROMPTS = Integer.getInteger("prompts", 3000);
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    /** The fake server's pace in tokens per second; 0 (the default) sends each reply at once. */
    private static final int PACE = Integer.getInteger("tokensPerSecond", 0);
    /** The task manager's stream limit (both subtasks share it). */
    private static final int MAX_STREAMS = Integer.getInteger("maxStreams", 64);

    @Test
    void promptsPerSecond_atParallelismOneAndTwo() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder()
                .tokensPerSecond(PACE)
                .recordRequests(false)
                .start()) {
            ClientSpec spec = ClientSpec.builder()
                    .provider("anthropic")
                    .baseUrl(server.baseUrl().toString())
                    .apiKey("fake")
                    .maxConcurrentStreams(MAX_STREAMS)
                    .build();
            run(spec, 1, Math.min(PROMPTS, 1000)); // warm-up: JIT, connection pool
            for (int round = 1; round <= ROUNDS; round++) {
                for (int parallelism : new int[] {1, 2}) {
                    long nanos = run(spec, parallelism, PROMPTS);
                    System.out.printf(
                            "fan-out tokens/s %d max streams %d round %d parallelism %d: %d prompts in %.2f s = %.0f prompts/s%n",
                            PACE, MAX_STREAMS, round, parallelism, PROMPTS, nanos / 1e9, PROMPTS * 1e9 / nanos);
                }
            }
        }
    }

    private static long run(ClientSpec spec, int parallelism, int n) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        List<Prompt> prompts = IntStream.range(0, n)
                .mapToObj(i -> new Prompt("p" + i, "Tell me about rivers " + i))
                .toList();
        long start = System.nanoTime();
        List<Completion> out = new ArrayList<>();
        try (CloseableIterator<Completion> it = AsyncDataStream.unorderedWait(
                        env.fromData(prompts),
                        new SluiceAsyncFunction(spec, "claude-sonnet-5-5", 256),
                        60,
                        TimeUnit.SECONDS,
                        100)
                .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        long nanos = System.nanoTime() - start;
        assertEquals(n, out.stream().filter(Completion::ok).count());
        return nanos;
    }
}
