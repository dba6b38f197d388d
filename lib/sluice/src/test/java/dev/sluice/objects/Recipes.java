package dev.sluice.objects;

import java.util.List;
import java.util.Optional;

/** The record types of the README's example, for the tests of this package. */
final class Recipes {
    private Recipes() {}

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

    /** A recipe's JSON, as a strict provider writes it: keys in component order. */
    static final String JSON = "{\"title\": \"Pancakes\", \"minutes\": 20, \"ingredients\": ["
            + "{\"name\": \"flour\", \"quantity\": 200, \"unit\": \"g\"}, "
            + "{\"name\": \"milk\", \"quantity\": 0.3, \"unit\": \"l\"}], "
            + "\"steps\": [\"Whisk everything.\", \"Fry in a hot pan.\"], \"difficulty\": \"EASY\", \"tip\": null}";

    static final Recipe RECIPE = new Recipe(
            "Pancakes",
            20,
            List.of(new Ingredient("flour", 200, "g"), new Ingredient("milk", 0.3, "l")),
            List.of("Whisk everything.", "Fry in a hot pan."),
            Difficulty.EASY,
            Optional.empty());

    /** {@return the text cut into pieces of n characters} */
    static String[] pieces(String text, int n) {
        String[] out = new String[(text.length() + n - 1) / n];
        for (int i = 0; i < out.length; i++) out[i] = text.substring(i * n, Math.min(text.length(), (i + 1) * n));
        return out;
    }
}
