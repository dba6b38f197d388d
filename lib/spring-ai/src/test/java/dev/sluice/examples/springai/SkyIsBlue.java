package dev.sluice.examples.springai;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.springai.SluiceChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import reactor.core.publisher.Flux;

/** docs/spring.md's whole Spring AI program: an answer, then a streamed one; run by {@link SpringAiWholeProgramsTest}. */
public class SkyIsBlue {
    public static void main(String[] args) {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) { // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
            ChatModel model = SluiceChatModel.builder()
                    .provider(anthropic) // a Sluice client, or a FallbackChain
                    .model("claude-sonnet-5-5")
                    .build();
            ChatClient chat = ChatClient.create(model);

            String answer = chat.prompt("Why is the sky blue?").call().content();
            System.out.println(answer);

            Flux<String> tokens =
                    chat.prompt("Tell me how rivers shape the land.").stream().content();
            tokens.doOnNext(System.out::print).blockLast(); // each piece as it arrives
            System.out.println();
        }
    }
}
