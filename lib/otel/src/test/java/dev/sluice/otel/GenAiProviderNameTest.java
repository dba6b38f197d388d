package dev.sluice.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ProviderClient;
import dev.sluice.client.ClientOptions;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.clouds.FakeBedrock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The span of a stream through a provider the catalog connects names the provider as OpenTelemetry's
 * GenAI conventions do ({@code gen_ai.provider.name}, the catalog's column): Bedrock's
 * OpenAI-compatible and mantle endpoints are {@code aws.bedrock}, as Converse is, not {@code openai}
 * or {@code anthropic} by the API they speak.
 */
class GenAiProviderNameTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @RegisterExtension
    final InMemoryTelemetry telemetry = new InMemoryTelemetry();

    @ParameterizedTest
    @EnumSource(
            value = ProviderCatalog.class,
            names = {"BEDROCK_OPENAI", "BEDROCK_OPENAI_RESPONSES", "BEDROCK_MANTLE_ANTHROPIC"})
    void bedrockOpenAiCompatibleAndMantle_streamThroughTheCatalog_spanNamesAwsBedrock(ProviderCatalog provider) {
        String endpoint = fake.server().baseUrl()
                + (provider.baseUrlVariables().getFirst().equals("AWS_ENDPOINT_URL_BEDROCK_MANTLE")
                        ? FakeBedrock.MANTLE_PATH
                        : "");
        ClientOptions options = ClientOptions.builder()
                .baseUrl(endpoint)
                .apiKey(FakeBedrock.API_KEY)
                .observer(GenAiObserver.create(telemetry.openTelemetry()))
                .build();
        try (ProviderClient client = provider.connect(options, Map.of())) {
            client.chat(ChatRequest.builder()
                    .model(provider.defaultModel())
                    .addMessage(ChatMessage.user("hi"))
                    .build());
        }
        List<SpanData> spans = telemetry.awaitSpans(1);
        assertEquals("aws.bedrock", spans.getFirst().getAttributes().get(Conventions.PROVIDER), provider.id());
        assertEquals(provider.defaultModel(), spans.getFirst().getAttributes().get(Conventions.REQUEST_MODEL));
    }
}
