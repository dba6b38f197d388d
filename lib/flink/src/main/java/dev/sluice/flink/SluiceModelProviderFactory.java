package dev.sluice.flink;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;

/**
 * The Flink SQL model provider {@code 'provider' = 'sluice'}, found by Flink through
 * {@code META-INF/services/org.apache.flink.table.factories.Factory}:
 *
 * <pre>{@code
 * CREATE MODEL m INPUT (prompt STRING) OUTPUT (answer STRING) WITH (
 *   'provider' = 'sluice', 'model' = 'anthropic:claude-haiku-5-5');
 * SELECT * FROM ML_PREDICT(TABLE tickets, MODEL m, DESCRIPTOR(prompt));
 * }</pre>
 *
 * <p>The options are {@link SluiceModelOptions}'s. Immutable.
 */
public final class SluiceModelProviderFactory implements ModelProviderFactory {
    /** The factory identifier, {@code sluice}. */
    public static final String IDENTIFIER = "sluice";

    private final String identifier;
    private final TaskManagerEnvironment environment;

    /** For Flink's service loader: {@value #IDENTIFIER}, its clients reading the task managers' environment. */
    public SluiceModelProviderFactory() {
        this(IDENTIFIER, TaskManagerEnvironment.SYSTEM);
    }

    /**
     * A factory whose clients read {@code environment} for the task managers' own: for tests, under an
     * identifier of their own.
     */
    SluiceModelProviderFactory(String identifier, TaskManagerEnvironment environment) {
        this.identifier = identifier;
        this.environment = environment;
    }

    /**
     * {@inheritDoc}
     *
     * @throws org.apache.flink.table.api.ValidationException for an unknown or missing option
     * @throws IllegalArgumentException naming the option or column whose value is refused
     */
    @Override
    public ModelProvider createModelProvider(ModelProviderFactory.Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        ModelConfig config = ModelConfig.of(
                helper.getOptions(),
                context.getCatalogModel().getResolvedInputSchema(),
                context.getCatalogModel().getResolvedOutputSchema());
        return new Provider(config, FlinkTimeout.ofTable(context.getConfiguration()), environment);
    }

    @Override
    public String factoryIdentifier() {
        return identifier;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(SluiceModelOptions.MODEL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(SluiceModelOptions.perProvider());
        options.addAll(Set.of(
                SluiceModelOptions.FALLBACK,
                SluiceModelOptions.BASE_URL,
                SluiceModelOptions.API_KEY,
                SluiceModelOptions.SYSTEM_PROMPT,
                SluiceModelOptions.MAX_TOKENS,
                SluiceModelOptions.TEMPERATURE,
                SluiceModelOptions.FIRST_TOKEN_TIMEOUT,
                SluiceModelOptions.TOTAL_TIMEOUT,
                SluiceModelOptions.MAX_RETRIES,
                SluiceModelOptions.ON_ERROR));
        return options;
    }

    /**
     * The async runtime provider: one {@link SluicePredictFunction} per model use, its row deadline
     * below Flink's async timeout (the query's {@code MAP} runtime config, else the table config's
     * {@code tableTimeout}).
     */
    private record Provider(ModelConfig config, Duration tableTimeout, TaskManagerEnvironment environment)
            implements AsyncPredictRuntimeProvider {
        @Override
        public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
            return new SluicePredictFunction(
                    config.cappedBelow(FlinkTimeout.of(context.runtimeConfig(), tableTimeout)), environment);
        }

        @Override
        public ModelProvider copy() {
            return new Provider(config, tableTimeout, environment);
        }
    }
}
