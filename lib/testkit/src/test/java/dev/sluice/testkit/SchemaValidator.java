package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small JSON Schema validator for the tests, written apart from the server's generator so that
 * one checks the other: types (and type lists, OpenAPI's {@code nullable}), {@code enum},
 * {@code const}, {@code anyOf}/{@code oneOf}/{@code allOf}, local {@code $ref}s, objects'
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code min/maxProperties},
 * arrays' {@code items}, {@code prefixItems}, {@code min/maxItems}, {@code uniqueItems}, strings'
 * {@code min/maxLength}, {@code pattern} and the formats date, date-time, time, duration, email,
 * uri and uuid, numbers' bounds and {@code multipleOf}.
 */
final class SchemaValidator {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");
    private static final Pattern DURATION =
            Pattern.compile("P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JsonNode root;
    private final List<String> errors = new ArrayList<>();

    private SchemaValidator(JsonNode root) {
        this.root = root;
    }

    /** {@return what in the value breaks the schema, each as "pointer: rule"; empty when it is valid} */
    static List<String> errors(JsonNode schema, JsonNode value) {
        SchemaValidator v = new SchemaValidator(schema);
        v.check(schema, value, "");
        return v.errors;
    }

    static List<String> errors(String schema, JsonNode value) {
        return errors(TestClient.parse(schema), value);
    }

    private boolean check(JsonNode schema, JsonNode v, String at) {
        int before = errors.size();
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) errors.add(at + ": false schema");
            return errors.size() == before;
        }
        if (schema.has("$ref")) {
            JsonNode target = root.at(schema.get("$ref").asText().substring(1));
            if (target.isMissingNode())
                errors.add(at + ": $ref " + schema.get("$ref").asText() + " not found");
            else check(target, v, at);
        }
        List<String> types = new ArrayList<>();
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) types.add(type.asText().toLowerCase(Locale.ROOT));
        if (type != null && type.isArray())
            type.forEach(t -> types.add(t.asText().toLowerCase(Locale.ROOT)));
        if (schema.path("nullable").asBoolean(false)) types.add("null");
        if (!types.isEmpty() && types.stream().noneMatch(t -> is(t, v)))
            errors.add(at + ": type " + types + " expected, got " + v);
        if (schema.has("const") && !schema.get("const").equals(v)) errors.add(at + ": const " + schema.get("const"));
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.equals(v);
            if (!found) errors.add(at + ": not in enum " + schema.get("enum"));
        }
        if (schema.has("anyOf") || schema.has("oneOf")) {
            JsonNode branches = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            int matches = 0;
            for (JsonNode b : branches) {
                SchemaValidator sub = new SchemaValidator(root);
                if (sub.check(b, v, at)) matches++;
            }
            if (matches == 0) errors.add(at + ": matches no branch of anyOf/oneOf");
            if (schema.has("oneOf") && matches > 1) errors.add(at + ": matches " + matches + " branches of oneOf");
        }
        for (JsonNode part : schema.path("allOf")) check(part, v, at);
        if (v.isObject()) object(schema, v, at);
        if (v.isArray()) array(schema, v, at);
        if (v.isTextual()) string(schema, v.asText(), at);
        if (v.isNumber()) number(schema, v, at);
        return errors.size() == before;
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" ->
                v.isIntegralNumber()
                        || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private void object(JsonNode schema, JsonNode v, String at) {
        Set<String> declared = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        schema.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            declared.add(p.getKey());
            if (v.has(p.getKey())) check(p.getValue(), v.get(p.getKey()), at + "/" + p.getKey());
        }
        for (JsonNode r : schema.path("required"))
            if (!v.has(r.asText())) errors.add(at + ": required property " + r.asText() + " missing");
        JsonNode extra = schema.get("additionalProperties");
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (declared.contains(k) || extra == null) continue;
            if (extra.isBoolean() && !extra.booleanValue()) errors.add(at + ": additional property " + k);
            else if (extra.isObject()) check(extra, v.get(k), at + "/" + k);
        }
        if (schema.has("minProperties")
                && v.size() < schema.get("minProperties").asInt()) errors.add(at + ": minProperties");
        if (schema.has("maxProperties")
                && v.size() > schema.get("maxProperties").asInt()) errors.add(at + ": maxProperties");
    }

    private void array(JsonNode schema, JsonNode v, String at) {
        JsonNode prefix = schema.path("prefixItems");
        for (int i = 0; i < v.size(); i++) {
            JsonNode itemSchema = i < prefix.size() ? prefix.get(i) : schema.get("items");
            if (itemSchema != null) check(itemSchema, v.get(i), at + "/" + i);
        }
        if (schema.has("minItems") && v.size() < schema.get("minItems").asInt())
            errors.add(at + ": minItems " + schema.get("minItems"));
        if (schema.has("maxItems") && v.size() > schema.get("maxItems").asInt())
            errors.add(at + ": maxItems " + schema.get("maxItems"));
        if (schema.path("uniqueItems").asBoolean(false)) {
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode e : v) if (!seen.add(e)) errors.add(at + ": uniqueItems, " + e + " twice");
        }
    }

    private void string(JsonNode schema, String s, String at) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) errors.add(at + ": minLength");
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) errors.add(at + ": maxLength");
        if (schema.has("pattern")
                && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) errors.add(at + ": pattern");
        Pattern format = switch (schema.path("format").asText("")) {
            case "date" -> DATE;
            case "date-time" -> DATE_TIME;
            case "time" -> TIME;
            case "duration" -> DURATION;
            case "email" -> EMAIL;
            case "uri", "url" -> URI;
            case "uuid" -> UUID;
            default -> null;
        };
        if (format != null && !format.matcher(s).matches())
            errors.add(at + ": format " + schema.get("format").asText() + ": " + s);
    }

    private void number(JsonNode schema, JsonNode v, String at) {
        BigDecimal d = v.decimalValue();
        if (schema.has("minimum") && d.compareTo(schema.get("minimum").decimalValue()) < 0)
            errors.add(at + ": minimum");
        if (schema.has("maximum") && d.compareTo(schema.get("maximum").decimalValue()) > 0)
            errors.add(at + ": maximum");
        if (schema.has("exclusiveMinimum")
                && d.compareTo(schema.get("exclusiveMinimum").decimalValue()) <= 0)
            errors.add(at + ": exclusiveMinimum");
        if (schema.has("exclusiveMaximum")
                && d.compareTo(schema.get("exclusiveMaximum").decimalValue()) >= 0)
            errors.add(at + ": exclusiveMaximum");
        if (schema.has("multipleOf")
                && d.remainder(schema.get("multipleOf").decimalValue()).signum() != 0) errors.add(at + ": multipleOf");
    }
}
