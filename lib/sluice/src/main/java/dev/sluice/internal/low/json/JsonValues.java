package dev.sluice.internal.low.json;

import dev.sluice.internal.low.value.ImmutableJsonArray;
import dev.sluice.internal.low.value.ImmutableJsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks and copies values of Sluice's plain-Java JSON value model: an object is a
 * {@code Map<String, Object>} (kept insertion-ordered), an array a {@code List<Object>}, a string
 * a {@code String}, a number a {@code Long}, {@code BigInteger} or {@code BigDecimal}, true/false a
 * {@code Boolean}, JSON null a Java {@code null}.
 *
 * <p>For convenience, other integral numbers ({@code Integer}, {@code Short}, {@code Byte}) are
 * accepted and become {@code Long}; finite {@code Double}/{@code Float} become {@code BigDecimal}
 * through their decimal string (so {@code 0.1} stays {@code 0.1}).
 *
 * <p>Sharing: a copy is made of {@link ImmutableJsonObject}s and {@link ImmutableJsonArray}s, which
 * Sluice builds itself and which are deeply immutable; so a value that is already one (a copy made
 * here, a value parsed by {@code PartialJson}) is returned as it is, in O(1), rather than copied
 * again. A snapshot of a streaming tool input therefore costs what changed, not the whole input.
 *
 * <p>Depth: the walks of the value model here and in {@link Json} and {@link JsonOut} recurse,
 * one level per object or array, and refuse a value nested deeper than {@link #MAX_DEPTH} with an
 * {@link IllegalArgumentException} rather than overflow the stack. No
 * value read from the wire comes near it: {@link Json#FACTORY} refuses documents nested deeper
 * than {@link Json#MAX_READ_DEPTH} (500) levels and so does {@code dev.sluice.chat.PartialJson},
 * and the objects such values sit in add a few levels. Only a value a user built by hand can
 * reach it.
 */
public final class JsonValues {
    /** The deepest nesting of objects and arrays a walk of the value model accepts. */
    public static final int MAX_DEPTH = 1000;

    private JsonValues() {}

    /**
     * Checks the depth of a walk of the value model.
     *
     * @param depth how many objects and arrays enclose the container about to be entered
     * @param where names the value, for the message
     * @throws IllegalArgumentException if entering it would go past {@link #MAX_DEPTH}
     */
    public static void checkDepth(int depth, String where) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException(where + ": JSON nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    /**
     * {@return an immutable deep copy of a JSON value in the canonical value model}
     *
     * @param what names the argument in the exception message
     * @throws IllegalArgumentException naming {@code what} and the path of the offending part
     */
    public static @Nullable Object copy(@Nullable Object value, String what) {
        return copy(value, what, "", 0);
    }

    /**
     * {@return an immutable deep copy of a JSON object}
     *
     * @throws NullPointerException if {@code map} is null
     * @throws IllegalArgumentException naming {@code what} if a part is not a JSON value
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyObject(Map<String, ?> map, String what) {
        if (map == null) throw new NullPointerException(what + " must not be null");
        return (Map<String, Object>) Objects.requireNonNull(copy(map, what, "", 0), "a map copies to a map");
    }

    private static @Nullable Object copy(@Nullable Object value, String what, String path, int depth) {
        if (value == null) return null;
        // the common types first: checking instanceof BigDecimal loads that class, which a fresh
        // JVM's first text stream otherwise does not need
        if (value instanceof String || value instanceof Boolean || value instanceof Long) return value;
        if (value instanceof ImmutableJsonObject || value instanceof ImmutableJsonArray)
            return value; // deeply immutable
        if (value instanceof Map<?, ?> m) {
            checkDepth(depth, what + " at " + at(path));
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(what + ": object keys must be strings, found "
                            + (e.getKey() == null
                                    ? "null"
                                    : e.getKey().getClass().getName()) + " at " + at(path));
                }
                out.put(key, copy(e.getValue(), what, path + "." + key, depth + 1));
            }
            return ImmutableJsonObject.of(out);
        }
        if (value instanceof List<?> list) {
            checkDepth(depth, what + " at " + at(path));
            @Nullable Object[] out = new Object[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = copy(list.get(i), what, path + "[" + i + "]", depth + 1);
            return ImmutableJsonArray.wrap(out);
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) return value;
        if (value instanceof Integer i) return i.longValue();
        if (value instanceof Short s) return s.longValue();
        if (value instanceof Byte b) return b.longValue();
        if (value instanceof Double d) return decimal(d, what, path);
        if (value instanceof Float f) return decimal(f.doubleValue(), what, path);
        throw new IllegalArgumentException(what + ": " + value.getClass().getName() + " at " + at(path)
                + " is not a JSON value (use Map, List, String, Long, BigInteger, BigDecimal, Boolean or null)");
    }

    private static BigDecimal decimal(double d, String what, String path) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(what + ": " + d + " at " + at(path) + " is not a JSON number");
        }
        return new BigDecimal(Double.toString(d));
    }

    private static String at(String path) {
        return path.isEmpty() ? "the top level" : "$" + path;
    }
}
