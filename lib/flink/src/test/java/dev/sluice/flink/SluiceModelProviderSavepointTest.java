package dev.sluice.flink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint taken while {@code ML_PREDICT} calls are in flight, and a restore from it; and a
 * checkpoint taken while calls are in flight, then a failure, and the restart's restore from that
 * checkpoint: the async operator keeps the rows in flight in its state, so every row is answered
 * exactly once.
 */
class SluiceModelProviderSavepointTest {
    private static final int ROWS = 20;
    private static final int CHECKPOINTED_ROWS = 40;
    private static final Queue<String> ANSWERED = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static JobClient start(FakeLlmServer server, Configuration conf) throws Exception {
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(60_000); // savepoints only, taken by the test
        StreamTableEnvironment t = predict(env, server, ROWS);
        t.toDataStream(t.sqlQuery("SELECT prompt, answer FROM ML_PREDICT(TABLE tickets, MODEL m, DESCRIPTOR(prompt))"))
                .map(SluiceModelProviderSavepointTest::record)
                .uid("record")
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("ml-predict-savepoint");
    }

    private static StreamTableEnvironment predict(StreamExecutionEnvironment env, FakeLlmServer server, int rows) {
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.executeSql("CREATE TEMPORARY TABLE ids (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '8', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '" + rows + "')");
        t.executeSql("CREATE TEMPORARY VIEW tickets AS SELECT CAST(id AS STRING) AS prompt FROM ids");
        t.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice', "
                + "'model' = 'anthropic:fake-first-token-700', 'base-url' = '" + server.baseUrl()
                + "', 'api-key' = 'test-key')");
        return t;
    }

    private static String record(Row r) {
        if (r.getField("answer") != null) ANSWERED.add((String) r.getField("prompt"));
        return "";
    }

    @Test
    void checkpointWithCallsInFlight_thenAFailure_restoreAnswersEveryRowExactlyOnce() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            CommittingRecorder.reset(server);
            Configuration conf = new Configuration();
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "1");
            conf.setString("restart-strategy.fixed-delay.delay", "100 ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(300);
            StreamTableEnvironment t = predict(env, server, CHECKPOINTED_ROWS);
            t.toDataStream(t.sqlQuery(
                            "SELECT prompt, answer FROM ML_PREDICT(TABLE tickets, MODEL m, DESCRIPTOR(prompt))"))
                    .map(new CommittingRecorder())
                    .uid("record")
                    .sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("ml-predict-checkpoint-failure");
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> job.getJobStatus().get() == JobStatus.FINISHED);
            assertTrue(CommittingRecorder.FAILED.get(), "no checkpoint was taken with calls in flight");
            assertTrue(CommittingRecorder.RESTORED.get(), "the job did not restart from the checkpoint");
            assertTrue(
                    CommittingRecorder.committedBeforeFailure < CHECKPOINTED_ROWS,
                    "every row was committed before the failure: " + CommittingRecorder.committedBeforeFailure);
        }
        Map<String, Long> counts = CommittingRecorder.COMMITTED.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> expected = IntStream.rangeClosed(1, CHECKPOINTED_ROWS)
                .mapToObj(String::valueOf)
                .sorted()
                .toList();
        assertEquals(expected, counts.keySet().stream().sorted().toList());
        assertTrue(counts.values().stream().allMatch(c -> c == 1), counts::toString);
    }

    /**
     * A sink step that commits each answered row once, as a transactional sink does: rows are staged
     * in the checkpoint after them and committed when it completes (or, after a restore, from the
     * restored state). When the first checkpoint taken with calls in flight at the fake completes,
     * it fails the job, once.
     */
    static final class CommittingRecorder extends RichMapFunction<Row, String>
            implements CheckpointedFunction, CheckpointListener {
        static final Queue<String> COMMITTED = new ConcurrentLinkedQueue<>();
        static final Set<Long> COMMITTED_CHECKPOINTS = ConcurrentHashMap.newKeySet();
        static final Set<Long> WITH_CALLS_IN_FLIGHT = ConcurrentHashMap.newKeySet();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicBoolean RESTORED = new AtomicBoolean();
        static volatile int committedBeforeFailure;
        static volatile @Nullable FakeLlmServer server;

        private transient List<String> pending;
        private transient TreeMap<Long, List<String>> staged;
        private transient ListState<String> state;

        static void reset(FakeLlmServer fake) {
            COMMITTED.clear();
            COMMITTED_CHECKPOINTS.clear();
            WITH_CALLS_IN_FLIGHT.clear();
            FAILED.set(false);
            RESTORED.set(false);
            committedBeforeFailure = 0;
            server = fake;
        }

        @Override
        public String map(Row r) {
            pending.add((String) r.getField("prompt"));
            return "";
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            if (context.isRestored()) RESTORED.set(true);
            pending = new ArrayList<>();
            staged = new TreeMap<>();
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("staged", Types.STRING));
            for (String entry : state.get()) { // staged in the checkpoint restored from, which completed
                int colon = entry.indexOf(':');
                staged.computeIfAbsent(Long.parseLong(entry.substring(0, colon)), id -> new ArrayList<>())
                        .add(entry.substring(colon + 1));
            }
            if (!staged.isEmpty()) commitUpTo(staged.lastKey());
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            FakeLlmServer fake = server;
            if (fake != null && fake.activeRequests() > 0) WITH_CALLS_IN_FLIGHT.add(context.getCheckpointId());
            staged.put(context.getCheckpointId(), pending);
            pending = new ArrayList<>();
            List<String> entries = new ArrayList<>();
            staged.forEach((id, prompts) -> prompts.forEach(p -> entries.add(id + ":" + p)));
            state.update(entries);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            commitUpTo(checkpointId);
            if (WITH_CALLS_IN_FLIGHT.contains(checkpointId) && FAILED.compareAndSet(false, true)) {
                committedBeforeFailure = COMMITTED.size();
                throw new IllegalStateException("a failure injected by the test after checkpoint " + checkpointId);
            }
        }

        private void commitUpTo(long checkpointId) {
            var done = staged.headMap(checkpointId, true);
            done.forEach((id, prompts) -> {
                if (COMMITTED_CHECKPOINTS.add(id)) COMMITTED.addAll(prompts);
            });
            done.clear();
        }
    }

    @Test
    void savepointWithCallsInFlight_restore_everyRowAnsweredExactlyOnce(@TempDir Path dir) throws Exception {
        ANSWERED.clear();
        try (FakeLlmServer server = FakeLlmServer.start()) {
            JobClient first = start(server, new Configuration());
            await().atMost(Duration.ofSeconds(60)).until(() -> ANSWERED.size() >= 3 && server.activeRequests() > 0);
            String savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            int beforeRestore = ANSWERED.size();
            assertTrue(beforeRestore < ROWS, "the first run answered every row before its savepoint: " + beforeRestore);

            Configuration conf = new Configuration();
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            JobClient second = start(server, conf);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> second.getJobStatus().get() == JobStatus.FINISHED);
        }
        Map<String, Long> counts =
                ANSWERED.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> expected = IntStream.rangeClosed(1, ROWS)
                .mapToObj(String::valueOf)
                .sorted()
                .toList();
        assertEquals(expected, counts.keySet().stream().sorted().toList());
        assertTrue(counts.values().stream().allMatch(c -> c == 1), counts::toString);
    }
}
