package dev.sluice.objects;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a value of the JSON value model into a Java value of a given type: records through their
 * canonical constructors, {@code List}, {@code Set}, arrays, {@code Map} (from its entries, as the
 * generated schema writes it, or from an object), enums by name, {@code Optional}, numbers checked
 * against their Java range, {@code java.time} and {@code UUID} parsed. Anything it cannot bind is a
 * {@link Failure} naming the path and the rule, as a {@link Validator.Violation}.
 */
final class Binder {
    /** A value that cannot become the type asked for. No stack trace: it is an answer, not a bug. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Validator.Violation violation;

        Failure(Validator.Violation violation, @Nullable Throwable cause) {
            super(violation.message(), cause, false, false);
            this.violation = violation;
        }
    }

    /** More digits than any number a model means; converting such a number to an integer could take all memory. */
    private static final int MAX_INTEGER_DIGITS = 4_000;

    private Binder() {}

    /**
     * {@return value as a {@code type}: null for JSON null, but an empty {@code Optional} for an
     * {@code Optional}}
     *
     * @throws Failure naming where and why it cannot be
     * @throws IllegalArgumentException for a type that names no class (a type variable, a wildcard)
     *     or a raw {@code Optional} with a value: nothing to bind with
     */
    static @Nullable Object bind(@Nullable Object value, Type type, String path) {
        if (value != null) return bindPresent(value, type, path);
        Class<?> raw = Types.rawClass(type);
        if (raw == Optional.class) return Optional.empty();
        if (raw.isPrimitive()) throw fail(path, "type", "expected " + raw + ", got null");
        return null;
    }

    /** {@return a value that is not JSON null as a {@code type}} @throws Failure as {@link #bind} does */
    static Object bindPresent(Object value, Type type, String path) {
        Class<?> raw = Types.rawClass(type);
        if (raw == Optional.class) return Optional.of(bindPresent(value, Types.typeArgument(type, 0), path));
        if (raw == Object.class) return value;
        if (raw == String.class || raw == CharSequence.class) return expect(value, String.class, "string", path);
        if (raw == boolean.class || raw == Boolean.class) return expect(value, Boolean.class, "boolean", path);
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) return number(value, raw, path);
        if (raw.isEnum()) return enumConstant(value, raw, path);
        Formats.Mapping f = Formats.of(raw);
        if (f != null) return formatted(expect(value, String.class, "string", path), f, raw, path);
        if (raw.isRecord()) return record(expect(value, Map.class, "object", path), type, path);
        if (raw == List.class || raw == Set.class || raw == Collection.class || raw == Iterable.class) {
            Type element = Types.argument(type, 0);
            List<?> list = expect(value, List.class, "array", path);
            if (element == null)
                return raw == Set.class ? Collections.unmodifiableSet(new LinkedHashSet<>(list)) : list;
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) out.add(bind(list.get(i), element, Paths.child(path, i)));
            return raw == Set.class
                    ? Collections.unmodifiableSet(new LinkedHashSet<>(out))
                    : Collections.unmodifiableList(out);
        }
        if (raw.isArray()) {
            List<?> list = expect(value, List.class, "array", path);
            Type element = Types.arrayComponent(type);
            Object array = Array.newInstance(Types.rawClass(element), list.size());
            for (int i = 0; i < list.size(); i++) Array.set(array, i, bind(list.get(i), element, Paths.child(path, i)));
            return array;
        }
        if (raw == Map.class) return map(value, type, path);
        if (raw == Map.Entry.class) {
            Map<?, ?> entry = expect(value, Map.class, "object", path);
            Type k = Types.argument(type, 0);
            Type v = Types.argument(type, 1);
            Object key = k == null ? entry.get("key") : bind(entry.get("key"), k, Paths.child(path, "key"));
            Object val = v == null ? entry.get("value") : bind(entry.get("value"), v, Paths.child(path, "value"));
            if (key == null) throw fail(Paths.child(path, "key"), "required", "missing, and required");
            return val == null ? new SimpleImmutableEntry<>(key, null) : Map.entry(key, val);
        }
        throw fail(path, "type", "cannot make a " + Types.name(type) + " from " + Validator.show(value));
    }

    private static <V> V expect(Object value, Class<V> type, String jsonType, String path) {
        if (!type.isInstance(value))
            throw fail(path, "type", "expected " + jsonType + ", got " + Validator.show(value));
        return type.cast(value);
    }

    private static Object number(Object value, Class<?> raw, String path) {
        Number n = expect(value, Number.class, "number", path);
        if (raw == Number.class) return n;
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            double d = n.doubleValue();
            boolean isFloat = raw == float.class || raw == Float.class;
            if (Double.isInfinite(d) || (isFloat && Float.isInfinite((float) d))) {
                throw fail(
                        path,
                        "range",
                        Validator.show(n) + " is out of range for "
                                + raw.getSimpleName().toLowerCase(Locale.ROOT));
            }
            return isFloat ? (Object) (float) d : (Object) d;
        }
        if (raw == BigDecimal.class) return Validator.decimal(n);
        if (!Validator.isInteger(n)) throw fail(path, "type", "expected integer, got " + Validator.show(n));
        BigDecimal d = Validator.decimal(n);
        if (d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
            throw fail(path, "range", Validator.show(n) + " is out of range for " + raw.getSimpleName());
        }
        BigInteger i = d.toBigIntegerExact();
        if (raw == BigInteger.class) return i;
        long min;
        long max;
        switch (raw.getSimpleName()) {
            case "int", "Integer" -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case "short", "Short" -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case "byte", "Byte" -> {
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
            }
            default -> {
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
            }
        }
        if (i.bitLength() > 63 || i.longValue() < min || i.longValue() > max) {
            throw fail(
                    path,
                    "range",
                    Validator.show(n) + " is out of range for " + raw.getSimpleName() + " (" + min + " to " + max
                            + ")");
        }
        long l = i.longValue();
        return switch (raw.getSimpleName()) {
            case "int", "Integer" -> (int) l;
            case "short", "Short" -> (short) l;
            case "byte", "Byte" -> (byte) l;
            default -> l;
        };
    }

    private static Object enumConstant(Object value, Class<?> raw, String path) {
        String name = expect(value, String.class, "string", path);
        for (Object constant : raw.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) return constant;
        }
        throw fail(
                path,
                "enum",
                "expected one of "
                        + Arrays.stream(raw.getEnumConstants())
                                .map(c -> '"' + ((Enum<?>) c).name() + '"')
                                .toList()
                        + ", got " + Validator.show(name));
    }

    private static Object formatted(String s, Formats.Mapping f, Class<?> raw, String path) {
        try {
            return f.parse().apply(s);
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
            String expected = f.format() != null ? Formats.describe(f.format()) : "a " + raw.getSimpleName();
            throw fail(path, "format", "expected " + expected + ", got " + Validator.show(s));
        }
    }

    private static Object record(Map<?, ?> object, Type type, String path) {
        List<Types.Component> components = Types.components(type);
        @Nullable Object[] args = new @Nullable Object[components.size()];
        for (int i = 0; i < args.length; i++) {
            Types.Component c = components.get(i);
            String p = Paths.child(path, c.name());
            boolean mayBeAbsent = c.nullable() || Types.raw(c.type()) == Optional.class;
            if (!object.containsKey(c.name()) && !mayBeAbsent) throw fail(p, "required", "missing, and required");
            args[i] = bind(object.get(c.name()), c.type(), p);
        }
        Class<?> raw = Types.rawClass(type);
        Constructor<?> constructor = Types.canonical(raw);
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new Failure(
                    new Validator.Violation(
                            path,
                            "constructor",
                            Paths.show(path) + ": " + raw.getSimpleName() + "'s constructor refused the values: "
                                    + cause),
                    cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot construct " + Types.name(type), e); // checked when the schema was made
        }
    }

    /** A map from its entries ({@code [{"key": …, "value": …}]}, as the generated schema writes it), or from an object. */
    private static Object map(Object value, Type type, String path) {
        Type keyType = Types.argument(type, 0);
        Type valueType = Types.argument(type, 1);
        Map<Object, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> object) {
            for (Map.Entry<?, ?> e : object.entrySet()) {
                String p = Paths.child(path, e.getKey());
                out.put(
                        keyType == null ? e.getKey() : bind(e.getKey(), keyType, p),
                        valueType == null ? e.getValue() : bind(e.getValue(), valueType, p));
            }
            return Collections.unmodifiableMap(out);
        }
        List<?> entries = expect(value, List.class, "array", path);
        for (int i = 0; i < entries.size(); i++) {
            String p = Paths.child(path, i);
            Map<?, ?> entry = expect(entries.get(i), Map.class, "object", p);
            if (!entry.containsKey("key")) throw fail(Paths.child(p, "key"), "required", "missing, and required");
            Object key = keyType == null ? entry.get("key") : bind(entry.get("key"), keyType, Paths.child(p, "key"));
            if (out.containsKey(key))
                throw fail(
                        Paths.child(p, "key"),
                        "uniqueKeys",
                        "the key " + Validator.show(entry.get("key")) + " is repeated");
            out.put(
                    key,
                    valueType == null
                            ? entry.get("value")
                            : bind(entry.get("value"), valueType, Paths.child(p, "value")));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Failure fail(String path, String rule, String what) {
        return new Failure(new Validator.Violation(path, rule, Paths.show(path) + ": " + what), null);
    }
}
