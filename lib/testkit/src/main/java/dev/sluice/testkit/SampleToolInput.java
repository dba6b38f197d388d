package dev.sluice.testkit;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds a plausible tool input from a JSON Schema: the required properties (all of them when
 * none is marked required) filled by type — a string is a word from the prompt, a number 42, a
 * boolean true, an enum its first value, objects and arrays recursively down to a fixed depth.
 */
final class SampleToolInput {
    private static final int MAX_DEPTH = 4;

    private SampleToolInput() {}

    /** {@return the sample input: always a JSON object, as the API requires for tool input} */
    static ObjectNode of(JsonNode inputSchema, String prompt) {
        JsonNode value = sample(inputSchema, Answers.topicWord(prompt), 0);
        return value instanceof ObjectNode o ? o : Json.object();
    }

    private static JsonNode sample(JsonNode schema, String word, int depth) {
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) return enumValues.get(0).deepCopy();
        JsonNode constant = schema.get("const");
        if (constant != null) return constant.deepCopy();
        String type = typeOf(schema);
        return switch (type) {
            case "number" -> Json.number(42.0);
            case "integer" -> Json.number(42);
            case "boolean" -> Json.bool(true);
            case "null" -> Json.nullNode();
            case "array" -> {
                ArrayNode array = Json.array();
                JsonNode items = schema.get("items");
                if (depth < MAX_DEPTH && items != null && items.isObject()) array.add(sample(items, word, depth + 1));
                yield array;
            }
            case "object" -> {
                ObjectNode object = Json.object();
                JsonNode properties = schema.get("properties");
                if (depth >= MAX_DEPTH || properties == null || !properties.isObject()) yield object;
                Set<String> required = new HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                for (Map.Entry<String, JsonNode> p : properties.properties()) {
                    if ((required.isEmpty() || required.contains(p.getKey())) && p.getValue().isObject()) {
                        object.set(p.getKey(), sample(p.getValue(), word, depth + 1));
                    }
                }
                yield object;
            }
            default -> Json.text(word);
        };
    }

    /** The schema's type: its {@code type} (the first non-null one of a list), else guessed from its keywords. */
    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) return type.textValue();
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (t.isTextual() && !t.textValue().equals("null")) return t.textValue();
            }
        }
        if (schema.has("properties")) return "object";
        if (schema.has("items")) return "array";
        return "string";
    }
}
