package dev.sluice.benchmarks.flinksql;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * One {@code ML_PREDICT} query in Flink SQL on a local MiniCluster (this JVM, parallelism 1,
 * restart strategy none, so a failure that would restart the job fails it and is reported), against
 * a model server in another process ({@link FakeServerMain}): a datagen source of N ticket ids,
 * {@link Tickets} making each a prompt, {@code CREATE MODEL} with the chosen provider, and the
 * rows collected and counted here. A warm-up job of W rows runs first in the same JVM; then the
 * measured job. Prints one {@code result} line per job: rows, wall time from submission and from
 * the first row to the last, rows/s over the latter, the process's CPU time per row (over the whole
 * job, its planning and start included, and from the first row to the last: the steady state), peak
 * and final heap (sampled every 50 ms); and checks that every id came back exactly once with a non-empty answer.
 *
 * <pre>java -cp ... dev.sluice.benchmarks.flinksql.FlinkSqlRun --provider openai|sluice --base-url URL
 *     [--rows N] [--warmup W] [--concurrency C] [--latency-ms L] [--rate-limit-every E --retry-after-ms R]</pre>
 *
 * <p>{@code --latency-ms}, {@code --rate-limit-every} and {@code --retry-after-ms} only describe the
 * server (they are what it was started with) for the limit printed beside the rate: C ÷ L, and with
 * every E-th call refused for R, C × (E − 1) ÷ ((E − 1) × L + R).
 */
public final class FlinkSqlRun {
    static final String API_KEY = "sk-bench-0123456789abcdef";

    private FlinkSqlRun() {}

    /**
     * Runs the warm-up and the measured job.
     *
     * @param args the flags above
     * @throws Exception what the job throws, after its result line
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String provider = a.getOrDefault("provider", "openai");
        String baseUrl = a.get("base-url");
        if (baseUrl == null) throw new IllegalArgumentException("--base-url is required");
        int rows = Integer.parseInt(a.getOrDefault("rows", "3000"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "500"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "50"));
        double latency = Double.parseDouble(a.getOrDefault("latency-ms", "200")) / 1000;
        int every = Integer.parseInt(a.getOrDefault("rate-limit-every", "0"));
        double retryAfter = Double.parseDouble(a.getOrDefault("retry-after-ms", "0")) / 1000;
        double limit =
                every == 0 ? concurrency / latency : concurrency * (every - 1) / ((every - 1) * latency + retryAfter);

        Configuration conf = new Configuration();
        conf.setString("parallelism.default", "1");
        conf.setString("table.exec.resource.default-parallelism", "1");
        conf.setString("restart-strategy.type", "none");
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(conf)
                .build());
        t.createTemporarySystemFunction("TICKET", Tickets.class);
        t.executeSql(model(provider, baseUrl));
        System.out.printf(
                Locale.ROOT,
                "provider %s, %d rows (warm-up %d), max-concurrent-operations %d, limit %.1f rows/s%n",
                provider,
                rows,
                warmup,
                concurrency,
                limit);
        if (warmup > 0) run(t, "warmup", provider, 1_000_001, warmup, concurrency, limit);
        run(t, "measured", provider, 1, rows, concurrency, limit);
        System.exit(0); // the MiniCluster's and the clients' non-daemon threads
    }

    static String model(String provider, String baseUrl) {
        String common =
                "'system-prompt' = 'You triage support tickets for a software and hardware shop.', 'max-tokens' = '256'";
        return switch (provider) {
            case "openai" ->
                "CREATE TEMPORARY MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'openai', "
                        + "'endpoint' = '" + baseUrl + "/v1/chat/completions', 'api-key' = '" + API_KEY
                        + "', 'model' = 'gpt-4o-mini', " + common + ")";
            case "sluice" ->
                "CREATE TEMPORARY MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH ('provider' = 'sluice', "
                        + "'model' = 'openai:gpt-4o-mini', 'base-url' = '" + baseUrl + "', 'api-key' = '" + API_KEY
                        + "', " + common + ")";
            default -> throw new IllegalArgumentException("--provider must be openai or sluice: " + provider);
        };
    }

    @SuppressWarnings("try") // Flink's CloseableIterator.close() declares Exception; nothing here interrupts it
    private static void run(
            TableEnvironment t, String job, String provider, long start, int rows, int concurrency, double limit)
            throws Exception {
        String table = "ids_" + job;
        t.executeSql("CREATE TEMPORARY TABLE " + table
                + " (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', "
                + "'fields.id.start' = '" + start + "', 'fields.id.end' = '" + (start + rows - 1)
                + "', 'rows-per-second' = '100000')");
        t.executeSql("CREATE TEMPORARY VIEW tickets_" + job + " AS SELECT id, TICKET(id) AS prompt FROM " + table);
        String query = "SELECT id, answer FROM ML_PREDICT(TABLE tickets_" + job + ", MODEL m, "
                + "DESCRIPTOR(prompt), MAP['async', 'true', 'max-concurrent-operations', '" + concurrency + "', "
                + "'output-mode', 'ALLOW_UNORDERED', 'timeout', '3 min'])";
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50); // a sampling period, not a wait for something
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        BitSet seen = new BitSet(rows);
        long count = 0;
        long duplicates = 0;
        long empty = 0;
        long firstAt = 0;
        long lastAt = 0;
        long cpuFirst = 0;
        long cpuLast = 0;
        String failure = null;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (CloseableIterator<Row> it = t.executeSql(query).collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                long now = System.nanoTime();
                long cpuNow = os.getProcessCpuTime();
                if (count == 0) {
                    firstAt = now;
                    cpuFirst = cpuNow;
                }
                cpuLast = cpuNow;
                lastAt = now;
                count++;
                int i = (int) ((Long) Objects.requireNonNull(r.getField(0), "id") - start);
                if (seen.get(i)) duplicates++;
                seen.set(i);
                Object answer = r.getField(1);
                if (answer == null || answer.toString().isBlank()) empty++;
            }
        } catch (Exception e) {
            failure = String.valueOf(rootMessage(e));
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        long end = System.nanoTime();
        sampler.interrupt();
        sampler.join();
        double wall = (end - t0) / 1e9;
        double span = (lastAt - firstAt) / 1e9;
        double rate = count > 1 && span > 0 ? (count - 1) / span : 0;
        System.out.printf(
                Locale.ROOT,
                "result %s provider=%s rows=%d/%d missing=%d duplicates=%d empty=%d wall_s=%.2f first_row_s=%.2f "
                        + "first_to_last_s=%.2f rows_per_s=%.1f of_limit=%.2f cpu_ms_per_row=%.3f steady_cpu_ms_per_row=%.3f cpu_s=%.2f heap_peak_mb=%.0f "
                        + "heap_end_mb=%.0f%s%n",
                job,
                provider,
                count,
                rows,
                rows - seen.cardinality(),
                duplicates,
                empty,
                wall,
                count > 0 ? (firstAt - t0) / 1e9 : 0,
                span,
                rate,
                rate / limit,
                count > 0 ? cpu / 1e6 / count : 0,
                count > 1 ? (cpuLast - cpuFirst) / 1e6 / (count - 1) : 0,
                cpu / 1e9,
                peakHeap.get() / 1048576.0,
                memory.getHeapMemoryUsage().getUsed() / 1048576.0,
                failure == null
                        ? ""
                        : " FAILED: "
                                + failure.replace(API_KEY, "<the api-key>").replace('\n', ' '));
        if (failure != null && failure.contains(API_KEY))
            System.out.println("note: the failure's message contained the api-key (redacted above)");
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        StringBuilder s = new StringBuilder();
        for (int depth = 0; c != null && depth < 12; depth++, c = c.getCause()) {
            s.append(depth == 0 ? "" : " <- ")
                    .append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage());
        }
        return s.length() > 600 ? s.substring(0, 600) + "…" : s.toString();
    }
}
