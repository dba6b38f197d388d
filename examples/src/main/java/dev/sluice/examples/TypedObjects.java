package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.Description;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import java.io.PrintStream;
import java.util.List;

/**
 * The README's typed objects: a recipe asked of the model as structured output, shown as it fills
 * in (its title as it grows, the ingredients as each completes), then the validated record. Any
 * {@link ChatProvider}: the four APIs or a fallback chain.
 */
public final class TypedObjects {
    private TypedObjects() {}

    /** How hard a recipe is. */
    public enum Difficulty {
        EASY,
        MEDIUM,
        HARD
    }

    /** One ingredient and how much of it. */
    public record Ingredient(String name, double quantity, String unit) {}

    /** What the model is asked for. */
    @Description("A recipe a home cook can follow")
    public record Recipe(
            String title,
            @Description("minutes, all in") int minutes,
            List<Ingredient> ingredients,
            List<String> steps,
            Difficulty difficulty) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            System.out.println(run(example.client(), ExampleClient.MODEL, System.out));
        }
    }

    static Recipe run(ChatProvider provider, String model, PrintStream out) {
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .maxTokens(2048)
                .addMessage(ChatMessage.user("A recipe for pancakes, please."))
                .build();
        try (ObjectStream<Recipe> recipe = ObjectStream.of(provider, request, Recipe.class)) {
            for (Partial<Recipe> partial : recipe) { // each time it shows more
                String title = partial.get("title", String.class).orElse(""); // grows as it streams
                int ready = partial.list("ingredients", Ingredient.class).size(); // the complete ones
                out.print("\r" + title + " · " + ready + " ingredients");
            }
            out.println();
            return recipe.result(); // the validated record
        }
    }
}
