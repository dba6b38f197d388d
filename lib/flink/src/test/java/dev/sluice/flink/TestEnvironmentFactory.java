package dev.sluice.flink;

import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;

/**
 * The SQL model provider under {@code 'provider' = 'sluice-test-env'}, its task managers' clients
 * reading {@link #environment} for their environment variables: {@code 'sluice'}'s factory given the
 * environment as a job gets its own, for the tests on a MiniCluster (registered in the tests'
 * {@code META-INF/services}).
 */
public final class TestEnvironmentFactory implements ModelProviderFactory {
    /** The identifier. */
    static final String IDENTIFIER = "sluice-test-env";

    /** The environment the next model's clients read; each test sets its own. */
    static volatile Map<String, String> environment = Map.of();

    private final SluiceModelProviderFactory factory = new SluiceModelProviderFactory(IDENTIFIER, () -> environment);

    /** For Flink's service loader. */
    public TestEnvironmentFactory() {}

    @Override
    public ModelProvider createModelProvider(ModelProviderFactory.Context context) {
        return factory.createModelProvider(context);
    }

    @Override
    public String factoryIdentifier() {
        return factory.factoryIdentifier();
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return factory.requiredOptions();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return factory.optionalOptions();
    }
}
