package dev.sluice.testkit.spi;

import java.util.List;

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
public record Slot(List<String> path, String name, String description, int item, int outer, int depth) {}
