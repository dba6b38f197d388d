package dev.sluice.gemini;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a function call, sent back in a {@code user} turn:
 * {@code {"functionResponse": {"name": "...", "response": {...}}}}. Gemini matches it to the call
 * by {@code name} (and by {@code id} when the call had one).
 *
 * @param id the id of the call answered, or null when the call had none
 * @param name the function's name, as in the call
 * @param response the result as a JSON object; by Gemini's convention {@code {"output": ...}} or
 *     {@code {"error": ...}}
 */
public record FunctionResponsePart(@Nullable String id, String name, Map<String, Object> response) implements Part {
    /**
     * Checks the components and copies the response deeply.
     *
     * @throws NullPointerException if name or response is null
     * @throws IllegalArgumentException if name is blank, id is blank (null when absent), or response
     *     holds something that is not a JSON value
     */
    public FunctionResponsePart {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (id != null && id.isBlank()) throw new IllegalArgumentException("id must not be blank (null when absent)");
        response = JsonValues.copyObject(response, "response");
    }
}
