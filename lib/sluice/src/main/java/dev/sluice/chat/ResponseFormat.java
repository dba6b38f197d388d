package dev.sluice.chat;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Asks the model for a JSON object matching a schema instead of free text: structured output.
 * Set it with {@link ChatRequest.Builder#responseFormat(ResponseFormat)}.
 *
 * <pre>{@code
 * ResponseFormat recipe = new ResponseFormat("recipe", Map.of(
 *         "type", "object",
 *         "properties", Map.of("title", Map.of("type", "string")),
 *         "required", List.of("title"),
 *         "additionalProperties", false), true);
 * }</pre>
 *
 * <p>Each client sends it in its provider's native form where the provider and the model have one,
 * and the JSON then arrives as ordinary text ({@link MessageChunk#text()}); where they have none,
 * as a forced call of a tool named {@link #name()} whose input schema is {@link #schema()}, and the
 * JSON arrives as that tool call's arguments ({@link MessageChunk#toolCalls()}). Each client's
 * Javadoc says which it sends for which model; {@link dev.sluice.client.StructuredOutputMode} on the
 * client's builder overrides the choice, and a request whose {@link ChatRequest#toolChoice()} names
 * this format (or is {@link ToolChoice#required()} without other tools) asks for the tool on any model.
 *
 * <p>As a forced tool call, the request's other tools are sent too, and its tool choice: when it
 * has none, the format's tool is forced when there are no other tools, else {@code required} (the
 * model may call them first, then answers through the format's tool); a tool choice of
 * {@code none} is refused there with an {@link IllegalArgumentException}. docs/streaming.md shows
 * each provider's wire shape.
 *
 * <p>The schema is sent as it is: a provider with a strict mode (OpenAI) refuses one outside its
 * subset of JSON Schema (for OpenAI: {@code "additionalProperties": false} and every property in
 * {@code required}, on every object) with an {@link dev.sluice.ApiException}.
 *
 * @param name the format's name, sent to the provider (and the forced tool's name): 1 to 64
 *     letters, digits, {@code _} or {@code -}
 * @param schema the JSON Schema of the answer, in the JSON value model of {@link PartialJson}, with
 *     {@code "type": "object"}; deeply copied, so later changes to the map given do not show
 * @param strict whether to ask for the provider's strict mode, where it has one (OpenAI's
 *     {@code strict}; Anthropic's and Gemini's structured output have no such switch)
 */
public record ResponseFormat(String name, Map<String, Object> schema, boolean strict) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Checks the components and copies the schema.
     *
     * @throws NullPointerException if name or schema is null
     * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, {@code _} or
     *     {@code -}, the schema holds something that is not a JSON value, or its {@code type} is
     *     not {@code "object"}
     */
    public ResponseFormat {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "the response format's name must be 1 to 64 letters, digits, '_' or '-': '" + name + "'");
        }
        schema = JsonValues.copyObject(Objects.requireNonNull(schema, "schema"), "schema of response format " + name);
        if (!"object".equals(schema.get("type"))) {
            throw new IllegalArgumentException(
                    "the schema of response format " + name + " must be an object schema, with"
                            + " \"type\": \"object\" (wrap another value in an object's property), not \"type\": "
                            + schema.get("type"));
        }
    }

    /**
     * {@return the tool a client sends instead where the provider or model has no structured output:
     * named as this format, its input schema this format's schema}
     */
    public Tool asTool() {
        return new Tool(name, "Respond with the answer as this tool's input.", schema);
    }
}
