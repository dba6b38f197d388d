package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function the model may call, sent as {@code {"type":"function","function":{...}}}.
 *
 * @param name the function's name ({@code a-z}, {@code A-Z}, {@code 0-9}, {@code _}, {@code -}, at most 64)
 * @param description what it does and when to use it; empty for none
 * @param parameters the JSON Schema of its arguments, in Sluice's JSON value model; deeply copied
 * @param strict whether the model must follow the schema exactly ({@code strict: true}), or null to leave it out
 */
public record FunctionTool(
        String name,
        String description,
        Map<String, Object> parameters,
        @Nullable Boolean strict) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if name, description or parameters is null
     * @throws IllegalArgumentException if name is blank, or parameters holds something that is not a JSON value
     */
    public FunctionTool {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        Objects.requireNonNull(description, "description");
        parameters = JsonValues.copyObject(parameters, "parameters of function " + name);
    }

    /**
     * {@return a function tool without strict mode}
     *
     * @param name the function's name
     * @param description what it does
     * @param parameters the JSON Schema of its arguments
     */
    public static FunctionTool of(String name, String description, Map<String, Object> parameters) {
        return new FunctionTool(name, description, parameters, null);
    }
}
