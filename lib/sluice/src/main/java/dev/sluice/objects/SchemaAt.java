package dev.sluice.objects;

/**
 * A schema, by identity (two equal-looking schemas at different places are different keys), and a
 * string beside it: a walk's step from it, or the place of the value checked against it. The key
 * of the schema walks' memos ({@link SchemaRules.Walker}, {@link Validator}).
 */
record SchemaAt(Object schema, String at) {
    @Override
    public boolean equals(Object o) {
        return o instanceof SchemaAt k && k.schema == schema && k.at.equals(at);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(schema) * 31 + at.hashCode();
    }
}
