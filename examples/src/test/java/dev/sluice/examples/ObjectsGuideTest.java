package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.testkit.FakeLlmServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/objects.md's code against the fake model: the form fills in, the ingredients come one by one, a JSON schema works. */
class ObjectsGuideTest {
    private static FakeLlmServer fake;
    private static AnthropicClient client;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
        client = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fake.close();
    }

    @Test
    void form_fillsInAsTheRecipeStreams_andTheRecipeIsWhole() {
        List<String> titles = new ArrayList<>();
        List<Integer> ingredientCounts = new ArrayList<>();
        List<Optional<Integer>> minutes = new ArrayList<>();
        ObjectsGuide.Recipe recipe = ObjectsGuide.fill(client, new ObjectsGuide.Form() {
            @Override
            public void title(String title) {
                titles.add(title);
            }

            @Override
            public void minutes(Optional<Integer> m) {
                minutes.add(m);
            }

            @Override
            public void ingredients(List<ObjectsGuide.Ingredient> ingredients) {
                ingredientCounts.add(ingredients.size());
            }

            @Override
            public void busy(boolean busy) {}
        });
        assertTrue(recipe.title().toLowerCase().contains("pancake"), recipe.toString());
        assertEquals(recipe.title(), titles.getLast());
        assertTrue(titles.stream().distinct().count() > 2, "the title grew: " + titles);
        assertEquals(recipe.ingredients().size(), ingredientCounts.getLast());
        assertTrue(
                minutes.getFirst().isEmpty() && minutes.getLast().equals(Optional.of(recipe.minutes())),
                minutes.toString());
    }

    @Test
    void shopping_getsEachIngredientOnce_inOrder() {
        ObjectsGuide guide = new ObjectsGuide();
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(2048)
                .addMessage(ChatMessage.user("A recipe for pancakes"))
                .build();
        ObjectsGuide.Recipe recipe = guide.shopping(client, request);
        assertEquals(recipe.ingredients(), guide.bought);
    }

    @Test
    void lead_aSchemaGivenAsJson_streamsTheValueModel() {
        ObjectsGuide guide = new ObjectsGuide();
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addMessage(ChatMessage.user("A sales lead"))
                .build();
        Map<String, Object> lead = guide.lead(client, request, """
                {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                 "required": ["name", "email"], "additionalProperties": false}""");
        assertEquals(List.of("name", "email"), List.copyOf(lead.keySet()));
        assertFalse(guide.shown.isEmpty());
        assertEquals(lead, guide.shown.getLast());
    }
}
