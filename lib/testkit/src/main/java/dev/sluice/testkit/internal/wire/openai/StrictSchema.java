package dev.sluice.testkit.internal.wire.openai;

import dev.sluice.testkit.internal.answer.SchemaSample;
import dev.sluice.testkit.internal.json.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The rules OpenAI holds a schema to in strict mode (Chat Completions' and the Responses API's
 * {@code json_schema} formats with {@code strict: true}, function tools with {@code strict: true}),
 * as far as the fake server checks them: the root is an object; every object says
 * {@code additionalProperties: false} and lists every property in {@code required} (optional
 * fields are written as a type union with {@code null}). Followed through properties, items,
 * {@code anyOf} branches and {@code $defs}.
 */
final class StrictSchema {
    private StrictSchema() {}

    /** {@return what breaks the rules, worded as OpenAI does after its "Invalid schema for …:", or null when nothing does} */
    static @Nullable String problem(JsonNode schema) {
        List<String> types = SchemaSample.types(schema);
        if (!types.contains("object") && !schema.has("properties")) {
            return "schema must be a JSON Schema of 'type: \"object\"', got 'type: \""
                    + (types.isEmpty() ? "None" : types.getFirst()) + "\"'.";
        }
        return walk(schema, new ArrayList<>(), 0);
    }

    private static @Nullable String walk(JsonNode schema, List<String> context, int depth) {
        if (!schema.isObject() || depth > 64) return null;
        if (SchemaSample.types(schema).contains("object") || schema.has("properties")) {
            JsonNode extra = schema.get("additionalProperties");
            if (extra == null || !extra.isBoolean() || extra.booleanValue()) {
                return "In context=" + context(context)
                        + ", 'additionalProperties' is required to be supplied and to be false.";
            }
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                if (!required.contains(p.getKey())) {
                    return "In context=" + context(context)
                            + ", 'required' is required to be supplied and to be an array including"
                            + " every key in properties. Missing '" + p.getKey() + "'.";
                }
            }
            for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                String problem = walk(p.getValue(), with(context, "properties", p.getKey()), depth + 1);
                if (problem != null) return problem;
            }
        }
        String problem = walk(schema.path("items"), with(context, "items"), depth + 1);
        if (problem != null) return problem;
        for (String union : List.of("anyOf", "$defs", "definitions")) {
            int i = 0;
            for (JsonNode branch : schema.path(union)) {
                problem =
                        walk(branch, with(context, union, union.equals("anyOf") ? Integer.toString(i) : ""), depth + 1);
                if (problem != null) return problem;
                i++;
            }
        }
        return null;
    }

    private static List<String> with(List<String> context, String... more) {
        List<String> out = new ArrayList<>(context);
        for (String m : more) if (!m.isEmpty()) out.add(m);
        return out;
    }

    private static String context(List<String> context) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < context.size(); i++)
            sb.append(i == 0 ? "" : ", ").append('\'').append(context.get(i)).append('\'');
        return sb.append(context.size() == 1 ? ",)" : ")").toString();
    }
}
