package dev.sluice.examples.boot;

import dev.sluice.testkit.FakeLlmServer;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A Spring Boot application that serves Sluice's chat page and the relay's protocols — its own
 * API (SSE and WebSocket), the AI SDK's UI message stream, AG-UI and the OpenAI-compatible
 * gateway — at {@code http://127.0.0.1:8081/sluice/}, from the properties in
 * {@code application.properties} and sluice-spring-boot-starter alone: no code of its own but this.
 * Without {@code ANTHROPIC_API_KEY} it streams from the test kit's fake model, offline.
 */
@SpringBootApplication
public class BootChatApplication {
    public static void main(String[] args) {
        start(System.getenv(), app -> {}, args);
    }

    /**
     * Starts the application; without a key in the environment, on the fake model.
     *
     * @param env the environment, for ANTHROPIC_API_KEY
     * @param customizer what else to do to the application before it runs (tests add beans)
     * @param args Spring Boot's arguments, such as {@code --server.port=0}
     * @return the running application
     */
    public static ConfigurableApplicationContext start(
            Map<String, String> env, Consumer<SpringApplication> customizer, String... args) {
        SpringApplication app = new SpringApplication(BootChatApplication.class);
        customizer.accept(app);
        String key = env.get("ANTHROPIC_API_KEY");
        if (key == null || key.isBlank()) {
            FakeLlmServer fake = FakeLlmServer.start();
            app.setDefaultProperties(
                    Map.of("sluice.anthropic.base-url", fake.baseUrl().toString()));
            app.addListeners((ContextClosedEvent closed) -> fake.close());
        }
        return app.run(args);
    }
}
