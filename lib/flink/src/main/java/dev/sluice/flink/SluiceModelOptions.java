package dev.sluice.flink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code WITH} options of a {@code CREATE MODEL ... WITH ('provider' = 'sluice', ...)}. Flink's
 * own runtime settings ({@code MAP['async','true','max-concurrent-operations',..,'timeout',..]} in
 * {@code ML_PREDICT}, {@code table.exec.async-ml-predict.*}) stay Flink's.
 */
public final class SluiceModelOptions {
    private SluiceModelOptions() {}

    /** {@code PROVIDER:MODEL}, split on the first colon, such as {@code anthropic:claude-haiku-5-5}. */
    public static final ConfigOption<String> MODEL = ConfigOptions.key("model")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "PROVIDER:MODEL, split on the first colon (anthropic:claude-haiku-5-5, bedrock:us.anthropic...)");

    /** The failover targets after {@link #MODEL}, comma-separated {@code PROVIDER:MODEL}s. */
    public static final ConfigOption<String> FALLBACK = ConfigOptions.key("fallback")
            .stringType()
            .noDefaultValue()
            .withDescription("Comma-separated PROVIDER:MODEL targets to fail over to, in order, mid-stream included");

    /** The base URL of the {@link #MODEL}'s provider; default the provider's environment, else its own. */
    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("base-url")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "The base URL of the model's provider (not the fallbacks'); default its environment's, else its own");

    /** The API key of the {@link #MODEL}'s provider; default the provider's environment / credential chain. */
    public static final ConfigOption<String> API_KEY = ConfigOptions.key("api-key")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "The API key of the model's provider; prefer the task managers' environment (SHOW CREATE MODEL prints options)");

    /** The system prompt. */
    public static final ConfigOption<String> SYSTEM_PROMPT = ConfigOptions.key("system-prompt")
            .stringType()
            .noDefaultValue()
            .withDescription("The system prompt of every row's request");

    /** The most output tokens per row. */
    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("max-tokens")
            .intType()
            .defaultValue(1024)
            .withDescription("The most output tokens per row");

    /** The sampling temperature; default the provider's. */
    public static final ConfigOption<Double> TEMPERATURE = ConfigOptions.key("temperature")
            .doubleType()
            .noDefaultValue()
            .withDescription("The sampling temperature; default the provider's");

    /** How long to wait for a stream's first event. */
    public static final ConfigOption<Duration> FIRST_TOKEN_TIMEOUT = ConfigOptions.key("first-token-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long a stream may take to send its first event");

    /** A row's deadline: its retries and fallbacks included; kept below Flink's async timeout. */
    public static final ConfigOption<Duration> TOTAL_TIMEOUT = ConfigOptions.key("total-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription(
                    "A row's deadline, its retries and fallbacks included; capped below Flink's async timeout");

    /** The retries of one target before it fails over (429s waited for their retry-after included). */
    public static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("max-retries")
            .intType()
            .defaultValue(4)
            .withDescription(
                    "Retries of one target before failing over; a 429's retry-after is waited inside the call");

    /** {@code fail} (fail the job) or {@code null} (NULL outputs and the message in an {@code error STRING} column). */
    public static final ConfigOption<String> ON_ERROR = ConfigOptions.key("on-error")
            .stringType()
            .defaultValue("fail")
            .withDescription(
                    "fail: a failed row fails the job; null: NULL outputs, and the message in an 'error STRING' column if declared");
}
