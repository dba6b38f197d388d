package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.Description;
import dev.sluice.objects.Element;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What docs/objects.md's whole programs ({@link RecipeStream}, {@link ShoppingList}, {@link LeadFromSchema})
 * do, as methods a test drives in process: a form filled in as a recipe streams, the ingredients as each completes,
 * and a schema given as JSON. Run against the fake model by {@code ObjectsGuideTest}.
 */
public final class ObjectsGuide {
    /** What {@link #shopping} bought and {@link #lead} showed, in order. */
    final List<Ingredient> bought = new ArrayList<>();

    final List<Object> shown = new ArrayList<>();

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

    /** What a page shows of the recipe while it streams. */
    interface Form {
        void title(String title);

        void minutes(Optional<Integer> minutes);

        void ingredients(List<Ingredient> ingredients);

        void busy(boolean busy);
    }

    static Recipe fill(ChatProvider provider, Form form) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(2048)
                .addMessage(ChatMessage.user("A pancake recipe"))
                .build();

        try (ObjectStream<Recipe> s = ObjectStream.of(provider, request, Recipe.class)) {
            for (Partial<Recipe> p : s) {
                form.title(p.get("title", String.class).orElse("")); // grows as it streams
                form.minutes(p.get("minutes", Integer.class)); // present once complete
                form.ingredients(p.list("ingredients", Ingredient.class)); // the complete ones
                form.busy(p.state("steps") == Partial.State.STREAMING);
            }
            Recipe recipe = s.result(); // validated
            return recipe;
        }
    }

    Recipe shopping(ChatProvider provider, ChatRequest request) {
        try (ObjectStream<Recipe> s = ObjectStream.of(provider, request, Recipe.class)) {
            for (Element<Ingredient> e : s.elements("ingredients", Ingredient.class)) shop(e.value());
            Recipe recipe = s.result();
            return recipe;
        }
    }

    private void shop(Ingredient ingredient) {
        bought.add(ingredient);
    }

    Map<String, Object> lead(ChatProvider provider, ChatRequest request, String schemaJson) {
        ObjectSchema<Map<String, Object>> lead = ObjectSchema.parse("lead", schemaJson);
        try (ObjectStream<Map<String, Object>> s = ObjectStream.of(provider, request, lead)) {
            for (Partial<Map<String, Object>> p : s) show(p.value());
            Map<String, Object> result = s.result();
            return result;
        }
    }

    private void show(@Nullable Object value) {
        shown.add(value);
    }
}
