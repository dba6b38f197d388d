package dev.sluice.testkit.spi;

import java.util.List;
import java.util.Locale;

/**
 * Where a value of a structured answer goes, as the test kit's schema walk hands it to a
 * {@link Filler}.
 *
 * @param path the property names from the root to the value (array elements add none)
 * @param name the nearest property name, {@code ""} at the root
 * @param description the schema's {@code description} (else its {@code title}), or {@code ""}
 * @param item the index of the nearest enclosing array element, or -1
 * @param outer the index of the array element enclosing that one, or -1
 * @param depth how many objects and arrays enclose the value
 */
public record Slot(List<String> path, String name, String description, int item, int outer, int depth) {
    /** {@return a property name as lower-case words: {@code prepTimeMinutes} and {@code prep_time_minutes} are "prep time minutes"} */
    public static String words(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("[_\\-.]+", " ")
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    /** {@return a name as a URL's path segment: its {@link #words} joined by {@code -}, or {@code "sample"} when none is left} */
    public static String slug(String s) {
        String slug = words(s).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "sample" : slug;
    }
}
