package dev.sluice.gemini;

import dev.sluice.internal.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call, sent in {@code tools[].functionDeclarations}.
 *
 * @param name the function's name
 * @param description what it does and when to use it; may be empty
 * @param parameters the JSON Schema of its arguments (an OpenAPI-style object schema) in Sluice's
 *     value model; empty for a function without parameters
 */
public record FunctionDeclaration(String name, String description, Map<String, Object> parameters) {
    /**
     * Checks the components and copies the schema deeply.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if name is blank or parameters holds something that is not a JSON value
     */
    public FunctionDeclaration {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        Objects.requireNonNull(description, "description");
        parameters = JsonValues.copyObject(parameters, "parameters");
    }
}
