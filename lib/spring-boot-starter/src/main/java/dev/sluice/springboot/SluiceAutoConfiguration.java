package dev.sluice.springboot;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.client.StreamObserver;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Sluice's clients from the {@code sluice.*} properties ({@link SluiceProperties}): a client bean
 * per provider whose group has an {@code api-key} or a {@code base-url} ({@link AnthropicClient},
 * {@link OpenAiClient}, the OpenAI Responses API's {@code OpenAiClient} named
 * {@value #OPENAI_RESPONSES_CLIENT}, {@link GeminiClient}, Amazon Bedrock's {@link BedrockClient} from
 * {@code sluice.bedrock.*}), the {@link SluiceProviders} they make up,
 * and, when {@code sluice.fallback} names an order, a {@link FallbackChain} over them as the primary
 * {@link ChatProvider}, hedging when {@code sluice.hedge-after} says when. Every bean gives way to
 * one of the application's own of its type (the Responses client to one of its name); the
 * providers then use the application's client. Every {@link StreamObserver} bean (the Micrometer
 * one, an OpenTelemetry {@code GenAiObserver}, the application's) observes every client's streams
 * and the chain's switches and hedges.
 */
@AutoConfiguration
@EnableConfigurationProperties(SluiceProperties.class)
public class SluiceAutoConfiguration {
    /** The name of the OpenAI Responses API's client bean: an {@link OpenAiClient} that is not injected by type. */
    public static final String OPENAI_RESPONSES_CLIENT = "sluiceOpenAiResponsesClient";

    /** Creates the auto-configuration; Spring calls it. */
    public SluiceAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    @Conditional(AnthropicConfigured.class)
    AnthropicClient sluiceAnthropicClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.anthropic(properties.getAnthropic(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OpenAiConfigured.class)
    OpenAiClient sluiceOpenAiClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.openai("sluice.openai.", properties.getOpenai(), observers.orderedStream().toList());
    }

    /** Not a default candidate: an {@code OpenAiClient} injected by type is the Chat Completions one. */
    @Bean(name = OPENAI_RESPONSES_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = OPENAI_RESPONSES_CLIENT)
    @Conditional(OpenAiResponsesConfigured.class)
    OpenAiClient sluiceOpenAiResponsesClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.openai("sluice.openai-responses.", properties.getOpenaiResponses(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(GeminiConfigured.class)
    GeminiClient sluiceGeminiClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.gemini(properties.getGemini(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(BedrockConfigured.class)
    BedrockClient sluiceBedrockClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrock(properties.getBedrock(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    SluiceProviders sluiceProviders(SluiceProperties properties, ObjectProvider<AnthropicClient> anthropic,
                                    ObjectProvider<OpenAiClient> openai,
                                    @Qualifier(OPENAI_RESPONSES_CLIENT) ObjectProvider<OpenAiClient> openaiResponses,
                                    ObjectProvider<GeminiClient> gemini, ObjectProvider<BedrockClient> bedrock) {
        String hedge = properties.getHedgeAfter();
        if (hedge != null && !hedge.isBlank() && properties.getFallback().isEmpty()) { // no chain to hedge: say so at startup
            throw new InvalidConfigurationPropertyValueException("sluice.hedge-after", hedge,
                    "it needs sluice.fallback: a hedge starts the next target of the fallback chain");
        }
        List<SluiceProviders.Named> named = new ArrayList<>();
        add(named, "anthropic", anthropic.getIfUnique(), properties.getAnthropic());
        add(named, "openai", openai.getIfUnique(), properties.getOpenai());
        OpenAiClient responses = openaiResponses.getIfAvailable();
        add(named, "openai-responses", responses == null ? null : responses.responses(), properties.getOpenaiResponses());
        add(named, "gemini", gemini.getIfUnique(), properties.getGemini());
        add(named, "bedrock", bedrock.getIfUnique(), properties.getBedrock());
        return new SluiceProviders(named);
    }

    private static void add(List<SluiceProviders.Named> named, String name, ChatProvider provider, SluiceProperties.Provider p) {
        if (provider != null) named.add(new SluiceProviders.Named(name, provider, ProviderClients.model(name, p)));
    }

    /**
     * The chain over the providers {@code sluice.fallback} names, in its order, each with its model
     * ({@code NAME:MODEL}) or the provider's.
     */
    @Bean
    @Primary
    @ConditionalOnMissingBean
    @Conditional(FallbackConfigured.class)
    FallbackChain sluiceFallbackChain(SluiceProperties properties, SluiceProviders providers,
                                      ObjectProvider<StreamObserver> observers) {
        FallbackChain.Builder chain = FallbackChain.builder();
        for (String entry : properties.getFallback()) {
            int colon = entry.indexOf(':');
            String name = (colon < 0 ? entry : entry.substring(0, colon)).strip();
            if (!ProviderClients.NAMES.contains(name)) {
                throw new InvalidConfigurationPropertyValueException("sluice.fallback", properties.getFallback(),
                        "'" + name + "' is no provider: use " + String.join(", ", ProviderClients.NAMES));
            }
            SluiceProviders.Named p = providers.named(name).orElseThrow(() -> new InvalidConfigurationPropertyValueException(
                    "sluice.fallback", properties.getFallback(), "provider '" + name + "' has no client: " + ProviderClients.whatToSet(name)
                    + ", or define its client bean"));
            String model = colon < 0 ? p.model() : entry.substring(colon + 1).strip();
            try {
                chain.target(name + ":" + model, p.provider(), model);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("sluice.fallback", properties.getFallback(), e.getMessage());
            }
        }
        String hedge = properties.getHedgeAfter();
        if (hedge != null && !hedge.isBlank()) {
            try {
                chain.hedging(Hedging.parse(hedge));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("sluice.hedge-after", hedge, e.getMessage());
            }
        }
        observers.orderedStream().forEach(chain::observer);
        return chain.build();
    }

    /**
     * Matches when {@code sluice.PROVIDER.api-key} or {@code sluice.PROVIDER.base-url} is set, or
     * one of a cloud's own settings ({@code region}...).
     */
    abstract static class ProviderConfigured extends SpringBootCondition {
        private final String name;
        private final List<String> properties;

        ProviderConfigured(String name, String... cloudProperties) {
            this.name = name;
            List<String> all = new ArrayList<>(List.of("api-key", "base-url"));
            all.addAll(List.of(cloudProperties));
            this.properties = List.copyOf(all);
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Binder binder = Binder.get(context.getEnvironment());
            for (String property : properties) {
                String key = "sluice." + name + "." + property;
                if (!binder.bind(key, String.class).map(String::isBlank).orElse(true)) {
                    return ConditionOutcome.match(key + " is set");
                }
            }
            return ConditionOutcome.noMatch("none of sluice." + name + "." + properties + " is set");
        }
    }

    static final class BedrockConfigured extends ProviderConfigured {
        BedrockConfigured() {
            super("bedrock", "region", "access-key-id");
        }
    }

    static final class AnthropicConfigured extends ProviderConfigured {
        AnthropicConfigured() {
            super("anthropic");
        }
    }

    static final class OpenAiConfigured extends ProviderConfigured {
        OpenAiConfigured() {
            super("openai");
        }
    }

    static final class OpenAiResponsesConfigured extends ProviderConfigured {
        OpenAiResponsesConfigured() {
            super("openai-responses");
        }
    }

    static final class GeminiConfigured extends ProviderConfigured {
        GeminiConfigured() {
            super("gemini");
        }
    }

    /** Matches when {@code sluice.fallback} names at least one provider. */
    static final class FallbackConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean set = !Binder.get(context.getEnvironment()).bind("sluice.fallback", Bindable.listOf(String.class))
                    .map(List::isEmpty).orElse(true);
            return set ? ConditionOutcome.match("sluice.fallback is set") : ConditionOutcome.noMatch("sluice.fallback is not set");
        }
    }
}
