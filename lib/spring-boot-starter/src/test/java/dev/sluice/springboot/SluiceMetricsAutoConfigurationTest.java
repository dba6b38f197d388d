package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.SluiceException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.StreamCaller;
import dev.sluice.testkit.FakeLlmExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Micrometer meters of each stream, named per the OpenTelemetry GenAI conventions, when Micrometer is there. */
class SluiceMetricsAutoConfigurationTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SluiceMetricsAutoConfiguration.class, SluiceAutoConfiguration.class));

    private static ChatRequest hello() {
        return ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .addMessage(ChatMessage.user("hello"))
                .build();
    }

    @Test
    void stream_recordsDurationTimeToFirstChunkAndTokens_withTheConventionsTags() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> {
                    context.getBean(ChatProvider.class).chat(hello());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    // the end is recorded on the stream's producer thread, which may finish after chat() returns
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> registry.find("gen_ai.client.operation.duration")
                                            .timer()
                                    != null);
                    Timer duration = registry.get("gen_ai.client.operation.duration")
                            .tag("gen_ai.provider.name", "anthropic")
                            .tag("gen_ai.operation.name", "chat")
                            .tag("gen_ai.request.model", "claude-sonnet-5-5")
                            .tag("server.address", "127.0.0.1")
                            .tag("error.type", "none")
                            .timer();
                    assertThat(duration.count()).isEqualTo(1);
                    assertThat(registry.get("gen_ai.client.operation.time_to_first_chunk")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("gen_ai.client.operation.time_per_output_chunk")
                                    .timer()
                                    .count())
                            .isPositive();
                    assertThat(registry.get("gen_ai.client.token.usage")
                                    .tag("gen_ai.token.type", "output")
                                    .summary()
                                    .totalAmount())
                            .isPositive();
                    assertThat(registry.get("gen_ai.client.token.usage")
                                    .tag("gen_ai.token.type", "input")
                                    .summary()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("dev.sluice.client.output_tokens_per_second")
                                    .summary()
                                    .max())
                            .isPositive();
                });
    }

    @Test
    void streamForAKey_everyMeterTaggedWithTheKeysId_aStreamForNoOneNone() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> {
                    ChatProvider provider = context.getBean(ChatProvider.class);
                    StreamCaller.call("key_7hQ2ops", () -> provider.chat(hello()));
                    provider.chat(hello());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> registry.find("gen_ai.client.operation.duration")
                                            .timers()
                                            .size()
                                    == 2);
                    for (String name : List.of(
                            "gen_ai.client.operation.duration",
                            "gen_ai.client.operation.time_to_first_chunk",
                            "gen_ai.client.token.usage")) {
                        assertThat(registry.find(name).meters().stream()
                                        .map(m -> m.getId().getTag("dev.sluice.key.id"))
                                        .distinct()
                                        .sorted()
                                        .toList())
                                .as(name)
                                .containsExactly("key_7hQ2ops", "none");
                    }
                });
    }

    @Test
    void failedStream_durationCarriesItsErrorType() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("sluice.anthropic.base-url=http://127.0.0.1:1", "sluice.anthropic.max-retries=0")
                .run(context -> {
                    assertThatThrownBy(() -> context.getBean(ChatProvider.class).chat(hello()))
                            .isInstanceOf(SluiceException.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> registry.find("gen_ai.client.operation.duration")
                                            .timer()
                                    != null);
                    Timer failed =
                            registry.get("gen_ai.client.operation.duration").timer();
                    assertThat(failed.getId().getTag("error.type"))
                            .isNotEqualTo("none")
                            .startsWith("dev.sluice.");
                });
    }

    @Test
    void fallbackChain_failoversAndHedgesCounted_byTarget() {
        String base = FAKE.server().baseUrl().toString();
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(
                        "sluice.anthropic.base-url=http://127.0.0.1:1",
                        "sluice.anthropic.max-retries=0",
                        "sluice.openai.base-url=" + base,
                        "sluice.fallback=anthropic,openai")
                .run(context -> {
                    context.getBean(ChatProvider.class).chat(hello());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("dev.sluice.client.failovers")
                                    .tag("from", "anthropic:claude-sonnet-5-5")
                                    .tag("to", "openai:gpt-6-luna")
                                    .tag("mode", "continue")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.find("dev.sluice.client.hedges").counter())
                            .isNull();
                });
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.openai.base-url=" + base,
                        "sluice.fallback=anthropic:fake-first-token-3000,openai",
                        "sluice.hedge-after=100ms")
                .run(context -> {
                    context.getBean(ChatProvider.class).chat(hello());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("dev.sluice.client.hedges")
                                    .tag("from", "anthropic:fake-first-token-3000")
                                    .tag("to", "openai:gpt-6-luna")
                                    .tag("winner", "openai:gpt-6-luna")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("dev.sluice.client.hedge.loser_tokens")
                                    .summary()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.find("dev.sluice.client.failovers").counter())
                            .isNull();
                });
    }

    @Test
    void noMeterRegistryBean_streamsUnrecorded() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> {
                    assertThat(context).hasSingleBean(MicrometerStreamObserver.class);
                    assertThat(context.getBean(ChatProvider.class).chat(hello()).text())
                            .isNotBlank();
                });
    }

    @Test
    void micrometerMissing_noObserver() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context)
                        .doesNotHaveBean(MicrometerStreamObserver.class)
                        .hasSingleBean(ChatProvider.class));
    }

    @Test
    void usersOwnObserver_wins() {
        MicrometerStreamObserver own = new MicrometerStreamObserver(new SimpleMeterRegistry());
        runner.withBean("ownObserver", MicrometerStreamObserver.class, () -> own)
                .run(context -> assertThat(context)
                        .hasSingleBean(MicrometerStreamObserver.class)
                        .hasBean("ownObserver"));
    }
}
