package dev.sluice.gemini;

import dev.sluice.internal.low.json.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A function the model may call, sent in {@code tools[].functionDeclarations}.
 *
 * @param name the function's name
 * @param description what it does and when to use it; may be empty
 * @param parameters the JSON Schema of its arguments in Sluice's value model; empty for a function
 *     without parameters
 * @param schemaField which field carries the schema: {@code parameters} (Gemini's OpenAPI-style
 *     subset of JSON Schema) or {@code parametersJsonSchema} (JSON Schema as written, with
 *     {@code additionalProperties}, {@code $ref}/{@code $defs}, {@code const}, {@code oneOf},
 *     {@code anyOf} with {@code null}, type arrays...); {@link SchemaField#AUTO} picks by the schema
 */
public record FunctionDeclaration(
        String name, String description, Map<String, Object> parameters, SchemaField schemaField) {

    /** Which request field carries a function's schema. */
    public enum SchemaField {
        /** {@code parametersJsonSchema} when the schema uses JSON Schema beyond Gemini's subset, else {@code parameters}. */
        AUTO,
        /** Always {@code parameters}: Gemini's OpenAPI-style Schema object. */
        PARAMETERS,
        /** Always {@code parametersJsonSchema}: JSON Schema, taken as written. */
        PARAMETERS_JSON_SCHEMA
    }

    /** JSON Schema keywords that Gemini's {@code parameters} (OpenAPI-style Schema) does not take. */
    private static final Set<String> BEYOND_OPENAPI = Set.of(
            "additionalProperties",
            "$ref",
            "$defs",
            "definitions",
            "const",
            "oneOf",
            "allOf",
            "not",
            "if",
            "then",
            "else",
            "patternProperties",
            "prefixItems",
            "$schema",
            "$id",
            "$anchor",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "contains",
            "uniqueItems",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "propertyNames");

    /**
     * A declaration whose schema field is chosen by the schema ({@link SchemaField#AUTO}).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if name is blank or parameters holds something that is not a JSON value
     */
    public FunctionDeclaration(String name, String description, Map<String, Object> parameters) {
        this(name, description, parameters, SchemaField.AUTO);
    }

    /**
     * {@return the field the schema is sent in: {@code parameters} or {@code parametersJsonSchema}}
     * For {@link SchemaField#AUTO}: {@code parametersJsonSchema} when the schema, at any depth, uses
     * a keyword outside Gemini's OpenAPI-style subset or a {@code type} that is an array.
     */
    public String schemaFieldName() {
        return switch (schemaField) {
            case PARAMETERS -> "parameters";
            case PARAMETERS_JSON_SCHEMA -> "parametersJsonSchema";
            case AUTO -> beyondOpenApi(parameters, 0) ? "parametersJsonSchema" : "parameters";
        };
    }

    private static boolean beyondOpenApi(Object node, int depth) {
        if (depth > JsonValues.MAX_DEPTH) return true;
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (BEYOND_OPENAPI.contains(e.getKey())) return true;
                if ("type".equals(e.getKey()) && e.getValue() instanceof List<?>) return true;
                if (beyondOpenApi(e.getValue(), depth + 1)) return true;
            }
        } else if (node instanceof List<?> list) {
            for (Object o : list) if (beyondOpenApi(o, depth + 1)) return true;
        }
        return false;
    }
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
        Objects.requireNonNull(schemaField, "schemaField");
    }
}
