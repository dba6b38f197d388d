package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.Description;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import java.util.List;
import java.util.Optional;

/** docs/objects.md's whole program: a recipe that fills in as it streams; run by {@code WholeProgramsTest}. */
public class RecipeStream {
    enum Difficulty {
        EASY,
        MEDIUM,
        HARD
    }

    record Ingredient(String name, double quantity, String unit) {}

    @Description("A recipe a home cook can follow")
    record Recipe(
            String title,
            @Description("minutes") int minutes,
            List<Ingredient> ingredients,
            List<String> steps,
            Difficulty difficulty,
            Optional<String> tip) {}

    public static void main(String[] args) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(2048)
                .addMessage(ChatMessage.user("A pancake recipe"))
                .build();

        try (AnthropicClient provider = AnthropicClient.fromEnv(); // or any ChatProvider
                ObjectStream<Recipe> s = ObjectStream.of(provider, request, Recipe.class)) {
            for (Partial<Recipe> p : s) {
                String title = p.get("title", String.class).orElse(""); // grows as it streams
                Optional<Integer> minutes = p.get("minutes", Integer.class); // present once complete
                List<Ingredient> ingredients = p.list("ingredients", Ingredient.class); // the complete ones
                boolean writingSteps = p.state("steps") == Partial.State.STREAMING;
                System.out.println(title + " | " + minutes.map(m -> m + " min").orElse("…") + " | " + ingredients.size()
                        + " ingredients" + (writingSteps ? " | writing the steps" : ""));
            }
            Recipe recipe = s.result(); // validated
            System.out.println(recipe);
        }
    }
}
