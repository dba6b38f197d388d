package dev.sluice.flink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.jspecify.annotations.Nullable;

/**
 * Flink's async timeout for one ML_PREDICT row: the query's {@code MAP['timeout', …]}, else the
 * table config's {@code table.exec.async-ml-predict.timeout}, else 3 min — the order Flink applies.
 * The planner hands the provider only the query's MAP as its runtime config, so the table config is
 * read from the factory's context when the query is planned.
 */
final class FlinkTimeout {
    private static final ConfigOption<Duration> QUERY =
            ConfigOptions.key("timeout").durationType().noDefaultValue();
    private static final ConfigOption<Duration> TABLE = ConfigOptions.key("table.exec.async-ml-predict.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(3));

    private FlinkTimeout() {}

    /** {@return the table config's timeout for a row, else Flink's default} */
    static Duration ofTable(@Nullable ReadableConfig table) {
        return table == null ? TABLE.defaultValue() : table.get(TABLE);
    }

    /** {@return Flink's timeout for a row: the query's runtime config's, else {@code tableTimeout}} */
    static Duration of(@Nullable ReadableConfig runtime, Duration tableTimeout) {
        if (runtime == null) return tableTimeout;
        return runtime.getOptional(QUERY).or(() -> runtime.getOptional(TABLE)).orElse(tableTimeout);
    }
}
