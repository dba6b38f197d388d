package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's typed-objects example on each of the four APIs, through the fake model (which answers
 * structured output with a recipe when one is asked for): the record arrives whole and valid, and
 * what was shown while it streamed only grew.
 */
class TypedObjectsTest {
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static GeminiClient gemini;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
        String url = fake.baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        openai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        gemini = GeminiClient.builder().apiKey("test").baseUrl(url).build();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        openai.close();
        gemini.close();
        fake.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses", "gemini"})
    void recipe_arrivesWholeAndValid_afterPartialsThatOnlyGrew(String api) {
        ChatProvider provider = switch (api) {
            case "anthropic" -> anthropic;
            case "openai-chat" -> openai;
            case "openai-responses" -> openai.responses();
            default -> gemini;
        };
        String model = switch (api) {
            case "anthropic" -> "claude-sonnet-5-5";
            case "gemini" -> "gemini-3.8-flash";
            default -> "gpt-6-luna";
        };
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TypedObjects.Recipe recipe =
                TypedObjects.run(provider, model, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertTrue(recipe.title().toLowerCase(Locale.ROOT).contains("pancake"), recipe.toString());
        assertFalse(recipe.ingredients().isEmpty(), recipe.toString());
        assertFalse(recipe.steps().isEmpty(), recipe.toString());
        assertTrue(recipe.minutes() > 0, recipe.toString());
        List<String> shown = java.util.Arrays.stream(
                        printed.toString(StandardCharsets.UTF_8).split("\r"))
                .map(line -> line.replaceAll("[\r\n]+$", ""))
                .filter(line -> !line.isEmpty())
                .toList();
        assertTrue(shown.size() > 3, "shown as it filled in: " + shown);
        assertEquals(recipe.title() + " · " + recipe.ingredients().size() + " ingredients", shown.getLast());
        for (int i = 1; i < shown.size(); i++) {
            String before = shown.get(i - 1).split(" · ")[0], now = shown.get(i).split(" · ")[0];
            assertTrue(now.startsWith(before), "the title only grows: " + before + " → " + now);
        }
    }
}
