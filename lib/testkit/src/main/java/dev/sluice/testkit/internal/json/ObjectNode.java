package dev.sluice.testkit.internal.json;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A JSON object of the fake server's tree: members in insertion order, a later put replacing an earlier one. */
public final class ObjectNode extends JsonNode {
    private final Map<String, JsonNode> members = new LinkedHashMap<>();

    @Override
    public boolean isObject() {
        return true;
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    @Nullable
    public JsonNode get(String field) {
        return members.get(field);
    }

    @Override
    public JsonNode path(String field) {
        JsonNode n = members.get(field);
        return n != null ? n : MissingNode.INSTANCE;
    }

    @Override
    public Iterator<JsonNode> iterator() {
        return Collections.unmodifiableCollection(members.values()).iterator();
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> properties() {
        return Collections.unmodifiableMap(members).entrySet();
    }

    /**
     * Sets a member; a null text is JSON null.
     *
     * @return this object
     */
    public ObjectNode put(String field, @Nullable String value) {
        return set(field, value == null ? NullNode.INSTANCE : new TextNode(value));
    }

    public ObjectNode put(String field, int value) {
        return set(field, new NumberNode((long) value));
    }

    public ObjectNode put(String field, long value) {
        return set(field, new NumberNode(value));
    }

    public ObjectNode put(String field, double value) {
        return set(field, new NumberNode(value));
    }

    public ObjectNode put(String field, boolean value) {
        return set(field, value ? BooleanNode.TRUE : BooleanNode.FALSE);
    }

    public ObjectNode putNull(String field) {
        return set(field, NullNode.INSTANCE);
    }

    /** {@return a new empty object, set as the member} */
    public ObjectNode putObject(String field) {
        ObjectNode o = new ObjectNode();
        set(field, o);
        return o;
    }

    /** {@return a new empty array, set as the member} */
    public ArrayNode putArray(String field) {
        ArrayNode a = new ArrayNode();
        set(field, a);
        return a;
    }

    /**
     * Sets a member; null is JSON null.
     *
     * @return this object
     */
    public ObjectNode set(String field, JsonNode value) {
        Objects.requireNonNull(field, "field");
        if (value instanceof MissingNode)
            throw new IllegalArgumentException("a missing node has no value to set: " + field);
        members.put(field, value == null ? NullNode.INSTANCE : value);
        return this;
    }

    /**
     * Sets every member of {@code other}, in its order.
     *
     * @return this object
     */
    public ObjectNode setAll(ObjectNode other) {
        members.putAll(other.members);
        return this;
    }

    /** {@return the member removed, or null} */
    @Nullable
    public JsonNode remove(String field) {
        return members.remove(field);
    }

    @Override
    public ObjectNode deepCopy() {
        ObjectNode copy = new ObjectNode();
        members.forEach((k, v) -> copy.members.put(k, v.deepCopy()));
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectNode other && other.members.equals(members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }
}
