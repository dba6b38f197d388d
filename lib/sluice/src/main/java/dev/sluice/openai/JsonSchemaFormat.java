package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Structured output: the answer is JSON matching a schema. Chat Completions sends it as
 * {@code "response_format": {"type": "json_schema", "json_schema": {"name": N, "description": D,
 * "schema": S, "strict": true}}} ({@link ChatCompletionRequest.Builder#responseFormat(JsonSchemaFormat)}),
 * the Responses API as {@code "text": {"format": {"type": "json_schema", "name": N, "description": D,
 * "schema": S, "strict": true}}} ({@link ResponseRequest.Builder#textFormat(JsonSchemaFormat)}); the
 * JSON arrives as the answer's text. OpenAI documents it for gpt-4o (from gpt-4o-2024-08-06),
 * gpt-4o-mini, the gpt-4.1 and gpt-5 families and the o-series from o1 (not o1-preview or o1-mini).
 *
 * <p>With {@code strict}, the schema must be within OpenAI's strict subset of JSON Schema (every
 * object with {@code "additionalProperties": false} and all its properties in {@code required}; see
 * OpenAI's structured-output guide), or the API answers with a 400.
 *
 * @param name the format's name: 1 to 64 letters, digits, {@code _} or {@code -}
 * @param description what the answer is, for the model; empty for none
 * @param schema the JSON Schema, in Sluice's JSON value model; deeply copied
 * @param strict {@code strict}: whether the output must follow the schema exactly; null to leave it out
 */
public record JsonSchemaFormat(
        String name,
        String description,
        Map<String, Object> schema,
        @Nullable Boolean strict) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if name, description or schema is null
     * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, {@code _} or
     *     {@code -}, or the schema holds something that is not a JSON value
     */
    public JsonSchemaFormat {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '_' or '-': '" + name + "'");
        }
        Objects.requireNonNull(description, "description");
        schema = JsonValues.copyObject(schema, "schema of format " + name);
    }

    /**
     * {@return a strict format without a description}
     *
     * @param name the format's name
     * @param schema the JSON Schema
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static JsonSchemaFormat strict(String name, Map<String, ?> schema) {
        return new JsonSchemaFormat(name, "", JsonValues.copyObject(schema, "schema of format " + name), true);
    }

    /** {@return the members of the format: name, description when not empty, schema, strict when set} */
    Map<String, Object> members() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (!description.isEmpty()) m.put("description", description);
        m.put("schema", schema);
        if (strict != null) m.put("strict", strict);
        return m;
    }
}
