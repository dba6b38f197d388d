package dev.sluice.flink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code 'provider' = 'sluice-test-env'} through Flink's own SQL engine on a MiniCluster ({@code CREATE MODEL}
 * and {@code ML_PREDICT}), against the test kit's fake server, which speaks every provider's API.
 * The jobs run with no restart strategy: a row that failed would fail the job.
 */
class SluiceModelProviderSqlTest {
    private static final String KEY = "sk-test-secret-4242-key";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer server;

    @BeforeAll
    static void startServer() {
        server = FAKE.server();
    }

    @AfterAll
    static void stopServer() {}

    @BeforeEach
    void environment() {
        String url = server.baseUrl().toString();
        TestEnvironmentFactory.environment = Map.of(
                "ANTHROPIC_BASE_URL",
                url,
                "ANTHROPIC_API_KEY",
                "anthropic-env-key",
                "OPENAI_BASE_URL",
                url,
                "OPENAI_API_KEY",
                "openai-env-key",
                "GEMINI_BASE_URL",
                url,
                "GEMINI_API_KEY",
                "gemini-env-key");
    }

    @AfterEach
    void reset() {
        TestEnvironmentFactory.environment = Map.of();
        server.setDispatcher(r -> FakeResponse.answerPrompt());
    }

    private static StreamTableEnvironment tables() {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return StreamTableEnvironment.create(env);
    }

    private static void prompts(StreamTableEnvironment t, int n) {
        String values = IntStream.range(0, n)
                .mapToObj(i -> "('prompt " + i + ": say hello')")
                .collect(Collectors.joining(", "));
        t.executeSql("CREATE TEMPORARY VIEW tickets AS SELECT * FROM (VALUES " + values + ") AS v(prompt)");
    }

    private static List<Row> collect(StreamTableEnvironment t, String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = t.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static final String PREDICT = "SELECT * FROM ML_PREDICT(TABLE tickets, MODEL m, DESCRIPTOR(prompt))";

    @Test
    void textModel_everyRow_getsTheAnswer() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 12);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:claude-haiku-4-5', 'base-url' = '" + server.baseUrl()
                        + "', 'api-key' = '" + KEY
                        + "', "
                        + "'system-prompt' = 'Be brief.', 'max-tokens' = '64', 'temperature' = '0.2')");
        int before = server.requests().size();
        List<Row> rows = collect(t, PREDICT);
        assertEquals(12, rows.size());
        for (Row r : rows) {
            assertTrue(((String) r.getField("prompt")).startsWith("prompt "), r.toString());
            assertFalse(((String) r.getField("answer")).isBlank(), r.toString());
        }
        // the options reached every upstream request
        List<RecordedRequest> sent =
                server.requests().subList(before, server.requests().size());
        assertEquals(12, sent.size());
        for (RecordedRequest r : sent) {
            assertEquals("/v1/messages", r.path());
            assertEquals(KEY, r.header("x-api-key"));
            assertTrue(String.valueOf(r.json("/system")).contains("Be brief."), r.body());
            assertEquals(64, r.json("/max_tokens"), r.body());
            assertEquals(0.2, r.json("/temperature"), r.body());
        }
    }

    @Test
    void structuredModel_fillsColumnsOfEveryType() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 4);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (title STRING NOT NULL, urgent BOOLEAN, votes INT, readers BIGINT, "
                        + "score DOUBLE, ratio FLOAT, price DECIMAL(12, 2), tags ARRAY<STRING>, who ROW<name STRING, age INT>, note STRING) "
                        + "WITH ('provider' = 'sluice-test-env', 'model' = 'openai:gpt-4o-mini')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(4, rows.size());
        for (Row r : rows) { // the fake fills every property, nullable or not: each column is filled, in its type
            assertTrue(r.getField("title") instanceof String title && !title.isBlank(), r.toString());
            assertTrue(r.getField("urgent") instanceof Boolean, r.toString());
            assertTrue(r.getField("votes") instanceof Integer, r.toString());
            assertTrue(r.getField("readers") instanceof Long, r.toString());
            assertTrue(r.getField("score") instanceof Double, r.toString());
            assertTrue(r.getField("ratio") instanceof Float, r.toString());
            assertTrue(r.getField("price") instanceof BigDecimal p && p.scale() == 2, r.toString());
            assertTrue(
                    r.getField("tags") instanceof String[] tags
                            && tags.length > 0
                            && Arrays.stream(tags).allMatch(tag -> tag != null && !tag.isBlank()),
                    r.toString());
            assertTrue(
                    r.getField("who") instanceof Row who
                            && who.getField("name") instanceof String name
                            && !name.isBlank()
                            && who.getField("age") instanceof Integer,
                    r.toString());
            assertTrue(r.getField("note") instanceof String, r.toString());
        }
        // every request asked for the schema derived from the columns, natively
        String body = server.requests().getLast().body();
        assertTrue(body.contains("\"json_schema\"") && body.contains("\"price\"") && body.contains("\"age\""), body);
    }

    @Test
    void parallelismTwo_bothSubtasks_leaseOneClientOfTheTaskManager() throws Exception {
        StreamTableEnvironment t = tables();
        // a source of parallelism 2 (VALUES runs at 1, and ML_PREDICT is chained to it)
        t.executeSql("CREATE TEMPORARY TABLE ids (id INT) WITH ('connector' = 'datagen', 'scan.parallelism' = '2', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '4')");
        t.executeSql("CREATE TEMPORARY VIEW tickets AS SELECT CAST(id AS STRING) AS prompt FROM ids");
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-stall', 'base-url' = '" + server.baseUrl() + "', 'api-key' = '"
                        + KEY + "', 'total-timeout' = '3 s', 'on-error' = 'null')");
        ModelConfig.ClientKey key = new ModelConfig.ClientKey(
                List.of(new ModelConfig.Target("anthropic", "fake-stall")),
                ClientSpec.builder()
                        .provider("anthropic")
                        .baseUrl(server.baseUrl().toString())
                        .apiKey(KEY)
                        .build(),
                Map.of(),
                Duration.ofSeconds(30),
                4);
        TableResult result = t.executeSql(PREDICT);
        // the rows stall until their deadline: both subtasks are open meanwhile, each holding its lease
        await().atMost(Duration.ofSeconds(30)).until(() -> TaskManagerClients.leasesForTest(key) == 2);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        assertEquals(4, rows.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> TaskManagerClients.leasesForTest(key) == 0);
    }

    @Test
    void failover_fakeDropToAnotherProvider_completesEveryRow() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 8);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'openai:fake-drop', 'fallback' = 'anthropic:claude-haiku-4-5', 'max-retries' = '0')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(8, rows.size());
        for (Row r : rows) assertFalse(((String) r.getField("answer")).isBlank(), r.toString());
    }

    @Test
    void failover_fallbacksEndpointAndKeyInTheModelsOptions_noEnvironmentNeeded() throws Exception {
        // a fallback found its endpoint and key only in the task managers' environment
        TestEnvironmentFactory.environment = Map.of();
        StreamTableEnvironment t = tables();
        prompts(t, 4);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-overloaded', 'fallback' = 'openai:gpt-4o-mini', 'max-retries' = '0', "
                        + "'anthropic.base-url' = '" + server.baseUrl()
                        + "', 'anthropic.api-key' = 'sk-ant-option-key', "
                        + "'openai.base-url' = '" + server.baseUrl() + "', 'openai.api-key' = 'sk-openai-option-key')");
        int before = server.requests().size();
        List<Row> rows = collect(t, PREDICT);
        assertEquals(4, rows.size());
        for (Row r : rows) assertFalse(((String) r.getField("answer")).isBlank(), r.toString());
        List<RecordedRequest> sent =
                server.requests().subList(before, server.requests().size());
        assertEquals(8, sent.size(), "each row tried Claude, then OpenAI");
        for (RecordedRequest r : sent) {
            if (r.path().equals("/v1/messages")) assertEquals("sk-ant-option-key", r.header("x-api-key"));
            else assertEquals("Bearer sk-openai-option-key", r.header("authorization"), r.path());
        }
    }

    @Test
    void failover_structuredColumns_fakeDropToAnotherProvider_everyRowFilled() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 4);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (title STRING NOT NULL, votes INT) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'openai:fake-drop', 'fallback' = 'gemini:gemini-2.5-flash', 'max-retries' = '0')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(4, rows.size());
        for (Row r : rows) assertNotNull(r.getField("title"), r.toString());
    }

    @Test
    void rateLimitedQuarterOfCalls_everyRowCompletes_noRestart() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        server.setDispatcher(r -> {
            if (calls.incrementAndGet() % 4 == 0) {
                limited.incrementAndGet();
                return FakeResponse.rateLimited(Duration.ofMillis(100));
            }
            return FakeResponse.answerPrompt();
        });
        StreamTableEnvironment t = tables();
        prompts(t, 16);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:claude-haiku-4-5')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(16, rows.size());
        assertTrue(limited.get() >= 4, "429s answered: " + limited);
        for (Row r : rows) assertFalse(((String) r.getField("answer")).isBlank(), r.toString());
    }

    @Test
    void onErrorNull_failedRows_nullOutputsAndTheMessageWithoutTheKey() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 5);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-echo-headers', 'base-url' = '" + server.baseUrl()
                        + "', 'api-key' = '" + KEY + "', "
                        + "'max-retries' = '0', 'on-error' = 'null')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(5, rows.size());
        Set<String> requestIds = new HashSet<>();
        for (Row r : rows) {
            assertNull(r.getField("answer"), r.toString());
            String error = (String) r.getField("error");
            assertNotNull(error, r.toString());
            assertTrue(error.contains("ApiException"), error);
            assertFalse(error.contains(KEY), error);
            Matcher id = Pattern.compile("\\(request id (req_\\w+)\\)").matcher(error);
            assertTrue(id.find(), error);
            requestIds.add(id.group(1));
        }
        assertEquals(5, requestIds.size(), "each row names its own request: " + requestIds);
    }

    @Test
    void onErrorFail_failedRow_failsTheJobWithoutTheKey() {
        StreamTableEnvironment t = tables();
        prompts(t, 3);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-echo-headers', 'base-url' = '" + server.baseUrl()
                        + "', 'api-key' = '"
                        + KEY + "', "
                        + "'max-retries' = '0')");
        Exception e = assertThrows(Exception.class, () -> collect(t, PREDICT));
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertTrue(trace.toString().contains("SluiceRowException"), trace.toString());
        assertFalse(trace.toString().contains(KEY), trace.toString());
    }

    @Test
    void rowDeadline_slowRow_endsAsAnOnErrorRow() throws Exception {
        StreamTableEnvironment t = tables();
        prompts(t, 2);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-stall', 'total-timeout' = '1 s', 'first-token-timeout' = '30 s', 'on-error' = 'null')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(2, rows.size());
        for (Row r : rows) assertTrue(String.valueOf(r.getField("error")).contains("deadline"), r.toString());
    }

    @Test
    void rowDeadline_tableAsyncTimeoutBelowTotalTimeout_slowRowEndsAsAnOnErrorRow() throws Exception {
        StreamTableEnvironment t = tables();
        t.getConfig().set("table.exec.async-ml-predict.timeout", "2 s"); // total-timeout stays at its 2 min
        prompts(t, 1);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:fake-stall', 'on-error' = 'null')");
        List<Row> rows = collect(t, PREDICT); // a deadline above the table's timeout fails the job at Flink's timeout
        assertEquals(1, rows.size());
        assertTrue(String.valueOf(rows.getFirst().getField("error")).contains("deadline"), rows.toString());
    }

    @Test
    void rowDeadline_duringARetryAfterWait_endsTheRowAtTheDeadline() throws Exception {
        server.setDispatcher(r -> FakeResponse.rateLimited(Duration.ofSeconds(50)));
        StreamTableEnvironment t = tables();
        prompts(t, 1);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:claude-haiku-4-5', 'total-timeout' = '1 s', 'on-error' = 'null')");
        List<Row> rows =
                collect(t, PREDICT); // waiting the retry-after out would fail the job at Flink's timeout instead
        assertEquals(1, rows.size());
        assertTrue(String.valueOf(rows.getFirst().getField("error")).contains("deadline"), rows.toString());
    }

    /**
     * A row's deadline and its first-token timeout include getting credentials: Bedrock's container
     * credentials endpoint sends its headers and a few bytes, then nothing; each row ends by its own
     * timeout, as an on-error row that says which, not with the fetch's failure at its own deadline (5 s).
     */
    /**
     * An upstream that ignores {@code max-tokens} (a 50 MiB answer in one row held 271–860 MB of heap):
     * the row fails with the typed limit, naming {@code max-tokens}, once its answer passes 64 characters
     * a token; text and typed columns alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"answer STRING, error STRING", "title STRING, votes INT, error STRING"})
    void rowAnswer_upstreamIgnoresMaxTokens_rowFailsWithTheTypedLimit(String columns) throws Exception {
        server.setDispatcher(r -> FakeResponse.answer().text("an answer far longer than asked for. ".repeat(400)));
        StreamTableEnvironment t = tables();
        prompts(t, 2);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (" + columns + ") WITH ('provider' = 'sluice-test-env', "
                        + "'model' = 'anthropic:claude-haiku-4-5', 'max-tokens' = '16', 'on-error' = 'null')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(2, rows.size());
        for (Row r : rows) {
            String error = String.valueOf(r.getField("error"));
            assertTrue(error.startsWith("LimitExceededException: an answer of more than 1024 characters"), error);
            assertTrue(error.contains("the max-tokens limit of 16"), error);
        }
    }

    /**
     * A compiled plan ({@code COMPILE PLAN}, what SQL gateways submit and write to disk) holds a catalog
     * model's options, {@code 'api-key'} in clear, by default ({@code table.plan.compile.catalog-objects =
     * ALL}): Flink's plan serializer does not apply its own list of sensitive keys. The model by
     * identifier ({@code IDENTIFIER}), a temporary model (always by identifier) or the key from the task
     * managers' environment keeps it out (docs/flink.md's "Keys").
     */
    @Test
    void compiledPlan_catalogModelsApiKey_inClearByDefault_notByIdentifierTemporaryOrFromTheEnvironment() {
        StreamTableEnvironment t = tables();
        prompts(t, 1);
        t.executeSql("CREATE TABLE answers (prompt STRING, answer STRING) WITH ('connector' = 'blackhole')");
        String insert = "INSERT INTO answers " + PREDICT;
        String withKey = " INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                + "'model' = 'anthropic:claude-haiku-4-5', 'api-key' = '" + KEY + "')";

        t.executeSql("CREATE MODEL m" + withKey);
        String all = t.compilePlanSql(insert).asJsonString();
        assertTrue(all.contains(KEY), "Flink writes the option in clear: " + all);
        t.getConfig().set("table.plan.compile.catalog-objects", "IDENTIFIER");
        String byIdentifier = t.compilePlanSql(insert).asJsonString();
        assertFalse(byIdentifier.contains(KEY), byIdentifier);
        t.getConfig().set("table.plan.compile.catalog-objects", "ALL");
        t.executeSql("DROP MODEL m");

        t.executeSql("CREATE TEMPORARY MODEL m" + withKey);
        String temporary = t.compilePlanSql(insert).asJsonString();
        assertFalse(temporary.contains(KEY), temporary);
        t.executeSql("DROP TEMPORARY MODEL m");

        t.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ("
                + "'provider' = 'sluice-test-env', 'model' = 'anthropic:claude-haiku-4-5')"); // ANTHROPIC_API_KEY's
        String fromTheEnvironment = t.compilePlanSql(insert).asJsonString();
        assertTrue(
                fromTheEnvironment.contains("claude-haiku-4-5"), "the options are in the plan: " + fromTheEnvironment);
        assertFalse(fromTheEnvironment.contains("anthropic-env-key"), fromTheEnvironment);
    }

    static Stream<Arguments> rowTimeouts() {
        return Stream.of(
                Arguments.of("'total-timeout' = '1 s'", "the row's deadline (total-timeout) passed"),
                Arguments.of("'first-token-timeout' = '1 s'", "first-event timeout of 1 s expired"));
    }

    @ParameterizedTest
    @MethodSource("rowTimeouts")
    void rowDeadline_credentialsStall_endsByTheRowsOwnTimeout(String option, String said) throws Exception {
        try (FakeLlmServer agent = FakeLlmServer.builder().start()) {
            agent.setDispatcher(r -> FakeResponse.status(200)
                    .body("application/json", "{\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"s\"}")
                    .stallAfterBytes(5));
            TestEnvironmentFactory.environment = Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.baseUrl().toString(),
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.baseUrl() + "/creds",
                    "AWS_EC2_METADATA_DISABLED", "true",
                    "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials",
                    "AWS_CONFIG_FILE", "/nonexistent/config");
            StreamTableEnvironment t = tables();
            prompts(t, 2);
            t.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING, error STRING) WITH ("
                    + "'provider' = 'sluice-test-env', 'model' = 'bedrock:amazon.nova-lite-v1:0', " + option
                    + ", 'on-error' = 'null')");
            List<Row> rows = collect(t, PREDICT);

            assertEquals(2, rows.size());
            // not the fetch's failure at its own deadline ("did not answer in full within 5 s")
            for (Row r : rows) assertTrue(String.valueOf(r.getField("error")).contains(said), r.toString());
        }
    }

    /** Every provider and cloud Sluice speaks: provider, model, the base URL's path on the fake, the key. */
    static Stream<Arguments> routes() {
        String bedrock = FakeBedrock.API_KEY;
        String vertex = FakeVertex.ACCESS_TOKEN;
        String azure = FakeAzure.API_KEY;
        return Stream.of(
                Arguments.of("anthropic", "claude-haiku-4-5", "", "k"),
                Arguments.of("openai", "gpt-4o-mini", "", "k"),
                Arguments.of("openai-responses", "gpt-5-mini", "", "k"),
                Arguments.of("gemini", "gemini-2.5-flash", "", "k"),
                Arguments.of("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "", bedrock),
                Arguments.of("bedrock-anthropic", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "", bedrock),
                Arguments.of("bedrock-openai", "us.openai.gpt-6-sol", "", bedrock),
                Arguments.of("bedrock-openai-responses", "openai.gpt-5.6-terra", FakeBedrock.MANTLE_PATH, bedrock),
                Arguments.of("bedrock-mantle-anthropic", "anthropic.claude-opus-4-8", FakeBedrock.MANTLE_PATH, bedrock),
                Arguments.of("vertex", "gemini-2.5-flash", "", vertex),
                Arguments.of("vertex-anthropic", "claude-haiku-4-5@20251001", "", vertex),
                Arguments.of("azure-openai", "gpt-4o-mini", "", azure),
                Arguments.of("azure-openai-responses", "gpt-5-mini", "", azure),
                Arguments.of("foundry-anthropic", "claude-haiku-4-5", "/anthropic", azure));
    }

    @Test
    void routes_everyProviderOfTheCatalog() {
        assertEquals(
                dev.sluice.providers.ProviderCatalog.all().stream()
                        .map(dev.sluice.providers.ProviderCatalog::id)
                        .toList(),
                routes().map(a -> (String) a.get()[0]).toList());
    }

    @ParameterizedTest
    @MethodSource("routes")
    void everyProviderAndCloud_textRows(String provider, String model, String path, String key) throws Exception {
        TestEnvironmentFactory.environment = Map.of("GOOGLE_CLOUD_PROJECT", FakeVertex.PROJECT);
        StreamTableEnvironment t = tables();
        prompts(t, 2);
        t.executeSql(
                "CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice-test-env', "
                        + "'model' = '" + provider + ":" + model + "', 'base-url' = '" + server.baseUrl() + path
                        + "', 'api-key' = '" + key + "')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(2, rows.size());
        for (Row r : rows) assertFalse(((String) r.getField("answer")).isBlank(), r.toString());
    }

    @ParameterizedTest
    @MethodSource("routes")
    void everyProviderAndCloud_structuredColumns_everyColumnFilled(
            String provider, String model, String path, String key) throws Exception {
        TestEnvironmentFactory.environment = Map.of("GOOGLE_CLOUD_PROJECT", FakeVertex.PROJECT);
        StreamTableEnvironment t = tables();
        prompts(t, 1);
        t.executeSql("CREATE MODEL m INPUT (prompt STRING) OUTPUT (title STRING NOT NULL, urgent BOOLEAN, votes INT, "
                + "score DOUBLE, tags ARRAY<STRING>, who ROW<name STRING, age INT>) WITH ('provider' = 'sluice-test-env', "
                + "'model' = '" + provider + ":" + model + "', 'base-url' = '" + server.baseUrl() + path
                + "', 'api-key' = '" + key + "')");
        List<Row> rows = collect(t, PREDICT);
        assertEquals(1, rows.size());
        Row r = rows.getFirst();
        assertTrue(r.getField("title") instanceof String title && !title.isBlank(), r.toString());
        assertTrue(r.getField("urgent") instanceof Boolean, r.toString());
        assertTrue(r.getField("votes") instanceof Integer, r.toString());
        assertTrue(r.getField("score") instanceof Double, r.toString());
        assertTrue(r.getField("tags") instanceof String[] tags && tags.length > 0, r.toString());
        assertTrue(
                r.getField("who") instanceof Row who
                        && who.getField("name") instanceof String
                        && who.getField("age") instanceof Integer,
                r.toString());
    }
}
