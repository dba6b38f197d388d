package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.ArrayNode;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.spi.Filler;
import dev.sluice.testkit.spi.Slot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Builds a JSON value valid against a JSON Schema, its choices left to a {@link Filler}: the
 * walk (types and type lists, {@code enum}, {@code const}, {@code anyOf}/{@code oneOf} (the first
 * branch that is not null), {@code allOf} (merged), local {@code $ref}s, objects in their
 * properties' order with {@code required} and {@code additionalProperties}, arrays with
 * {@code minItems}/{@code maxItems}/{@code uniqueItems}, strings with {@code format} (date,
 * date-time, time, duration, email, uri, uuid, hostname, ipv4, ipv6), {@code minLength},
 * {@code maxLength} and, where a placeholder can meet it, {@code pattern}, numbers with
 * {@code minimum}, {@code maximum}, their exclusive forms and {@code multipleOf}) is this
 * class's, the values the filler's. Types are read case-insensitively (Gemini's
 * {@code responseSchema} writes {@code OBJECT}). Past the depth limit only required properties
 * and the fewest items are made, and the same inside a {@code $ref} that repeats one being expanded
 * (null where allowed), so recursive schemas end. Bounded whatever the schema (it may be a caller's,
 * through {@code serve --fake}'s gateway): unions that lead to unions without descending into a
 * property or an item are followed {@value #MAX_UNION_NESTING} deep, {@code allOf}s and
 * {@code $ref}s 32 hops, and a sample takes at most {@value #MAX_STEPS} steps; past a bound the
 * value is null. Pure: the same schema and filler give the same value; an instance is used once.
 */
public final class SchemaSample {
    /** Far past any real schema; a schema that cannot end sooner (a required, non-nullable recursion) is cut here. */
    private static final int HARD_LIMIT = 48;
    /** The most unions one value goes through without descending (a union of references back to itself loops). */
    private static final int MAX_UNION_NESTING = 32;
    /** The most values made and references or allOfs resolved for one sample (two references at each of 40 levels: 2^40). */
    private static final int MAX_STEPS = 50_000;

    private final JsonNode root;
    private final Filler filler;
    /** The {@code $ref}s being expanded, innermost first; a repeat is a recursion, which is made as small as it may be. */
    private final ArrayDeque<String> refs = new ArrayDeque<>();

    private int inRecursion;
    private int unions; // the unions followed, without descending, to the value being made
    private int steps;

    private SchemaSample(JsonNode root, Filler filler) {
        this.root = root;
        this.filler = filler;
    }

    /** {@return a value for the schema (a missing or non-object schema allows anything: a placeholder string)} */
    static JsonNode of(JsonNode schema, Filler filler) {
        JsonNode s = schema == null || !schema.isObject() ? Json.object() : schema;
        return new SchemaSample(s, filler).value(s, new Slot(List.of(), "", describe(s), -1, -1, 0));
    }

    /** {@return where a property's value goes: one name deeper} */
    private static Slot child(Slot slot, String property, JsonNode schema) {
        List<String> p = new ArrayList<>(slot.path());
        p.add(property);
        return new Slot(List.copyOf(p), property, describe(schema), slot.item(), slot.outer(), slot.depth() + 1);
    }

    /** {@return where an array's {@code index}-th element goes} */
    private static Slot element(Slot slot, int index, JsonNode schema) {
        String d = describe(schema);
        return new Slot(
                slot.path(), slot.name(), d.isEmpty() ? slot.description() : d, index, slot.item(), slot.depth() + 1);
    }

    private static String describe(JsonNode schema) {
        return schema.path("description").asText(schema.path("title").asText(""));
    }

    private JsonNode value(JsonNode schema, Slot slot) {
        if (++steps > MAX_STEPS) return Json.nullNode();
        String ref = schema.path("$ref").isTextual() ? schema.required("$ref").textValue() : null;
        boolean recursive = ref != null && refs.contains(ref);
        if (ref != null) refs.push(ref);
        if (recursive) inRecursion++;
        try {
            return resolved(resolve(schema, 0), slot, inRecursion > 0 || slot.depth() >= filler.depthLimit());
        } finally {
            if (recursive) inRecursion--;
            if (ref != null) refs.pop();
        }
    }

    /** A property's or an item's value: the unions followed start again from none. */
    private JsonNode descend(JsonNode schema, Slot slot) {
        int outer = unions;
        unions = 0;
        try {
            return value(schema, slot);
        } finally {
            unions = outer;
        }
    }

    /** @param deep past the depth limit or inside a recursion: only what is required, the fewest items, null where allowed */
    private JsonNode resolved(JsonNode schema, Slot slot, boolean deep) {
        JsonNode constant = schema.get("const");
        if (constant != null) return constant.deepCopy();
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) {
            List<JsonNode> options = new ArrayList<>();
            for (JsonNode v : enumValues) if (!v.isNull()) options.add(v);
            if (options.isEmpty()) return Json.nullNode();
            int i = filler.choose(slot, options);
            return options.get(Math.floorMod(i, options.size())).deepCopy();
        }
        for (String union : List.of("anyOf", "oneOf")) {
            JsonNode branches = schema.get(union);
            if (branches != null && branches.isArray() && !branches.isEmpty()) {
                JsonNode pick = null;
                for (JsonNode b : branches) {
                    if (b.isObject() && !types(resolve(b, 0)).equals(List.of("null"))) {
                        pick = b;
                        break;
                    }
                }
                boolean recursive = pick != null
                        && pick.path("$ref").isTextual()
                        && refs.contains(pick.required("$ref").textValue());
                if (pick == null || ((deep || recursive) && nullable(branches)) || unions >= MAX_UNION_NESTING)
                    return Json.nullNode();
                unions++;
                try {
                    return value(merge(schema, pick, union), slot);
                } finally {
                    unions--;
                }
            }
        }
        List<String> types = types(schema);
        if ((deep && types.contains("null")) || types.equals(List.of("null")) || slot.depth() > HARD_LIMIT)
            return Json.nullNode();
        String type = types.stream().filter(t -> !t.equals("null")).findFirst().orElse(guess(schema));
        return switch (type) {
            case "object" -> object(schema, slot, deep);
            case "array" -> array(schema, slot, deep);
            case "integer" -> number(schema, slot, true);
            case "number" -> number(schema, slot, false);
            case "boolean" -> Json.bool(filler.bool(slot));
            default -> Json.text(string(schema, slot));
        };
    }

    private JsonNode object(JsonNode schema, Slot slot, boolean deep) {
        ObjectNode out = Json.object();
        JsonNode properties = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            JsonNode propertySchema = p.getValue().isObject() ? p.getValue() : Json.object(); // true: anything
            if (p.getValue().isBoolean() && !p.getValue().booleanValue()) continue; // false: nothing is valid
            Slot child = child(slot, p.getKey(), propertySchema);
            if (required.contains(p.getKey()) || (!deep && filler.includes(child, !required.isEmpty())))
                out.set(p.getKey(), descend(propertySchema, child));
        }
        // A map (no properties, a schema for the others) gets a few entries; any object gets its minProperties.
        JsonNode extra = schema.get("additionalProperties");
        boolean closed = extra != null && extra.isBoolean() && !extra.booleanValue();
        int target = out.size()
                + (properties.isEmpty() && extra != null && extra.isObject() && !deep ? filler.items(slot) : 0);
        target = Math.min(
                Math.max(target, schema.path("minProperties").asInt(0)),
                schema.path("maxProperties").asInt(Integer.MAX_VALUE));
        JsonNode valueSchema = extra != null && extra.isObject() ? extra : Json.object();
        for (int i = 0; !closed && out.size() < target && i < target + 16; i++) {
            String key = filler.key(slot, i);
            if (!out.has(key)) out.set(key, descend(valueSchema, child(slot, key, valueSchema)));
        }
        return out;
    }

    private JsonNode array(JsonNode schema, Slot slot, boolean deep) {
        int min = Math.max(0, schema.path("minItems").asInt(0));
        int max = schema.has("maxItems") ? Math.max(min, schema.path("maxItems").asInt(0)) : Integer.MAX_VALUE;
        int n = deep ? min : Math.max(min, Math.min(max, filler.items(slot)));
        JsonNode prefix = schema.path("prefixItems");
        JsonNode items = schema.get("items");
        ArrayNode out = Json.array();
        boolean unique = schema.path("uniqueItems").asBoolean(false);
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            JsonNode itemSchema =
                    i < prefix.size() ? prefix.required(i) : items != null && items.isObject() ? items : Json.object();
            JsonNode v = descend(itemSchema, element(slot, i, itemSchema));
            if (unique && !seen.add(v)) v = distinct(v, i);
            out.add(v);
        }
        return out;
    }

    /** A value told apart from an equal earlier one, for {@code uniqueItems}: a string numbered, a number moved on. */
    private static JsonNode distinct(JsonNode v, int i) {
        if (v.isTextual()) return Json.text(v.textValue() + " " + (i + 1));
        if (v.isIntegralNumber()) return Json.number((long) v.intValue() + i);
        if (v.isNumber()) return Json.number(Double.parseDouble(v.asText()) + i);
        return v;
    }

    private JsonNode number(JsonNode schema, Slot slot, boolean integer) {
        Number suggested = filler.number(slot, integer);
        BigDecimal v = suggested != null
                ? new BigDecimal(suggested.toString())
                : BigDecimal.valueOf(slot.item() >= 0 ? slot.item() + 1 : 1)
                        .add(integer ? BigDecimal.ZERO : new BigDecimal("0.5"));
        BigDecimal step = integer ? BigDecimal.ONE : null;
        JsonNode multiple = schema.get("multipleOf");
        if (multiple != null && multiple.isNumber() && new BigDecimal(multiple.asText()).signum() > 0) {
            BigDecimal m = new BigDecimal(multiple.asText());
            step = integer && m.stripTrailingZeros().scale() > 0
                    ? BigDecimal.ONE
                    : m; // an integer meets a fractional multipleOf only as a whole multiple; rare enough
        }
        BigDecimal low = bound(schema, "minimum", "exclusiveMinimum", step, true);
        BigDecimal high = bound(schema, "maximum", "exclusiveMaximum", step, false);
        if (low != null && v.compareTo(low) < 0) v = low;
        if (high != null && v.compareTo(high) > 0) v = high;
        if (step != null) {
            BigDecimal n = v.divide(step, 0, RoundingMode.HALF_UP).multiply(step);
            if (low != null && n.compareTo(low) < 0) n = n.add(step);
            if (high != null && n.compareTo(high) > 0) n = n.subtract(step);
            v = n;
        }
        if (!integer) return Json.number(v.doubleValue());
        BigInteger b = v.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        return b.bitLength() < 64 ? Json.number(b.longValue()) : new JsonNode.NumberNode(b);
    }

    /** A bound made inclusive: an exclusive one moved in to the next multiple of the step (without one, by a hundredth). */
    private static @Nullable BigDecimal bound(
            JsonNode schema, String inclusive, String exclusive, @Nullable BigDecimal step, boolean lower) {
        BigDecimal b = schema.path(inclusive).isNumber()
                ? new BigDecimal(schema.required(inclusive).asText())
                : null;
        JsonNode ex = schema.get(exclusive);
        if (ex != null && ex.isNumber()) {
            BigDecimal e = new BigDecimal(ex.asText());
            BigDecimal in;
            if (step == null) in = lower ? e.add(new BigDecimal("0.01")) : e.subtract(new BigDecimal("0.01"));
            else if (lower)
                in = e.divide(step, 0, RoundingMode.FLOOR).add(BigDecimal.ONE).multiply(step);
            else
                in = e.divide(step, 0, RoundingMode.CEILING)
                        .subtract(BigDecimal.ONE)
                        .multiply(step);
            if (b == null || (lower ? in.compareTo(b) > 0 : in.compareTo(b) < 0)) b = in;
        }
        return b;
    }

    private String string(JsonNode schema, Slot slot) {
        String format = schema.path("format").asText("").toLowerCase(Locale.ROOT);
        String s = filler.text(slot);
        if (s == null || !Formats.matches(format, s)) s = Formats.sample(format, slot, filler);
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.path("maxLength").asInt(Integer.MAX_VALUE) : Integer.MAX_VALUE;
        s = fitLength(s, min, max);
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isTextual() && !matches(pattern.text(), s)) {
            for (String candidate : patternCandidates(s)) {
                String c = fitLength(candidate, min, max);
                if (matches(pattern.text(), c)) return c;
            }
        }
        return s;
    }

    /** {@return the string cut to {@code max} code points, or repeated (or "x"s) up to {@code min}} */
    private static String fitLength(String s, int min, int max) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.codePointCount(0, sb.length()) < min) sb.append(s.isBlank() ? "x" : " " + s);
        if (sb.codePointCount(0, sb.length()) > max) {
            String cut = sb.substring(0, sb.offsetByCodePoints(0, Math.max(0, max)));
            return cut.stripTrailing().codePointCount(0, cut.stripTrailing().length()) >= min
                    ? cut.stripTrailing()
                    : cut;
        }
        return sb.toString();
    }

    private static List<String> patternCandidates(String s) {
        Set<String> c = new LinkedHashSet<>(List.of(
                s.toLowerCase(Locale.ROOT),
                s.toUpperCase(Locale.ROOT),
                s.replaceAll("[^A-Za-z0-9]", ""),
                s.replaceAll("\\s+", "-").toLowerCase(Locale.ROOT),
                "sample",
                "SAMPLE",
                "Sample",
                "a",
                "A",
                "0",
                "1",
                "abc",
                "ABC",
                "123",
                "sample-1",
                "sample_1",
                "AB-123",
                "A1",
                "2025-05-14",
                "+15550100",
                "ab12"));
        return List.copyOf(c);
    }

    /** JSON Schema patterns are ECMA-262 regular expressions, unanchored; Java's reads the common ones alike. */
    private static boolean matches(String pattern, String s) {
        try {
            return Pattern.compile(pattern).matcher(s).find();
        } catch (PatternSyntaxException e) {
            return true; // a pattern Java cannot read cannot be checked here either
        }
    }

    /** {@return the schema's types, lower-case: its {@code type} (a name or a list), or none} */
    public static List<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        List<String> out = new ArrayList<>();
        if (type != null && type.isTextual()) out.add(type.text().toLowerCase(Locale.ROOT));
        if (type != null && type.isArray())
            for (JsonNode t : type) if (t.isTextual()) out.add(t.text().toLowerCase(Locale.ROOT));
        if (schema.path("nullable").asBoolean(false) && !out.isEmpty() && !out.contains("null"))
            out.add("null"); // OpenAPI's form
        return out;
    }

    private static boolean nullable(JsonNode branches) {
        for (JsonNode b : branches) if (types(b).contains("null")) return true;
        return false;
    }

    /** The type a schema without one has, read from its keywords. */
    private static String guess(JsonNode schema) {
        if (schema.has("properties") || schema.has("additionalProperties") || schema.has("required")) return "object";
        if (schema.has("items") || schema.has("prefixItems") || schema.has("minItems")) return "array";
        if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) return "number";
        return "string";
    }

    /** The schema a {@code $ref} points to (local ones only) and {@code allOf} merged, followed a bounded number of times. */
    private JsonNode resolve(JsonNode schema, int hops) {
        if (!schema.isObject()) return Json.object();
        if (++steps > MAX_STEPS || hops >= 32) return schema;
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual() && hops < 32) {
            JsonNode target = pointer(ref.text());
            return resolve(target == null ? Json.object() : merge(schema, target, "$ref"), hops + 1);
        }
        JsonNode all = schema.get("allOf");
        if (all != null && all.isArray()) {
            JsonNode merged = schema;
            for (JsonNode part : all) merged = merge(merged, resolve(part, hops + 1), "allOf");
            return merged;
        }
        return schema;
    }

    private @Nullable JsonNode pointer(String ref) {
        if (!ref.startsWith("#")) return null;
        JsonNode at = root;
        for (String token : ref.substring(1).split("/")) {
            if (token.isEmpty()) continue;
            String key = URLDecoder.decode(token, StandardCharsets.UTF_8)
                    .replace("~1", "/")
                    .replace("~0", "~");
            at = !at.isArray()
                    ? at.path(key)
                    : key.matches("\\d{1,9}") ? at.path(Integer.parseInt(key)) : Json.missing();
            if (at.isMissingNode()) return null;
        }
        return at;
    }

    /**
     * {@return {@code base} without {@code dropped}, its keywords overlaid by {@code over}'s: the
     * properties and {@code required} of both, the rest {@code over}'s where both have them}
     */
    private static JsonNode merge(JsonNode base, JsonNode over, String dropped) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> e : base.properties())
            if (!e.getKey().equals(dropped)) out.set(e.getKey(), e.getValue());
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            JsonNode mine = out.get(e.getKey());
            if (e.getKey().equals("properties")
                    && mine != null
                    && mine.isObject()
                    && e.getValue().isObject()) {
                ObjectNode props = ((ObjectNode) mine).deepCopy();
                props.setAll(((ObjectNode) e.getValue()).deepCopy());
                out.set("properties", props);
            } else if (e.getKey().equals("required")
                    && mine != null
                    && mine.isArray()
                    && e.getValue().isArray()) {
                ArrayNode req = ((ArrayNode) mine).deepCopy();
                for (JsonNode r : e.getValue()) if (!contains(req, r)) req.add(r);
                out.set("required", req);
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean contains(JsonNode array, JsonNode v) {
        for (JsonNode e : array) if (e.equals(v)) return true;
        return false;
    }

    /** Strings in the formats of JSON Schema that a sample can meet, and their placeholders. */
    static final class Formats {
        private static final Pattern DATE = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])");
        private static final Pattern TIME =
                Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");
        private static final Pattern DURATION =
                Pattern.compile("P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?");
        private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
        private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+");
        private static final Pattern UUID_FORM =
                Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        private static final LocalDate BASE = LocalDate.of(2025, 5, 14);

        private Formats() {}

        /** {@return whether a string meets a format (an unknown format: any string)} */
        static boolean matches(String format, String s) {
            return switch (format) {
                case "date" -> DATE.matcher(s).matches();
                case "date-time" ->
                    s.length() > 11
                            && s.charAt(10) == 'T'
                            && DATE.matcher(s.substring(0, 10)).matches()
                            && TIME.matcher(s.substring(11)).matches()
                            && (s.endsWith("Z") || s.matches(".*[+-]\\d{2}:\\d{2}"));
                case "time" -> TIME.matcher(s).matches();
                case "duration" -> DURATION.matcher(s).matches();
                case "email", "idn-email" -> EMAIL.matcher(s).matches();
                case "uri", "url", "iri", "uri-reference", "iri-reference" ->
                    URI.matcher(s).matches();
                case "uuid" -> UUID_FORM.matcher(s).matches();
                case "hostname", "idn-hostname" ->
                    s.matches(
                            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
                case "ipv4" -> s.matches("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
                case "ipv6" -> s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
                default -> true;
            };
        }

        /** {@return a placeholder in the format: dates a day apart per item, a sample address, a plain "sample" for no format} */
        static String sample(String format, Slot slot, Filler filler) {
            int day = Math.max(0, slot.item());
            return switch (format) {
                case "date" -> BASE.plusDays(day).toString();
                case "date-time" -> BASE.plusDays(day) + "T09:30:00Z";
                case "time" -> String.format(Locale.ROOT, "%02d:30:00", (9 + day) % 24);
                case "duration" -> {
                    Number minutes = filler.number(slot, true);
                    long m = minutes == null ? 30 : Math.max(1, minutes.longValue());
                    yield m % 60 == 0
                            ? "PT" + m / 60 + "H"
                            : m > 60 ? "PT" + m / 60 + "H" + m % 60 + "M" : "PT" + m + "M";
                }
                case "email", "idn-email" -> (day == 0 ? "sample" : "sample" + (day + 1)) + "@example.com";
                case "uri", "url", "iri", "uri-reference", "iri-reference" ->
                    "https://example.com/" + Slot.slug(slot.name().isEmpty() ? "sample" : slot.name())
                            + (slot.item() >= 0 ? "/" + (slot.item() + 1) : "");
                case "uuid" ->
                    UUID.nameUUIDFromBytes((String.join("/", slot.path()) + "#" + slot.item())
                                    .getBytes(StandardCharsets.UTF_8))
                            .toString();
                case "hostname", "idn-hostname" -> "example.com";
                case "ipv4" -> "192.0.2." + (1 + day % 250);
                case "ipv6" -> "2001:db8::" + (1 + day % 250);
                default ->
                    "sample" + (slot.name().isEmpty() ? "" : " " + Slot.words(slot.name()))
                            + (slot.item() >= 0 ? " " + (slot.item() + 1) : "");
            };
        }
    }
}
