package dev.sluice.flink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Flink's async timeout for one ML_PREDICT row: its {@code 'timeout'}, else {@code table.exec.async-ml-predict.timeout}, else 3 min. */
final class FlinkTimeout {
    private static final ConfigOption<Duration> QUERY =
            ConfigOptions.key("timeout").durationType().noDefaultValue();
    private static final ConfigOption<Duration> TABLE = ConfigOptions.key("table.exec.async-ml-predict.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(3));

    private FlinkTimeout() {}

    /** {@return Flink's timeout for a row under this runtime configuration} */
    static Duration of(ReadableConfig runtime) {
        if (runtime == null) return TABLE.defaultValue();
        return runtime.getOptional(QUERY).orElseGet(() -> runtime.get(TABLE));
    }
}
