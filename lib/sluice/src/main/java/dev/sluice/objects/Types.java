package dev.sluice.objects;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Java side of a schema: a record's components with their generic types resolved (a
 * {@code record Page<T>(List<T> items)} used as {@code Page<Step>} has {@code items} of type
 * {@code List<Step>}), nullability markers, and canonical constructors, looked up once per class.
 */
final class Types {
    private Types() {}

    /** A record component: its name, its type with the record's type arguments put in, and whether it may be null. */
    record Component(
            String name,
            Type type,
            boolean nullable,
            @Nullable String description) {}

    private static final ClassValue<List<Component>> DECLARED = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> out = new ArrayList<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                Description d = rc.getAnnotation(Description.class);
                out.add(new Component(
                        rc.getName(), rc.getGenericType(), markedNullable(rc), d == null ? null : d.value()));
            }
            return List.copyOf(out);
        }
    };

    private static final ClassValue<Constructor<?>> CANONICAL = new ClassValue<>() {
        @Override
        protected @Nullable Constructor<?> computeValue(Class<?> type) {
            Class<?>[] params = Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                Constructor<?> c = type.getDeclaredConstructor(params);
                return c.trySetAccessible() ? c : null;
            } catch (NoSuchMethodException e) {
                return null; // a record always has one; unreachable
            }
        }
    };

    /** {@return the record's canonical constructor, accessible} @throws IllegalArgumentException if it cannot be called from here */
    static Constructor<?> canonical(Class<?> record) {
        Constructor<?> c = CANONICAL.get(record);
        if (c == null) {
            throw new IllegalArgumentException(
                    record.getName() + ": its canonical constructor cannot be called by Sluice; "
                            + "make the record public in an exported package, or open its package to module dev.sluice");
        }
        return c;
    }

    /** {@return the components of a record type (a class, or a parameterized record), their types resolved} */
    static List<Component> components(Type recordType) {
        Class<?> raw = rawClass(recordType);
        List<Component> declared = DECLARED.get(raw);
        if (!(recordType instanceof ParameterizedType p)) return declared;
        Map<TypeVariable<?>, Type> env = new HashMap<>();
        TypeVariable<?>[] vars = raw.getTypeParameters();
        Type[] args = p.getActualTypeArguments();
        for (int i = 0; i < vars.length; i++) env.put(vars[i], args[i]);
        List<Component> out = new ArrayList<>(declared.size());
        for (Component c : declared)
            out.add(new Component(c.name(), substitute(c.type(), env), c.nullable(), c.description()));
        return out;
    }

    /** {@return the type with the variables of env replaced; a variable not in env stays} */
    private static Type substitute(Type t, Map<TypeVariable<?>, Type> env) {
        if (t instanceof TypeVariable<?> v) return env.getOrDefault(v, v);
        if (t instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) args[i] = substitute(args[i], env);
            return new Parameterized((Class<?>) p.getRawType(), List.of(args));
        }
        if (t instanceof GenericArrayType g) return new GenericArray(substitute(g.getGenericComponentType(), env));
        return t;
    }

    /** {@return the parameterized type {@code raw<args>}} */
    static ParameterizedType parameterized(Class<?> raw, Type... args) {
        return new Parameterized(raw, List.of(args));
    }

    /** {@return the class of a type: a class itself, a parameterized type's raw class, Object[]-like for generic arrays; null for variables and wildcards} */
    static @Nullable Class<?> raw(@Nullable Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        if (t instanceof GenericArrayType g) {
            Class<?> component = raw(g.getGenericComponentType());
            return component == null ? null : component.arrayType();
        }
        return null;
    }

    /**
     * {@return the class of a type, as {@link #raw} gives it, for a type that names one}
     *
     * @throws IllegalArgumentException for a type variable, a wildcard, or an array of either:
     *     they name no class to bind or describe (a generated schema refuses them, so only a type
     *     asked for by hand reaches this)
     */
    static Class<?> rawClass(Type t) {
        Class<?> c = raw(t);
        if (c == null) {
            throw new IllegalArgumentException(
                    name(t) + " names no class: a type variable or a wildcard cannot be bound; give the type itself");
        }
        return c;
    }

    /** {@return type argument i of a parameterized type, or null for a raw use} */
    static @Nullable Type argument(@Nullable Type t, int i) {
        return t instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : null;
    }

    /**
     * {@return type argument i of a parameterized type}
     *
     * @throws IllegalArgumentException for a raw use, which has none (a generated schema refuses
     *     one, so only a type asked for by hand reaches this)
     */
    static Type typeArgument(Type t, int i) {
        Type a = argument(t, i);
        if (a == null) {
            throw new IllegalArgumentException(
                    "a raw " + name(t) + " has no type arguments to bind with; give them, such as Optional<String>");
        }
        return a;
    }

    /** {@return the element type of an array type} */
    static Type arrayComponent(Type t) {
        return t instanceof GenericArrayType g ? g.getGenericComponentType() : ((Class<?>) t).getComponentType();
    }

    /** {@return the type as a message names it: {@code List<Step>}, {@code Map<String, Integer>}} */
    static String name(Type t) {
        if (t instanceof Class<?> c) return c.isArray() ? name(c.getComponentType()) + "[]" : c.getSimpleName();
        if (t instanceof ParameterizedType p) {
            StringBuilder sb = new StringBuilder(name(p.getRawType())).append('<');
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < args.length; i++) sb.append(i == 0 ? "" : ", ").append(name(args[i]));
            return sb.append('>').toString();
        }
        if (t instanceof GenericArrayType g) return name(g.getGenericComponentType()) + "[]";
        return t.getTypeName();
    }

    /**
     * {@return whether a component is marked as possibly null: by an annotation named
     * {@code Nullable} (JSpecify's, JSR 305's, Jakarta's or any other kept at run time), on the
     * component or on its type}
     */
    private static boolean markedNullable(RecordComponent rc) {
        return hasNullable(rc.getAnnotations())
                || hasNullable(rc.getAnnotatedType().getAnnotations());
    }

    private static boolean hasNullable(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getSimpleName().equals("Nullable")) return true;
        }
        return false;
    }

    private record Parameterized(Class<?> raw, List<Type> args) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return args.toArray(Type[]::new);
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public @Nullable Type getOwnerType() {
            return raw.getDeclaringClass();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType p
                    && raw.equals(p.getRawType())
                    && Arrays.equals(getActualTypeArguments(), p.getActualTypeArguments())
                    && Objects.equals(getOwnerType(), p.getOwnerType());
        }

        @Override
        public int hashCode() {
            return args.hashCode() ^ raw.hashCode() ^ Objects.hashCode(getOwnerType());
        }

        @Override
        public String toString() {
            return name(this);
        }
    }

    private record GenericArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public String toString() {
            return name(this);
        }
    }
}
