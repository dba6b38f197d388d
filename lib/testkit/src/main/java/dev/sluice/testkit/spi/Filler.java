package dev.sluice.testkit.spi;

import dev.sluice.testkit.internal.json.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The choices of a structured answer's sample: which optional parts to fill, how many items, and
 * the values. The test kit walks the requested JSON Schema and keeps every value valid against it;
 * the filler chooses within it.
 */
public interface Filler {
    /**
     * {@return whether to fill an optional property (required ones always are)}
     *
     * @param anyRequired whether its object marks any property required
     */
    boolean includes(Slot slot, boolean anyRequired);

    /** {@return how many items an array or map gets, before its schema's bounds are applied} */
    int items(Slot slot);

    /** {@return a string, or null to leave it to the schema's format and a placeholder} */
    @Nullable
    String text(Slot slot);

    /** {@return a number, or null for a placeholder (1, or the element's position)} */
    @Nullable
    Number number(Slot slot, boolean integer);

    /** {@return a boolean value} */
    boolean bool(Slot slot);

    /** {@return the index of the value to take among an {@code enum}'s (none of them null)} */
    int choose(Slot slot, List<JsonNode> options);

    /** {@return the depth past which only required parts are made} */
    int depthLimit();

    /** {@return the key of a map's {@code index}-th entry} */
    default String key(Slot slot, int index) {
        return "sample" + (index + 1);
    }
}
