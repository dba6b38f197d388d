package dev.sluice.examples.answers;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** docs/spring.md's whole Boot application: {@code GET /answer?question=...} through the starter's provider; run by its test. */
@SpringBootApplication
@RestController
public class AnswersApplication {
    private final ChatProvider provider; // the fallback chain, or the one client

    public AnswersApplication(ChatProvider provider) {
        this.provider = provider;
    }

    public static void main(String[] args) {
        application().run(args);
    }

    /** {@return the application, on port 8082 unless told otherwise: beside sluice serve's 8080 and serve-fake's 8089} */
    static SpringApplication application() {
        SpringApplication app = new SpringApplication(AnswersApplication.class);
        app.setDefaultProperties(Map.of("server.port", "8082"));
        return app;
    }

    @GetMapping("/answer")
    public String answer(@RequestParam("question") String question) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .addMessage(ChatMessage.user(question))
                .build();
        return provider.chat(request).text();
    }
}
