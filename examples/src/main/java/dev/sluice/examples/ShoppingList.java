package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.Element;
import dev.sluice.objects.ObjectStream;
import java.util.List;

/** docs/objects.md's whole program for {@code elements()}: each ingredient as it completes, then the recipe; run by {@code WholeProgramsTest}. */
public class ShoppingList {
    record Ingredient(String name, double quantity, String unit) {}

    record Recipe(String title, List<Ingredient> ingredients, List<String> steps) {}

    public static void main(String[] args) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(2048)
                .addMessage(ChatMessage.user("A pancake recipe"))
                .build();

        try (AnthropicClient provider = AnthropicClient.fromEnv(); // or any ChatProvider
                ObjectStream<Recipe> s = ObjectStream.of(provider, request, Recipe.class)) {
            for (Element<Ingredient> e : s.elements("ingredients", Ingredient.class)) {
                Ingredient i = e.value(); // complete, while the steps are still to come
                System.out.println("buy " + i.quantity() + " " + i.unit() + " " + i.name());
            }
            Recipe recipe = s.result(); // validated
            System.out.println(recipe.title() + ": " + recipe.steps().size() + " steps");
        }
    }
}
