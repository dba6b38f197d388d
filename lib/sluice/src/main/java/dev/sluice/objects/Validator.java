package dev.sluice.objects;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a value of the JSON value model against a JSON Schema, and names the first place it
 * breaks: the path (a JSON Pointer) and the rule (the keyword).
 *
 * <p>Checked: {@code type}, {@code enum}, {@code const}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code minItems}, {@code maxItems},
 * {@code minLength}, {@code maxLength}, {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code format} (date, date-time, time,
 * duration, uuid), {@code anyOf}, {@code oneOf}, {@code allOf}, {@code not}, and local
 * {@code $ref}s ({@code #}, {@code #/$defs/…}). Other keywords are not checked: notably
 * {@code pattern}, whose regular expression could take time exponential in the value.
 *
 * <p>Linear: what a reference's target says of the value at a place is remembered, so a schema
 * reached along many references and alternatives is checked once per place (the alternatives of a
 * checked schema lead to at most {@value SchemaRules#MAX_BRANCHES} schemas per place, see
 * {@link SchemaRules}). Bounded: a schema that refers to itself without descending into the value
 * (which {@link SchemaRules#check} refuses) ends the check with the rule {@code complexity} when a
 * reference comes back to a place it is still checking; unions nested so that checking would
 * explode, and nesting deeper than the thread's stack holds, end it with the same rule rather than
 * running on or throwing a {@link StackOverflowError}.
 */
final class Validator {
    /** Where a value breaks a schema. {@code path} is a JSON Pointer, {@code ""} for the whole value. */
    record Violation(String path, String rule, String message) {}

    private static final int MAX_DEPTH = 2_000;
    private static final long MAX_STEPS = 5_000_000;
    private static final int MAX_REMEMBERED = 100_000;
    private static final Violation MATCHES = new Violation("", "", "");

    private final Map<String, Object> root;
    private final Map<SchemaAt, Violation> remembered = new HashMap<>();
    /** The references' targets being checked, each at its place: one met again there is a loop. */
    private final Set<SchemaAt> open = new HashSet<>();

    private long steps;
    private boolean tooComplex;
    private @Nullable String loopAt;

    private Validator(Map<String, Object> root) {
        this.root = root;
    }

    /** {@return the first place the value breaks the schema, or null when it matches} */
    static @Nullable Violation check(Map<String, Object> schema, @Nullable Object value) {
        Validator v = new Validator(schema);
        Violation found;
        try {
            found = v.check(schema, value, "", 0);
        } catch (StackOverflowError deep) {
            // the check holds no lock and shares nothing: its state is dropped with it
            v.tooComplex = true;
            found = null;
        }
        if (v.loopAt != null) {
            return new Violation(
                    v.loopAt,
                    "complexity",
                    "the schema refers to itself at " + Paths.show(v.loopAt)
                            + " without a step into the value, so this value cannot be checked against it");
        }
        if (v.tooComplex) {
            return new Violation(
                    "",
                    "complexity",
                    "the schema is too complex, or refers to itself too deeply, to check this " + "value (more than "
                            + MAX_STEPS + " steps, or " + MAX_DEPTH + " levels)");
        }
        return found;
    }

    private @Nullable Violation check(@Nullable Object schemaNode, @Nullable Object value, String path, int depth) {
        if (tooComplex || ++steps > MAX_STEPS || depth > MAX_DEPTH) {
            tooComplex = true;
            return new Violation(path, "complexity", "too complex");
        }
        if (schemaNode instanceof Boolean b) {
            return b ? null : new Violation(path, "false", Paths.show(path) + ": no value is allowed here");
        }
        if (!(schemaNode instanceof Map<?, ?> s)) return null;
        if (s.get("$ref") instanceof String ref) {
            Violation v = checkTarget(SchemaRules.resolve(root, ref), value, path, depth + 1);
            if (v != null) return v;
        }
        Violation v = checkType(s, value, path);
        if (v == null) v = checkEnum(s, value, path);
        if (v == null) v = checkUnions(s, value, path, depth);
        if (v != null) return v;
        if (value instanceof Map<?, ?> object) return checkObject(s, object, path, depth);
        if (value instanceof List<?> array) return checkArray(s, array, path, depth);
        if (value instanceof String string) return checkString(s, string, path);
        if (value instanceof Number number) return checkNumber(s, number, path);
        return null;
    }

    /** A reference's target: where many references lead to one schema, each place is checked against it once. */
    @SuppressWarnings("ReferenceEquality") // identity: MATCHES is a sentinel
    private @Nullable Violation checkTarget(@Nullable Object target, @Nullable Object value, String path, int depth) {
        SchemaAt place =
                new SchemaAt(target, path); // a reference's target and the place of the value: one value per place
        Violation known = remembered.get(place);
        if (known != null) return known == MATCHES ? null : known;
        if (!open.add(place)) {
            tooComplex = true; // back at a place still being checked, without a step into the value
            loopAt = path;
            return new Violation(path, "complexity", "refers to itself");
        }
        Violation v;
        try {
            v = check(target, value, path, depth);
        } finally {
            open.remove(place);
        }
        if (!tooComplex && remembered.size() < MAX_REMEMBERED) remembered.put(place, v == null ? MATCHES : v);
        return v;
    }

    private @Nullable Violation checkType(Map<?, ?> s, @Nullable Object value, String path) {
        Object type = s.get("type");
        if (type == null) return null;
        if (type instanceof String t) {
            if (is(t, value)) return null;
        } else if (type instanceof List<?> types) {
            for (Object t : types) {
                if (t instanceof String name && is(name, value)) return null;
            }
        } else {
            return null;
        }
        String expected = type instanceof List<?> l
                ? String.join(" or ", l.stream().map(String::valueOf).toList())
                : (String) type;
        return new Violation(path, "type", Paths.show(path) + ": expected " + expected + ", got " + show(value));
    }

    private static boolean is(String type, @Nullable Object value) {
        return switch (type) {
            case "null" -> value == null;
            case "boolean" -> value instanceof Boolean;
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "number" -> value instanceof Number;
            case "integer" -> isInteger(value);
            default -> false;
        };
    }

    static boolean isInteger(@Nullable Object value) {
        if (value instanceof Long || value instanceof BigInteger || value instanceof Integer) return true;
        return value instanceof BigDecimal d
                && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0);
    }

    private @Nullable Violation checkEnum(Map<?, ?> s, @Nullable Object value, String path) {
        if (s.containsKey("const") && !same(s.get("const"), value)) {
            return new Violation(
                    path, "const", Paths.show(path) + ": expected " + show(s.get("const")) + ", got " + show(value));
        }
        if (s.get("enum") instanceof List<?> allowed) {
            for (Object a : allowed) {
                if (same(a, value)) return null;
            }
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < allowed.size() && i < 10; i++)
                names.append(i == 0 ? "" : ", ").append(show(allowed.get(i)));
            if (allowed.size() > 10) names.append(", …");
            return new Violation(
                    path, "enum", Paths.show(path) + ": expected one of " + names + ", got " + show(value));
        }
        return null;
    }

    /** JSON equality: numbers by value (1 equals 1.0), containers member by member. */
    private static boolean same(@Nullable Object a, @Nullable Object b) {
        if (a instanceof Number x && b instanceof Number y) return decimal(x).compareTo(decimal(y)) == 0;
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) return false;
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    private @Nullable Violation checkUnions(Map<?, ?> s, @Nullable Object value, String path, int depth) {
        if (s.get("allOf") instanceof List<?> all) {
            for (Object sub : all) {
                Violation v = check(sub, value, path, depth + 1);
                if (v != null) return v;
            }
        }
        if (s.get("anyOf") instanceof List<?> any) {
            Violation only = null;
            int typed = 0;
            boolean matched = false;
            for (Object sub : any) {
                Violation v = check(sub, value, path, depth + 1);
                if (v == null) {
                    matched = true;
                    break;
                }
                if (!"type".equals(v.rule()) || !v.path().equals(path)) { // this alternative is of the value's type
                    only = v;
                    typed++;
                }
            }
            if (!matched) {
                return typed == 1
                        ? only
                        : new Violation(
                                path,
                                "anyOf",
                                Paths.show(path) + ": matches none of the " + any.size() + " alternatives (anyOf), got "
                                        + show(value));
            }
        }
        if (s.get("oneOf") instanceof List<?> one) {
            int matches = 0;
            for (Object sub : one) {
                if (check(sub, value, path, depth + 1) == null) matches++;
            }
            if (matches != 1) {
                return new Violation(
                        path,
                        "oneOf",
                        Paths.show(path) + ": matches " + matches + " of the " + one.size()
                                + " alternatives where it must match exactly one (oneOf), got " + show(value));
            }
        }
        if (s.containsKey("not") && check(s.get("not"), value, path, depth + 1) == null) {
            return new Violation(
                    path, "not", Paths.show(path) + ": matches the schema it must not match (not), got " + show(value));
        }
        return null;
    }

    private @Nullable Violation checkObject(Map<?, ?> s, Map<?, ?> object, String path, int depth) {
        if (s.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (name instanceof String n && !object.containsKey(n)) {
                    String p = Paths.child(path, n);
                    return new Violation(p, "required", Paths.show(p) + ": missing, and required");
                }
            }
        }
        Map<?, ?> properties = s.get("properties") instanceof Map<?, ?> m ? m : Map.of();
        Object additional = s.get("additionalProperties");
        for (Map.Entry<?, ?> e : object.entrySet()) {
            String name = (String) e.getKey();
            String p = Paths.child(path, name);
            Violation v;
            if (properties.containsKey(name)) {
                v = check(properties.get(name), e.getValue(), p, depth + 1);
            } else if (Boolean.FALSE.equals(additional)) {
                v = new Violation(
                        p,
                        "additionalProperties",
                        Paths.show(p) + ": not a property of the schema, and " + "additionalProperties is false");
            } else {
                v = additional == null ? null : check(additional, e.getValue(), p, depth + 1);
            }
            if (v != null) return v;
        }
        return null;
    }

    private @Nullable Violation checkArray(Map<?, ?> s, List<?> array, String path, int depth) {
        if (s.get("minItems") instanceof Number min && array.size() < min.longValue()) {
            return new Violation(
                    path, "minItems", Paths.show(path) + ": " + array.size() + " items, fewer than minItems " + min);
        }
        if (s.get("maxItems") instanceof Number max && array.size() > max.longValue()) {
            return new Violation(
                    path, "maxItems", Paths.show(path) + ": " + array.size() + " items, more than maxItems " + max);
        }
        Object items = s.get("items");
        if (items == null) return null;
        for (int i = 0; i < array.size(); i++) {
            Violation v = check(items, array.get(i), Paths.child(path, i), depth + 1);
            if (v != null) return v;
        }
        return null;
    }

    private static @Nullable Violation checkString(Map<?, ?> s, String string, String path) {
        if (s.get("minLength") instanceof Number || s.get("maxLength") instanceof Number) {
            long length = string.codePointCount(0, string.length());
            if (s.get("minLength") instanceof Number m && length < m.longValue()) {
                return new Violation(
                        path, "minLength", Paths.show(path) + ": " + length + " characters, fewer than minLength " + m);
            }
            if (s.get("maxLength") instanceof Number m && length > m.longValue()) {
                return new Violation(
                        path, "maxLength", Paths.show(path) + ": " + length + " characters, more than maxLength " + m);
            }
        }
        if (s.get("format") instanceof String format && !Formats.valid(format, string)) {
            return new Violation(
                    path,
                    "format",
                    Paths.show(path) + ": expected " + Formats.describe(format) + ", got " + show(string));
        }
        return null;
    }

    private static @Nullable Violation checkNumber(Map<?, ?> s, Number number, String path) {
        BigDecimal n = decimal(number);
        String[] keys = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"};
        for (String key : keys) {
            if (!(s.get(key) instanceof Number bound)) continue;
            int c = n.compareTo(decimal(bound));
            boolean ok = switch (key) {
                case "minimum" -> c >= 0;
                case "maximum" -> c <= 0;
                case "exclusiveMinimum" -> c > 0;
                default -> c < 0;
            };
            if (!ok)
                return new Violation(
                        path, key, Paths.show(path) + ": " + show(number) + " breaks " + key + " " + bound);
        }
        return null;
    }

    static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) return d;
        if (n instanceof BigInteger i) return new BigDecimal(i);
        if (n instanceof Double || n instanceof Float) return BigDecimal.valueOf(n.doubleValue());
        return BigDecimal.valueOf(n.longValue());
    }

    /** {@return a value as a message shows it: a string quoted and cut short, a number as written, a container by its kind} */
    static String show(@Nullable Object value) {
        if (value == null) return "null";
        if (value instanceof String s) {
            return '"' + cut(s).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (value instanceof Map<?, ?>) return "an object";
        if (value instanceof List<?>) return "an array";
        return cut(value.toString());
    }

    private static String cut(String s) {
        return s.codePointCount(0, s.length()) <= 40 ? s : s.substring(0, s.offsetByCodePoints(0, 40)) + "…";
    }
}
