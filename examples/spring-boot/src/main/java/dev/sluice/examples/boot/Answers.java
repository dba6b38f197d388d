package dev.sluice.examples.boot;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import org.springframework.stereotype.Service;

/** The application's own code on the starter's provider: the fallback chain when sluice.fallback is set, else the one client. */
@Service
public class Answers {
    private final ChatProvider provider;

    public Answers(ChatProvider provider) {
        this.provider = provider;
    }

    public String answer(String question) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .addMessage(ChatMessage.user(question))
                .build();
        return provider.chat(request).text();
    }
}
