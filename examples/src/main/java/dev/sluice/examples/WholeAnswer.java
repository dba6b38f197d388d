package dev.sluice.examples;

import dev.langchain4j.model.chat.ChatModel;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.langchain4j.SluiceChatModel;

/** docs/langchain4j.md's whole program for the blocking model: the answer whole; run by {@code WholeProgramsTest}. */
public class WholeAnswer {
    public static void main(String[] args) {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) { // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
            ChatModel model = SluiceChatModel.builder()
                    .provider(anthropic)
                    .model("claude-sonnet-5-5")
                    .build();
            System.out.println(model.chat("Why is the sea salty?")); // streamed underneath, returned whole
        }
    }
}
