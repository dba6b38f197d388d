package dev.sluice.springai;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.test.chat.client.advisor.AbstractToolCallingAdvisorIT;

/**
 * Spring AI's own suite for a chat model under its {@code ToolCallingAdvisor} (call and stream, with
 * and without chat memory, returnDirect, tool call limits), run against the fake server in one wire
 * format per subclass, its answers scripted by {@link WeatherModel}.
 */
abstract class ToolCallingAdvisorSuite extends AbstractToolCallingAdvisorIT {
    static FakeLlmServer server;
    static AnthropicClient anthropic;
    static OpenAiClient openai;
    static BedrockClient bedrock;

    private final Supplier<ChatModel> model;

    ToolCallingAdvisorSuite(Supplier<ChatModel> model) {
        this.model = model;
    }

    @BeforeAll
    static void startServer() {
        server = FakeLlmServer.builder().recordRequests(false).start();
        server.setDispatcher(WeatherModel::reply);
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
        openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
        bedrock = BedrockClient.builder()
                .apiKey(FakeBedrock.API_KEY)
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterAll
    static void stopServer() {
        anthropic.close();
        openai.close();
        bedrock.close();
        server.close();
    }

    @Override
    protected ChatModel getChatModel() {
        return model.get();
    }

    static ChatModel over(ChatProvider provider, String model) {
        return SluiceChatModel.builder().provider(provider).model(model).build();
    }
}
