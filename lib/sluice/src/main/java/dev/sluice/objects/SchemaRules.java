package dev.sluice.objects;

import java.util.List;
import java.util.Map;

/**
 * What Sluice reads in a JSON Schema given as JSON: the shape of the keywords it checks
 * ({@link #check}), local references ({@link #resolve}), and the schema of a value at a path
 * ({@link #at}), which says whether a string there is one of a fixed set.
 */
final class SchemaRules {
    private static final List<String> TYPES = List.of("null", "boolean", "object", "array", "number", "string", "integer");
    private static final int MAX_REF_HOPS = 32;

    private SchemaRules() {}

    /**
     * Checks that a schema is an object schema whose keywords have the shapes JSON Schema gives
     * them, as far as Sluice reads them, and that its references are local and resolve.
     *
     * @throws IllegalArgumentException naming the schema, the place in it and what is wrong
     */
    static void check(String name, Map<String, Object> root) {
        if (!"object".equals(root.get("type"))) {
            throw new IllegalArgumentException("schema " + name + ": must be an object schema, with \"type\": \"object\" at the top "
                    + "(as providers' structured output requires), not " + Validator.show(root.get("type")));
        }
        new Checker(name, root).node(root, "");
    }

    /** Walks a schema given as JSON, refusing the first keyword of the wrong shape. */
    private record Checker(String name, Map<String, Object> root) {
        void node(Object s, String at) {
            if (s instanceof Boolean) return;
            if (!(s instanceof Map<?, ?> m)) throw bad(at, "a schema must be an object or a boolean");
            Object type = m.get("type");
            if (type != null && !(type instanceof String t ? TYPES.contains(t) : type instanceof List<?> l && !l.isEmpty()
                    && l.stream().allMatch(x -> x instanceof String t && TYPES.contains(t)))) {
                throw bad(Paths.child(at, "type"), "must be one of " + TYPES + ", or a list of them");
            }
            if (m.containsKey("properties")) {
                if (!(m.get("properties") instanceof Map<?, ?> p)) throw bad(Paths.child(at, "properties"), "must be an object");
                for (Map.Entry<?, ?> e : p.entrySet()) node(e.getValue(), Paths.child(Paths.child(at, "properties"), e.getKey()));
            }
            if (m.containsKey("required") && !(m.get("required") instanceof List<?> r && r.stream().allMatch(x -> x instanceof String))) {
                throw bad(Paths.child(at, "required"), "must be a list of property names");
            }
            for (String key : List.of("additionalProperties", "items", "not")) {
                if (m.containsKey(key)) node(m.get(key), Paths.child(at, key));
            }
            for (String key : List.of("anyOf", "oneOf", "allOf")) {
                if (!m.containsKey(key)) continue;
                if (!(m.get(key) instanceof List<?> l) || l.isEmpty()) throw bad(Paths.child(at, key), "must be a list of schemas, not empty");
                for (int i = 0; i < l.size(); i++) node(l.get(i), Paths.child(Paths.child(at, key), i));
            }
            for (String key : List.of("$defs", "definitions")) {
                if (!m.containsKey(key)) continue;
                if (!(m.get(key) instanceof Map<?, ?> defs)) throw bad(Paths.child(at, key), "must be an object");
                for (Map.Entry<?, ?> e : defs.entrySet()) node(e.getValue(), Paths.child(Paths.child(at, key), e.getKey()));
            }
            if (m.containsKey("enum") && !(m.get("enum") instanceof List<?> l && !l.isEmpty())) {
                throw bad(Paths.child(at, "enum"), "must be a list of values, not empty");
            }
            for (String key : List.of("minItems", "maxItems", "minLength", "maxLength")) {
                if (m.containsKey(key) && !(m.get(key) instanceof Number n && Validator.isInteger(n) && n.doubleValue() >= 0)) {
                    throw bad(Paths.child(at, key), "must be an integer, at least 0");
                }
            }
            for (String key : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
                if (m.containsKey(key) && !(m.get(key) instanceof Number)) throw bad(Paths.child(at, key), "must be a number");
            }
            if (m.containsKey("format") && !(m.get("format") instanceof String)) throw bad(Paths.child(at, "format"), "must be a string");
            if (m.containsKey("$ref")) {
                if (!(m.get("$ref") instanceof String ref) || resolve(root, ref) == null) {
                    throw bad(Paths.child(at, "$ref"), "must be a reference within the schema (#, #/$defs/Name …) that exists: "
                            + Validator.show(m.get("$ref")));
                }
            }
        }

        IllegalArgumentException bad(String at, String what) {
            return new IllegalArgumentException("schema " + name + " at " + Paths.show(at) + ": " + what);
        }
    }

    /** {@return the schema a local reference ({@code #} or {@code #/a/b}) points to, or null if it points nowhere} */
    static Object resolve(Map<String, Object> root, String ref) {
        if (ref.equals("#")) return root;
        if (!ref.startsWith("#/")) return null;
        Object node = root;
        for (String step : Paths.parse(ref.substring(1))) {
            if (node instanceof Map<?, ?> m && m.containsKey(step)) {
                node = m.get(step);
            } else if (node instanceof List<?> l && Paths.index(step) >= 0 && Paths.index(step) < l.size()) {
                node = l.get(Paths.index(step));
            } else {
                return null;
            }
        }
        return node;
    }

    /**
     * {@return the schema of the value at a path (member names and element indexes), or null
     * when the schema does not say} Follows properties, items, additionalProperties, local
     * references and the alternatives of anyOf, oneOf and allOf (the first that says).
     */
    static Object at(Map<String, Object> root, List<?> path) {
        Object node = root;
        for (Object step : path) {
            node = child(root, node, step, 0);
            if (node == null) return null;
        }
        return node;
    }

    private static Object child(Map<String, Object> root, Object node, Object step, int hops) {
        node = deref(root, node);
        if (!(node instanceof Map<?, ?> s) || hops > MAX_REF_HOPS) return null;
        if (step instanceof String name && s.get("properties") instanceof Map<?, ?> p && p.containsKey(name)) return p.get(name);
        boolean index = step instanceof Integer || (step instanceof String t && Paths.index(t) >= 0);
        if (index && s.containsKey("items")) return s.get("items");
        if (!index && s.get("additionalProperties") instanceof Map<?, ?> a) return a;
        for (String key : List.of("anyOf", "oneOf", "allOf")) {
            if (!(s.get(key) instanceof List<?> alternatives)) continue;
            for (Object alternative : alternatives) {
                Object c = child(root, alternative, step, hops + 1);
                if (c != null) return c;
            }
        }
        return null;
    }

    private static Object deref(Map<String, Object> root, Object node) {
        for (int hops = 0; hops < MAX_REF_HOPS && node instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            node = resolve(root, ref);
        }
        return node;
    }

    /**
     * {@return whether a string at this schema is one of a fixed set ({@code enum} or {@code const}):
     * then a prefix of it means nothing, and a partial leaves it out until it is complete}
     */
    static boolean isFixed(Map<String, Object> root, Object node) {
        node = deref(root, node);
        if (!(node instanceof Map<?, ?> s)) return false;
        if (s.containsKey("enum") || s.containsKey("const")) return true;
        for (String key : List.of("anyOf", "oneOf")) {
            if (!(s.get(key) instanceof List<?> alternatives)) continue;
            boolean all = true;
            for (Object a : alternatives) {
                Object d = deref(root, a);
                boolean nullOnly = d instanceof Map<?, ?> m && "null".equals(m.get("type"));
                if (!nullOnly && !(d instanceof Map<?, ?> m2 && (m2.containsKey("enum") || m2.containsKey("const")))) all = false;
            }
            if (all) return true;
        }
        return false;
    }
}
