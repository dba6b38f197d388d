package dev.sluice.flink;

import dev.sluice.providers.ProviderCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code WITH} options of a {@code CREATE MODEL ... WITH ('provider' = 'sluice', ...)}. Flink's
 * own runtime settings ({@code MAP['async','true','max-concurrent-operations',..,'timeout',..]} in
 * {@code ML_PREDICT}, {@code table.exec.async-ml-predict.*}) stay Flink's.
 *
 * <p>Besides these, each provider's targets take their endpoint and key from {@code PROVIDER.base-url}
 * and {@code PROVIDER.api-key} ({@link #baseUrl(ProviderCatalog)}, {@link #apiKey(ProviderCatalog)}),
 * one pair per provider of {@link ProviderCatalog}, the fallbacks' included.
 */
public final class SluiceModelOptions {
    private SluiceModelOptions() {}

    /**
     * {@return the base URL of one provider's targets, {@code PROVIDER.base-url} (such as
     * {@code openai.base-url}): a fallback's, or the model's when {@link #BASE_URL} is not set}
     */
    public static ConfigOption<String> baseUrl(ProviderCatalog provider) {
        return ConfigOptions.key(provider.id() + ".base-url")
                .stringType()
                .noDefaultValue()
                .withDescription("The base URL of the " + provider.id() + " targets (the fallbacks' too); default "
                        + "the task managers' environment, else the provider's own");
    }

    /**
     * {@return the API key of one provider's targets, {@code PROVIDER.api-key} (such as {@code openai.api-key}),
     * kept as {@link #API_KEY} is: redacted from every message, hidden by {@code toString}, and sensitive to
     * Flink as every option whose key holds {@code api-key}}
     */
    public static ConfigOption<String> apiKey(ProviderCatalog provider) {
        return ConfigOptions.key(provider.id() + ".api-key")
                .stringType()
                .noDefaultValue()
                .withDescription("The API key of the " + provider.id() + " targets (the fallbacks' too); prefer the "
                        + "task managers' environment (SHOW CREATE MODEL prints options)");
    }

    /** {@return every provider's {@code PROVIDER.base-url} and {@code PROVIDER.api-key}, in the catalog's order} */
    static List<ConfigOption<String>> perProvider() {
        List<ConfigOption<String>> all = new ArrayList<>();
        for (ProviderCatalog p : ProviderCatalog.all()) {
            all.add(baseUrl(p));
            all.add(apiKey(p));
        }
        return List.copyOf(all);
    }

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
