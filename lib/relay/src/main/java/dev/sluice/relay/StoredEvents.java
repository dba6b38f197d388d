package dev.sluice.relay;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.internal.Json;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Encodes relay events for a {@link RelayStore} and back, generically: an event is its record's
 * name and its components in order, {@code {"i":ID,"k":"Delta","v":["text"]}}, so that every
 * member of the {@link RelayEvent} family, today's and those added later, goes through a store
 * unchanged; components a record gained at its end since a node of an older version stored the
 * event are read as null. Components may be strings, numbers, booleans, enums, lists and records
 * of these. Stateless; the reflection is looked up once per record class.
 */
final class StoredEvents {
    private StoredEvents() {}

    /** A decoded event with its id. */
    record Stored(long id, RelayEvent event) {}

    @SuppressWarnings("ArrayRecordComponent") // private, built once per event type from reflection, never compared
    private record Shape(RecordComponent[] components, Constructor<?> constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
            try {
                return new Shape(components, type.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record without its canonical constructor: " + type, e);
            }
        }
    };

    private static final Map<String, Class<?>> KINDS = new HashMap<>();

    static {
        for (Class<?> c : RelayEvent.class.getPermittedSubclasses()) KINDS.put(c.getSimpleName(), c);
    }

    /** {@return the event and its id as stored text} */
    static String encode(long id, RelayEvent event) {
        StringBuilder sb =
                new StringBuilder(event instanceof RelayEvent.Delta d ? d.text().length() + 40 : 96);
        sb.append("{\"i\":").append(id).append(",\"k\":");
        JsonText.writeString(event.getClass().getSimpleName(), sb);
        sb.append(",\"v\":");
        components((Record) event, sb);
        return sb.append('}').toString();
    }

    private static void components(Record r, StringBuilder sb) {
        sb.append('[');
        RecordComponent[] components = SHAPES.get(r.getClass()).components();
        for (int i = 0; i < components.length; i++) {
            if (i > 0) sb.append(',');
            try {
                value(components[i].getAccessor().invoke(r), sb);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(
                        "cannot read " + components[i] + " of " + r.getClass().getSimpleName(), e);
            }
        }
        sb.append(']');
    }

    private static void value(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> JsonText.writeString(s, sb);
            case Enum<?> e -> JsonText.writeString(e.name(), sb);
            case Record r -> components(r, sb);
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(',');
                    value(list.get(i), sb);
                }
                sb.append(']');
            }
            case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b.booleanValue());
            default ->
                throw new IllegalArgumentException("a relay event component the store cannot carry: "
                        + v.getClass().getName());
        }
    }

    /**
     * {@return the stored text as the event and its id}
     *
     * @throws IllegalArgumentException if the text is not an event this relay knows
     */
    static Stored decode(String text) {
        PartialJson.Result parsed = PartialJson.parse(text);
        if (!parsed.isValid()
                || !(parsed.value() instanceof Map<?, ?> m)
                || !(m.get("i") instanceof Long id)
                || id < 0
                || !(m.get("k") instanceof String kind)
                || !(m.get("v") instanceof List<?> values)) {
            throw new IllegalArgumentException("not a stored relay event: " + Json.shorten(text, 80));
        }
        Class<?> type = KINDS.get(kind);
        if (type == null) throw new IllegalArgumentException("a relay event this node does not know: " + kind);
        return new Stored(id, (RelayEvent) record(type, values));
    }

    private static Object record(Class<?> type, List<?> values) {
        Shape shape = SHAPES.get(type);
        RecordComponent[] components = shape.components();
        if (values.size() > components.length) {
            throw new IllegalArgumentException(
                    type.getSimpleName() + " has " + components.length + " components, not " + values.size());
        }
        @Nullable Object[] args = new Object[components.length];
        for (int i = 0;
                i < args.length;
                i++) { // an older node's event lacks the components added since: null (or zero)
            String where = type.getSimpleName() + "." + components[i].getName();
            args[i] = convert(
                    i < values.size() ? values.get(i) : null,
                    components[i].getType(),
                    components[i].getGenericType(),
                    where);
        }
        try {
            return shape.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    "a stored " + type.getSimpleName() + " is not valid: "
                            + Objects.requireNonNullElse(e.getCause(), e).getMessage(),
                    Objects.requireNonNullElse(e.getCause(), e));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + type.getSimpleName(), e);
        }
    }

    /**
     * {@return a stored component's value as its record component's type}
     *
     * @throws IllegalArgumentException if the value is not of that type (a text where a number
     *     belongs, say), naming the component ({@code where})
     */
    private static @Nullable Object convert(@Nullable Object v, Class<?> type, Type generic, String where) {
        if (v == null) {
            if (type.isPrimitive())
                return type == boolean.class
                        ? false
                        : type == double.class
                                ? 0.0
                                : type == float.class ? 0f : type == long.class ? (Object) 0L : (Object) 0;
            return null;
        }
        if (type == String.class) return expect(v, String.class, where);
        if (type == long.class || type == Long.class)
            return expect(v, Number.class, where).longValue();
        if (type == int.class || type == Integer.class)
            return expect(v, Number.class, where).intValue();
        if (type == double.class || type == Double.class)
            return expect(v, Number.class, where).doubleValue();
        if (type == float.class || type == Float.class)
            return expect(v, Number.class, where).floatValue();
        if (type == boolean.class || type == Boolean.class) return expect(v, Boolean.class, where);
        if (type == BigDecimal.class)
            return v instanceof BigDecimal d
                    ? d
                    : new BigDecimal(expect(v, Number.class, where).toString());
        if (type == BigInteger.class)
            return v instanceof BigInteger b ? b : BigInteger.valueOf(expect(v, Long.class, where));
        if (type.isEnum()) {
            String name = expect(v, String.class, where);
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) return constant;
            }
            throw new IllegalArgumentException("a stored " + where + " is not one of "
                    + List.of(type.getEnumConstants()) + ": " + Json.shorten(v, 40));
        }
        if (type.isRecord()) return record(type, expect(v, List.class, where));
        if (List.class.isAssignableFrom(type)) {
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            Class<?> raw = element instanceof Class<?> c
                    ? c
                    : element instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
            List<Object> out = new ArrayList<>();
            for (Object o : expect(v, List.class, where))
                out.add(raw == Object.class ? o : convert(o, raw, element, where + "[]"));
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("a relay event component the store cannot carry: " + type.getName());
    }

    /** {@return v as a {@code type}} @throws IllegalArgumentException naming the component when it is not one */
    private static <T> T expect(Object v, Class<T> type, String where) {
        if (type.isInstance(v)) return type.cast(v);
        throw new IllegalArgumentException("a stored " + where + " must be "
                + (type == String.class
                        ? "a string"
                        : type == Boolean.class ? "true or false" : type == List.class ? "an array" : "a number")
                + ", not " + Json.shorten(v, 40));
    }
}
