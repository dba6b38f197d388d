package dev.sluice.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.sluice.chat.PartialJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's JSON Schema elements as JSON Schema in Sluice's JSON value model (maps, lists,
 * strings), for a {@link dev.sluice.chat.Tool}'s input schema and a
 * {@link dev.sluice.chat.ResponseFormat}'s schema. Written here rather than through LangChain4j's
 * internal utilities, which carry no compatibility promise. Stateless.
 */
final class JsonSchemas {
    private JsonSchemas() {}

    /** {@return the schema of an object, {@code {"type":"object","properties":{}}} for none} */
    static Map<String, Object> object(JsonSchemaElement element) {
        if (element == null) return new LinkedHashMap<>(Map.of("type", "object", "properties", Map.of()));
        Map<String, Object> schema = of(element);
        if (element instanceof JsonObjectSchema) schema.putIfAbsent("properties", Map.of());
        return schema;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(JsonSchemaElement element) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (element) {
            case JsonObjectSchema o -> {
                m.put("type", "object");
                describe(m, o.description());
                Map<String, Object> properties = new LinkedHashMap<>();
                o.properties().forEach((name, p) -> properties.put(name, of(p)));
                m.put("properties", properties);
                if (o.required() != null && !o.required().isEmpty()) m.put("required", List.copyOf(o.required()));
                if (o.additionalProperties() != null) m.put("additionalProperties", o.additionalProperties());
                if (o.definitions() != null && !o.definitions().isEmpty()) {
                    Map<String, Object> defs = new LinkedHashMap<>();
                    o.definitions().forEach((name, d) -> defs.put(name, of(d)));
                    m.put("$defs", defs);
                }
            }
            case JsonArraySchema a -> {
                m.put("type", "array");
                describe(m, a.description());
                if (a.items() != null) m.put("items", of(a.items()));
            }
            case JsonEnumSchema e -> {
                m.put("type", "string");
                describe(m, e.description());
                m.put("enum", List.copyOf(e.enumValues()));
            }
            case JsonStringSchema s -> typed(m, "string", s.description());
            case JsonIntegerSchema i -> typed(m, "integer", i.description());
            case JsonNumberSchema n -> typed(m, "number", n.description());
            case JsonBooleanSchema b -> typed(m, "boolean", b.description());
            case JsonNullSchema n -> m.put("type", "null");
            case JsonReferenceSchema r -> m.put("$ref", "#/$defs/" + r.reference());
            case JsonAnyOfSchema any -> {
                describe(m, any.description());
                List<Object> options = new ArrayList<>();
                for (JsonSchemaElement e : any.anyOf()) options.add(of(e));
                m.put("anyOf", options);
            }
            case JsonRawSchema raw -> {
                PartialJson.Result parsed = PartialJson.parse(raw.schema());
                if (!parsed.isValid() || !(parsed.value() instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("a raw JSON schema must be a JSON object: " + parsed.error());
                }
                m.putAll((Map<String, Object>) map);
            }
            default ->
                throw new UnsupportedFeatureException("Sluice does not support the JSON schema element "
                        + element.getClass().getSimpleName()
                        + ": use objects, arrays, enums, strings, numbers, booleans,"
                        + " anyOf, references or a raw schema");
        }
        return m;
    }

    private static void typed(Map<String, Object> m, String type, String description) {
        m.put("type", type);
        describe(m, description);
    }

    private static void describe(Map<String, Object> m, String description) {
        if (description != null) m.put("description", description);
    }
}
