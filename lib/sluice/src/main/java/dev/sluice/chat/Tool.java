package dev.sluice.chat;

import java.util.Map;
import java.util.Objects;

/**
 * A tool the model may call.
 *
 * @param name the tool's name, as the model will use it
 * @param description what the tool does and when to use it; may be empty
 * @param inputSchema the JSON Schema of the tool's arguments, in the JSON value model of
 *     {@link PartialJson} (usually {@code {"type":"object","properties":{...}}}); deeply copied,
 *     so later changes to the map given do not show
 */
public record Tool(String name, String description, Map<String, Object> inputSchema) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if name is blank, or inputSchema holds something that is not a
     *     JSON value
     */
    @SuppressWarnings("unchecked")
    public Tool {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        String json;
        try {
            json = PartialJson.toJson(inputSchema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "inputSchema of tool " + name + " is not a JSON value: " + e.getMessage(), e);
        }
        inputSchema = (Map<String, Object>) PartialJson.parse(json).value();
    }
}
