package dev.sluice.objects;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Paths through a record's Java types, for {@link Partial}: which type a path leads to, and
 * whether a value there can be read as the type asked for. A path the record does not have is
 * refused at once, so a typo in a path fails the first time rather than showing nothing forever.
 */
final class TypePaths {
    private TypePaths() {}

    /**
     * {@return the declared type at the path, through records (component names), lists, sets and
     * arrays (indexes), maps (indexes of the entries, then {@code key} or {@code value}) and
     * optionals}
     *
     * @throws IllegalArgumentException if the record has no such path
     */
    static Type typeAt(Class<?> record, List<String> steps, String path) {
        Type t = record;
        String where = record.getSimpleName();
        for (String step : steps) {
            t = unwrap(t);
            Class<?> raw = Types.rawClass(t);
            if (raw.isRecord()) {
                Type next = null;
                for (Types.Component c : Types.components(t)) {
                    if (c.name().equals(step)) next = c.type();
                }
                if (next == null) {
                    throw new IllegalArgumentException("path " + path + ": " + raw.getSimpleName()
                            + " has no component " + step + " (it has "
                            + String.join(
                                    ", ",
                                    Types.components(t).stream()
                                            .map(Types.Component::name)
                                            .toList()) + ")");
                }
                where = raw.getSimpleName() + "." + step;
                t = next;
            } else if (isSequence(raw) || raw == Map.class) {
                if (Paths.index(step) < 0) {
                    throw new IllegalArgumentException("path " + path + ": " + where + " is a " + Types.name(t)
                            + ", whose elements are named by index, not " + step);
                }
                t = elementType(t, path);
                where = where + "[" + step + "]";
            } else if (raw == Map.Entry.class && (step.equals("key") || step.equals("value"))) {
                t = Types.typeArgument(t, step.equals("key") ? 0 : 1);
                where = where + "." + step;
            } else {
                throw new IllegalArgumentException(
                        "path " + path + ": " + where + " is a " + Types.name(t) + ", which has no " + step);
            }
        }
        return t;
    }

    /** {@return the type of the elements of a list, set or array; of a map, its entries} @throws IllegalArgumentException for any other type */
    static Type elementType(Type t, String path) {
        t = unwrap(t);
        Class<?> raw = Types.rawClass(t);
        if (raw == List.class || raw == Set.class) return Types.typeArgument(t, 0);
        if (raw.isArray()) return Types.arrayComponent(t);
        if (raw == Map.class) {
            return Types.parameterized(Map.Entry.class, Types.typeArgument(t, 0), Types.typeArgument(t, 1));
        }
        throw new IllegalArgumentException("path " + path + ": a " + Types.name(t) + ", not a list, set, array or map");
    }

    /**
     * {@return the type to bind with, when a value of the declared type can be read as
     * {@code requested}: the declared type itself (its generic arguments kept), or {@code Object}}
     *
     * @throws IllegalArgumentException if it cannot
     */
    static Type readableAs(Type declared, Class<?> requested, String path) {
        Type t = unwrap(declared);
        if (requested == Object.class) return Object.class;
        Class<?> raw = Types.rawClass(t);
        if (requested == CharSequence.class && raw == String.class) return String.class;
        if (box(requested).isAssignableFrom(box(raw))) return t;
        throw new IllegalArgumentException("path " + path + ": a " + Types.name(declared) + ", which cannot be read as "
                + requested.getSimpleName());
    }

    private static boolean isSequence(Class<?> raw) {
        return raw == List.class || raw == Set.class || raw.isArray();
    }

    private static Type unwrap(Type t) {
        return Types.raw(t) == Optional.class ? Types.typeArgument(t, 0) : t;
    }

    static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) return c;
        return switch (c.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }
}
