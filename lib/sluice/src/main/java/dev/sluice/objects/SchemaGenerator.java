package dev.sluice.objects;

import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of a record type, as strict structured output takes it: every property required
 * and in component order, {@code additionalProperties: false}, a value that may be absent as a
 * union with {@code null}. Types it cannot express are refused with the record and the component
 * that hold them. The table of what maps to what is in {@link ObjectSchema}.
 */
final class SchemaGenerator {
    private static final Set<Class<?>> INTEGERS = Set.of(
            int.class,
            long.class,
            short.class,
            byte.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            BigInteger.class);
    private static final Set<Class<?>> NUMBERS =
            Set.of(double.class, float.class, Double.class, Float.class, BigDecimal.class);

    private final Deque<Class<?>> open = new ArrayDeque<>(); // the records being described, outermost first

    private SchemaGenerator() {}

    /**
     * {@return the schema of a record class, in the value model, insertion-ordered}
     *
     * @throws IllegalArgumentException naming the record and the component of a type it cannot express
     */
    static Map<String, Object> of(Class<?> record) {
        if (!record.isRecord()) {
            throw new IllegalArgumentException(
                    record.getName() + " is not a record: an object stream's type is a record "
                            + "(or give the JSON Schema itself, ObjectSchema.parse)");
        }
        if (record.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(record.getSimpleName() + " has type parameters: use it as a component "
                    + "type with its arguments given (such as Page<Step>), inside a record without any");
        }
        return new SchemaGenerator().object(record, record.getSimpleName());
    }

    private Map<String, Object> object(Type type, String where) {
        Class<?> raw = Types.rawClass(type); // a record class, or a record with its type arguments
        if (open.contains(raw)) {
            throw new IllegalArgumentException(where + ": " + raw.getSimpleName() + " contains itself, and a recursive "
                    + "type cannot be expressed in a strict schema; give the nesting a fixed depth");
        }
        Types.canonical(raw); // refused now rather than when the first object arrives
        open.addLast(raw);
        Map<String, Object> properties = new LinkedHashMap<>();
        List<Object> required = new ArrayList<>();
        for (Types.Component c : Types.components(type)) {
            properties.put(
                    c.name(), property(c.type(), raw.getSimpleName() + "." + c.name(), c.nullable(), c.description()));
            required.add(c.name());
        }
        open.removeLast();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        Description d = raw.getAnnotation(Description.class);
        if (d != null) s.put("description", d.value());
        s.put("properties", properties);
        s.put("required", required);
        s.put("additionalProperties", false);
        return s;
    }

    /** The schema of a component, or of an element: the type's, made nullable when marked so, with its description. */
    private Map<String, Object> property(Type type, String where, boolean nullable, @Nullable String description) {
        Class<?> raw = Types.raw(type);
        if (raw == Optional.class) {
            Type inner = Types.argument(type, 0);
            if (inner == null)
                throw new IllegalArgumentException(where + ": a raw Optional; give its type, such as Optional<String>");
            if (Types.raw(inner) == Optional.class)
                throw new IllegalArgumentException(where + ": Optional<Optional<…>> cannot be expressed");
            return property(inner, where, true, description);
        }
        if (nullable && raw != null && raw.isPrimitive()) {
            throw new IllegalArgumentException(
                    where + ": the primitive " + raw + " cannot be null; use " + boxed(raw) + " to allow null");
        }
        Map<String, Object> s = schema(type, where);
        if (description == null && raw != null && raw.getAnnotation(Description.class) != null) {
            description = raw.getAnnotation(Description.class).value();
        }
        if (description != null) s = withDescription(s, description);
        return nullable ? orNull(s) : s;
    }

    private Map<String, Object> schema(Type type, String where) {
        if (type instanceof TypeVariable<?> v) {
            throw new IllegalArgumentException(
                    where + ": the type variable " + v.getName() + " is not bound; give the record its type arguments");
        }
        if (type instanceof WildcardType) {
            throw new IllegalArgumentException(
                    where + ": a wildcard (" + type.getTypeName() + ") cannot be expressed; name the type");
        }
        Class<?> raw = Types.raw(type);
        if (raw == null) { // an array of a type variable or a wildcard
            throw new IllegalArgumentException(where + ": " + Types.name(type) + " cannot be expressed; name the type");
        }
        if (raw == String.class) return typed("string");
        if (raw == boolean.class || raw == Boolean.class) return typed("boolean");
        if (INTEGERS.contains(raw)) return typed("integer");
        if (NUMBERS.contains(raw)) return typed("number");
        if (raw == char.class || raw == Character.class)
            throw new IllegalArgumentException(where + ": a char cannot be expressed; use String");
        if (raw.isEnum()) {
            Map<String, Object> s = typed("string");
            List<Object> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) names.add(((Enum<?>) constant).name());
            s.put("enum", names);
            return s;
        }
        Formats.Mapping f = Formats.of(raw);
        if (f != null) {
            Map<String, Object> s = typed("string");
            if (f.format() != null) s.put("format", f.format());
            if (f.pattern() != null) s.put("pattern", f.pattern());
            return s;
        }
        if (raw.isRecord()) {
            if (type instanceof Class<?> c && c.getTypeParameters().length > 0) {
                throw new IllegalArgumentException(
                        where + ": the generic record " + c.getSimpleName() + " is used raw; give its type arguments");
            }
            return object(type, where);
        }
        if (raw == List.class || raw == Set.class) return array(element(type, 0, where), where);
        if (raw.isArray()) return array(Types.arrayComponent(type), where);
        if (raw == Map.class) return entries(type, where);
        if (raw == Optional.class)
            throw new IllegalArgumentException(where + ": Optional only as a component or element type");
        String what = raw == Object.class
                ? "Object"
                : Types.name(type)
                        + (Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)
                                ? " (use List, Set or Map)"
                                : " (not a record)");
        throw new IllegalArgumentException(
                where + ": " + what + " cannot be expressed as a JSON Schema; use a record, String, "
                        + "a number, boolean, an enum, List, Set, an array, Map<String, …>, Optional or java.time");
    }

    private static Type element(Type type, int i, String where) {
        Type e = Types.argument(type, i);
        if (e == null)
            throw new IllegalArgumentException(where + ": a raw " + Types.name(type) + "; give its element type");
        return e;
    }

    private Map<String, Object> array(Type element, String where) {
        Map<String, Object> s = typed("array");
        s.put("items", property(element, where, false, null));
        return s;
    }

    /**
     * A map as the list of its entries, {@code [{"key": …, "value": …}]}: strict structured output
     * allows no object with free member names ({@code additionalProperties} must be false).
     */
    private Map<String, Object> entries(Type type, String where) {
        Type key = element(type, 0, where);
        Type value = element(type, 1, where);
        Class<?> k = Types.raw(key);
        if (k != String.class && (k == null || !k.isEnum())) {
            throw new IllegalArgumentException(
                    where + ": a Map's keys must be String or an enum, not " + Types.name(key));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("key", schema(key, where));
        properties.put("value", property(value, where, false, null));
        Map<String, Object> entry = typed("object");
        entry.put("properties", properties);
        entry.put("required", List.of("key", "value"));
        entry.put("additionalProperties", false);
        Map<String, Object> s = typed("array");
        s.put("items", entry);
        return s;
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        return s;
    }

    /** {@return the schema with its description after its type} */
    private static Map<String, Object> withDescription(Map<String, Object> s, String description) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : s.entrySet()) {
            if (e.getKey().equals("description")) continue;
            out.put(e.getKey(), e.getValue());
            if (e.getKey().equals("type")) out.put("description", description);
        }
        return out;
    }

    /**
     * {@return the schema allowing null too} A plain type becomes a union with {@code "null"} (and
     * an enum lists null); an object becomes {@code anyOf} itself or null, as strict mode wants.
     */
    private static Map<String, Object> orNull(Map<String, Object> s) {
        Object type = s.get("type");
        if (type instanceof String t && !t.equals("object")) {
            Map<String, Object> out = new LinkedHashMap<>(s);
            out.put("type", List.of(t, "null"));
            if (s.get("enum") instanceof List<?> names) {
                List<Object> withNull = new ArrayList<>(names);
                withNull.add(null);
                out.put("enum", Collections.unmodifiableList(withNull));
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> inner = new LinkedHashMap<>(s);
        Object description = inner.remove("description");
        if (description != null) out.put("description", description);
        out.put("anyOf", List.of(inner, Map.of("type", "null")));
        return out;
    }

    private static String boxed(Class<?> primitive) {
        return switch (primitive.getName()) {
            case "int" -> "Integer";
            case "char" -> "Character";
            default ->
                Character.toUpperCase(primitive.getName().charAt(0))
                        + primitive.getName().substring(1);
        };
    }
}
