package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.ClientOptions;
import dev.sluice.gemini.GeminiClient;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SoakRun}'s clients ask of the fake server: the prompts, each provider's model, the
 * faulty models, and the answer each prompt must get (the fake's answers are a function of the
 * prompt, the same on every API).
 */
final class SoakScript {
    /** What the fake is asked; none of them makes it call a tool (no "weather", "count" or "tool"). */
    static final List<String> PROMPTS = List.of(
            "Tell me about the ocean",
            "How do I bake sourdough bread?",
            "Any advice for better sleep?",
            "How should I brew coffee at home?",
            "How far away are the stars?",
            "How do I grow tomatoes in my garden?",
            "Why did the Roman empire fall?",
            "How should I practice piano?",
            "Write a Java function that reverses a string",
            "Compare SSE and WebSocket",
            "Give me 5 ideas for a rainy afternoon",
            "Write an article about rivers",
            "Explain Java virtual threads in depth",
            "What is 12 * 34?",
            "What is the capital of France?",
            "Hello there",
            "Something about nothing in particular, number 17",
            "A question with no topic at all, number 42");

    static final List<String> PROVIDERS = List.of("anthropic", "openai", "openai-responses", "gemini");
    /** Each provider's model when no fault is asked for: serve's defaults. */
    static final Map<String, String> MODELS = Map.of(
            "anthropic",
            "claude-sonnet-4-5",
            "openai",
            "gpt-4o-mini",
            "openai-responses",
            "gpt-5-mini",
            "gemini",
            "gemini-2.5-flash");
    /** The fake's faults (FakeLlmServer), by model name; {@link #FAULT_WEIGHTS} their shares among the faulty streams. */
    static final List<String> FAULTS = List.of("fake-drop", "fake-error-mid-stream", "fake-overloaded", "fake-stall");

    private static final double[] FAULT_WEIGHTS = {0.4, 0.3, 0.2, 0.1};

    private SoakScript() {}

    /** {@return the fake's answer to each prompt, streamed once from Anthropic and checked against the other APIs} */
    static Map<String, String> answers(URI fake) {
        Map<String, String> answers = new LinkedHashMap<>();
        ClientOptions o =
                ClientOptions.builder().apiKey("soak").baseUrl(fake.toString()).build();
        try (AnthropicClient anthropic = AnthropicClient.builder().options(o).build();
                GeminiClient gemini = GeminiClient.builder().options(o).build()) {
            for (String prompt : PROMPTS) {
                String a = anthropic
                        .chat(request(Objects.requireNonNull(MODELS.get("anthropic")), prompt))
                        .text();
                String g = gemini.chat(request(Objects.requireNonNull(MODELS.get("gemini")), prompt))
                        .text();
                if (!a.equals(g))
                    throw new IllegalStateException("the fake answers '" + prompt + "' differently on two APIs");
                answers.put(prompt, a);
            }
        }
        return answers;
    }

    static ChatRequest request(String model, String prompt) {
        return ChatRequest.builder()
                .model(model)
                .maxTokens(4096)
                .addMessage(ChatMessage.user(prompt))
                .build();
    }

    /** {@return one of the values, by weight} */
    static <T> T pick(Random random, List<T> values, double... weights) {
        double r = random.nextDouble() * Arrays.stream(weights).sum();
        for (int i = 0; i < weights.length; i++) {
            if ((r -= weights[i]) < 0) return values.get(i);
        }
        return values.getLast();
    }

    /** {@return a faulty model, by the faults' weights} */
    static String fault(Random random) {
        return pick(random, FAULTS, FAULT_WEIGHTS);
    }

    /** {@return a faulty model, or null, by the share of faulty streams} */
    static @Nullable String fault(Random random, double faultShare) {
        return random.nextDouble() < faultShare ? fault(random) : null;
    }
}
