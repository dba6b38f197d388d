package dev.sluice.internal.low.value;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A JSON array of Sluice's value model that Sluice built itself and that is deeply immutable (see
 * {@link ImmutableJsonObject}), so it can be shared where a caller's list would be deep-copied. Its
 * last element may be a string still being read: held as a {@link TextView}, shown as a
 * {@code String}. Elements may be null (JSON null).
 */
public final class ImmutableJsonArray extends AbstractList<Object> implements RandomAccess {
    private static final ImmutableJsonArray EMPTY = new ImmutableJsonArray(new Object[0]);

    private final Object[] items;

    private ImmutableJsonArray(Object[] items) {
        this.items = items;
    }

    /** {@return the empty array} */
    public static ImmutableJsonArray empty() {
        return EMPTY;
    }

    /**
     * {@return an array of {@code items}, taken as they are} The caller gives up the array: nothing
     * may change it afterwards, and its elements must be immutable value-model values (the last may
     * be a {@link TextView}).
     */
    public static ImmutableJsonArray wrap(Object[] items) {
        return items.length == 0 ? EMPTY : new ImmutableJsonArray(items);
    }

    /** {@return an array of the elements of {@code list}, copied} */
    public static ImmutableJsonArray copyOf(List<Object> list) {
        return wrap(list.toArray());
    }

    @Override
    public Object get(int index) {
        Object o = items[Objects.checkIndex(index, items.length)];
        return o instanceof TextView v ? v.toString() : o;
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public Object[] toArray() {
        Object[] out = Arrays.copyOf(items, items.length, Object[].class);
        int last = out.length - 1;
        if (last >= 0 && out[last] instanceof TextView v) out[last] = v.toString();
        return out;
    }
}
