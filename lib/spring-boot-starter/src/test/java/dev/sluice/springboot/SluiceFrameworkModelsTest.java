package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.FakeLlmExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Spring AI's and LangChain4j's models over the primary ChatProvider, when their adapters are on the class path. */
class SluiceFrameworkModelsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SluiceAutoConfiguration.class,
                    SluiceSpringAiAutoConfiguration.class,
                    SluiceLangChain4jAutoConfiguration.class));

    @Test
    void oneClient_bothFrameworksModels_streamFromIt_withItsModel() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                        "sluice.anthropic.model=claude-from-properties")
                .run(context -> {
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class))
                            .isInstanceOf(dev.sluice.springai.SluiceChatModel.class);
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                                    .call("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests().getLast().json("/model"))
                            .isEqualTo("claude-from-properties");
                    assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class)
                                    .chat("hello"))
                            .isNotBlank();
                    assertThat(context).hasSingleBean(dev.sluice.langchain4j.SluiceStreamingChatModel.class);
                });
    }

    @Test
    void bedrockClient_bothFrameworksModels_streamThroughConverse_withItsModel() {
        runner.withPropertyValues(
                        "sluice.bedrock.base-url=" + FAKE.server().baseUrl(),
                        "sluice.bedrock.api-key=" + dev.sluice.testkit.clouds.FakeBedrock.API_KEY,
                        "sluice.bedrock.model=amazon.nova-pro-v1:0")
                .run(context -> {
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                                    .call("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests().getLast().path())
                            .isEqualTo("/model/amazon.nova-pro-v1%3A0/converse-stream");
                    assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class)
                                    .chat("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests().getLast().path())
                            .isEqualTo("/model/amazon.nova-pro-v1%3A0/converse-stream");
                });
    }

    /** A cloud's named client is no candidate by itself: a chain of one makes it the primary ChatProvider the models use. */
    @Test
    void onlyClaudeOnFoundry_aChainOfOne_bothFrameworksModelsStreamThroughIt() {
        runner.withPropertyValues(
                        "sluice.azure.foundry.base-url=" + FAKE.server().baseUrl() + "/anthropic",
                        "sluice.azure.foundry.api-key=" + dev.sluice.testkit.clouds.FakeAzure.API_KEY,
                        "sluice.fallback=foundry-anthropic")
                .run(context -> {
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                                    .call("hello"))
                            .isNotBlank();
                    assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class)
                                    .chat("hello"))
                            .isNotBlank();
                    assertThat(FAKE.server().requests())
                            .extracting(r -> r.path())
                            .containsOnly("/anthropic/v1/messages");
                });
        runner.withPropertyValues(
                        "sluice.azure.foundry.base-url=" + FAKE.server().baseUrl() + "/anthropic",
                        "sluice.azure.foundry.api-key=" + dev.sluice.testkit.clouds.FakeAzure.API_KEY)
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(org.springframework.ai.chat.model.ChatModel.class));
    }

    @Test
    void fallback_theModelsStreamThroughTheChain() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=http://127.0.0.1:1",
                        "sluice.anthropic.max-retries=0",
                        "sluice.gemini.base-url=" + FAKE.server().baseUrl(),
                        "sluice.fallback=anthropic,gemini")
                .run(context -> {
                    assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class)
                                    .chat("hello"))
                            .isNotBlank();
                    assertThat(context.getBean(org.springframework.ai.chat.model.ChatModel.class)
                                    .call("hello"))
                            .isNotBlank();
                    assertThat(context.getBean(dev.sluice.chat.FallbackChain.class)
                                    .failovers())
                            .isEqualTo(2);
                });
    }

    @Test
    void noProvider_noModels() {
        runner.run(context -> assertThat(context)
                .doesNotHaveBean(org.springframework.ai.chat.model.ChatModel.class)
                .doesNotHaveBean(dev.langchain4j.model.chat.ChatModel.class)
                .doesNotHaveBean(dev.langchain4j.model.chat.StreamingChatModel.class));
    }

    @Test
    void twoClientsWithoutFallback_noPrimary_noModels() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                        "sluice.openai.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(org.springframework.ai.chat.model.ChatModel.class)
                        .doesNotHaveBean(dev.langchain4j.model.chat.ChatModel.class));
    }

    @Test
    void responsesClientBeside_theChatClientIsStillTheOneCandidate() {
        runner.withPropertyValues(
                        "sluice.openai.base-url=" + FAKE.server().baseUrl(),
                        "sluice.openai-responses.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context).hasSingleBean(org.springframework.ai.chat.model.ChatModel.class));
    }

    @Test
    void springAiAdapterMissing_noSpringAiModel_langChain4jStill() {
        runner.withClassLoader(new FilteredClassLoader("dev.sluice.springai"))
                .withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context)
                        .doesNotHaveBean(org.springframework.ai.chat.model.ChatModel.class)
                        .hasSingleBean(dev.langchain4j.model.chat.ChatModel.class));
    }

    @Test
    void langChain4jAdapterMissing_noLangChain4jModels() {
        runner.withClassLoader(new FilteredClassLoader("dev.sluice.langchain4j"))
                .withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context)
                        .doesNotHaveBean(dev.langchain4j.model.chat.ChatModel.class)
                        .doesNotHaveBean(dev.langchain4j.model.chat.StreamingChatModel.class)
                        .hasSingleBean(org.springframework.ai.chat.model.ChatModel.class));
    }

    @Test
    void usersOwnModels_win() {
        dev.sluice.langchain4j.SluiceChatModel own = dev.sluice.langchain4j.SluiceChatModel.builder()
                .provider(dev.sluice.anthropic.AnthropicClient.builder()
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .build())
                .model("own")
                .build();
        runner.withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .withBean("ownModel", dev.langchain4j.model.chat.ChatModel.class, () -> own)
                .run(context -> assertThat(context.getBean(dev.langchain4j.model.chat.ChatModel.class))
                        .isSameAs(own));
    }
}
