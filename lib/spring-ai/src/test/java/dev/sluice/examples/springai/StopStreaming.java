package dev.sluice.examples.springai;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.springai.SluiceChatModel;
import java.io.IOException;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** docs/spring.md's whole program for a cancel: the answer streams until Enter; run by {@link SpringAiWholeProgramsTest}. */
public class StopStreaming {
    public static void main(String[] args) throws IOException {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) { // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
            ChatModel model = SluiceChatModel.builder()
                    .provider(anthropic)
                    .model("claude-sonnet-5-5")
                    .build();
            ChatClient chat = ChatClient.create(model);

            Flux<String> tokens =
                    chat.prompt("Tell me how rivers shape the land.").stream().content();

            Disposable subscription = tokens.subscribe(System.out::print);
            System.in.read(); // Enter (or the end of the input) stops it
            subscription.dispose(); // cancels the stream: its connection closes at once
            System.out.println();
        }
    }
}
