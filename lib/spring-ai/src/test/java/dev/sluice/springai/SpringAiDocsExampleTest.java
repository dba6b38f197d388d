package dev.sluice.springai;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.tool.annotation.Tool;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * What docs/spring.md's Spring AI programs do (the programs themselves, in {@code dev.sluice.examples.springai},
 * run as a reader runs them), checked in process on the fake server: the answer, the cancel, the tool, the chain.
 */
class SpringAiDocsExampleTest {
    @RegisterExtension
    static final FakeLlmExtension fake = new FakeLlmExtension();

    static class WeatherTools {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Tool(name = "get_weather", description = "The weather in a city")
        String weather(String city) {
            asked.add(city);
            return "Sunny, 21 °C in " + city;
        }
    }

    @Test
    void theModel_callsStreamsCancelsAndRunsTools() {
        String key = "test";
        String baseUrl = fake.server().baseUrl().toString();
        WeatherTools weatherTools = new WeatherTools();
        try (AnthropicClient anthropic =
                AnthropicClient.builder().apiKey(key).baseUrl(baseUrl).build()) {
            ChatModel model = SluiceChatModel.builder()
                    .provider(anthropic) // a Sluice client, or a FallbackChain
                    .model("claude-sonnet-5-5")
                    .build();
            ChatClient chat = ChatClient.create(model);

            String answer = chat.prompt("Why is the sky blue?").call().content();

            Flux<String> tokens =
                    chat.prompt("Tell me how rivers shape the land.").stream().content();
            Disposable subscription = tokens.subscribe(System.out::print);
            subscription.dispose(); // cancels the stream: its connection closes at once

            String weather = chat.prompt("What's the weather in Paris?")
                    .tools(weatherTools) // a class with @Tool methods
                    .advisors(ToolCallingAdvisor.builder().build())
                    .call()
                    .content();

            assertFalse(answer.isEmpty());
            assertFalse(weather.isEmpty());
            assertEquals(List.of("Paris"), weatherTools.asked);
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.server().activeRequests() == 0);
        }
    }

    @Test
    void theModel_overAFallbackChain_answersFromTheNextTarget() {
        String baseUrl = fake.server().baseUrl().toString();
        fake.server().enqueue(FakeResponse.overloaded(), FakeResponse.answer().text("Rivers carve valleys."));
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(baseUrl)
                        .retryPolicy(RetryPolicy.none())
                        .build();
                OpenAiClient openai =
                        OpenAiClient.builder().apiKey("test").baseUrl(baseUrl).build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic, "claude-sonnet-5-5")
                    .target(openai, "gpt-6-luna")
                    .build();
            ChatModel model = SluiceChatModel.builder().provider(chain).build(); // each target names its model

            assertEquals(
                    "Rivers carve valleys.",
                    ChatClient.create(model)
                            .prompt("Tell me about rivers.")
                            .call()
                            .content());
        }
    }
}
