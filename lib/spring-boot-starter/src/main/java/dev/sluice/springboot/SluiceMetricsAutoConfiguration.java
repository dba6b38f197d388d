package dev.sluice.springboot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of every stream, when Micrometer is on the class path: a
 * {@link MicrometerStreamObserver} that {@link SluiceAutoConfiguration} registers on every client,
 * recording to the application's {@link MeterRegistry} (nothing while it has none).
 */
@AutoConfiguration(before = SluiceAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
public class SluiceMetricsAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public SluiceMetricsAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    MicrometerStreamObserver sluiceMicrometerObserver(ObjectProvider<MeterRegistry> registry) {
        return new MicrometerStreamObserver(registry::getIfUnique);
    }
}
