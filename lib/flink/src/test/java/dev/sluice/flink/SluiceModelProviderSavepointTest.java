package dev.sluice.flink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint taken while {@code ML_PREDICT} calls are in flight, and a restore from it: the async
 * operator keeps the rows in flight in its state, so every row is answered exactly once over the
 * two runs.
 */
class SluiceModelProviderSavepointTest {
    private static final int ROWS = 20;
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
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.executeSql("CREATE TEMPORARY TABLE ids (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '8', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '" + ROWS + "')");
        t.executeSql("CREATE TEMPORARY VIEW tickets AS SELECT CAST(id AS STRING) AS prompt FROM ids");
        t.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice', "
                + "'model' = 'anthropic:fake-first-token-700', 'base-url' = '" + server.baseUrl()
                + "', 'api-key' = 'test-key')");
        t.toDataStream(t.sqlQuery("SELECT prompt, answer FROM ML_PREDICT(TABLE tickets, MODEL m, DESCRIPTOR(prompt))"))
                .map(SluiceModelProviderSavepointTest::record)
                .uid("record")
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("ml-predict-savepoint");
    }

    private static String record(Row r) {
        if (r.getField("answer") != null) ANSWERED.add((String) r.getField("prompt"));
        return "";
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
