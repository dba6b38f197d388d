package dev.sluice.springboot;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.Effort;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.client.StreamObserver;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.models.ModelCatalog;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.vertex.VertexAccess;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
 * {@value #OPENAI_RESPONSES_CLIENT}, {@link GeminiClient}; the clouds' from {@code sluice.bedrock.*}
 * (an {@link AwsAccess}, a {@link BedrockClient}, Claude's {@value #BEDROCK_ANTHROPIC_CLIENT}, and on
 * the OpenAI-compatible and mantle endpoints {@value #BEDROCK_OPENAI_CLIENT},
 * {@value #BEDROCK_OPENAI_RESPONSES_CLIENT} and {@value #BEDROCK_MANTLE_ANTHROPIC_CLIENT}),
 * {@code sluice.vertex.*} (a {@link VertexAccess}, {@value #VERTEX_GEMINI_CLIENT} and
 * {@value #VERTEX_ANTHROPIC_CLIENT}) and {@code sluice.azure.*} ({@value #AZURE_OPENAI_CLIENT} and
 * {@value #FOUNDRY_ANTHROPIC_CLIENT}), each named cloud client no default candidate), the
 * {@link SluiceProviders} they make up,
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
    /** The name of the client of Claude through Amazon Bedrock ({@code bedrock-anthropic}), an {@link AnthropicClient} not injected by type. */
    public static final String BEDROCK_ANTHROPIC_CLIENT = "sluiceBedrockAnthropicClient";
    /** The name of the client of OpenAI's Chat Completions on Bedrock's runtime host ({@code bedrock-openai}), an {@link OpenAiClient} not injected by type. */
    public static final String BEDROCK_OPENAI_CLIENT = "sluiceBedrockOpenAiClient";
    /** The name of the client of OpenAI's Responses API on Bedrock's mantle host (its {@code responses()}, {@code bedrock-openai-responses}), an {@link OpenAiClient} not injected by type. */
    public static final String BEDROCK_OPENAI_RESPONSES_CLIENT = "sluiceBedrockOpenAiResponsesClient";
    /** The name of the client of Claude's Messages API on Bedrock's mantle host ({@code bedrock-mantle-anthropic}), an {@link AnthropicClient} not injected by type. */
    public static final String BEDROCK_MANTLE_ANTHROPIC_CLIENT = "sluiceBedrockMantleAnthropicClient";
    /** The name of the client of Gemini on Vertex AI ({@code vertex}), a {@link GeminiClient} not injected by type. */
    public static final String VERTEX_GEMINI_CLIENT = "sluiceVertexGeminiClient";
    /** The name of the client of Claude on Vertex AI ({@code vertex-anthropic}), an {@link AnthropicClient} not injected by type. */
    public static final String VERTEX_ANTHROPIC_CLIENT = "sluiceVertexAnthropicClient";
    /** The name of Azure OpenAI's client ({@code azure-openai}; its {@code responses()}, {@code azure-openai-responses}), not injected by type. */
    public static final String AZURE_OPENAI_CLIENT = "sluiceAzureOpenAiClient";
    /** The name of the client of Claude on Microsoft Foundry ({@code foundry-anthropic}), an {@link AnthropicClient} not injected by type. */
    public static final String FOUNDRY_ANTHROPIC_CLIENT = "sluiceFoundryAnthropicClient";

    /** Creates the auto-configuration; Spring calls it. */
    public SluiceAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    @Conditional(AnthropicConfigured.class)
    AnthropicClient sluiceAnthropicClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.anthropic(
                properties.getAnthropic(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OpenAiConfigured.class)
    OpenAiClient sluiceOpenAiClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.openai(
                "sluice.openai.",
                properties.getOpenai(),
                observers.orderedStream().toList());
    }

    /** Not a default candidate: an {@code OpenAiClient} injected by type is the Chat Completions one. */
    @Bean(name = OPENAI_RESPONSES_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = OPENAI_RESPONSES_CLIENT)
    @Conditional(OpenAiResponsesConfigured.class)
    OpenAiClient sluiceOpenAiResponsesClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.openai(
                "sluice.openai-responses.",
                properties.getOpenaiResponses(),
                observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(GeminiConfigured.class)
    GeminiClient sluiceGeminiClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.gemini(
                properties.getGemini(), observers.orderedStream().toList());
    }

    /** How the Bedrock clients reach AWS; the application's own {@code AwsAccess} (an AWS SDK credentials provider bridged) wins. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(BedrockConfigured.class)
    AwsAccess sluiceAwsAccess(SluiceProperties properties) {
        return ProviderClients.awsAccess(properties.getBedrock());
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(BedrockConfigured.class)
    BedrockClient sluiceBedrockClient(
            SluiceProperties properties, AwsAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrock(
                properties.getBedrock(), access, observers.orderedStream().toList());
    }

    /** Claude's own API through Bedrock (bedrock-anthropic); not a default candidate: an {@code AnthropicClient} injected by type is Anthropic's. */
    @Bean(name = BEDROCK_ANTHROPIC_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = BEDROCK_ANTHROPIC_CLIENT)
    @Conditional(BedrockConfigured.class)
    AnthropicClient sluiceBedrockAnthropicClient(
            SluiceProperties properties, AwsAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrockAnthropic(
                properties.getBedrock(), access, observers.orderedStream().toList());
    }

    /** OpenAI's Chat Completions on Bedrock's runtime host (bedrock-openai); not a default candidate. */
    @Bean(name = BEDROCK_OPENAI_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = BEDROCK_OPENAI_CLIENT)
    @Conditional(BedrockConfigured.class)
    OpenAiClient sluiceBedrockOpenAiClient(
            SluiceProperties properties, AwsAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrockOpenAi(
                properties.getBedrock(), access, observers.orderedStream().toList());
    }

    /** OpenAI's Responses API on Bedrock's mantle host (bedrock-openai-responses, its responses()); not a default candidate. */
    @Bean(name = BEDROCK_OPENAI_RESPONSES_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = BEDROCK_OPENAI_RESPONSES_CLIENT)
    @Conditional(BedrockConfigured.class)
    OpenAiClient sluiceBedrockOpenAiResponsesClient(
            SluiceProperties properties, AwsAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrockOpenAiResponses(
                properties.getBedrock(), access, observers.orderedStream().toList());
    }

    /** Claude's Messages API on Bedrock's mantle host (bedrock-mantle-anthropic); not a default candidate. */
    @Bean(name = BEDROCK_MANTLE_ANTHROPIC_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = BEDROCK_MANTLE_ANTHROPIC_CLIENT)
    @Conditional(BedrockConfigured.class)
    AnthropicClient sluiceBedrockMantleAnthropicClient(
            SluiceProperties properties, AwsAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.bedrockMantleAnthropic(
                properties.getBedrock(), access, observers.orderedStream().toList());
    }

    /** How the Vertex AI clients reach Google; the application's own {@code VertexAccess} (its own tokens) wins. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(VertexConfigured.class)
    VertexAccess sluiceVertexAccess(SluiceProperties properties) {
        return ProviderClients.vertexAccess(properties.getVertex());
    }

    /** Gemini on Vertex AI (vertex); not a default candidate. */
    @Bean(name = VERTEX_GEMINI_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = VERTEX_GEMINI_CLIENT)
    @Conditional(VertexConfigured.class)
    GeminiClient sluiceVertexGeminiClient(
            SluiceProperties properties, VertexAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.vertexGemini(
                properties.getVertex(), access, observers.orderedStream().toList());
    }

    /** Claude on Vertex AI (vertex-anthropic); not a default candidate. */
    @Bean(name = VERTEX_ANTHROPIC_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = VERTEX_ANTHROPIC_CLIENT)
    @Conditional(VertexConfigured.class)
    AnthropicClient sluiceVertexAnthropicClient(
            SluiceProperties properties, VertexAccess access, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.vertexAnthropic(
                properties.getVertex(), access, observers.orderedStream().toList());
    }

    /** Azure OpenAI (azure-openai, and its responses() azure-openai-responses); not a default candidate. */
    @Bean(name = AZURE_OPENAI_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = AZURE_OPENAI_CLIENT)
    @Conditional(AzureConfigured.class)
    OpenAiClient sluiceAzureOpenAiClient(SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.azureOpenAi(
                properties.getAzure(), observers.orderedStream().toList());
    }

    /** Claude on Microsoft Foundry (foundry-anthropic); not a default candidate. */
    @Bean(name = FOUNDRY_ANTHROPIC_CLIENT, defaultCandidate = false)
    @ConditionalOnMissingBean(name = FOUNDRY_ANTHROPIC_CLIENT)
    @Conditional(FoundryConfigured.class)
    AnthropicClient sluiceFoundryAnthropicClient(
            SluiceProperties properties, ObjectProvider<StreamObserver> observers) {
        return ProviderClients.foundry(
                properties.getAzure().getFoundry(), observers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    SluiceProviders sluiceProviders(
            SluiceProperties properties,
            ObjectProvider<AnthropicClient> anthropic,
            ObjectProvider<OpenAiClient> openai,
            @Qualifier(OPENAI_RESPONSES_CLIENT) ObjectProvider<OpenAiClient> openaiResponses,
            ObjectProvider<GeminiClient> gemini,
            ObjectProvider<BedrockClient> bedrock,
            @Qualifier(BEDROCK_ANTHROPIC_CLIENT) ObjectProvider<AnthropicClient> bedrockAnthropic,
            @Qualifier(BEDROCK_OPENAI_CLIENT) ObjectProvider<OpenAiClient> bedrockOpenAi,
            @Qualifier(BEDROCK_OPENAI_RESPONSES_CLIENT) ObjectProvider<OpenAiClient> bedrockOpenAiResponses,
            @Qualifier(BEDROCK_MANTLE_ANTHROPIC_CLIENT) ObjectProvider<AnthropicClient> bedrockMantleAnthropic,
            @Qualifier(VERTEX_GEMINI_CLIENT) ObjectProvider<GeminiClient> vertexGemini,
            @Qualifier(VERTEX_ANTHROPIC_CLIENT) ObjectProvider<AnthropicClient> vertexAnthropic,
            @Qualifier(AZURE_OPENAI_CLIENT) ObjectProvider<OpenAiClient> azure,
            @Qualifier(FOUNDRY_ANTHROPIC_CLIENT) ObjectProvider<AnthropicClient> foundry) {
        String hedge = properties.getHedgeAfter();
        if (hedge != null
                && !hedge.isBlank()
                && properties.getFallback().isEmpty()) { // no chain to hedge: say so at startup
            throw new InvalidConfigurationPropertyValueException(
                    "sluice.hedge-after",
                    hedge,
                    "it needs sluice.fallback: a hedge starts the next target of the fallback chain");
        }
        List<SluiceProviders.Named> named = new ArrayList<>();
        OpenAiClient responses = openaiResponses.getIfAvailable();
        AnthropicClient claudeOnBedrock = bedrockAnthropic.getIfAvailable();
        GeminiClient geminiOnVertex = vertexGemini.getIfAvailable();
        AnthropicClient claudeOnVertex = vertexAnthropic.getIfAvailable();
        OpenAiClient azureClient = azure.getIfAvailable();
        AnthropicClient claudeOnFoundry = foundry.getIfAvailable();
        add(
                named,
                ProviderCatalog.ANTHROPIC,
                anthropic.getIfUnique(),
                properties.getAnthropic()); // by type: the named clients are no candidates
        add(named, ProviderCatalog.OPENAI, openai.getIfUnique(), properties.getOpenai());
        add(
                named,
                ProviderCatalog.OPENAI_RESPONSES,
                responses == null ? null : responses.responses(),
                properties.getOpenaiResponses());
        add(named, ProviderCatalog.GEMINI, gemini.getIfUnique(), properties.getGemini());
        add(named, ProviderCatalog.BEDROCK, bedrock.getIfUnique(), properties.getBedrock());
        SluiceProperties.Bedrock aws = properties.getBedrock();
        add(named, ProviderCatalog.BEDROCK_ANTHROPIC, claudeOnBedrock, aws.getAnthropicModel());
        add(named, ProviderCatalog.BEDROCK_OPENAI, bedrockOpenAi.getIfAvailable(), aws.getOpenaiModel());
        OpenAiClient onMantle = bedrockOpenAiResponses.getIfAvailable();
        add(
                named,
                ProviderCatalog.BEDROCK_OPENAI_RESPONSES,
                onMantle == null ? null : onMantle.responses(),
                aws.getOpenaiResponsesModel());
        add(
                named,
                ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC,
                bedrockMantleAnthropic.getIfAvailable(),
                aws.getMantleAnthropicModel());
        SluiceProperties.Vertex google = properties.getVertex();
        add(named, ProviderCatalog.VERTEX, geminiOnVertex, google.getModel());
        add(named, ProviderCatalog.VERTEX_ANTHROPIC, claudeOnVertex, google.getAnthropicModel());
        SluiceProperties.Azure ms = properties.getAzure();
        add(named, ProviderCatalog.AZURE_OPENAI, azureClient, ms.getModel());
        add(
                named,
                ProviderCatalog.AZURE_OPENAI_RESPONSES,
                azureClient == null ? null : azureClient.responses(),
                ms.getResponsesModel());
        add(
                named,
                ProviderCatalog.FOUNDRY_ANTHROPIC,
                claudeOnFoundry,
                ms.getFoundry().getModel());
        String effort = properties.getEffort();
        if (effort == null || effort.isBlank()) return new SluiceProviders(named);
        try {
            return new SluiceProviders(named, Effort.of(effort.strip()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("sluice.effort", effort, e.getMessage());
        }
    }

    private static void add(
            List<SluiceProviders.Named> named,
            ProviderCatalog provider,
            @Nullable ChatProvider client,
            SluiceProperties.Provider p) {
        add(named, provider, client, p.getModel());
    }

    /** Adds the client, if there is one, under the provider's id, with the model property, else the provider's default. */
    private static void add(
            List<SluiceProviders.Named> named,
            ProviderCatalog provider,
            @Nullable ChatProvider client,
            @Nullable String modelProperty) {
        if (client != null)
            named.add(new SluiceProviders.Named(provider.id(), client, ProviderClients.model(provider, modelProperty)));
    }

    /**
     * The chain over the providers {@code sluice.fallback} names, in its order, each with its model
     * ({@code NAME:MODEL}) or the provider's.
     */
    @Bean
    @Primary
    @ConditionalOnMissingBean
    @Conditional(FallbackConfigured.class)
    FallbackChain sluiceFallbackChain(
            SluiceProperties properties, SluiceProviders providers, ObjectProvider<StreamObserver> observers) {
        FallbackChain.Builder chain = FallbackChain.builder();
        targets(chain, "sluice.fallback", properties.getFallback(), providers);
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
     * Adds a chain's targets ({@link #resolve}) on the providers' clients: {@code sluice.fallback}'s.
     *
     * @throws InvalidConfigurationPropertyValueException naming {@code property}, as {@link #resolve}
     *     does, or for a target repeated
     */
    static void targets(FallbackChain.Builder chain, String property, List<String> entries, SluiceProviders providers) {
        for (SluiceProviders.Named t : resolve(property, entries, providers)) {
            try {
                chain.target(t.name() + ":" + t.model(), t.provider(), t.model());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(property, entries, e.getMessage());
            }
        }
    }

    /**
     * {@return a chain's targets, each {@code PROVIDER} or {@code PROVIDER:MODEL} as {@link
     * ProviderCatalog.Target#parse} reads it, as the provider's name, client and the model named
     * (the provider's when none is): {@code sluice.fallback}'s and each {@code sluice.server.routes.ALIAS}'s}
     *
     * @throws InvalidConfigurationPropertyValueException naming {@code property} for an unknown
     *     provider, no model after the colon, one without a client, or a model that cannot take
     *     {@code sluice.effort} at all
     */
    static List<SluiceProviders.Named> resolve(String property, List<String> entries, SluiceProviders providers) {
        List<SluiceProviders.Named> targets = new ArrayList<>();
        for (String entry : entries) {
            ProviderCatalog.Target target = target(property, entries, entry);
            String name = target.provider().id();
            SluiceProviders.Named p = providers
                    .named(name)
                    .orElseThrow(() -> new InvalidConfigurationPropertyValueException(
                            property,
                            entries,
                            "provider '" + name + "' has no client: " + ProviderClients.whatToSet(target.provider())
                                    + ", or define its client bean"));
            String model = target.model().orElse(p.model());
            try {
                if (providers.effort().isPresent())
                    ModelCatalog.checkEffort(model, providers.effort().get());
                targets.add(new SluiceProviders.Named(name, p.provider(), model));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(property, entries, e.getMessage());
            }
        }
        return targets;
    }

    /**
     * {@return an entry of {@code property}, as {@link ProviderCatalog.Target#parse} reads it}
     *
     * @throws InvalidConfigurationPropertyValueException for an unknown provider or no model after the colon
     */
    static ProviderCatalog.Target target(String property, Object value, String entry) {
        try {
            return ProviderCatalog.Target.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
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
            super(
                    ProviderCatalog.BEDROCK.id(),
                    "region",
                    "mantle-base-url",
                    "access-key-id"); // sluice.bedrock.*: AWS's providers' group
        }
    }

    static final class VertexConfigured extends ProviderConfigured {
        VertexConfigured() {
            super(ProviderCatalog.VERTEX.id(), "project", "location"); // sluice.vertex.*: Google's providers' group
        }
    }

    /** Matches when {@code sluice.azure.base-url} (the Azure OpenAI resource's endpoint) is set. */
    static final class AzureConfigured extends ProviderConfigured {
        AzureConfigured() {
            super("azure");
        }
    }

    /** Matches when {@code sluice.azure.foundry.base-url}, {@code api-key} or {@code resource} is set. */
    static final class FoundryConfigured extends ProviderConfigured {
        FoundryConfigured() {
            super("azure.foundry", "resource");
        }
    }

    static final class AnthropicConfigured extends ProviderConfigured {
        AnthropicConfigured() {
            super(ProviderCatalog.ANTHROPIC.id());
        }
    }

    static final class OpenAiConfigured extends ProviderConfigured {
        OpenAiConfigured() {
            super(ProviderCatalog.OPENAI.id());
        }
    }

    static final class OpenAiResponsesConfigured extends ProviderConfigured {
        OpenAiResponsesConfigured() {
            super(ProviderCatalog.OPENAI_RESPONSES.id());
        }
    }

    static final class GeminiConfigured extends ProviderConfigured {
        GeminiConfigured() {
            super(ProviderCatalog.GEMINI.id());
        }
    }

    /** Matches when {@code sluice.fallback} names at least one provider. */
    static final class FallbackConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean set = !Binder.get(context.getEnvironment())
                    .bind("sluice.fallback", Bindable.listOf(String.class))
                    .map(List::isEmpty)
                    .orElse(true);
            return set
                    ? ConditionOutcome.match("sluice.fallback is set")
                    : ConditionOutcome.noMatch("sluice.fallback is not set");
        }
    }
}
