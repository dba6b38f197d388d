package dev.sluice.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fake model's recipes, from {@code recipes.txt}: what a structured answer that asks for a
 * recipe is filled with. A prompt gets the recipe whose keys match earliest in it (on a tie, the
 * one listed first).
 */
final class Recipes {
    private Recipes() {}

    /** One line of a recipe's ingredients: {@code 200 g plain flour}, {@code 1 egg}. */
    record Ingredient(double quantity, String unit, String name) {
        /** {@return the ingredient as a line: quantity, unit (when it has one) and name} */
        String text() {
            return amount() + " " + name;
        }

        /** {@return the quantity with its unit: {@code 200 g}, {@code 0.5 tsp}, {@code 1}} */
        String amount() {
            String q = quantity == Math.rint(quantity) ? Long.toString((long) quantity) : Double.toString(quantity);
            return unit.isEmpty() ? q : q + " " + unit;
        }
    }

    /**
     * A recipe; times in minutes, calories per serving.
     *
     * @param diet {@code vegetarian}, {@code vegan} or {@code none}
     */
    record Recipe(
            String id,
            String title,
            Pattern keys,
            int servings,
            int prep,
            int cook,
            int calories,
            String cuisine,
            String course,
            String difficulty,
            List<String> tags,
            String diet,
            String description,
            List<Ingredient> ingredients,
            List<String> steps,
            @Nullable String tip) {
        Recipe {
            Objects.requireNonNull(title, "title");
            tags = List.copyOf(tags);
            ingredients = List.copyOf(ingredients);
            steps = List.copyOf(steps);
        }

        boolean vegetarian() {
            return !diet.equals("none");
        }

        boolean vegan() {
            return diet.equals("vegan");
        }
    }

    static final List<Recipe> ALL = load();

    private static List<Recipe> load() {
        List<Recipe> out = new ArrayList<>();
        for (Texts.Entry e : Texts.read("recipes.txt")) {
            Pattern keys =
                    Pattern.compile("\\b(?:" + e.field("keys", e.id()) + ")\\b", Pattern.UNICODE_CHARACTER_CLASS);
            List<Ingredient> ingredients = new ArrayList<>();
            for (String line : e.text("ingredients").split("\n")) {
                String[] parts = line.split("\\|", -1);
                ingredients.add(
                        new Ingredient(Double.parseDouble(parts[0].strip()), parts[1].strip(), parts[2].strip()));
            }
            String description = e.optionalText("description");
            if (description == null)
                description = Topics.byId(e.field("topic", "")).brief();
            out.add(new Recipe(
                    e.id(),
                    e.field("title", e.id()),
                    keys,
                    number(e, "servings"),
                    number(e, "prep"),
                    number(e, "cook"),
                    number(e, "calories"),
                    e.field("cuisine", ""),
                    e.field("course", ""),
                    e.field("difficulty", "easy"),
                    Arrays.stream(e.field("tags", "").split(","))
                            .map(String::strip)
                            .filter(t -> !t.isEmpty())
                            .toList(),
                    e.field("diet", "none"),
                    description,
                    ingredients,
                    List.of(e.text("steps").split("\n")),
                    tip(e)));
        }
        return List.copyOf(out);
    }

    private static @Nullable String tip(Texts.Entry e) {
        String tip = e.field("tip");
        return tip != null ? tip : e.optionalText("tip");
    }

    private static int number(Texts.Entry e, String field) {
        return Integer.parseInt(e.field(field, "0"));
    }

    /** {@return the recipe a lower-case prompt names, or null} */
    static @Nullable Recipe find(String lower) {
        Recipe best = null;
        int at = Integer.MAX_VALUE;
        for (Recipe r : ALL) {
            Matcher m = r.keys().matcher(lower);
            if (m.find() && m.start() < at) {
                best = r;
                at = m.start();
            }
        }
        return best;
    }

    private static final Pattern DISH = Pattern.compile(
            "(?:recipes? (?:for|of)|how (?:to|do i|can i|should i) (?:make|cook|bake)"
                    + "|(?:make|cook|bake) (?:me )?)\\s+(?:an? |the |some |my )?([\\p{L}][\\p{L} '-]*)",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** {@return the dish a lower-case prompt asks a recipe for ("lasagne" of "a recipe for lasagne, please"), or null} */
    static @Nullable String dish(String lower) {
        Matcher m = DISH.matcher(lower);
        if (!m.find()) return null;
        String[] words = m.group(1).strip().split("\\s+");
        List<String> kept = new ArrayList<>();
        for (String w : words) {
            if (List.of("please", "for", "with", "that", "which", "in", "tonight", "today")
                            .contains(w)
                    || kept.size() == 4) break;
            kept.add(w);
        }
        return kept.isEmpty() ? null : String.join(" ", kept).toLowerCase(Locale.ROOT);
    }
}
