package dev.sluice.testkit.internal.json;

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
public abstract sealed class JsonNode implements Iterable<JsonNode>
        permits ObjectNode,
                ArrayNode,
                JsonNode.TextNode,
                JsonNode.NumberNode,
                JsonNode.BooleanNode,
                JsonNode.NullNode,
                JsonNode.MissingNode {

    /** {@return the member or element, or null when absent (only containers have any)} */
    @Nullable
    public JsonNode get(String field) {
        return null;
    }

    @Nullable
    public JsonNode get(int index) {
        return null;
    }

    /**
     * {@return the member, for a caller that checked the shape already}
     *
     * @throws IllegalStateException when absent
     */
    public final JsonNode required(String field) {
        JsonNode n = get(field);
        if (n == null) throw new IllegalStateException("no member " + field + " in " + this);
        return n;
    }

    /**
     * {@return the element, for a caller that checked the size already}
     *
     * @throws IllegalStateException when absent
     */
    public final JsonNode required(int index) {
        JsonNode n = get(index);
        if (n == null) throw new IllegalStateException("no element " + index + " in " + this);
        return n;
    }

    /**
     * {@return the text of a string, for a caller that checked it is one}
     *
     * @throws IllegalStateException for anything else
     */
    public final String text() {
        String t = textValue();
        if (t == null) throw new IllegalStateException("not a string: " + this);
        return t;
    }

    /** {@return the member, or a missing node when absent: chains never give null} */
    public JsonNode path(String field) {
        return MissingNode.INSTANCE;
    }

    public JsonNode path(int index) {
        return MissingNode.INSTANCE;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    public boolean isObject() {
        return false;
    }

    public boolean isArray() {
        return false;
    }

    public boolean isTextual() {
        return false;
    }

    public boolean isNumber() {
        return false;
    }

    public boolean isIntegralNumber() {
        return false;
    }

    public boolean isBoolean() {
        return false;
    }

    public boolean isNull() {
        return false;
    }

    public boolean isMissingNode() {
        return false;
    }

    /** {@return the members or elements of a container, 0 for a value} */
    public int size() {
        return 0;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** {@return the text of a string, null for anything else} */
    @Nullable
    public String textValue() {
        return null;
    }

    /** {@return the text of a string, a number or boolean as written, "null" for null, "" for the rest} */
    public String asText() {
        return "";
    }

    /** {@return {@link #asText()}, or {@code otherwise} for null and missing nodes} */
    public String asText(String otherwise) {
        return asText();
    }

    public boolean asBoolean(boolean otherwise) {
        return otherwise;
    }

    public int asInt(int otherwise) {
        return otherwise;
    }

    public boolean booleanValue() {
        return false;
    }

    public int intValue() {
        return 0;
    }

    public boolean canConvertToInt() {
        return false;
    }

    /** {@return the elements of an array or the member values of an object, in order} */
    @Override
    public Iterator<JsonNode> iterator() {
        return Collections.emptyIterator();
    }

    /** {@return the members of an object, in order; none for anything else} */
    public Set<Map.Entry<String, JsonNode>> properties() {
        return Set.of();
    }

    /** {@return a copy that shares nothing mutable with this node} */
    public abstract JsonNode deepCopy();

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
        public boolean isTextual() {
            return true;
        }

        @Override
        public String textValue() {
            return value;
        }

        @Override
        public String asText() {
            return value;
        }

        @Override
        public boolean asBoolean(boolean otherwise) {
            String s = value.strip();
            return s.equals("true") || (!s.equals("false") && otherwise);
        }

        @Override
        public int asInt(int otherwise) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        @Override
        public JsonNode deepCopy() {
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
    public static final class NumberNode extends JsonNode {
        final Number value;

        public NumberNode(Number value) {
            if (!(value instanceof Long || value instanceof BigInteger || value instanceof Double)) {
                throw new IllegalArgumentException("a JSON number is a Long, BigInteger or Double: " + value);
            }
            this.value = value;
        }

        @Override
        public boolean isNumber() {
            return true;
        }

        @Override
        public boolean isIntegralNumber() {
            return !(value instanceof Double);
        }

        @Override
        public String asText() {
            return value.toString();
        }

        @Override
        public boolean asBoolean(boolean otherwise) {
            return value.doubleValue() != 0;
        }

        @Override
        public int asInt(int otherwise) {
            return intValue();
        }

        @Override
        public int intValue() {
            return value.intValue();
        }

        @Override
        public boolean canConvertToInt() {
            double d = value.doubleValue();
            return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
        }

        @Override
        public JsonNode deepCopy() {
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
        public boolean isBoolean() {
            return true;
        }

        @Override
        public boolean booleanValue() {
            return value;
        }

        @Override
        public String asText() {
            return Boolean.toString(value);
        }

        @Override
        public boolean asBoolean(boolean otherwise) {
            return value;
        }

        @Override
        public int asInt(int otherwise) {
            return value ? 1 : 0;
        }

        @Override
        public JsonNode deepCopy() {
            return this;
        }
    }

    static final class NullNode extends JsonNode {
        static final NullNode INSTANCE = new NullNode();

        private NullNode() {}

        @Override
        public boolean isNull() {
            return true;
        }

        @Override
        public String asText() {
            return "null";
        }

        @Override
        public String asText(String otherwise) {
            return otherwise;
        }

        @Override
        public JsonNode deepCopy() {
            return this;
        }
    }

    /** What {@link #path} gives for an absent member: asks of it give their defaults. Never written. */
    static final class MissingNode extends JsonNode {
        static final MissingNode INSTANCE = new MissingNode();

        private MissingNode() {}

        @Override
        public boolean isMissingNode() {
            return true;
        }

        @Override
        public String asText(String otherwise) {
            return otherwise;
        }

        @Override
        public JsonNode deepCopy() {
            return this;
        }
    }
}
