package dev.sluice.examples;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import dev.sluice.openai.OpenAiClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** docs/langchain4j.md's whole program: an answer streamed through LangChain4j over a fallback chain; run by {@code WholeProgramsTest}. */
public class SaltySea {
    public static void main(String[] args) throws Exception {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv(); // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
                OpenAiClient openai = OpenAiClient.fromEnv()) { // OPENAI_API_KEY, or OPENAI_BASE_URL
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic, "claude-sonnet-5-5")
                    .target(openai, "gpt-6-luna")
                    .build();
            SluiceStreamingChatModel model =
                    SluiceStreamingChatModel.builder().provider(chain).build();

            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            model.chat("Why is the sea salty?", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String text) {
                    System.out.print(text);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) { // a SluiceException: partial() has the answer so far
                    done.completeExceptionally(error);
                }
            });
            ChatResponse response = done.get(60, TimeUnit.SECONDS);
            System.out.println();
            System.out.println(response.metadata().modelName() + ", "
                    + response.tokenUsage().outputTokenCount() + " output tokens");
        }
    }
}
