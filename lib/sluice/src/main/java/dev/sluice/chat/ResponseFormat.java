package dev.sluice.chat;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Asks the model for JSON matching a schema (structured output). A client sends it in its
 * provider's native form, or, where the provider or the model has none, as a forced call of a tool
 * named {@link #name()} whose input schema is {@link #schema()}: the JSON then arrives as the text of
 * the answer, or as the arguments of that tool call.
 *
 * @param name the schema's name, as providers ask for one: 1 to 64 of {@code A-Z a-z 0-9 _ -}
 * @param schema the JSON Schema of an object, in the JSON value model of {@link PartialJson};
 *     deeply copied, so later changes to the map given do not show
 * @param strict whether to ask for the provider's strict mode, where it has one
 */
public record ResponseFormat(String name, Map<String, Object> schema, boolean strict) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if name or schema is null
     * @throws IllegalArgumentException if name is not 1 to 64 of {@code A-Z a-z 0-9 _ -}, or schema
     *     holds something that is not a JSON value
     */
    @SuppressWarnings("unchecked")
    public ResponseFormat {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 of A-Z a-z 0-9 _ -: " + name);
        }
        Objects.requireNonNull(schema, "schema");
        String json;
        try {
            json = PartialJson.toJson(schema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema " + name + " is not a JSON value: " + e.getMessage(), e);
        }
        schema = (Map<String, Object>) PartialJson.parse(json).value();
    }
}
