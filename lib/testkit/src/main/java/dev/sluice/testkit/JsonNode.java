package dev.sluice.testkit;

import java.math.BigInteger;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON value of the fake server's own small tree, so that the testkit needs nothing beyond the
 * JDK. Its methods are named and behave as Jackson's {@code JsonNode}, which the wire formats were
 * first written against: {@link #get} gives null for an absent member, {@link #path} a missing
 * node, {@code asText()} a best-effort text, {@code textValue()} the text of a string only.
 * Containers are {@link ObjectNode} and {@link ArrayNode}; values are made by {@link Json}.
 * Not thread-safe while being built; the server never shares a tree it still changes.
 */
abstract sealed class JsonNode implements Iterable<JsonNode>
        permits ObjectNode,
                ArrayNode,
                JsonNode.TextNode,
                JsonNode.NumberNode,
                JsonNode.BooleanNode,
                JsonNode.NullNode,
                JsonNode.MissingNode {

    /** {@return the member or element, or null when absent (only containers have any)} */
    @Nullable
    JsonNode get(String field) {
        return null;
    }

    @Nullable
    JsonNode get(int index) {
        return null;
    }

    /**
     * {@return the member, for a caller that checked the shape already}
     *
     * @throws IllegalStateException when absent
     */
    final JsonNode required(String field) {
        JsonNode n = get(field);
        if (n == null) throw new IllegalStateException("no member " + field + " in " + this);
        return n;
    }

    /**
     * {@return the element, for a caller that checked the size already}
     *
     * @throws IllegalStateException when absent
     */
    final JsonNode required(int index) {
        JsonNode n = get(index);
        if (n == null) throw new IllegalStateException("no element " + index + " in " + this);
        return n;
    }

    /**
     * {@return the text of a string, for a caller that checked it is one}
     *
     * @throws IllegalStateException for anything else
     */
    final String text() {
        String t = textValue();
        if (t == null) throw new IllegalStateException("not a string: " + this);
        return t;
    }

    /** {@return the member, or a missing node when absent: chains never give null} */
    JsonNode path(String field) {
        return MissingNode.INSTANCE;
    }

    JsonNode path(int index) {
        return MissingNode.INSTANCE;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    boolean isObject() {
        return false;
    }

    boolean isArray() {
        return false;
    }

    boolean isTextual() {
        return false;
    }

    boolean isNumber() {
        return false;
    }

    boolean isIntegralNumber() {
        return false;
    }

    boolean isBoolean() {
        return false;
    }

    boolean isNull() {
        return false;
    }

    boolean isMissingNode() {
        return false;
    }

    /** {@return the members or elements of a container, 0 for a value} */
    int size() {
        return 0;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** {@return the text of a string, null for anything else} */
    @Nullable
    String textValue() {
        return null;
    }

    /** {@return the text of a string, a number or boolean as written, "null" for null, "" for the rest} */
    String asText() {
        return "";
    }

    /** {@return {@link #asText()}, or {@code otherwise} for null and missing nodes} */
    String asText(String otherwise) {
        return asText();
    }

    boolean asBoolean(boolean otherwise) {
        return otherwise;
    }

    int asInt(int otherwise) {
        return otherwise;
    }

    boolean booleanValue() {
        return false;
    }

    int intValue() {
        return 0;
    }

    boolean canConvertToInt() {
        return false;
    }

    /** {@return the elements of an array or the member values of an object, in order} */
    @Override
    public Iterator<JsonNode> iterator() {
        return Collections.emptyIterator();
    }

    /** {@return the members of an object, in order; none for anything else} */
    Set<Map.Entry<String, JsonNode>> properties() {
        return Set.of();
    }

    /** {@return a copy that shares nothing mutable with this node} */
    abstract JsonNode deepCopy();

    /** {@return compact JSON, as {@link Json#write} writes it} */
    @Override
    public final String toString() {
        return Json.write(this);
    }

    static final class TextNode extends JsonNode {
        final String value;

        TextNode(String value) {
            this.value = Objects.requireNonNull(value, "value");
        }

        @Override
        boolean isTextual() {
            return true;
        }

        @Override
        String textValue() {
            return value;
        }

        @Override
        String asText() {
            return value;
        }

        @Override
        boolean asBoolean(boolean otherwise) {
            String s = value.strip();
            return s.equals("true") || (!s.equals("false") && otherwise);
        }

        @Override
        int asInt(int otherwise) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        @Override
        JsonNode deepCopy() {
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TextNode t && t.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** A number: a {@code Long} or {@code BigInteger} when written without fraction or exponent, else a {@code Double}. */
    static final class NumberNode extends JsonNode {
        final Number value;

        NumberNode(Number value) {
            if (!(value instanceof Long || value instanceof BigInteger || value instanceof Double)) {
                throw new IllegalArgumentException("a JSON number is a Long, BigInteger or Double: " + value);
            }
            this.value = value;
        }

        @Override
        boolean isNumber() {
            return true;
        }

        @Override
        boolean isIntegralNumber() {
            return !(value instanceof Double);
        }

        @Override
        String asText() {
            return value.toString();
        }

        @Override
        boolean asBoolean(boolean otherwise) {
            return value.doubleValue() != 0;
        }

        @Override
        int asInt(int otherwise) {
            return intValue();
        }

        @Override
        int intValue() {
            return value.intValue();
        }

        @Override
        boolean canConvertToInt() {
            double d = value.doubleValue();
            return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
        }

        @Override
        JsonNode deepCopy() {
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NumberNode n && n.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    static final class BooleanNode extends JsonNode {
        static final BooleanNode TRUE = new BooleanNode(true);
        static final BooleanNode FALSE = new BooleanNode(false);
        final boolean value;

        private BooleanNode(boolean value) {
            this.value = value;
        }

        @Override
        boolean isBoolean() {
            return true;
        }

        @Override
        boolean booleanValue() {
            return value;
        }

        @Override
        String asText() {
            return Boolean.toString(value);
        }

        @Override
        boolean asBoolean(boolean otherwise) {
            return value;
        }

        @Override
        int asInt(int otherwise) {
            return value ? 1 : 0;
        }

        @Override
        JsonNode deepCopy() {
            return this;
        }
    }

    static final class NullNode extends JsonNode {
        static final NullNode INSTANCE = new NullNode();

        private NullNode() {}

        @Override
        boolean isNull() {
            return true;
        }

        @Override
        String asText() {
            return "null";
        }

        @Override
        String asText(String otherwise) {
            return otherwise;
        }

        @Override
        JsonNode deepCopy() {
            return this;
        }
    }

    /** What {@link #path} gives for an absent member: asks of it give their defaults. Never written. */
    static final class MissingNode extends JsonNode {
        static final MissingNode INSTANCE = new MissingNode();

        private MissingNode() {}

        @Override
        boolean isMissingNode() {
            return true;
        }

        @Override
        String asText(String otherwise) {
            return otherwise;
        }

        @Override
        JsonNode deepCopy() {
            return this;
        }
    }
}
