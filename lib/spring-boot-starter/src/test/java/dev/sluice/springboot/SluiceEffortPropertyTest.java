package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.testkit.FakeLlmExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code sluice.effort}: every request that names no effort is sent at it, as the model takes it
 * (the test kit's server records what arrived), through the framework models, the fallback chain and
 * the providers; a value no model takes or a model that cannot take it fails the startup, naming the
 * property and the model.
 */
class SluiceEffortPropertyTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SluiceAutoConfiguration.class,
                    SluiceSpringAiAutoConfiguration.class,
                    SluiceLangChain4jAutoConfiguration.class));

    private static ChatRequest hello(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hello"))
                .maxTokens(2000)
                .build();
    }

    @Test
    void effort_oneClient_bothFrameworksModelsSendItAsTheModelTakesIt() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                        "sluice.anthropic.model=claude-sonnet-5-5",
                        "sluice.effort=low")
                .run(context -> {
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                                    .call("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests().getLast().json("/output_config"))
                            .isEqualTo(Map.of("effort", "low"));
                    assertThat(FAKE.server().requests().getLast().json("/thinking/type"))
                            .isEqualTo("adaptive");
                    assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class)
                                    .chat("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests().getLast().json("/output_config/effort"))
                            .isEqualTo("low");
                    assertThat(context.getBean(SluiceProviders.class).toString())
                            .endsWith("effort low");
                });
    }

    @Test
    void effort_fallbackChain_eachTargetSendsIt_aRequestsOwnEffortKept() {
        runner.withPropertyValues(
                        "sluice.gemini.base-url=" + FAKE.server().baseUrl(),
                        "sluice.fallback=gemini:gemini-3.5-flash",
                        "sluice.effort=high")
                .run(context -> {
                    FallbackChain chain = context.getBean(FallbackChain.class);
                    chain.chat(hello("gemini-3.5-flash"));
                    assertThat(FAKE.server()
                                    .requests()
                                    .getLast()
                                    .json("/generationConfig/thinkingConfig/thinkingLevel"))
                            .isEqualTo("HIGH");
                    chain.chat(hello("gemini-3.5-flash").withEffort(dev.sluice.chat.Effort.LOW));
                    assertThat(FAKE.server()
                                    .requests()
                                    .getLast()
                                    .json("/generationConfig/thinkingConfig/thinkingLevel"))
                            .isEqualTo("LOW");
                });
    }

    @Test
    void noEffort_requestsAsBefore() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                        "sluice.anthropic.model=claude-sonnet-5-5")
                .run(context -> {
                    context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                            .call("hello");
                    assertThat(FAKE.server().requests().getLast().json("/output_config"))
                            .isNull();
                });
    }

    @Test
    void effort_aModelThatCannotTakeIt_startupFailsNamingPropertyAndModel() {
        runner.withPropertyValues(
                        "sluice.gemini.base-url=" + FAKE.server().baseUrl(),
                        "sluice.gemini.model=gemini-3.5-flash",
                        "sluice.effort=none")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("sluice.effort")
                        .hasMessageContaining("gemini-3.5-flash"));
        runner.withPropertyValues(
                        "sluice.gemini.base-url=" + FAKE.server().baseUrl(),
                        "sluice.gemini.model=gemini-2.5-flash",
                        "sluice.fallback=gemini,gemini:gemini-3.5-flash",
                        "sluice.effort=none")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("sluice.fallback")
                        .hasMessageContaining("gemini-3.5-flash"));
    }

    @Test
    void effort_notALevel_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl(), "sluice.effort=extreme")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("sluice.effort")
                        .hasMessageContaining("extreme"));
    }
}
