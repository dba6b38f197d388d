package dev.sluice.examples.springai;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.springai.SluiceChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;

/** docs/spring.md's whole program over a fallback chain: Claude, else OpenAI; run by {@link SpringAiWholeProgramsTest}. */
public class SkyOverAChain {
    public static void main(String[] args) {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv(); // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
                OpenAiClient openai = OpenAiClient.fromEnv()) { // OPENAI_API_KEY, or OPENAI_BASE_URL
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic, "claude-sonnet-5-5")
                    .target(openai, "gpt-6-luna")
                    .build();
            ChatModel model = SluiceChatModel.builder().provider(chain).build(); // each target names its model

            System.out.println(ChatClient.create(model)
                    .prompt("Why is the sky blue?")
                    .call()
                    .content());
        }
    }
}
