package dev.sluice.testkit.internal.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A JSON array of the fake server's tree. */
public final class ArrayNode extends JsonNode {
    private final List<JsonNode> elements = new ArrayList<>();

    @Override
    public boolean isArray() {
        return true;
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    @Nullable
    public JsonNode get(int index) {
        return index >= 0 && index < elements.size() ? elements.get(index) : null;
    }

    @Override
    public JsonNode path(int index) {
        JsonNode n = get(index);
        return n != null ? n : MissingNode.INSTANCE;
    }

    @Override
    public Iterator<JsonNode> iterator() {
        return Collections.unmodifiableList(elements).iterator();
    }

    /**
     * Appends an element; null is JSON null.
     *
     * @return this array
     */
    public ArrayNode add(JsonNode value) {
        if (value instanceof MissingNode) throw new IllegalArgumentException("a missing node has no value to add");
        elements.add(value == null ? NullNode.INSTANCE : value);
        return this;
    }

    public ArrayNode add(String value) {
        return add(value == null ? NullNode.INSTANCE : new TextNode(value));
    }

    /**
     * Replaces the element at {@code index}; null is JSON null.
     *
     * @return this array
     */
    public ArrayNode set(int index, JsonNode value) {
        if (value instanceof MissingNode) throw new IllegalArgumentException("a missing node has no value to set");
        elements.set(index, value == null ? NullNode.INSTANCE : value);
        return this;
    }

    /** {@return a new empty object, appended} */
    public ObjectNode addObject() {
        ObjectNode o = new ObjectNode();
        elements.add(o);
        return o;
    }

    @Override
    public ArrayNode deepCopy() {
        ArrayNode copy = new ArrayNode();
        for (JsonNode e : elements) copy.elements.add(e.deepCopy());
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayNode other && other.elements.equals(elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }
}
