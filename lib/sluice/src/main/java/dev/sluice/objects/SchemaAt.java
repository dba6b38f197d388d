package dev.sluice.objects;

import org.jspecify.annotations.Nullable;

/**
 * A schema, by identity (two equal-looking schemas at different places are different keys), and a
 * string beside it: a walk's step from it, or the place of the value checked against it. The key
 * of the schema walks' memos ({@link SchemaRules.Walker}, {@link Validator}).
 */
record SchemaAt(@Nullable Object schema, String at) {
    @Override
    @SuppressWarnings("ReferenceEquality") // identity: a schema node is the same object, as in an IdentityHashMap
    public boolean equals(Object o) {
        return o instanceof SchemaAt k && k.schema == schema && k.at.equals(at);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(schema) * 31 + at.hashCode();
    }
}
