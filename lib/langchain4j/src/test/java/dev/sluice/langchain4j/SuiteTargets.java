package dev.sluice.langchain4j;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeBedrock;

/**
 * The APIs LangChain4j's suites run against, each a Sluice client of one fake server shared by the
 * suites (started once, answering with {@link SuiteAnswers}, over real loopback sockets), with the
 * model the suite asks by default and another it names.
 */
enum SuiteTargets {
    ANTHROPIC("claude-sonnet-4-5", "claude-haiku-4-5"),
    OPENAI_CHAT_COMPLETIONS("gpt-4o-mini", "gpt-4.1-mini"),
    BEDROCK_CONVERSE("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0");

    private static final class Server { // started on first use, ended with the test JVM
        static final FakeLlmServer FAKE = FakeLlmServer.start();

        static {
            FAKE.setDispatcher(SuiteAnswers::answer);
        }
    }

    final String model;
    final String otherModel;
    private ChatProvider client;

    SuiteTargets(String model, String otherModel) {
        this.model = model;
        this.otherModel = otherModel;
    }

    synchronized ChatProvider client() {
        if (client == null) {
            String url = Server.FAKE.baseUrl().toString();
            client = switch (this) {
                case ANTHROPIC ->
                    AnthropicClient.builder().apiKey("test").baseUrl(url).build();
                case OPENAI_CHAT_COMPLETIONS ->
                    OpenAiClient.builder().apiKey("test").baseUrl(url).build();
                case BEDROCK_CONVERSE ->
                    BedrockClient.builder()
                            .apiKey(FakeBedrock.API_KEY)
                            .baseUrl(url)
                            .build();
            };
        }
        return client;
    }
}
